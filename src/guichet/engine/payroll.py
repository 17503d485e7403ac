"""The yearly loaded cost of a full-time employee in a French contact centre (private employer, régime
général), from a dated table of legal parameters.

Plain values in, frozen dataclasses out; no I/O (the table is read by ``guichet.data.payroll_tables``).
Every amount is a :class:`~decimal.Decimal`; the law rounds the relief's coefficient to four decimals
(Code de la sécurité sociale art. D. 241-7) and amounts are rounded to the cent, half up, as a payslip is.

The year is costed at the parameters in force on one reference date (``on``): twelve months at that date's
SMIC, ceiling and rates. A year that straddles a revaluation is the employer's to regularise; a caller
that wants each part of the year at its own rates costs each part at its own date. Docs: docs/costs.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")
HUNDRED = Decimal(100)
MONTHS = 12


class PayrollError(ValueError):
    """A value the computation refuses; ``field`` names it as the caller sent it."""

    def __init__(self, field: str, message: str, *, code: str = "invalid") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Parameter:
    """One value of one legal parameter, from the date it takes effect, with the text that sets it."""

    key: str
    effective_from: date
    value: Decimal
    unit: str
    reference: str
    source_url: str = ""
    note: str = ""


@dataclass(frozen=True)
class ParameterTable:
    """Every dated value; a later year is one more row."""

    rows: tuple[Parameter, ...]

    def at(self, key: str, on: date) -> Parameter:
        """The value of ``key`` in force on ``on``: the row with the latest date not after it."""
        best: Parameter | None = None
        for row in self.rows:
            later = best is None or row.effective_from > best.effective_from
            if row.key == key and row.effective_from <= on and later:
                best = row
        if best is None:
            raise PayrollError("on", f"no value of {key} in force on {on.isoformat()}", code="no_parameter")
        return best

    def keys(self) -> set[str]:
        return {row.key for row in self.rows}


@dataclass(frozen=True)
class Employer:
    """What the rates depend on: the firm's headcount (all establishments), the establishment's AT/MP rate
    when notified, and the mobility levy of the site's transport authority when known."""

    employees: int
    work_injury_pct: Decimal | None = None
    mobility_pct: Decimal | None = None
    mobility_source: str = ""


@dataclass(frozen=True)
class CostLine:
    """One part of the loaded cost: ``code`` the contribution, ``family`` its group, ``base`` and ``rate_pct``
    what it is computed on, ``amount`` for the year (negative for the relief), ``sources`` the parameter
    keys (with their effective date) it comes from."""

    code: str
    family: str
    base: Decimal
    rate_pct: Decimal
    amount: Decimal
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Relief:
    """The réduction générale dégressive unique: its coefficient and the values it was computed from."""

    applies: bool
    coefficient: Decimal
    t_min: Decimal
    t_delta: Decimal
    exponent: Decimal
    annual_smic: Decimal
    ceiling_smic: Decimal
    amount: Decimal
    reason: str  # "applies", "at_or_above_ceiling", "capped_by_contributions"


