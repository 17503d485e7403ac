"""The loaded cost of a full-time employee, against costs computed by hand from the legal parameters.

Sources of the parameters used by hand below (2026, metropolitan France, private employer, régime général):
- SMIC 12.02 EUR an hour from 1 January 2026 (décret n° 2025-1228, art. 1); 12.31 EUR from 1 June 2026
  (arrêté du 22 mai 2026). The SMIC for a year: 1,820 hours (D. 241-7 CSS, 35 hours x 52 weeks).
- Plafond de la sécurité sociale 2026: 4,005 EUR a month.
- Employer rates: maladie 13 % (D. 242-3), vieillesse plafonnée 8.55 % and déplafonnée 2.11 % (D. 242-4),
  allocations familiales 5.25 % (D. 241-3-1), AT/MP 2.08 % (national average, arrêté du 30 décembre 2025,
  art. 2), CSA 0.30 % (L. 14-10-4 CASF), FNAL 0.10 % up to the ceiling under 50 employees, 0.50 % on the
  whole wage from 50 (L. 834-1 CSS), chômage 4.00 % and AGS 0.25 % up to 4 ceilings, Agirc-Arrco 4.72 % /
  12.95 % and CEG 1.29 % / 1.62 % on tranches 1 / 2, CET 0.21 % above the ceiling (ANI 17 November 2017).
- Other charges: formation professionnelle 1 % from 11 employees (L. 6331-3 C. trav.), taxe
  d'apprentissage 0.59 % + 0.09 % (L. 6241-1), dialogue social 0.016 % (L. 2135-10), PEEC 0.45 % from 50
  (L. 313-1 CCH).
- Relief (RGDU, D. 241-7 I as written by décrets n° 2025-887 and 2025-1446): C = Tmin + Tdelta x
  [(1/2)(3 x SMIC/wage - 1)]^1.75, Tmin 0.0200, Tdelta 0.3781 (under 50) or 0.3821 (50 or more), rounded to
  four decimals; nothing from three SMIC (L. 241-13).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from guichet.data.payroll_tables import bundled_parameters
from guichet.engine.payroll import Employer, PayrollError, employee_cost, rgdu_coefficient

D = Decimal
ON = date(2026, 3, 1)
SMIC_YEAR = D("12.02") * 1820  # 21,876.40
PSS_YEAR = D(4005) * 12  # 48,060


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def by_hand(multiple: str, employees: int) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(gross, contributions, coefficient, total) for a year at ``multiple`` SMIC, 2026 rates."""
    gross = cents(SMIC_YEAR * D(multiple))
    t1 = min(gross, PSS_YEAR)
    t2 = max(D(0), min(gross, 8 * PSS_YEAR) - PSS_YEAR)
    four = min(gross, 4 * PSS_YEAR)
    parts = [
        gross * D("13.00"),
        t1 * D("8.55"),
        gross * D("2.11"),
        gross * D("5.25"),
        gross * D("2.08"),
        gross * D("0.30"),
        t1 * D("0.10") if employees < 50 else gross * D("0.50"),
        four * D("4.00"),
        four * D("0.25"),
        t1 * D("4.72"),
        t2 * D("12.95"),
        t1 * D("1.29"),
        t2 * D("1.62"),
    ]
    if gross > PSS_YEAR:
        parts.append(min(gross, 8 * PSS_YEAR) * D("0.21"))
    contributions = sum((cents(part / 100) for part in parts), D(0))
    delta = D("0.3781") if employees < 50 else D("0.3821")
    if gross >= 3 * SMIC_YEAR:
        coefficient = D(0)
    else:
        inner = (3 * SMIC_YEAR / gross - 1) / 2
        coefficient = min(D("0.02") + delta * inner ** D("1.75"), D("0.02") + delta).quantize(
            D("0.0001"), rounding=ROUND_HALF_UP
        )
    relief = cents(gross * coefficient)
    other = [gross * D("1.00"), gross * D("0.59"), gross * D("0.09"), gross * D("0.016")]
    if employees >= 50:
        other.append(gross * D("0.45"))
    other_total = sum((cents(part / 100) for part in other), D(0))
    return gross, contributions, coefficient, gross + contributions - relief + other_total


