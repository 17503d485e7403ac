"""One request object for a cost computation, built alike by the API (``POST /api/costs``) and the command
line (``guichet cost``), and its result as one JSON-ready object (amounts as decimal strings).

Two kinds of request: one full-time employee (a wage as a multiple of the SMIC or a gross monthly amount),
or a centre (agent FTE, hires and seats by year, from a sizing, plus the roles around the agents). Defaults
are defined here once; every parameter used is listed with its legal reference in ``sources``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from guichet.engine import centre_cost as cc
from guichet.engine.payroll import (
    EmployeeCost,
    Employer,
    ParameterTable,
    PayrollError,
    employee_cost,
    parameters_used,
)

DEFAULT_EMPLOYEES = 250
DEFAULT_SMIC_MULTIPLE = Decimal(1)


@dataclass(frozen=True)
class MobilityRate:
    """A transport authority's levy, as the caller knows it (plain values)."""

    rate_pct: Decimal
    authority: str
    source: str
    vintage: str


@dataclass(frozen=True)
class YearIn:
    year: int
    agent_fte: Decimal
    hires: int
    seats: int


@dataclass(frozen=True)
class CostRequest:
    on: date
    employees: int | None = None  # the firm's headcount; default: the centre's, or DEFAULT_EMPLOYEES
    smic_multiple: Decimal | None = None
    gross_monthly: Decimal | None = None
    executive: bool = False
    work_injury_pct: Decimal | None = None
    mobility_pct: Decimal | None = None
    commune: str = ""
    years: tuple[YearIn, ...] = ()
    cruise: YearIn | None = None
    assumptions: cc.CentreAssumptions = field(default_factory=cc.CentreAssumptions)


# Bounds no real request reaches, so that a typo is refused rather than computed.
LIMITS = {
    "smic_multiple": Decimal(100),
    "gross_monthly": Decimal(10_000_000),
    "agent_fte": Decimal(1_000_000),
    "per_agent": Decimal(10),
    "pct": Decimal(100),
    "per_hire": Decimal(1_000_000),
}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _limit(name: str) -> Decimal:
    for suffix, limit in LIMITS.items():
        if name.endswith(suffix):
            return limit
    return Decimal(1_000_000_000)


def _decimal(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value))
    except ArithmeticError:
        raise PayrollError(name, "not a number") from None
    if not result.is_finite() or result < 0:
        raise PayrollError(name, "must be a positive number")
    if result > _limit(name):
        raise PayrollError(name, f"at most {_limit(name)}")
    return result


def _year(item: Mapping[str, Any], name: str, on: date) -> YearIn:
    try:
        year = int(item.get("year") or on.year)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PayrollError(f"{name}.year", f"between {FIRST_YEAR} and {LAST_YEAR}")
        hires, seats = int(item.get("hires") or 0), int(item.get("seats") or 0)
        for field_name, number in (("hires", hires), ("seats", seats)):
            if not 0 <= number <= 10_000_000:
                raise PayrollError(f"{name}.{field_name}", "between 0 and 10,000,000")
        return YearIn(
            year=year,
            agent_fte=_decimal(item.get("agent_fte"), f"{name}.agent_fte") or Decimal(0),
            hires=hires,
            seats=seats,
        )
    except (TypeError, ValueError):
        raise PayrollError(name, "year, agent_fte, hires and seats must be numbers") from None