@dataclass(frozen=True)
class EmployeeCost:
    on: date
    employees: int
    executive: bool
    gross_monthly: Decimal
    gross_annual: Decimal
    smic_multiple: Decimal
    smic_hourly: Decimal
    smic_monthly: Decimal
    ceiling_monthly: Decimal
    lines: tuple[CostLine, ...]
    relief: Relief
    contributions: Decimal  # employer social contributions before the relief
    other_charges: Decimal  # training, apprenticeship, social dialogue, construction, mobility
    total: Decimal  # gross + contributions - relief + other charges
    mobility_known: bool
    notes: tuple[str, ...]

    @property
    def employer_charges(self) -> Decimal:
        return self.total - self.gross_annual

    def family_totals(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.family] = totals.get(line.family, Decimal(0)) + line.amount
        return totals


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _dec(value: object, field: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except ArithmeticError as error:
        raise PayrollError(field, "not a number") from error
    if not result.is_finite():
        raise PayrollError(field, "not a finite number")
    return result


def annual_smic(table: ParameterTable, on: date) -> Decimal:
    """The SMIC for a year on the legal working time (D. 241-7): the hourly SMIC times 1,820 hours."""
    return table.at("smic_hourly", on).value * table.at("legal_hours_year", on).value


def relief_smic_key(table: ParameterTable, on: date) -> str:
    """The key of the hourly SMIC the relief is computed on. A revaluation during the year does not always
    reach the relief: for 2026 the SMIC of 1 January (12.02 EUR) stays its reference after the June one
    (décret du 12 juin 2026). ``rgdu_smic_hourly`` holds that reference for each year it was fixed apart;
    a year without such a row follows the SMIC in force."""
    try:
        fixed = table.at("rgdu_smic_hourly", on)
    except PayrollError:
        return "smic_hourly"
    return "rgdu_smic_hourly" if fixed.effective_from.year == on.year else "smic_hourly"


def relief_annual_smic(table: ParameterTable, on: date) -> Decimal:
    """The annual SMIC of the relief's formula and of its three-SMIC ceiling (L. 241-13, D. 241-7)."""
    return table.at(relief_smic_key(table, on), on).value * table.at("legal_hours_year", on).value


def rgdu_coefficient(
    *, annual_gross: Decimal, annual_smic_amount: Decimal, t_min: Decimal, t_delta: Decimal, exponent: Decimal
) -> Decimal:
    """The relief's coefficient, exactly as D. 241-7 I writes it (2026):

    C = Tmin + Tdelta x [(1/2) x (3 x SMIC / wage - 1)] ^ P, at most Tmin + Tdelta, rounded to four decimals.

    The wage ceiling (no relief at three SMIC or more) is the caller's (:func:`rgdu`); a wage below the SMIC
    gives the maximum, Tmin + Tdelta."""
    if annual_gross <= 0:
        raise PayrollError("gross", "must be positive")
    with localcontext() as context:
        context.prec = 34
        inner = (Decimal(3) * annual_smic_amount / annual_gross - 1) / 2
        value = t_min if inner <= 0 else t_min + t_delta * inner**exponent
        value = min(value, t_min + t_delta)
    return value.quantize(TEN_THOUSANDTH, rounding=ROUND_HALF_UP)


def rgdu(
    table: ParameterTable, *, on: date, annual_gross: Decimal, employees: int, in_scope: Decimal
) -> Relief:
    """The relief for a year's gross wage: none at three SMIC or more (L. 241-13); otherwise the gross times
    the coefficient, never more than the contributions it is deducted from (``in_scope``)."""
    t_min = table.at("rgdu_tmin", on).value
    t_delta = table.at("rgdu_tdelta_under_50" if employees < 50 else "rgdu_tdelta_50_plus", on).value
    exponent = table.at("rgdu_exponent", on).value
    ceiling = table.at("rgdu_ceiling_smic", on).value
    smic_year = relief_annual_smic(table, on)
    if annual_gross >= ceiling * smic_year:
        return Relief(
            False,
            Decimal("0.0000"),
            t_min,
            t_delta,
            exponent,
            smic_year,
            ceiling,
            Decimal("0.00"),
            "at_or_above_ceiling",
        )
    coefficient = rgdu_coefficient(
        annual_gross=annual_gross,
        annual_smic_amount=smic_year,
        t_min=t_min,
        t_delta=t_delta,
        exponent=exponent,
    )
    amount = _money(annual_gross * coefficient)
    reason = "applies"
    if amount > in_scope:
        amount, reason = in_scope, "capped_by_contributions"
    return Relief(True, coefficient, t_min, t_delta, exponent, smic_year, ceiling, amount, reason)


# The contributions the relief is deducted from (L. 241-13 I and D. 241-7): URSSAF's, the AT/MP fraction
# within Tmin + Tdelta, unemployment insurance and the Agirc-Arrco tranche 1 (with CEG).
RELIEF_SCOPE = (
    "health",
    "old_age_capped",
    "old_age_uncapped",
    "family",
    "work_injury",
    "autonomy",
    "housing_under_50",
    "housing_50_plus",
    "unemployment",
    "pension_t1",
    "pension_balance_t1",
)


@dataclass(frozen=True)
class _Bases:
    gross: Decimal
    tranche_1: Decimal  # up to the ceiling
    tranche_2: Decimal  # from one to eight ceilings
    four_ceilings: Decimal  # up to four ceilings
    eight_ceilings: Decimal  # up to eight ceilings


def _bases(gross: Decimal, ceiling_year: Decimal) -> _Bases:
    return _Bases(
        gross=gross,
        tranche_1=min(gross, ceiling_year),
        tranche_2=max(Decimal(0), min(gross, 8 * ceiling_year) - ceiling_year),
        four_ceilings=min(gross, 4 * ceiling_year),
        eight_ceilings=min(gross, 8 * ceiling_year),
    )


def _line(
    table: ParameterTable, on: date, code: str, family: str, base: Decimal, key: str | None = None
) -> CostLine:
    parameter = table.at(key or code, on)
    amount = _money(base * parameter.value / HUNDRED)
    return CostLine(code, family, base, parameter.value, amount, (_source(parameter),))


def _source(parameter: Parameter) -> str:
    return f"{parameter.key}@{parameter.effective_from.isoformat()}"


def _social_lines(
    table: ParameterTable, on: date, bases: _Bases, employer: Employer, executive: bool
) -> list[CostLine]:
    lines = [
        _line(table, on, "health", "health", bases.gross),
        _line(table, on, "old_age_capped", "old_age", bases.tranche_1),
        _line(table, on, "old_age_uncapped", "old_age", bases.gross),
        _line(table, on, "family", "family", bases.gross),
    ]
    if employer.work_injury_pct is None:
        lines.append(_line(table, on, "work_injury", "work_injury", bases.gross))
    else:
        amount = _money(bases.gross * employer.work_injury_pct / HUNDRED)
        lines.append(
            CostLine(
                "work_injury",
                "work_injury",
                bases.gross,
                employer.work_injury_pct,
                amount,
                ("work_injury:notified",),
            )
        )
    lines.append(_line(table, on, "autonomy", "autonomy", bases.gross))
    if employer.employees < 50:
        lines.append(_line(table, on, "housing_under_50", "housing", bases.tranche_1))
    else:
        lines.append(_line(table, on, "housing_50_plus", "housing", bases.gross))
    lines += [
        _line(table, on, "unemployment", "unemployment", bases.four_ceilings),
        _line(table, on, "wage_guarantee", "unemployment", bases.four_ceilings),
        _line(table, on, "pension_t1", "supplementary_pension", bases.tranche_1),
        _line(table, on, "pension_t2", "supplementary_pension", bases.tranche_2),
        _line(table, on, "pension_balance_t1", "supplementary_pension", bases.tranche_1),
        _line(table, on, "pension_balance_t2", "supplementary_pension", bases.tranche_2),
    ]
    if bases.tranche_2 > 0:
        lines.append(_line(table, on, "pension_technical", "supplementary_pension", bases.eight_ceilings))
    if executive:
        lines.append(_line(table, on, "executive_insurance", "executive", bases.tranche_1))
        lines.append(_line(table, on, "executive_employment", "executive", bases.four_ceilings))
    return lines


def _other_lines(table: ParameterTable, on: date, bases: _Bases, employer: Employer) -> list[CostLine]:
    employees = employer.employees
    lines = [
        _line(
            table,
            on,
            "training",
            "training",
            bases.gross,
            "training_under_11" if employees < 11 else "training_11_plus",
        ),
        _line(table, on, "apprenticeship_tax", "apprenticeship", bases.gross),
        _line(table, on, "apprenticeship_balance", "apprenticeship", bases.gross),
    ]
    if employees >= 250:
        lines.append(_line(table, on, "apprenticeship_extra_250_plus", "apprenticeship", bases.gross))
    lines.append(_line(table, on, "social_dialogue", "social_dialogue", bases.gross))
    if employees >= 50:
        lines.append(_line(table, on, "construction_effort_50_plus", "construction", bases.gross))
    threshold = table.at("mobility_threshold", on)
    if employees >= threshold.value and employer.mobility_pct is not None:
        amount = _money(bases.gross * employer.mobility_pct / HUNDRED)
        source = employer.mobility_source or "mobility:given"
        lines.append(
            CostLine(
                "mobility",
                "mobility",
                bases.gross,
                employer.mobility_pct,
                amount,
                (source, _source(threshold)),
            )
        )
    return lines


def employee_cost(
    table: ParameterTable,
    *,
    on: date,
    employer: Employer,
    smic_multiple: Decimal | float | str | None = None,
    gross_monthly: Decimal | float | str | None = None,
    executive: bool = False,
) -> EmployeeCost:
    """The yearly loaded cost of one full-time employee: gross, each contribution, the relief, the other
    charges, each line with the parameters it comes from. Give the wage as a multiple of the SMIC (of the
    legal working time, so 1.0 is 1,820 hours at the hourly SMIC) or as a gross monthly amount."""
    if (smic_multiple is None) == (gross_monthly is None):
        raise PayrollError("gross", "give either smic_multiple or gross_monthly", code="required")
    if employer.employees < 1:
        raise PayrollError("employees", "must be at least 1")
    smic_year = annual_smic(table, on)
    if smic_multiple is not None:
        multiple = _dec(smic_multiple, "smic_multiple")
        if multiple <= 0:
            raise PayrollError("smic_multiple", "must be positive")
        annual_gross = _money(smic_year * multiple)
    else:
        monthly = _dec(gross_monthly, "gross_monthly")
        if monthly <= 0:
            raise PayrollError("gross_monthly", "must be positive")
        annual_gross = _money(monthly * MONTHS)
        multiple = (annual_gross / smic_year).quantize(TEN_THOUSANDTH, rounding=ROUND_HALF_UP)
    ceiling = table.at("pss_monthly", on).value
    bases = _bases(annual_gross, ceiling * MONTHS)
    social = _social_lines(table, on, bases, employer, executive)
    in_scope = sum((line.amount for line in social if line.code in RELIEF_SCOPE), Decimal(0))
    relief = rgdu(table, on=on, annual_gross=annual_gross, employees=employer.employees, in_scope=in_scope)
    relief_line = CostLine(
        "relief",
        "relief",
        annual_gross,
        relief.coefficient * HUNDRED,
        -relief.amount,
        tuple(
            _source(table.at(key, on)) for key in _relief_keys(employer.employees, relief_smic_key(table, on))
        ),
    )
    other = _other_lines(table, on, bases, employer)
    contributions = sum((line.amount for line in social), Decimal(0))
    other_total = sum((line.amount for line in other), Decimal(0))
    notes = _notes(table, on, employer)
    return EmployeeCost(
        on=on,
        employees=employer.employees,
        executive=executive,
        gross_monthly=_money(annual_gross / MONTHS),
        gross_annual=annual_gross,
        smic_multiple=multiple,
        smic_hourly=table.at("smic_hourly", on).value,
        smic_monthly=table.at("smic_monthly", on).value,
        ceiling_monthly=ceiling,
        lines=(*social, relief_line, *other),
        relief=relief,
        contributions=contributions,
        other_charges=other_total,
        total=annual_gross + contributions - relief.amount + other_total,
        mobility_known=employer.mobility_pct is not None,
        notes=notes,
    )


def _relief_keys(employees: int, smic_key: str) -> tuple[str, ...]:
    delta = "rgdu_tdelta_under_50" if employees < 50 else "rgdu_tdelta_50_plus"
    return ("rgdu_tmin", delta, "rgdu_exponent", "rgdu_ceiling_smic", smic_key)


def _notes(table: ParameterTable, on: date, employer: Employer) -> tuple[str, ...]:
    notes = []
    if table.at("smic_hourly", on).effective_from.year < on.year:
        notes.append("rates_carried_forward")
    if employer.work_injury_pct is None:
        notes.append("work_injury_national_average")
    threshold = table.at("mobility_threshold", on).value
    if employer.employees >= threshold and employer.mobility_pct is None:
        notes.append("mobility_not_known")
    if employer.employees >= 250:
        notes.append("apprenticeship_extra_assumed_under_1pct")
    return tuple(notes)


def parameters_used(table: ParameterTable, cost: EmployeeCost) -> list[Parameter]:
    """The table rows a cost's lines name, each once, in the order first named (for the sources list)."""
    named = [source for line in cost.lines for source in line.sources if "@" in source]
    # The SMIC of the date is always shown (the wage is a multiple of it), whichever SMIC the relief used.
    always = ["smic_hourly", "smic_monthly", "pss_monthly", "legal_hours_year"]
    keys = [source.split("@", 1)[0] for source in named] + always
    seen: dict[str, Parameter] = {}
    for key in keys:
        seen.setdefault(key, table.at(key, cost.on))
    return list(seen.values())


def table_from_rows(rows: Sequence[Parameter]) -> ParameterTable:
    return ParameterTable(tuple(rows))
