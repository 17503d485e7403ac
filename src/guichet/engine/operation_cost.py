"""The total cost of operation of one offer: people + occupancy + fit-out - the aid within the law.

Plain values in, frozen dataclasses out; codes, never sentences (docs/comparison.md, docs/costs.md,
docs/aid.md). Over the years the call compares, at its discount rate, with the conventions of the
comparison's cost criterion (``engine/costs.py``): year 0 is the opening (lump sums, fit-out), the flows of
year ``y`` (1..N) are discounted by ``1 / (1 + r) ** y``; the present value spread as an equivalent annual
amount (``engine/scales.annuity_factor``), per seat and per year.

- **People**: each year the centre's cost (``engine/centre_cost.centre_year``: the agents, the roles around
  them, recruitment and training of the year's hires) for the need's headcount that year (its jobs taken as
  agent FTE, the last year holding after the plan, as in the cost engine) and hires (none after the plan),
  at the payroll rates of that year's opening day, the firm's size for the rates following its EU size
  (:data:`PAYROLL_EMPLOYEES`), the site's mobility levy where known.
- **Occupancy**: rent at the full rate (the catalogue's when the offer's is below it), charges or the sale
  price, as ``engine/costs.py`` counts them. Rent-free months, a rent below the catalogue's and every other
  incentive are not netted off here: they are aid, counted once below within its ceiling (so an aid within
  its ceiling leaves the rent charged, an aid over it adds back what the law would recover).
- **Fit-out**: the works the premises need, an estimate per m² by its state (:data:`FIT_OUT_EUR_M2`, house
  assumptions, labelled as such), in year 0.
- **Aid within the law**: every aid of the offer valued once by ``engine/aid.assess`` against the ceiling
  of the premises' AFR zone and the firm's size (``large`` when the size is not known: the strictest); only
  the aid within its ceiling is subtracted (the aid minus its excess). Aid whose ceiling is not known (the
  AFR list is missing) is not subtracted, and the result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from guichet.engine import aid as aid_engine
from guichet.engine import centre_cost as cc
from guichet.engine.payroll import CENT, ParameterTable

__all__ = [
    "FIT_OUT_EUR_M2",
    "OfferAid",
    "OperationCost",
    "OperationInput",
    "aid_items",
    "operation_cost",
]

# Works to make the premises a contact-centre floor, EUR per m² excl. VAT (house assumptions, an estimate:
# a shell needs partitions, raised floor or ducts, cabling, acoustic treatment, air handling; fitted
# offices the cabling, acoustics and furniture changes; a ready contact-centre floor nothing).
FIT_OUT_EUR_M2 = {"shell": Decimal(600), "offices": Decimal(150), "contact_centre": Decimal(0)}
FIT_OUT_SOURCE = "house_assumption"
# The headcount the payroll rates take for the firm's EU size (small: fewer than 50; medium: 50 to 249;
# large: 250 or more); unknown: the centre's own headcount. (The EU size also counts turnover: a firm of
# fewer than 50 with a turnover over 10 M EUR is medium, its payroll still that of fewer than 50; the rare
# case is not modelled.)
DEFAULT_ASSUMPTIONS = cc.CentreAssumptions()
PAYROLL_EMPLOYEES = {"small": (1, 49), "medium": (50, 249), "large": (250, 10**9)}


@dataclass(frozen=True)
class OfferAid:
    """The aid an offer contains, as plain values: lump sums in year 0 (subsidies, fit-out contribution,
    local tax exemptions at the value the offer states), per hire (paid on each year's hires), per job (on
    the jobs created each year), and the rent charged against the catalogue's rent with rent-free months."""

    subsidies_eur: Decimal = Decimal(0)
    fit_out_contribution_eur: Decimal = Decimal(0)
    per_hire_eur: Decimal = Decimal(0)
    per_job_eur: Decimal = Decimal(0)
    catalogue_rent_eur_m2_year: Decimal | None = None
    rent_free_months: Decimal = Decimal(0)
    tax_exemptions_eur: Decimal = Decimal(0)


@dataclass(frozen=True)
class OperationInput:
    years: int
    discount_rate: Decimal
    opening: date
    seats: int
    jobs_per_year: tuple[Decimal, ...]
    hires_per_year: tuple[int, ...]
    area_m2: Decimal
    rent_eur_m2_year: Decimal
    charges_eur_m2_year: Decimal
    fit_out_state: str
    zone: str  # engine/aid.ZONES
    size: str  # "small", "medium", "large" or "" (not known)
    aid: OfferAid
    mobility_pct: Decimal | None = None
    sale_price_eur: Decimal | None = None


