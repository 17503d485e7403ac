"""The people around the agents and the centre's cost per seat, by year and at cruise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from guichet.data.payroll_tables import bundled_parameters
from guichet.engine.centre_cost import CentreAssumptions, YearPlan, centre_cost, headcount
from guichet.engine.payroll import Employer, employee_cost

D = Decimal
ON = date(2026, 3, 1)


def test_headcount_from_the_default_ratios() -> None:
    counts = headcount(D(100), CentreAssumptions().roles)
    assert counts == {
        "agent": D(100),
        "team_leader": D("7.00"),
        "support": D("5.00"),
        "management": D("2.00"),
    }


def test_year_cost_is_each_role_at_its_loaded_cost_plus_hiring() -> None:
    table = bundled_parameters()
    plan = YearPlan(2026, D(100), 40, 80, ON)
    result = centre_cost(table, [plan], plan)
    year = result.years[0]
    assert year.firm_employees == 114  # 100 + 7 + 5 + 2
    agent = employee_cost(table, on=ON, employer=Employer(114), smic_multiple="1.05")
    assert year.roles[0].cost_per_fte == agent.total
    assert year.roles[0].total == agent.total * 100
    assert year.hiring == D("160000.00")  # 40 hires x (3,100 training + 900 recruitment)
    assert year.total == year.people + year.hiring
    assert year.per_seat == (year.total / 80).quantize(D("0.01"))
    assert result.cruise == year


def test_ramp_up_years_differ_by_headcount_and_hires() -> None:
    table = bundled_parameters()
    ramp = [YearPlan(2026, D(50), 60, 60, ON), YearPlan(2026, D(100), 70, 60, ON)]
    result = centre_cost(table, ramp, ramp[-1], firm_employees=500)
    assert [year.hires for year in result.years] == [60, 70]
    assert result.years[0].total < result.years[1].total
    assert {year.firm_employees for year in result.years} == {500}
