"""Occupancy cost over the lease: hand-computed present values, the article case, conventions, bad input."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, cast

import numpy as np
import pytest

from guichet.engine.costs import (
    CostInputError,
    LumpSum,
    OccupancyTerms,
    occupancy_cost,
    occupancy_cost_table,
)


def test_hand_computed_small_case() -> None:
    """100 m² at 120 EUR/m²/yr rent + 30 charges, 3 years at 5%, 6 months rent-free, 1,000 EUR fit-out
    contribution, 500 EUR per job created (headcount 2 then 4: 2 jobs in year 1, 2 in year 2, 0 in year 3),
    100 EUR per hire (3 then 1 hires), 2,000 EUR lump sum in year 2 and 999 EUR in year 9 (past the horizon).

    year 0: gross 0,      incentives 1,000 (fit-out)                        -> net  -1,000, factor 1
    year 1: gross 15,000, incentives 6,000 (rent-free) + 1,000 + 300 = 7,300  -> net   7,700, factor 1/1.05
    year 2: gross 15,000, incentives 1,000 (grants) + 100 + 2,000 = 3,100      -> net  11,900, factor 1/1.05²
    year 3: gross 15,000, incentives 0                                       -> net  15,000, factor 1/1.05³
    NPV = -1,000 + 7,700/1.05 + 11,900/1.1025 + 15,000/1.157625
        = -1,000 + 7,333.33 + 10,793.65 + 12,957.56 = 30,084.55 EUR
    gross PV = 15,000 x (1/1.05 + 1/1.05² + 1/1.05³) = 15,000 x 2.723248 = 40,848.72 EUR
    """
    cost = occupancy_cost(
        OccupancyTerms(
            area_m2=100,
            rent_eur_m2_year=120,
            charges_eur_m2_year=30,
            rent_free_months=6,
            fit_out_contribution_eur=1_000,
            grant_per_job_eur=500,
            training_per_hire_eur=100,
            lump_sums=(LumpSum(2_000, 2, "welcome grant"), LumpSum(999, 9)),
        ),
        seats=10,
        jobs_per_year=[2, 4],
        hires_per_year=[3, 1],
        years=3,
        discount_rate=0.05,
    )
    r = Fraction(105, 100)
    exact_net = -1_000 + Fraction(7_700) / r + Fraction(11_900) / r**2 + Fraction(15_000) / r**3
    assert cost.net_pv_eur == pytest.approx(float(exact_net), abs=1e-8)
    assert cost.net_pv_eur == pytest.approx(30_084.55, abs=0.01)
    assert cost.gross_pv_eur == pytest.approx(40_848.72, abs=0.01)
    assert cost.incentives_pv_eur == pytest.approx(40_848.72 - 30_084.55, abs=0.01)
    assert [c.net_eur for c in cost.cash_flows] == pytest.approx([-1_000, 7_700, 11_900, 15_000])
    assert [c.rent_free_eur for c in cost.cash_flows] == [0, 6_000, 0, 0]
    assert [c.grants_eur for c in cost.cash_flows] == [0, 1_000, 1_000, 0]
    assert [c.training_eur for c in cost.cash_flows] == [0, 300, 100, 0]
    assert [c.lump_sums_eur for c in cost.cash_flows] == [0, 0, 2_000, 0]
    assert cost.net_eur == pytest.approx(-1_000 + 7_700 + 11_900 + 15_000)
    assert math.fsum(c.net_present_eur for c in cost.cash_flows) == pytest.approx(cost.net_pv_eur)
    assert cost.per_seat_eur == pytest.approx(cost.net_pv_eur / 10)
    assert cost.per_job_eur == pytest.approx(cost.net_pv_eur / 4)


def test_article_sized_case() -> None:
    """The article's 3,000 m² building at 95 EUR/m²/yr with 12 months rent-free against 2,800 m² at
    82 EUR/m²/yr, over a 9-year lease at 4%, for 280 seats (3,000 m² / 10.7 m² a position).

    annuity factor a = (1 - 1.04^-9) / 0.04 = 7.435332
    A: 3,000 x 95 = 285,000 a year; gross PV 285,000 a = 2,119,069.51; the free first year is worth
       285,000 / 1.04 = 274,038.46; net 1,845,031.05 = 6,589.40 per seat
    B: 2,800 x 82 = 229,600 a year; net PV 229,600 a = 1,707,152.14 = 6,096.97 per seat
    A year of free rent does not make up for 13 EUR/m² more on 200 m² more: B is 137,878.91 cheaper.
    """
    common: dict[str, Any] = {
        "seats": 280,
        "jobs_per_year": [150, 225, 300],
        "years": 9,
        "discount_rate": 0.04,
    }
    a = occupancy_cost(OccupancyTerms(area_m2=3_000, rent_eur_m2_year=95, rent_free_months=12), **common)
    b = occupancy_cost(OccupancyTerms(area_m2=2_800, rent_eur_m2_year=82), **common)
    annuity = (1 - 1.04**-9) / 0.04
    assert annuity == pytest.approx(7.435332, abs=1e-6)
    assert a.gross_pv_eur == pytest.approx(2_119_069.51, abs=0.01)
    assert a.rent_free_pv_eur == pytest.approx(274_038.46, abs=0.01)
    assert a.net_pv_eur == pytest.approx(1_845_031.05, abs=0.01)
    assert a.per_seat_eur == pytest.approx(6_589.40, abs=0.01)
    assert b.net_pv_eur == pytest.approx(1_707_152.14, abs=0.01)
    assert b.per_seat_eur == pytest.approx(6_096.97, abs=0.01)
    assert a.net_pv_eur - b.net_pv_eur == pytest.approx(137_878.91, abs=0.01)
    # Undiscounted: 8 paid years of 285,000 against 9 of 229,600.
    assert a.net_eur == pytest.approx(2_280_000)
    assert b.net_eur == pytest.approx(2_066_400)
    assert a.per_job_eur == pytest.approx(1_845_031.05 / 300, abs=0.01)


def test_negative_net_cost_is_reported_not_hidden() -> None:
    cost = occupancy_cost(
        OccupancyTerms(area_m2=100, rent_eur_m2_year=100, lump_sums=(LumpSum(500_000, 0),)),
        seats=10,
        jobs_per_year=[10],
        years=3,
        discount_rate=0.0,
    )
    assert cost.gross_pv_eur == 30_000
    assert cost.incentives_pv_eur == 500_000
    assert cost.net_pv_eur == -470_000
    assert cost.per_seat_eur == -47_000


def test_zero_rate_is_the_plain_sum_and_rent_free_past_the_horizon_waives_all_rent() -> None:
    cost = occupancy_cost(
        OccupancyTerms(area_m2=10, rent_eur_m2_year=100, charges_eur_m2_year=10, rent_free_months=200),
        seats=1,
        jobs_per_year=[1],
        years=9,
        discount_rate=0.0,
    )
    assert cost.gross_pv_eur == 9 * 1_100
    assert cost.rent_free_pv_eur == 9 * 1_000
    assert cost.net_pv_eur == 9 * 100  # charges are still paid


def test_rent_free_months_spill_into_the_second_year() -> None:
    cost = occupancy_cost(
        OccupancyTerms(area_m2=1, rent_eur_m2_year=1_200, rent_free_months=18),
        seats=1,
        jobs_per_year=[1],
        years=3,
        discount_rate=0.0,
    )
    assert [c.rent_free_eur for c in cost.cash_flows] == [0, 1_200, 600, 0]


def test_sale_price_replaces_rent() -> None:
    cost = occupancy_cost(
        OccupancyTerms(area_m2=1_000, charges_eur_m2_year=10, sale_price_eur=1_500_000),
        seats=100,
        jobs_per_year=[100],
        years=2,
        discount_rate=0.0,
    )
    assert cost.cash_flows[0].purchase_eur == 1_500_000
    assert cost.gross_pv_eur == 1_500_000 + 2 * 10_000
    with pytest.raises(CostInputError, match="sale_price_eur"):
        occupancy_cost(
            OccupancyTerms(area_m2=1_000, rent_eur_m2_year=50, sale_price_eur=1_500_000),
            seats=100,
            jobs_per_year=[100],
        )


def test_headcount_holds_after_the_list_but_hires_are_not_extrapolated() -> None:
    cost = occupancy_cost(
        OccupancyTerms(area_m2=1, grant_per_job_eur=1_000, training_per_hire_eur=10),
        seats=1,
        jobs_per_year=[50, 80],
        hires_per_year=[60],
        years=4,
        discount_rate=0.0,
    )
    assert [c.grants_eur for c in cost.cash_flows] == [0, 50_000, 30_000, 0, 0]
    assert [c.training_eur for c in cost.cash_flows] == [0, 600, 0, 0, 0]
    assert cost.jobs_at_full_ramp == 80


def test_table_rows_match_single_computations_and_are_read_only() -> None:
    terms = [
        OccupancyTerms(area_m2=3_000, rent_eur_m2_year=95, rent_free_months=12),
        OccupancyTerms(area_m2=2_800, rent_eur_m2_year=82, fit_out_contribution_eur=200_000),
    ]
    table = occupancy_cost_table(terms, seats=280, jobs_per_year=[300])
    assert len(table) == 2
    for index, item in enumerate(terms):
        single = occupancy_cost(item, seats=280, jobs_per_year=[300])
        assert table.row(index) == single
    with pytest.raises(ValueError):
        table.net_pv_eur[0] = 0.0
    reordered = table.take(np.array([1, 0]))
    assert reordered.row(0) == table.row(1)


def test_no_jobs_means_no_cost_per_job() -> None:
    cost = occupancy_cost(OccupancyTerms(area_m2=1, rent_eur_m2_year=1), seats=1, jobs_per_year=[0])
    assert cost.per_job_eur is None


@pytest.mark.parametrize(
    ("terms", "kwargs", "field"),
    [
        (OccupancyTerms(area_m2=0), {}, "area_m2"),
        (OccupancyTerms(area_m2=10, rent_eur_m2_year=-1), {}, "rent_eur_m2_year"),
        (OccupancyTerms(area_m2=10, rent_free_months=math.nan), {}, "rent_free_months"),
        (OccupancyTerms(area_m2=10, lump_sums=(LumpSum(10, -1),)), {}, "lump_sums.year"),
        (OccupancyTerms(area_m2=10), {"years": 0}, "years"),
        (OccupancyTerms(area_m2=10), {"discount_rate": 4}, "discount_rate"),
        (OccupancyTerms(area_m2=10), {"seats": 0}, "seats"),
        (OccupancyTerms(area_m2=10), {"jobs_per_year": []}, "jobs_per_year"),
        (OccupancyTerms(area_m2=10), {"hires_per_year": [-1]}, "hires_per_year"),
        (OccupancyTerms(area_m2=cast(Any, "big")), {}, "area_m2"),
    ],
)
def test_bad_input_names_the_field(terms: OccupancyTerms, kwargs: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {"seats": 10, "jobs_per_year": [10]} | kwargs
    with pytest.raises(CostInputError) as caught:
        occupancy_cost(terms, **arguments)
    assert caught.value.field == field