@dataclass(frozen=True)
class OperationCost:
    """Present values at year 0 over ``years``; ``*_year_eur`` the equivalent annual amounts;
    ``per_seat_year_eur`` the total per seat and per year; ``people_share`` the people's share of the total
    before aid (0 to 1)."""

    years: int
    discount_rate: Decimal
    seats: int
    people_pv_eur: Decimal
    occupancy_pv_eur: Decimal
    fit_out_pv_eur: Decimal
    aid_pv_eur: Decimal  # every aid of the offer, valued once
    lawful_aid_pv_eur: Decimal  # the part subtracted: within its ceiling
    total_pv_eur: Decimal
    total_year_eur: Decimal
    per_seat_year_eur: Decimal | None
    people_year_eur: Decimal
    people_share: Decimal | None
    aid: aid_engine.AidAssessment
    size_used: str
    notes: tuple[
        str, ...
    ]  # codes: size_not_known_large_assumed, mobility_not_known, aid_ceiling_not_known...


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _factor(year: int, rate: Decimal) -> Decimal:
    return Decimal(1) / (Decimal(1) + rate) ** year


def _payroll_employees(size: str, centre_people: Decimal) -> int | None:
    if size not in PAYROLL_EMPLOYEES:
        return None
    low, high = PAYROLL_EMPLOYEES[size]
    return min(max(int(centre_people.to_integral_value(rounding=ROUND_CEILING)), low), high)


def _plan(data: OperationInput, year: int) -> cc.YearPlan:
    jobs = data.jobs_per_year[min(year, len(data.jobs_per_year)) - 1] if data.jobs_per_year else Decimal(0)
    hires = data.hires_per_year[year - 1] if year <= len(data.hires_per_year) else 0
    on = date(data.opening.year + year - 1, data.opening.month, min(data.opening.day, 28))
    return cc.YearPlan(year, jobs, hires, data.seats, on)


def _people(
    table: ParameterTable, data: OperationInput, assumptions: cc.CentreAssumptions
) -> tuple[list[cc.CentreYear], set[str]]:
    years = []
    notes: set[str] = set()
    ratio = 1 + sum((role.per_agent for role in assumptions.roles), Decimal(0))
    for year in range(1, data.years + 1):
        plan = _plan(data, year)
        employees = _payroll_employees(data.size, plan.agent_fte * ratio)
        cost = cc.centre_year(
            table,
            plan,
            assumptions=assumptions,
            firm_employees=employees,
            mobility_pct=data.mobility_pct,
            mobility_source="mobility:urssaf" if data.mobility_pct is not None else "",
        )
        notes.update(cost.notes)
        years.append(cost)
    return years, notes


def aid_items(data: OperationInput) -> tuple[aid_engine.AidItem, ...]:
    """The offer's aid as ``engine/aid.py`` values it, each once, at its year (0: the opening)."""
    aid = data.aid
    items: list[aid_engine.AidItem] = []
    zero = Decimal(0)
    if aid.subsidies_eur > 0:
        items.append(aid_engine.AidItem("subsidy", "regional", (aid.subsidies_eur,), "subsidies"))
    if aid.fit_out_contribution_eur > 0:
        items.append(aid_engine.AidItem("fit_out", "regional", (aid.fit_out_contribution_eur,), "fit_out"))
    plans = [_plan(data, year) for year in range(1, data.years + 1)]
    if aid.per_hire_eur > 0 or aid.per_job_eur > 0:
        paid = [zero]
        previous = zero
        for plan in plans:
            created = max(zero, plan.agent_fte - previous)
            previous = max(previous, plan.agent_fte)
            paid.append(aid.per_hire_eur * plan.hires + aid.per_job_eur * created)
        items.append(aid_engine.AidItem("hiring_aid", "regional", tuple(paid), "hiring_aid"))
    market = _market_rent(data)
    free = aid.rent_free_months
    if data.sale_price_eur is None and (market > data.rent_eur_m2_year or free > 0):
        charged = [market]  # year 0: no rent, nothing below the market
        for _year in plans:
            months_free = min(Decimal(12), max(zero, free))
            free -= months_free
            charged.append(data.rent_eur_m2_year * (12 - months_free) / 12)
        items.append(
            aid_engine.AidItem("rent_below_market", "regional", tuple(charged), "rent", data.area_m2, market)
        )
    if aid.tax_exemptions_eur > 0:
        items.append(aid_engine.AidItem("tax_exemption", "regional", (aid.tax_exemptions_eur,), "tax"))
    return tuple(items)