def _roles(values: Mapping[str, Any]) -> cc.CentreAssumptions:
    base = cc.CentreAssumptions()
    roles = []
    for role in base.roles:
        ratio = _decimal(values.get(f"{role.code}_per_agent"), f"{role.code}_per_agent")
        wage = _decimal(values.get(f"{role.code}_smic_multiple"), f"{role.code}_smic_multiple")
        roles.append(
            replace(
                role,
                per_agent=role.per_agent if ratio is None else ratio,
                ratio_source=role.ratio_source if ratio is None else "given",
                smic_multiple=role.smic_multiple if wage is None else wage,
                wage_source=role.wage_source if wage is None else "given",
            )
        )
    agent_wage = _decimal(values.get("agent_smic_multiple"), "agent_smic_multiple")
    training = _decimal(values.get("training_per_hire"), "training_per_hire")
    recruitment = _decimal(values.get("recruitment_per_hire"), "recruitment_per_hire")
    agent = (
        base.agent
        if agent_wage is None
        else replace(base.agent, smic_multiple=agent_wage, wage_source="given")
    )
    return cc.CentreAssumptions(
        agent=agent,
        roles=tuple(roles),
        training_per_hire=base.training_per_hire if training is None else training,
        training_source=base.training_source if training is None else "given",
        recruitment_per_hire=base.recruitment_per_hire if recruitment is None else recruitment,
        recruitment_source=base.recruitment_source if recruitment is None else "given",
    )


