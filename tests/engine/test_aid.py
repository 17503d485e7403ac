"""Aid valued once and set against its ceiling: under it, over it, and outside the regional aid map for a
large firm (no regional aid at all)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.engine.aid import AidError, AidItem, assess, value_item

D = Decimal


def test_rent_below_market_counts_rent_free_months_once_and_is_discounted() -> None:
    # 1,000 m², market 100 EUR/m²/year; year 0 rent-free (charged 0), year 1 charged 80.
    item = AidItem(
        "rent_below_market", "regional", (D(0), D(80)), area_m2=D(1000), market_rent_eur_m2_year=D(100)
    )
    valued = value_item(item, discount_rate=D("0.04"))
    assert valued.nominal == D("120000.00")  # 100,000 + 20,000
    assert valued.value == D("119230.77")  # 100,000 + 20,000 / 1.04


def test_offer_under_its_ceiling_in_an_afr_zone() -> None:
    items = [AidItem("subsidy", "regional", (D(200_000),)), AidItem("fit_out", "regional", (D(100_000),))]
    result = assess(items, zone="c_non_predefined", size="medium", investment_costs=D(2_000_000))
    check = result.checks[0]
    # Medium firm in a 'c' zone: 15 % + 10 points = 25 % of 2 M EUR = 500,000.
    assert (check.intensity_pct, check.ceiling, check.aid) == (D(25), D("500000.00"), D("300000.00"))
    assert (check.headroom, check.excess, check.status) == (D("200000.00"), D("0.00"), "within")
    assert result.status == "within"


def test_offer_over_its_ceiling() -> None:
    items = [
        AidItem("subsidy", "regional", (D(400_000),)),
        AidItem("tax_exemption", "regional", (D(50_000), D(50_000))),
    ]
    result = assess(items, zone="c_non_predefined", size="large", investment_costs=D(2_000_000))
    check = result.checks[0]
    # Large firm: 15 % of 2 M EUR = 300,000; aid 400,000 + 50,000 + 50,000 / 1.04 = 498,076.92.
    assert (check.ceiling, check.aid) == (D("300000.00"), D("498076.92"))
    assert (check.excess, check.status, result.status) == (D("198076.92"), "excess", "excess")
    assert "large_new_activity_only" in result.conditions


def test_large_firm_outside_the_map_may_receive_no_regional_or_sme_aid() -> None:
    result = assess(
        [AidItem("hiring_aid", "regional", (D(30_000),))],
        zone="none",
        size="large",
        investment_costs=D(5_000_000),
    )
    check = result.checks[0]
    assert (check.intensity_pct, check.ceiling, check.excess, check.status) == (
        D(0),
        D("0.00"),
        D("30000.00"),
        "excess",
    )
    assert check.basis == "gber_art_17_sme"


def test_wage_costs_of_jobs_created_when_higher_than_the_investment() -> None:
    result = assess(
        [AidItem("subsidy", "regional", (D(100_000),))],
        zone="none",
        size="small",
        investment_costs=D(100_000),
        jobs_created=20,
        annual_wage_cost_per_job=D(30_000),
    )
    check = result.checks[0]
    # Two years of wage costs, 1.2 M EUR, at 20 % (small firm, GBER art. 17).
    assert (check.eligible_costs, check.ceiling, check.status) == (D("1200000.00"), D("240000.00"), "within")


def test_de_minimis_counts_what_was_already_received() -> None:
    items = [AidItem("subsidy", "de_minimis", (D(150_000),))]
    within = assess(items, zone="none", size="large", investment_costs=D(0), de_minimis_received=D(100_000))
    over = assess(items, zone="none", size="large", investment_costs=D(0), de_minimis_received=D(200_000))
    assert (within.checks[1].ceiling, within.checks[1].status) == (D("200000.00"), "within")
    assert (over.checks[1].excess, over.status) == (D("50000.00"), "excess")


def test_unknown_zone_gives_no_ceiling_rather_than_a_wrong_one() -> None:
    result = assess(
        [AidItem("subsidy", "regional", (D(1),))], zone="unknown", size="small", investment_costs=D(10)
    )
    assert (result.checks[0].ceiling, result.status) == (None, "not_known")


def test_refused_inputs() -> None:
    with pytest.raises(AidError) as error:
        assess([], zone="a", size="small", investment_costs=D(0))
    assert error.value.field == "zone"
    with pytest.raises(AidError):
        value_item(AidItem("rent_below_market", "regional", (D(1),)), discount_rate=D(0))