def _market_rent(data: OperationInput) -> Decimal:
    """The catalogue's rent when the offer's is below it (the difference is aid), else the offer's."""
    market = data.aid.catalogue_rent_eur_m2_year
    return data.rent_eur_m2_year if market is None or market < data.rent_eur_m2_year else market


def _occupancy_pv(data: OperationInput) -> Decimal:
    if data.sale_price_eur is not None:
        yearly = data.charges_eur_m2_year * data.area_m2
        start = data.sale_price_eur
    else:
        yearly = (_market_rent(data) + data.charges_eur_m2_year) * data.area_m2
        start = Decimal(0)
    return start + sum(
        (yearly * _factor(year, data.discount_rate) for year in range(1, data.years + 1)), Decimal(0)
    )


def operation_cost(
    table: ParameterTable,
    data: OperationInput,
    *,
    assumptions: cc.CentreAssumptions = DEFAULT_ASSUMPTIONS,
) -> OperationCost:
    """The offer's total cost of operation over the call's years (the rules in the module docstring)."""
    if data.years < 1 or data.seats < 0:
        raise aid_engine.AidError("years", "at least one year, seats not negative")
    size = data.size if data.size in aid_engine.SIZES else "large"
    notes = set() if data.size in aid_engine.SIZES else {"size_not_known_large_assumed"}
    people_years, payroll_notes = _people(table, data, assumptions)
    notes.update(payroll_notes)
    rate = data.discount_rate
    people = sum((y.total * _factor(y.year, rate) for y in people_years), Decimal(0))
    occupancy = _occupancy_pv(data)
    fit_out = FIT_OUT_EUR_M2.get(data.fit_out_state, Decimal(0)) * data.area_m2
    cruise = people_years[-1]
    wage_per_job = cruise.people / cruise.agent_fte if cruise.agent_fte else Decimal(0)
    # Eligible investment costs (GBER art. 14(4), (6)): the fit-out works and the lease of the building
    # over the years compared, or the purchase; else two years of wage costs of the jobs created.
    assessment = aid_engine.assess(
        aid_items(data),
        zone=data.zone,
        size=size,
        investment_costs=_money(fit_out + occupancy),
        jobs_created=int(max(data.jobs_per_year, default=Decimal(0))),
        annual_wage_cost_per_job=_money(wage_per_job),
        discount_rate=rate,
    )
    lawful = Decimal(0)
    for check in assessment.checks:
        if check.status == "not_known":
            notes.add("aid_ceiling_not_known")
        elif check.status in ("within", "excess"):
            lawful += check.aid - check.excess
    if assessment.status == "excess":
        notes.add("aid_over_ceiling")
    total = people + occupancy + fit_out - lawful
    annuity = sum((_factor(year, rate) for year in range(1, data.years + 1)), Decimal(0))
    total_year = total / annuity
    before_aid = people + occupancy + fit_out
    return OperationCost(
        years=data.years,
        discount_rate=rate,
        seats=data.seats,
        people_pv_eur=_money(people),
        occupancy_pv_eur=_money(occupancy),
        fit_out_pv_eur=_money(fit_out),
        aid_pv_eur=assessment.total,
        lawful_aid_pv_eur=_money(lawful),
        total_pv_eur=_money(total),
        total_year_eur=_money(total_year),
        per_seat_year_eur=_money(total_year / data.seats) if data.seats else None,
        people_year_eur=_money(people / annuity),
        people_share=(people / before_aid).quantize(Decimal("0.0001")) if before_aid > 0 else None,
        aid=assessment,
        size_used=size,
        notes=tuple(sorted(notes | ({"mobility_not_known"} if data.mobility_pct is None else set()))),
    )


def series(values: Sequence[float]) -> tuple[Decimal, ...]:
    """Floats of a need (headcount by year) as the engine's decimals, to the hundredth."""
    return tuple(Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP) for value in values)