def build_request(values: Mapping[str, Any], *, today: date) -> CostRequest:
    """The request from named plain values (the API's JSON body, the command line's options)."""
    raw_on = values.get("on")
    try:
        on = date.fromisoformat(str(raw_on)) if raw_on else today
    except ValueError:
        raise PayrollError("on", "a date as YYYY-MM-DD") from None
    employees = values.get("employees")
    if employees is not None and (not isinstance(employees, int) or employees < 1):
        raise PayrollError("employees", "a whole number of at least 1")
    years = tuple(_year(item, f"years.{index}", on) for index, item in enumerate(values.get("years") or []))
    cruise_raw = values.get("cruise")
    cruise = _year(cruise_raw, "cruise", on) if cruise_raw else (years[-1] if years else None)
    smic_multiple = _decimal(values.get("smic_multiple"), "smic_multiple")
    gross_monthly = _decimal(values.get("gross_monthly"), "gross_monthly")
    if smic_multiple is not None and gross_monthly is not None:
        raise PayrollError("gross_monthly", "give smic_multiple or gross_monthly, not both")
    if smic_multiple is None and gross_monthly is None:
        smic_multiple = DEFAULT_SMIC_MULTIPLE
    return CostRequest(
        on=on,
        employees=employees,
        smic_multiple=smic_multiple,
        gross_monthly=gross_monthly,
        executive=bool(values.get("executive", False)),
        work_injury_pct=_decimal(values.get("work_injury_pct"), "work_injury_pct"),
        mobility_pct=_decimal(values.get("mobility_pct"), "mobility_pct"),
        commune=str(values.get("commune") or ""),
        years=years,
        cruise=cruise,
        assumptions=_roles(values),
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _employee_dict(cost: EmployeeCost) -> dict[str, Any]:
    return {
        "on": cost.on.isoformat(),
        "employees": cost.employees,
        "executive": cost.executive,
        "smic_multiple": str(cost.smic_multiple),
        "gross_monthly": str(cost.gross_monthly),
        "gross_annual": str(cost.gross_annual),
        "smic_hourly": str(cost.smic_hourly),
        "smic_monthly": str(cost.smic_monthly),
        "social_security_ceiling_monthly": str(cost.ceiling_monthly),
        "contributions": str(cost.contributions),
        "relief": {
            "applies": cost.relief.applies,
            "coefficient": str(cost.relief.coefficient),
            "t_min": str(cost.relief.t_min),
            "t_delta": str(cost.relief.t_delta),
            "exponent": str(cost.relief.exponent),
            "annual_smic": str(cost.relief.annual_smic),
            "amount": str(cost.relief.amount),
            "reason": cost.relief.reason,
        },
        "other_charges": str(cost.other_charges),
        "employer_charges": str(cost.employer_charges),
        "total": str(cost.total),
        "lines": [
            {
                "code": line.code,
                "family": line.family,
                "base": str(line.base),
                "rate_pct": str(line.rate_pct),
                "amount": str(line.amount),
                "sources": list(line.sources),
            }
            for line in cost.lines
        ],
        "families": {family: str(amount) for family, amount in cost.family_totals().items()},
        "notes": list(cost.notes),
    }


def _year_dict(year: cc.CentreYear) -> dict[str, Any]:
    return {
        "year": year.year,
        "on": year.on.isoformat(),
        "seats": year.seats,
        "agent_fte": str(year.agent_fte),
        "hires": year.hires,
        "firm_employees": year.firm_employees,
        "roles": [
            {
                "code": role.code,
                "fte": str(role.fte),
                "smic_multiple": str(role.smic_multiple),
                "cost_per_fte": str(role.cost_per_fte),
                "total": str(role.total),
                "ratio_source": role.ratio_source,
                "wage_source": role.wage_source,
            }
            for role in year.roles
        ],
        "people": str(year.people),
        "hiring": str(year.hiring),
        "total": str(year.total),
        "per_seat": _text(year.per_seat),
        "per_agent_fte": _text(year.per_agent_fte),
        "notes": list(year.notes),
    }


def _sources(table: ParameterTable, costs: Sequence[EmployeeCost]) -> list[dict[str, str]]:
    seen: dict[tuple[str, date], dict[str, str]] = {}
    for cost in costs:
        for parameter in parameters_used(table, cost):
            seen.setdefault(
                (parameter.key, parameter.effective_from),
                {
                    "key": parameter.key,
                    "effective_from": parameter.effective_from.isoformat(),
                    "value": str(parameter.value),
                    "unit": parameter.unit,
                    "reference": parameter.reference,
                    "url": parameter.source_url,
                    "note": parameter.note,
                },
            )
    return list(seen.values())


def compute(
    table: ParameterTable, request: CostRequest, *, mobility: MobilityRate | None = None
) -> dict[str, Any]:
    """The whole breakdown with its sources: one employee, and the centre when years are given."""
    mobility_pct = (
        request.mobility_pct
        if request.mobility_pct is not None
        else (mobility.rate_pct if mobility else None)
    )
    mobility_source = (
        "mobility:given" if request.mobility_pct is not None else ("mobility:urssaf" if mobility else "")
    )
    employees = request.employees
    centre = None
    if request.cruise is not None:

        def plan(year: YearIn) -> cc.YearPlan:
            on = (
                request.on
                if year.year == request.on.year
                else date(year.year, request.on.month, request.on.day)
            )
            return cc.YearPlan(year.year, year.agent_fte, year.hires, year.seats, on)

        centre = cc.centre_cost(
            table,
            [plan(year) for year in request.years],
            plan(request.cruise),
            assumptions=request.assumptions,
            firm_employees=employees,
            work_injury_pct=request.work_injury_pct,
            mobility_pct=mobility_pct,
            mobility_source=mobility_source,
        )
        if employees is None:
            employees = centre.cruise.firm_employees
    employer = Employer(
        employees or DEFAULT_EMPLOYEES, request.work_injury_pct, mobility_pct, mobility_source
    )
    employee = employee_cost(
        table,
        on=request.on,
        employer=employer,
        smic_multiple=request.smic_multiple,
        gross_monthly=request.gross_monthly,
        executive=request.executive,
    )
    result: dict[str, Any] = {
        "employee": _employee_dict(employee),
        "mobility": None
        if mobility_pct is None
        else {
            "rate_pct": str(mobility_pct),
            "authority": mobility.authority if mobility and request.mobility_pct is None else "",
            "source": mobility.source if mobility and request.mobility_pct is None else "given",
            "vintage": mobility.vintage if mobility and request.mobility_pct is None else "",
        },
        "centre": None,
        "sources": _sources(table, [employee]),
        "assumption_sources": dict(cc.SOURCES),
    }
    if centre is not None:
        result["centre"] = {
            "years": [_year_dict(year) for year in centre.years],
            "cruise": _year_dict(centre.cruise),
            "training_per_hire": str(centre.assumptions.training_per_hire),
            "training_source": centre.assumptions.training_source,
            "recruitment_per_hire": str(centre.assumptions.recruitment_per_hire),
            "recruitment_source": centre.assumptions.recruitment_source,
            "ratios": {role.code: str(role.per_agent) for role in centre.assumptions.roles},
        }
    return result
