"""POST /api/staffing: the staffing engine (Erlang C, or Erlang A with a patience) over HTTP.

Field names are the engine's own, so an engine error names the field the client sent. The figures and
their method are described in docs/staffing.md; every default is echoed in ``parameters`` with its source.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from guichet.api.errors import VALIDATION, ApiProblem, field_error
from guichet.api.schemas import problems
from guichet.engine import staffing as st

router = Router(tags=["staffing"])

MAX_CALLS = 1_000_000
MAX_INTERVALS = 20_000
# Beyond a million Erlangs the engine's figures are not checked (docs/staffing.md): the API refuses them.
MAX_TRAFFIC_ERLANGS = 1_000_000


class ForecastIntervalIn(Schema):
    label: str = Field("", max_length=100, description="e.g. 'mon 08:00'; numbered from 1 if empty")
    calls: float = Field(ge=0, le=MAX_CALLS, allow_inf_nan=False)
    aht_seconds: float | None = Field(
        None, gt=0, le=86_400, allow_inf_nan=False, description="Empty: the request's aht_seconds"
    )
    open: bool = Field(True, description="A closed interval needs no agent.")


class StaffingIn(Schema):
    """Give ``calls`` (one interval) or ``forecast`` (intervals of a day or a week), not both."""

    calls: float | None = Field(None, ge=0, le=MAX_CALLS, allow_inf_nan=False, description="One interval")
    forecast: list[ForecastIntervalIn] | None = Field(None, min_length=1, max_length=MAX_INTERVALS)
    aht_seconds: float | None = Field(
        None, gt=0, le=86_400, allow_inf_nan=False, description="Average handling time (default per interval)"
    )
    interval_minutes: float = Field(30, ge=1, le=1440, allow_inf_nan=False)
    service_level: float | None = Field(
        0.8, gt=0, lt=1, allow_inf_nan=False, description="Share answered within answer_seconds; null: none"
    )
    answer_seconds: float = Field(20, ge=0, le=86_400, allow_inf_nan=False)
    asa_seconds: float | None = Field(None, gt=0, le=86_400, allow_inf_nan=False)
    max_occupancy: float | None = Field(None, gt=0, le=1, allow_inf_nan=False)
    patience_seconds: float | None = Field(
        None, gt=0, le=86_400, allow_inf_nan=False, description="Mean patience: selects Erlang A"
    )
    max_abandon: float | None = Field(None, gt=0, lt=1, allow_inf_nan=False, description="Erlang A only")
    shrinkage: float = Field(0, ge=0, lt=1, allow_inf_nan=False)
    contract_hours_per_week: float = Field(
        st.DEFAULT_CONTRACT_HOURS_PER_WEEK, ge=1, le=168, allow_inf_nan=False
    )
    area_per_seat_m2: float = Field(st.DEFAULT_AREA_PER_SEAT_M2, ge=0.1, le=1000, allow_inf_nan=False)
    spare_seat_ratio: float = Field(st.DEFAULT_SPARE_SEAT_RATIO, ge=0, le=10, allow_inf_nan=False)
    support_area_m2: float = Field(0, ge=0, le=10_000_000, allow_inf_nan=False)
    open_hours_per_week: float = Field(
        st.DEFAULT_OPEN_HOURS_PER_WEEK, gt=0, le=168, allow_inf_nan=False, description="One interval only"
    )
    days_per_week: int | None = Field(
        None, ge=1, le=7, description="Forecast only: it is one typical day repeated this many days a week"
    )
    years: int = Field(3, ge=1, le=50, description="Hiring plan")
    ramp: list[float] = Field(list(st.DEFAULT_RAMP), min_length=1, max_length=50)
    annual_attrition: float = Field(st.DEFAULT_ANNUAL_ATTRITION, ge=0, le=5, allow_inf_nan=False)
    candidates_per_hire: float = Field(st.DEFAULT_CANDIDATES_PER_HIRE, ge=1, le=1000, allow_inf_nan=False)


class IntervalOut(Schema):
    label: str
    calls: float
    aht_seconds: float
    traffic_erlangs: float
    agents: int
    scheduled_agents: int
    binding: str = Field(description="The constraint that set the number (service_level, asa, occupancy...)")
    service_level: float | None
    asa_seconds: float | None
    occupancy: float
    p_wait: float
    p_abandon: float | None
    stable: bool
    note: str


class HiringYearOut(Schema):
    year: int
    share_of_target: float
    seats: int
    headcount: int
    growth_hires: int
    replacement_hires: int
    hires: int
    candidates: int


class StaffingOut(Schema):
    model: str = Field(description="erlang_c or erlang_a")
    agents: int = Field(description="Agents on the phones (the peak interval for a forecast)")
    scheduled_agents: int = Field(description="Agents to schedule after shrinkage (peak)")
    service_level: float | None = Field(description="Achieved, in the peak interval")
    occupancy: float
    asa_seconds: float | None
    p_wait: float
    p_abandon: float | None
    peak_label: str
    weekly_scheduled_agent_hours: float
    fte: float
    headcount: int
    seats: int
    floor_area_m2: float
    intervals: list[IntervalOut]
    hiring: list[HiringYearOut]
    total_hires: int
    total_candidates: int
    parameters: dict[str, Any] = Field(description="Every value used, defaults included")
    sources: dict[str, str] = Field(description="Where each default comes from")


def _interval_out(result: st.StaffingResult) -> dict[str, Any]:
    metrics = result.metrics
    return {
        "label": result.label,
        "calls": result.calls,
        "aht_seconds": result.aht_seconds,
        "traffic_erlangs": result.traffic,
        "agents": result.agents,
        "scheduled_agents": result.scheduled_agents,
        "binding": result.binding,
        "service_level": metrics.service_level,
        "asa_seconds": metrics.asa_seconds,
        "occupancy": metrics.occupancy,
        "p_wait": metrics.p_wait,
        "p_abandon": metrics.p_abandon,
        "stable": metrics.stable,
        "note": metrics.note,
    }


def check_load(field: str, calls: float, aht: float, minutes: float) -> None:
    if calls * aht / (minutes * 60) > MAX_TRAFFIC_ERLANGS:
        message = (
            f"the load is above {MAX_TRAFFIC_ERLANGS:,} Erlangs (calls x AHT / interval), beyond the API"
        )
        raise ApiProblem(422, f"{field}: {message}", type_=VALIDATION, errors=[field_error(field, message)])


def _intervals(payload: StaffingIn) -> list[st.ForecastInterval]:
    assert payload.forecast is not None
    intervals = []
    for index, item in enumerate(payload.forecast):
        aht = item.aht_seconds if item.aht_seconds is not None else payload.aht_seconds
        if aht is None:
            raise ApiProblem(
                422,
                f"forecast.{index}.aht_seconds: missing (give it, or a default aht_seconds)",
                type_=VALIDATION,
                errors=[field_error(f"forecast.{index}.aht_seconds", "missing, and no default aht_seconds")],
            )
        check_load(f"forecast.{index}.calls", item.calls, aht, payload.interval_minutes)
        intervals.append(st.ForecastInterval(item.label or str(index + 1), item.calls, aht, item.open))
    return intervals


def staffing_compute(payload: StaffingIn) -> dict[str, Any]:
    """The engine's figures for the request (StaffingInputError, with its field, for a value it refuses)."""
    if payload.calls is not None and payload.forecast is not None:
        raise ApiProblem(
            422,
            "Give calls (one interval) or forecast (several), not both.",
            type_=VALIDATION,
            errors=[field_error("forecast", "not with calls")],
        )
    if payload.calls is None and payload.forecast is None:
        raise ApiProblem(
            422,
            "Give calls (one interval) or forecast (several).",
            type_=VALIDATION,
            errors=[field_error("calls", "missing (or give forecast)")],
        )
    target = st.Target(
        service_level=payload.service_level,
        answer_seconds=payload.answer_seconds,
        asa_seconds=payload.asa_seconds,
        max_abandon=payload.max_abandon,
        max_occupancy=payload.max_occupancy,
        patience_seconds=payload.patience_seconds,
    )
    site_parameters = st.SiteParameters(
        contract_hours_per_week=payload.contract_hours_per_week,
        area_per_seat_m2=payload.area_per_seat_m2,
        spare_seat_ratio=payload.spare_seat_ratio,
        support_area_m2=payload.support_area_m2,
        open_hours_per_week=payload.open_hours_per_week,
    )
    weeks = Fraction(1)
    if payload.calls is not None:
        if payload.aht_seconds is None:
            raise ApiProblem(
                422, "aht_seconds: missing", type_=VALIDATION, errors=[field_error("aht_seconds", "missing")]
            )
        check_load("calls", payload.calls, payload.aht_seconds, payload.interval_minutes)
        result = st.required_agents(
            payload.calls,
            payload.aht_seconds,
            target,
            interval_minutes=payload.interval_minutes,
            shrinkage=payload.shrinkage,
        )
        results: tuple[st.StaffingResult, ...] = (result,)
        peak = result
        site = st.site_from_interval(result, site_parameters)
    else:
        plan = st.plan_staffing(
            _intervals(payload),
            target,
            interval_minutes=payload.interval_minutes,
            shrinkage=payload.shrinkage,
        )
        results = plan.intervals
        peak = max(results, key=lambda r: (r.scheduled_agents, r.agents))
        if payload.days_per_week is not None:
            weeks = Fraction(1, payload.days_per_week)
        site = st.site_from_plan(plan.summary, site_parameters, weeks=weeks)
    hiring = st.hiring_plan(
        target_headcount=site.headcount,
        target_seats=site.seats,
        years=payload.years,
        ramp=payload.ramp,
        annual_attrition=payload.annual_attrition,
        candidates_per_hire=payload.candidates_per_hire,
    )
    metrics = peak.metrics
    return {
        "model": target.model,
        "agents": site.peak_agents,
        "scheduled_agents": site.peak_scheduled_agents,
        "service_level": metrics.service_level,
        "occupancy": metrics.occupancy,
        "asa_seconds": metrics.asa_seconds,
        "p_wait": metrics.p_wait,
        "p_abandon": metrics.p_abandon,
        "peak_label": peak.label,
        "weekly_scheduled_agent_hours": site.weekly_scheduled_agent_hours,
        "fte": site.fte,
        "headcount": site.headcount,
        "seats": site.seats,
        "floor_area_m2": site.floor_area_m2,
        "intervals": [_interval_out(r) for r in results],
        "hiring": [
            {
                "year": y.year,
                "share_of_target": y.share_of_target,
                "seats": y.seats,
                "headcount": y.headcount,
                "growth_hires": y.growth_hires,
                "replacement_hires": y.replacement_hires,
                "hires": y.hires,
                "candidates": y.candidates,
            }
            for y in hiring.years
        ],
        "total_hires": hiring.total_hires,
        "total_candidates": hiring.total_candidates,
        "parameters": {
            "interval_minutes": payload.interval_minutes,
            "aht_seconds": payload.aht_seconds,
            "service_level": target.service_level,
            "answer_seconds": target.answer_seconds,
            "asa_seconds": target.asa_seconds,
            "max_occupancy": target.max_occupancy,
            "patience_seconds": target.patience_seconds,
            "max_abandon": target.max_abandon,
            "shrinkage": payload.shrinkage,
            "contract_hours_per_week": site_parameters.contract_hours_per_week,
            "area_per_seat_m2": site_parameters.area_per_seat_m2,
            "spare_seat_ratio": site_parameters.spare_seat_ratio,
            "support_area_m2": site_parameters.support_area_m2,
            "open_hours_per_week": site_parameters.open_hours_per_week,
            "forecast_weeks": float(weeks),
            "years": payload.years,
            "ramp": list(hiring.ramp),
            "annual_attrition": hiring.annual_attrition,
            "candidates_per_hire": hiring.candidates_per_hire,
        },
        "sources": dict(st.SOURCES),
    }


@router.post(
    "/staffing",
    response={200: StaffingOut, **problems(400, 422)},
    summary="Agents, FTE, seats and floor area from calls (public, no token)",
    description=(
        "One interval (`calls`) or a forecast (`forecast`, a list of intervals). Erlang C, or Erlang A when "
        "`patience_seconds` is given. A value the engine refuses is a 422 naming the field. Published "
        "example: 100 calls in 30 min, AHT 180 s, 80/20: 14 agents, service level 0.888; 30% shrinkage: "
        "20 scheduled."
    ),
)
def staffing(request: HttpRequest, payload: StaffingIn) -> dict[str, Any]:
    return staffing_compute(payload)
