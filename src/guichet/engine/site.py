"""From agents to a site (FTE, headcount, seats, floor area), and the reverse: what a building holds.

Pure (no Django, no I/O); every default is a parameter with its source in
:data:`guichet.engine.staffing.SOURCES`. Whole numbers are exact ceilings (or floors, for what a floor area
holds) of :class:`fractions.Fraction` values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from guichet.engine import agents as ag
from guichet.engine import staffing as st
from guichet.engine.agents import PlanSummary, QueueMetrics, StaffingResult, Target
from guichet.engine.staffing import (
    DEFAULT_AREA_PER_SEAT_M2,
    DEFAULT_CONTRACT_HOURS_PER_WEEK,
    DEFAULT_OPEN_HOURS_PER_WEEK,
    DEFAULT_SPARE_SEAT_RATIO,
    Number,
    StaffingInputError,
    check_limit,
)

__all__ = [
    "BuildingCapacity",
    "SiteParameters",
    "SiteSizing",
    "building_capacity",
    "site_from_interval",
    "site_from_plan",
    "size_site",
]


@dataclass(frozen=True, slots=True)
class SiteParameters:
    """Site assumptions; every default is in :data:`guichet.engine.staffing.SOURCES`."""

    contract_hours_per_week: float = DEFAULT_CONTRACT_HOURS_PER_WEEK
    area_per_seat_m2: float = DEFAULT_AREA_PER_SEAT_M2
    spare_seat_ratio: float = DEFAULT_SPARE_SEAT_RATIO
    support_area_m2: float = 0.0
    open_hours_per_week: float = DEFAULT_OPEN_HOURS_PER_WEEK

    def __post_init__(self) -> None:
        st.positive("contract_hours_per_week", self.contract_hours_per_week)
        check_limit("contract_hours_per_week", self.contract_hours_per_week)
        st.positive("area_per_seat_m2", self.area_per_seat_m2)
        check_limit("area_per_seat_m2", self.area_per_seat_m2)
        check_limit("spare_seat_ratio", self.spare_seat_ratio)
        check_limit("support_area_m2", self.support_area_m2)
        hours = st.positive("open_hours_per_week", self.open_hours_per_week)
        if hours > 168:
            raise StaffingInputError(
                "open_hours_per_week", f"a week has 168 hours, got {hours!r}", code="above_maximum", limit=168
            )


@dataclass(frozen=True, slots=True)
class SiteSizing:
    """Staff and space for a site. ``fte`` = weekly scheduled agent-hours / contractual week; ``headcount``
    its exact ceiling (full-time people); ``seats`` = ceil(peak scheduled agents x (1 + spare ratio));
    ``floor_area_m2`` = seats x area per seat + support area."""

    parameters: SiteParameters
    peak_agents: int
    peak_scheduled_agents: int
    weekly_scheduled_agent_hours: float
    fte: float
    headcount: int
    seats: int
    floor_area_m2: float


def size_site(
    *,
    peak_scheduled_agents: int,
    weekly_scheduled_agent_hours: Number,
    parameters: SiteParameters | None = None,
    peak_agents: int | None = None,
) -> SiteSizing:
    """FTE, seats and floor area from the peak of simultaneous scheduled agents and the weekly agent-hours."""
    parameters = SiteParameters() if parameters is None else parameters
    if (
        isinstance(peak_scheduled_agents, bool)
        or not isinstance(peak_scheduled_agents, int)
        or peak_scheduled_agents < 0
    ):
        raise StaffingInputError(
            "peak_scheduled_agents",
            f"must be a whole number, 0 or more, got {peak_scheduled_agents!r}",
            code="not_whole",
        )
    st.non_negative("weekly_scheduled_agent_hours", weekly_scheduled_agent_hours)
    fte = st.exact(weekly_scheduled_agent_hours) / st.exact(parameters.contract_hours_per_week)
    seats = math.ceil(peak_scheduled_agents * (1 + st.exact(parameters.spare_seat_ratio)))
    area = seats * st.exact(parameters.area_per_seat_m2) + st.exact(parameters.support_area_m2)
    return SiteSizing(
        parameters,
        peak_scheduled_agents if peak_agents is None else peak_agents,
        peak_scheduled_agents,
        float(weekly_scheduled_agent_hours),
        float(fte),
        math.ceil(fte),
        seats,
        float(area),
    )


def site_from_plan(
    summary: PlanSummary, parameters: SiteParameters | None = None, *, weeks: Number = 1
) -> SiteSizing:
    """Site for a plan covering ``weeks`` weeks (a typical day repeated 5 days a week covers 1/5 week: pass
    ``Fraction(1, 5)``); the weekly agent-hours are the plan's divided by ``weeks``."""
    st.positive("weeks", weeks)
    weekly = st.exact(summary.scheduled_agent_hours) / st.exact(weeks)
    return size_site(
        peak_scheduled_agents=summary.peak_scheduled_agents,
        weekly_scheduled_agent_hours=weekly,
        parameters=parameters,
        peak_agents=summary.peak_agents,
    )