# Each case's total, computed by hand with the parameters above (and checked by `by_hand`).
CASES = [
    ("1.0", 20, D("21876.40"), D("0.3981"), D("22649.96")),
    ("1.0", 100, D("21876.40"), D("0.4021"), D("22748.39")),
    ("1.2", 20, D("26251.68"), D("0.2485"), D("31107.20")),
    ("1.2", 100, D("26251.68"), D("0.2510"), D("31264.71")),
    ("1.6", 20, D("35002.24"), D("0.1090"), D("46359.08")),
    ("1.6", 100, D("35002.24"), D("0.1099"), D("46625.09")),
    ("3.0", 20, D("65629.20"), D("0"), D("94198.84")),
    ("3.0", 100, D("65629.20"), D("0"), D("94774.26")),
]


@pytest.mark.parametrize(("multiple", "employees", "gross", "coefficient", "total"), CASES)
def test_loaded_cost_reference_cases(
    multiple: str, employees: int, gross: Decimal, coefficient: Decimal, total: Decimal
) -> None:
    cost = employee_cost(bundled_parameters(), on=ON, employer=Employer(employees), smic_multiple=multiple)
    hand_gross, hand_contributions, hand_coefficient, hand_total = by_hand(multiple, employees)
    assert (cost.gross_annual, cost.relief.coefficient, cost.total) == (gross, coefficient, total)
    assert (hand_gross, hand_coefficient, hand_total) == (gross, coefficient, total)
    assert cost.contributions == hand_contributions
    assert cost.total == cost.gross_annual + cost.contributions - cost.relief.amount + cost.other_charges


def test_at_the_smic_the_relief_is_tmin_plus_tdelta_of_the_gross() -> None:
    cost = employee_cost(bundled_parameters(), on=ON, employer=Employer(20), smic_multiple="1")
    assert cost.relief.coefficient == D("0.3981")
    assert cost.relief.amount == D("8708.99")  # 21,876.40 x 0.3981
    assert cost.relief.reason == "applies"


def test_relief_coefficient_at_its_legal_boundaries() -> None:
    table = bundled_parameters()
    smic = SMIC_YEAR
    values = dict(t_min=D("0.0200"), t_delta=D("0.3781"), exponent=D("1.75"), annual_smic_amount=smic)
    # At the SMIC the bracket is 1: the maximum, Tmin + Tdelta.
    assert rgdu_coefficient(annual_gross=smic, **values) == D("0.3981")
    # Below the SMIC (a part-time wage on a full-time SMIC) it never exceeds the maximum.
    assert rgdu_coefficient(annual_gross=smic / 2, **values) == D("0.3981")
    # Just below three SMIC the bracket tends to 0: Tmin.
    assert rgdu_coefficient(annual_gross=3 * smic - D("0.01"), **values) == D("0.0200")
    # At three SMIC, nothing: the relief is for wages below three SMIC (L. 241-13).
    at_three = employee_cost(table, on=ON, employer=Employer(20), gross_monthly=3 * smic / 12)
    assert (at_three.relief.applies, at_three.relief.amount) == (False, D("0.00"))
    assert at_three.relief.reason == "at_or_above_ceiling"
    just_below = employee_cost(table, on=ON, employer=Employer(20), gross_monthly=D("5469.09"))
    assert just_below.relief.applies is True
    assert just_below.relief.coefficient == D("0.0200")
    # 2 SMIC by hand: 0.02 + 0.3781 x 0.25^1.75 = 0.02 + 0.3781 x 0.0883883... = 0.053420 -> 0.0534
    assert rgdu_coefficient(annual_gross=2 * smic, **values) == D("0.0534")


