"""The total cost of operation of an offer: people + occupancy + fit-out - the aid within its ceiling."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from guichet.data.payroll_tables import bundled_parameters
from guichet.engine.centre_cost import YearPlan, centre_year
from guichet.engine.operation_cost import OfferAid, OperationInput, operation_cost
from guichet.engine.payroll import Employer, employee_cost

D = Decimal
CENT = D("0.01")

# Two years at 10 %, 10 agents, 12 seats, 300 m² of fitted offices at 100 + 20 EUR/m²/year.
BASE = OperationInput(
    years=2,
    discount_rate=D("0.10"),
    opening=date(2026, 3, 1),
    seats=12,
    jobs_per_year=(D(10),),
    hires_per_year=(10, 2),
    area_m2=D(300),
    rent_eur_m2_year=D(100),
    charges_eur_m2_year=D(20),
    fit_out_state="offices",
    zone="c_predefined",
    size="small",
    aid=OfferAid(),
    mobility_pct=D("1.80"),
)


def _people_pv(data: OperationInput, employees: int) -> Decimal:
    table = bundled_parameters()
    total = D(0)
    for year in (1, 2):
        plan = YearPlan(year, D(10), data.hires_per_year[year - 1], 12, date(2025 + year, 3, 1))
        cost = centre_year(
            table, plan, firm_employees=employees, mobility_pct=D("1.80"), mobility_source="mobility:urssaf"
        )
        total += cost.total / D("1.1") ** year
    return total


def test_without_aid_the_total_is_people_occupancy_and_fit_out() -> None:
    result = operation_cost(bundled_parameters(), BASE)
    # occupancy: 300 m² x 120 EUR = 36,000 a year; PV = 36,000 / 1.1 + 36,000 / 1.21 = 62,479.34
    assert result.occupancy_pv_eur == D("62479.34")
    assert result.fit_out_pv_eur == D("45000.00")  # 300 m² x 150 EUR (fitted offices, house estimate)
    # a small firm's payroll: 11.4 people rounds up to 12, within "fewer than 50"
    people = _people_pv(BASE, 12)
    assert result.people_pv_eur == people.quantize(CENT)
    assert result.lawful_aid_pv_eur == 0
    total = people + D("62479.34") + D(45000)
    assert result.total_pv_eur == total.quantize(CENT)
    annuity = 1 / D("1.1") + 1 / D("1.21")
    assert result.total_year_eur == (total / annuity).quantize(CENT)
    assert result.per_seat_year_eur == (total / annuity / 12).quantize(CENT)
    assert result.people_share == (people / total).quantize(D("0.0001"))
    assert result.aid.status == "within"
    assert "size_not_known_large_assumed" not in result.notes


def test_an_offer_under_its_ceiling_subtracts_all_its_aid() -> None:
    data = replace(BASE, aid=OfferAid(fit_out_contribution_eur=D(20_000), subsidies_eur=D(5_000)))
    result = operation_cost(bundled_parameters(), data)
    regional = result.aid.checks[0]
    # small firm in a 'c' zone: 15 + 20 = 35 %; eligible costs: two years of wages of 10 jobs beat the
    # 45,000 + 62,479.34 of investment and lease
    assert regional.intensity_pct == 35
    assert regional.aid == D("25000.00")
    assert regional.status == "within"
    assert regional.ceiling == (regional.eligible_costs * D("0.35")).quantize(CENT)
    assert result.lawful_aid_pv_eur == D("25000.00")
    before = operation_cost(bundled_parameters(), BASE)
    assert result.total_pv_eur == before.total_pv_eur - D(25_000)


def test_an_offer_over_its_ceiling_subtracts_only_the_ceiling() -> None:
    data = replace(BASE, size="large", aid=OfferAid(subsidies_eur=D(500_000)))
    result = operation_cost(bundled_parameters(), data)
    regional = result.aid.checks[0]
    assert regional.intensity_pct == 15  # large firm in a 'c' zone
    wages = result.aid.checks[0].eligible_costs
    # a large firm's payroll counts 250 employees; eligible costs: two years of 10 agents' loaded cost
    agent = employee_cost(
        bundled_parameters(),
        on=date(2027, 3, 1),
        employer=Employer(250, None, D("1.80")),
        smic_multiple="1.05",
    )
    assert wages is not None and wages > 2 * 10 * agent.total  # agents plus the roles around them
    ceiling = (wages * D("0.15")).quantize(CENT)
    assert regional.ceiling == ceiling
    assert regional.excess == D(500_000) - ceiling
    assert result.aid.status == "excess"
    assert result.lawful_aid_pv_eur == ceiling
    assert "aid_over_ceiling" in result.notes


def test_a_large_firm_outside_the_regional_aid_map_gets_no_lawful_aid() -> None:
    # rent at 80 against a catalogue rent of 100: 20 EUR x 300 m² = 6,000 a year; one month rent-free in
    # year 1 (80 x 300 / 12 = 2,000 more): 8,000 / 1.1 + 6,000 / 1.21 = 12,231.40 of aid
    aid = OfferAid(catalogue_rent_eur_m2_year=D(100), rent_free_months=D(1))
    data = replace(BASE, zone="none", size="large", rent_eur_m2_year=D(80), aid=aid)
    result = operation_cost(bundled_parameters(), data)
    regional = result.aid.checks[0]
    assert regional.intensity_pct == 0 and regional.ceiling == 0
    assert regional.aid == D("12231.40")
    assert regional.excess == D("12231.40")
    assert result.lawful_aid_pv_eur == 0
    # the occupancy is counted at the catalogue's rent (100 + 20 EUR/m²), the rent below it being aid:
    # none of it lawful here, so the total is that of the catalogue's terms
    assert result.occupancy_pv_eur == D("62479.34")
    assert (
        result.total_pv_eur == operation_cost(bundled_parameters(), replace(BASE, size="large")).total_pv_eur
    )


def test_unknown_size_takes_the_strictest_ceiling_and_says_so() -> None:
    data = replace(BASE, size="", aid=OfferAid(subsidies_eur=D(1_000)))
    result = operation_cost(bundled_parameters(), data)
    assert result.size_used == "large"
    assert result.aid.checks[0].intensity_pct == 15
    assert "size_not_known_large_assumed" in result.notes


def test_aid_whose_ceiling_is_not_known_is_not_subtracted() -> None:
    data = replace(BASE, zone="unknown", aid=OfferAid(subsidies_eur=D(1_000)))
    result = operation_cost(bundled_parameters(), data)
    assert result.aid.status == "not_known"
    assert result.lawful_aid_pv_eur == 0
    assert "aid_ceiling_not_known" in result.notes


@pytest.mark.parametrize(("size", "employees"), [("medium", 50), ("large", 250), ("", 12)])
def test_the_payroll_headcount_follows_the_firm_size(size: str, employees: int) -> None:
    result = operation_cost(bundled_parameters(), replace(BASE, size=size))
    assert result.people_pv_eur == _people_pv(BASE, employees).quantize(CENT)
