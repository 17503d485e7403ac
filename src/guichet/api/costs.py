"""POST /api/costs: the loaded cost of a full-time employee, or of a centre year by year from a sizing.

The body's names are the engine's (the same as `guichet cost`'s options); the answer is the object
`guichet cost --json` prints, computed by the same function on the same bundled tables. Every parameter
used is listed with its legal reference in ``sources``. Method: docs/costs.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from guichet.api.errors import VALIDATION, ApiProblem, field_error
from guichet.api.schemas import problems
from guichet.data.payroll_tables import compute_costs
from guichet.engine.payroll import PayrollError
from guichet.inputs import StrictSchema

router = Router(tags=["costs"])

Amount = str


class YearIn(StrictSchema):
    year: int = Field(description="Calendar year.", examples=[2027])
    agent_fte: str = Field(description="Agent FTE of the year (from the sizing).", examples=["150"])
    hires: int = Field(0, ge=0, le=1_000_000, description="Hires in the year (from the sizing).")
    seats: int = Field(0, ge=0, le=1_000_000, description="Workstations.")


class CostIn(StrictSchema):
    on: date | None = Field(None, description="The date whose rates apply (default: today).")
    employees: int | None = Field(
        None, ge=1, le=10_000_000, description="The firm's headcount (default: the centre's, else 250)."
    )
    smic_multiple: str | None = Field(None, description="Gross wage as a multiple of the SMIC (default 1).")
    gross_monthly: str | None = Field(None, description="Or the gross monthly wage in EUR.")
    executive: bool = Field(False, description="An executive (cadre): prévoyance cadre and APEC added.")
    work_injury_pct: str | None = Field(None, description="The establishment's notified AT/MP rate (%).")
    mobility_pct: str | None = Field(None, description="The site's mobility levy (%), if known.")
    commune: str = Field("", max_length=5, description="INSEE code of the site: its bundled mobility levy.")
    years: list[YearIn] = Field(default_factory=list, max_length=50, description="Ramp-up, year by year.")
    cruise: YearIn | None = Field(None, description="The cruise year (default: the last of `years`).")
    agent_smic_multiple: str | None = None
    team_leader_per_agent: str | None = None
    team_leader_smic_multiple: str | None = None
    support_per_agent: str | None = None
    support_smic_multiple: str | None = None
    management_per_agent: str | None = None
    management_smic_multiple: str | None = None
    training_per_hire: str | None = None
    recruitment_per_hire: str | None = None


class CostLineOut(Schema):
    code: str
    family: str
    base: Amount
    rate_pct: str
    amount: Amount
    sources: list[str]


class ReliefOut(Schema):
    applies: bool
    coefficient: str
    t_min: str
    t_delta: str
    exponent: str
    annual_smic: Amount
    amount: Amount
    reason: str


class EmployeeOut(Schema):
    on: date
    employees: int
    executive: bool
    smic_multiple: str
    gross_monthly: Amount
    gross_annual: Amount
    smic_hourly: Amount
    smic_monthly: Amount
    social_security_ceiling_monthly: Amount
    contributions: Amount
    relief: ReliefOut
    other_charges: Amount
    employer_charges: Amount
    total: Amount
    lines: list[CostLineOut]
    families: dict[str, Amount]
    notes: list[str]


class RoleOut(Schema):
    code: str
    fte: str
    smic_multiple: str
    cost_per_fte: Amount
    total: Amount
    ratio_source: str
    wage_source: str


class YearOut(Schema):
    year: int
    on: date
    seats: int
    agent_fte: str
    hires: int
    firm_employees: int
    roles: list[RoleOut]
    people: Amount
    hiring: Amount
    total: Amount
    per_seat: Amount | None
    per_agent_fte: Amount | None
    notes: list[str]


class CentreOut(Schema):
    years: list[YearOut]
    cruise: YearOut
    training_per_hire: Amount
    training_source: str
    recruitment_per_hire: Amount
    recruitment_source: str
    ratios: dict[str, str]


class MobilityOut(Schema):
    rate_pct: str
    authority: str
    source: str
    vintage: str


class SourceOut(Schema):
    key: str
    effective_from: date
    value: str
    unit: str
    reference: str
    url: str
    note: str


class CostOut(Schema):
    employee: EmployeeOut
    mobility: MobilityOut | None
    centre: CentreOut | None
    sources: list[SourceOut]
    assumption_sources: dict[str, str]


EXAMPLE = {
    "on": "2026-03-01",
    "employees": 250,
    "smic_multiple": "1.05",
    "commune": "25056",
    "years": [
        {"year": 2027, "agent_fte": "100", "hires": 120, "seats": 80},
        {"year": 2028, "agent_fte": "150", "hires": 90, "seats": 120},
    ],
}


@router.post(
    "/costs",
    response={200: CostOut, **problems(422)},
    summary="Loaded cost of a full-time employee or of a centre, with the 2026 payroll rules (public)",
    description=(
        "The yearly loaded cost of one full-time employee (gross wage as `smic_multiple` or "
        "`gross_monthly`), at the rates in force on `on`, for a firm of `employees`: each employer "
        "contribution, the réduction générale dégressive unique (coefficient rounded to 4 decimals, "
        "D. 241-7 CSS), training, apprenticeship and mobility levies, each with its legal source. With "
        "`years` (agent FTE, hires and seats from a sizing), the whole centre year by year and at cruise, "
        "per seat, with team leaders, support and management as ratios of the agents. Same object as "
        "`guichet cost --json`."
    ),
)
def costs(request: HttpRequest, payload: CostIn) -> dict[str, Any]:
    return costs_compute(payload, today=date.today())


def costs_compute(payload: CostIn, *, today: date) -> dict[str, Any]:
    """The costs for the request (the endpoint's work, also its documented example's)."""
    values = payload.dict()
    values["years"] = [year.dict() for year in payload.years]
    values["cruise"] = payload.cruise.dict() if payload.cruise else None
    values["on"] = payload.on.isoformat() if payload.on else None
    try:
        return compute_costs(values, today=today)
    except PayrollError as error:
        raise ApiProblem(
            422, str(error), type_=VALIDATION, errors=[field_error(error.field, error.message)]
        ) from None