def site_from_interval(result: StaffingResult, parameters: SiteParameters | None = None) -> SiteSizing:
    """Site for one interval's staffing held through all the opening hours of the week."""
    parameters = SiteParameters() if parameters is None else parameters
    weekly = result.scheduled_agents * st.exact(parameters.open_hours_per_week)
    return size_site(
        peak_scheduled_agents=result.scheduled_agents,
        weekly_scheduled_agent_hours=weekly,
        parameters=parameters,
        peak_agents=result.agents,
    )


# --- the reverse: what a building can hold --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuildingCapacity:
    """What a floor area holds: seats = floor((area - support) / area per seat); people in the building at
    the peak = floor(seats / (1 + spare)); agents on the phones = floor(people x (1 - on-site shrinkage));
    scheduled agents (paid) = ceil(agents / (1 - shrinkage)); FTE with that peak held through the opening
    hours; and the most calls per interval those agents serve at the target. Without an on-site share
    (``on_site_shrinkage`` None) every scheduled agent is in the building: people = scheduled and agents =
    floor(people x (1 - shrinkage)), the former reading."""

    floor_area_m2: float
    parameters: SiteParameters
    target: Target
    shrinkage: float
    aht_seconds: float
    interval_minutes: float
    seats: int
    peak_scheduled_agents: int
    peak_agents: int
    fte: float
    headcount: int
    max_calls_per_interval: int
    metrics_at_max: QueueMetrics
    people_on_site: int
    on_site_shrinkage: float | None


def building_capacity(
    floor_area_m2: Number,
    *,
    aht_seconds: Number,
    target: Target | None = None,
    interval_minutes: Number = 30,
    shrinkage: Number = 0.0,
    parameters: SiteParameters | None = None,
    on_site_shrinkage: Number | None = None,
) -> BuildingCapacity:
    """Seats, FTE and calls per interval a building can serve (3,000 m2 at 10-12 m2 a seat: 250-300 seats)."""
    parameters = SiteParameters() if parameters is None else parameters
    target = Target() if target is None else target
    area = st.positive("floor_area_m2", floor_area_m2)
    aht = st.positive("aht_seconds", aht_seconds)
    minutes = st.positive("interval_minutes", interval_minutes)
    shrink = st.check_shrinkage(shrinkage)
    on_site = None if on_site_shrinkage is None else check_limit("on_site_shrinkage", on_site_shrinkage)
    usable = st.exact(floor_area_m2) - st.exact(parameters.support_area_m2)
    if usable <= 0:
        raise StaffingInputError(
            "support_area_m2", f"leaves no room for seats in {area:g} m2", code="no_room_for_seats"
        )
    seats = math.floor(usable / st.exact(parameters.area_per_seat_m2))
    people = math.floor(seats / (1 + st.exact(parameters.spare_seat_ratio)))
    if on_site_shrinkage is None:
        agents = math.floor(people * (1 - st.exact(shrinkage)))
        scheduled = people
    else:
        agents = math.floor(people * (1 - st.exact(on_site_shrinkage)))
        scheduled = math.ceil(agents / (1 - st.exact(shrinkage)))
    fte = scheduled * st.exact(parameters.open_hours_per_week) / st.exact(parameters.contract_hours_per_week)

    def served(calls: int) -> bool:
        exact = ag.exact_traffic(calls, aht_seconds, interval_minutes)
        return ag.required_for_load(exact, aht, target)[0] <= agents

    # The agents needed rise with the calls: gallop to a volume they cannot serve, then bisect.
    low, high = 0, max(1, math.ceil(agents * minutes * 60 / aht))
    while served(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if served(middle):
            low = middle
        else:
            high = middle
    exact = ag.exact_traffic(low, aht_seconds, interval_minutes)
    metrics = ag.metrics_for(agents, exact, aht, ag.answer_for(target), target.patience_seconds)
    return BuildingCapacity(
        area,
        parameters,
        target,
        shrink,
        aht,
        minutes,
        seats,
        scheduled,
        agents,
        float(fte),
        math.ceil(fte),
        low,
        metrics,
        people,
        on_site,
    )