def test_each_smic_value_applies_from_its_own_date() -> None:
    table = bundled_parameters()
    january = employee_cost(table, on=date(2026, 5, 31), employer=Employer(20), smic_multiple="1")
    june = employee_cost(table, on=date(2026, 6, 1), employer=Employer(20), smic_multiple="1")
    assert (january.smic_hourly, january.smic_monthly, january.gross_annual) == (
        D("12.02"),
        D("1823.03"),
        D("21876.40"),
    )
    assert (june.smic_hourly, june.smic_monthly, june.gross_annual) == (
        D("12.31"),
        D("1867.02"),
        D("22404.20"),
    )
    # The relief keeps the SMIC of 1 January as its reference all 2026 (décret du 12 juin 2026): at the June
    # SMIC, a wage of 1 SMIC is 22,404.20 / 21,876.40 = 1.0241 relief SMIC, no longer the maximum.
    relief = next(line for line in june.lines if line.code == "relief")
    assert "rgdu_smic_hourly@2026-01-01" in relief.sources and "smic_hourly@2026-06-01" not in relief.sources
    assert june.relief.annual_smic == D("21876.40") == january.relief.annual_smic
    inner = (3 * 21876.40 / 22404.20 - 1) / 2  # 0.96466...
    by_hand = D(repr(0.02 + 0.3781 * inner**1.75)).quantize(D("0.0001"))  # fewer than 50 employees
    assert by_hand == D("0.3750") == june.relief.coefficient < january.relief.coefficient == D("0.3981")
    assert june.relief.amount == D("8401.58")  # 22,404.20 x 0.3750, half up


def test_a_year_without_its_own_relief_smic_follows_the_smic_in_force() -> None:
    """2027 has no row of its own yet: its relief follows the SMIC carried forward, not 2026's reference."""
    cost = employee_cost(bundled_parameters(), on=date(2027, 3, 1), employer=Employer(20), smic_multiple="1")
    assert cost.relief.annual_smic == D("22404.20") and cost.relief.coefficient == D("0.3981")


def test_a_year_after_the_table_carries_the_last_values_and_says_so() -> None:
    cost = employee_cost(bundled_parameters(), on=date(2028, 1, 1), employer=Employer(20), smic_multiple="1")
    assert cost.smic_hourly == D("12.31")
    assert "rates_carried_forward" in cost.notes


def test_mobility_levy_from_eleven_employees_and_known_or_not() -> None:
    table = bundled_parameters()
    known = employee_cost(table, on=ON, employer=Employer(20, mobility_pct=D("1.80")), smic_multiple="1")
    line = next(line for line in known.lines if line.code == "mobility")
    assert line.amount == D("393.78")  # 21,876.40 x 1.80 %
    small = employee_cost(table, on=ON, employer=Employer(10, mobility_pct=D("1.80")), smic_multiple="1")
    assert not any(line.code == "mobility" for line in small.lines)
    unknown = employee_cost(table, on=ON, employer=Employer(20), smic_multiple="1")
    assert "mobility_not_known" in unknown.notes and not unknown.mobility_known


def test_executive_adds_prevoyance_and_apec_and_the_cet_above_the_ceiling() -> None:
    cost = employee_cost(
        bundled_parameters(), on=ON, employer=Employer(100), gross_monthly="5000", executive=True
    )
    codes = {line.code: line.amount for line in cost.lines}
    assert codes["executive_insurance"] == D("720.90")  # 1.50 % of 48,060
    assert codes["executive_employment"] == D("21.60")  # 0.036 % of 60,000
    assert codes["pension_technical"] == D("126.00")  # 0.21 % of 60,000
    assert codes["pension_t2"] == D("1546.23")  # 12.95 % of 11,940


def test_refused_inputs_name_their_field() -> None:
    table = bundled_parameters()
    with pytest.raises(PayrollError) as both:
        employee_cost(table, on=ON, employer=Employer(20), smic_multiple="1", gross_monthly="2000")
    assert both.value.field == "gross"
    with pytest.raises(PayrollError) as negative:
        employee_cost(table, on=ON, employer=Employer(20), gross_monthly="-1")
    assert negative.value.field == "gross_monthly"
    with pytest.raises(PayrollError) as early:
        employee_cost(table, on=date(2020, 1, 1), employer=Employer(20), smic_multiple="1")
    assert early.value.code == "no_parameter"
