"""The people around the agents, and the yearly cost of the whole centre per seat, at cruise and through
the ramp-up.

Plain values in (the agent FTE, hires and seats the sizing produces), frozen dataclasses out. The loaded
cost of each role comes from :mod:`guichet.engine.payroll`; each default here carries a source code
(``SOURCES``) that the presentation layer phrases, or ``house_assumption``. Docs: docs/costs.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from guichet.engine.payroll import CENT, EmployeeCost, Employer, ParameterTable, PayrollError, employee_cost

HOUSE_ASSUMPTION = "house_assumption"
# Where the defaults come from (codes phrased by the presentation layer; docs/costs.md quotes them).
SOURCES = {
    # Teleperformance Blagnac: 560 positions and 80 other staff (trade press, CONTACT-CENTRE-FIGURES.md):
    # 0.14 non-agent staff per agent position, split below between the three roles by the house.
    "teleperformance_blagnac": "Teleperformance Blagnac, 560 positions + 80 staff (info-socialrh)",
    # Teletech Dijon's incentive package: up to 3,100 EUR of training per trainee (Usine Nouvelle).
    "teletech_dijon_training": "Teletech Dijon, up to 3,100 EUR training per trainee (Usine Nouvelle)",
    HOUSE_ASSUMPTION: "house assumption",
}


@dataclass(frozen=True)
class Role:
    """A role around the agents: ``per_agent`` people per agent FTE, paid ``smic_multiple`` times the SMIC."""

    code: str
    per_agent: Decimal
    smic_multiple: Decimal
    executive: bool = False
    ratio_source: str = HOUSE_ASSUMPTION
    wage_source: str = HOUSE_ASSUMPTION


DEFAULT_AGENT_WAGE = Role("agent", Decimal(1), Decimal("1.05"))
DEFAULT_ROLES = (
    Role("team_leader", Decimal("0.07"), Decimal("1.45"), ratio_source="teleperformance_blagnac"),
    Role("support", Decimal("0.05"), Decimal("1.35"), ratio_source="teleperformance_blagnac"),
    Role(
        "management", Decimal("0.02"), Decimal("2.60"), executive=True, ratio_source="teleperformance_blagnac"
    ),
)
DEFAULT_TRAINING_PER_HIRE = Decimal(3100)
DEFAULT_RECRUITMENT_PER_HIRE = Decimal(900)


@dataclass(frozen=True)
class CentreAssumptions:
    agent: Role = DEFAULT_AGENT_WAGE
    roles: tuple[Role, ...] = DEFAULT_ROLES
    training_per_hire: Decimal = DEFAULT_TRAINING_PER_HIRE
    training_source: str = "teletech_dijon_training"
    recruitment_per_hire: Decimal = DEFAULT_RECRUITMENT_PER_HIRE
    recruitment_source: str = HOUSE_ASSUMPTION


@dataclass(frozen=True)
class YearPlan:
    """One year of the centre: agent FTE, hires in the year, seats (workstations) and the date whose payroll
    rates cost it."""

    year: int
    agent_fte: Decimal
    hires: int
    seats: int
    on: date


@dataclass(frozen=True)
class RoleCost:
    code: str
    fte: Decimal
    smic_multiple: Decimal
    cost_per_fte: Decimal
    total: Decimal
    ratio_source: str
    wage_source: str


@dataclass(frozen=True)
class CentreYear:
    year: int
    on: date
    seats: int
    agent_fte: Decimal
    hires: int
    firm_employees: int
    roles: tuple[RoleCost, ...]  # the agents first, then the roles around them
    people: Decimal  # loaded cost of every role
    hiring: Decimal  # recruitment and initial training of the year's hires
    total: Decimal
    per_seat: Decimal | None
    per_agent_fte: Decimal | None
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CentreCost:
    years: tuple[CentreYear, ...]
    cruise: CentreYear
    assumptions: CentreAssumptions


def _positive(value: Decimal | int, name: str) -> Decimal:
    result = Decimal(value)
    if result < 0:
        raise PayrollError(name, "must not be negative")
    return result


def headcount(agent_fte: Decimal, roles: Sequence[Role]) -> dict[str, Decimal]:
    """FTE of each role: agents as given, every other role ``per_agent`` times the agents (not rounded: a
    fraction of a team leader is a share of one shared with a neighbouring team or shift)."""
    counts = {"agent": agent_fte}
    for role in roles:
        counts[role.code] = (agent_fte * role.per_agent).quantize(CENT, rounding=ROUND_HALF_UP)
    return counts


def centre_year(
    table: ParameterTable,
    plan: YearPlan,
    *,
    assumptions: CentreAssumptions = CentreAssumptions(),
    firm_employees: int | None = None,
    work_injury_pct: Decimal | None = None,
    mobility_pct: Decimal | None = None,
    mobility_source: str = "",
) -> CentreYear:
    """The year's cost: each role's FTE times its loaded cost (at ``plan.on``'s rates), plus recruitment and
    training of the year's hires; per seat and per agent FTE. The firm's size for the rates is the centre's
    headcount (rounded up) unless ``firm_employees`` gives the whole firm's."""
    agent_fte = _positive(plan.agent_fte, "agent_fte")
    _positive(plan.hires, "hires")
    counts = headcount(agent_fte, assumptions.roles)
    centre_people = int(sum(counts.values(), Decimal(0)).to_integral_value(rounding=ROUND_CEILING))
    employees = firm_employees if firm_employees is not None else max(centre_people, 1)
    employer = Employer(employees, work_injury_pct, mobility_pct, mobility_source)
    role_costs = []
    notes: set[str] = set()
    for role in (assumptions.agent, *assumptions.roles):
        cost: EmployeeCost = employee_cost(
            table, on=plan.on, employer=employer, smic_multiple=role.smic_multiple, executive=role.executive
        )
        notes.update(cost.notes)
        fte = counts[role.code]
        role_costs.append(
            RoleCost(
                role.code,
                fte,
                role.smic_multiple,
                cost.total,
                (cost.total * fte).quantize(CENT),
                role.ratio_source,
                role.wage_source,
            )
        )
    people = sum((role.total for role in role_costs), Decimal(0))
    hiring = (plan.hires * (assumptions.training_per_hire + assumptions.recruitment_per_hire)).quantize(CENT)
    total = people + hiring
    return CentreYear(
        year=plan.year,
        on=plan.on,
        seats=plan.seats,
        agent_fte=agent_fte,
        hires=plan.hires,
        firm_employees=employees,
        roles=tuple(role_costs),
        people=people,
        hiring=hiring,
        total=total,
        per_seat=(total / plan.seats).quantize(CENT, rounding=ROUND_HALF_UP) if plan.seats else None,
        per_agent_fte=(total / agent_fte).quantize(CENT, rounding=ROUND_HALF_UP) if agent_fte else None,
        notes=tuple(sorted(notes)),
    )


def centre_cost(
    table: ParameterTable,
    ramp_up: Sequence[YearPlan],
    cruise: YearPlan,
    *,
    assumptions: CentreAssumptions = CentreAssumptions(),
    firm_employees: int | None = None,
    work_injury_pct: Decimal | None = None,
    mobility_pct: Decimal | None = None,
    mobility_source: str = "",
) -> CentreCost:
    """Each year of the ramp-up and the cruise year, costed alike."""

    def cost(plan: YearPlan) -> CentreYear:
        return centre_year(
            table,
            plan,
            assumptions=assumptions,
            firm_employees=firm_employees,
            work_injury_pct=work_injury_pct,
            mobility_pct=mobility_pct,
            mobility_source=mobility_source,
        )

    return CentreCost(tuple(cost(plan) for plan in ramp_up), cost(cruise), assumptions)
