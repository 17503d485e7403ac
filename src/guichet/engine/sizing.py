"""One sizing request, built alike by the command line, the API and the project page, and its one result.

:func:`build_request` takes the need as people state it, as flat named values (the same names as the
command's options, the API's fields and the project form's fields), applies the one set of defaults
(:mod:`guichet.engine.staffing`: ``DEFAULT_*``, with their sources in ``SOURCES`` and their bounds in
``LIMITS``) and returns a frozen :class:`SizingRequest`. :func:`size` turns it into a :class:`SizingResult`
and :func:`sizing_as_dict` into the JSON every door prints or stores, with the same field names.

Volumes, one spelling per channel:

- ``calls``: one (peak) interval, held through every open interval of the week;
- ``calls_per_day`` (the average open day) or ``calls_per_week``, spread over the opening hours by an
  arrival profile (:mod:`guichet.engine.profiles`: typical inbound, outbound or back-office shapes, or the
  user's own weights);
- ``forecast``: calls per interval (the command line's CSV format), a week, one day repeated
  ``days_per_week`` days, or several weeks.

Every spelling becomes intervals; each channel is staffed per interval (Erlang C, Erlang A with a
patience, chats with a concurrency, e-mails and back-office cases by workload), the agents of all channels
add up per interval. Shrinkage in its two parts (:mod:`guichet.engine.shrinkage`) turns them into scheduled
agents (paid time: time away and time in the building off the phones) and into people in the building
(time in the building off the phones only), each an exact ceiling. The week gives FTE (from the scheduled
agents), headcount (people: FTE over the part-time mix), seats (for the peak of people in the building, or
per agent), floor area and the hiring plan (from the headcount). Whole numbers are computed once, exactly,
and rounded once: the floor area is a whole number of square metres (the exact ceiling).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Final

from guichet.engine import agents as ag
from guichet.engine import forecast as fc
from guichet.engine import hiring as hr
from guichet.engine import profiles as pf
from guichet.engine import staffing as st
from guichet.engine.shrinkage import Shrinkage, split_shrinkage
from guichet.engine.sizing_fields import CHANNEL_KINDS, FIELDS, request_field
from guichet.engine.staffing import StaffingInputError, check_limit, check_whole

__all__ = [
    "CHANNEL_KINDS",
    "DEFAULTS",
    "REQUEST_FIELDS",
    "Channel",
    "ChannelSizing",
    "HiringAssumptions",
    "SeatsPolicy",
    "SizingRequest",
    "SizingResult",
    "StoredChannel",
    "StoredSizing",
    "Volume",
    "build_request",
    "read_sizing",
    "request_forecast",
    "size",
    "sizing_as_dict",
]

_DEFAULT_PROFILE = {"calls": "inbound", "chats": "inbound", "emails": "back_office", "cases": "back_office"}
VOLUME_FIELDS = ("calls", "calls_per_day", "calls_per_week", "forecast")

# The request's fields, their defaults and the sources of their values, from the one table of names
# (:mod:`guichet.engine.sizing_fields`). DEFAULTS: None is not applied unless given.
DEFAULTS: Final[dict[str, Any]] = {
    f.name: list(f.default) if isinstance(f.default, tuple) else f.default for f in FIELDS
}
CHANNEL_FIELDS = tuple(f.name for f in FIELDS if f.scope == "channel")
REQUEST_FIELDS = tuple(f.name for f in FIELDS)
OPENING_HOURS_SOURCES = request_field("opening_hours_source").choices


# --- the request ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Volume:
    """How much arrives: ``kind`` is ``per_interval``, ``per_day``, ``per_week`` or ``forecast``."""

    kind: str
    amount: float | None = None
    forecast: tuple[fc.ForecastInterval, ...] = ()
    days_per_week: int | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """One channel: its volume, handling time, targets and arrival profile.

    ``aht_seconds`` is None only for a forecast whose intervals carry their own. ``concurrency`` is the
    number of chats an agent handles at once (their handling time is divided by it)."""

    channel: str
    volume: Volume
    aht_seconds: float | None
    target: ag.Target
    profile: pf.ArrivalProfile | None
    concurrency: int = 1

    @property
    def deferred(self) -> bool:
        return CHANNEL_KINDS[self.channel] == "deferred"

    @property
    def model(self) -> str:
        return "workload" if self.deferred else self.target.model


@dataclass(frozen=True, slots=True)
class SeatsPolicy:
    """``agents_per_seat`` None: seats for the peak of simultaneous scheduled agents; else seats for the
    full-time equivalents, that many sharing one seat. Spare seats, then area per seat and support areas."""

    agents_per_seat: float | None = None
    spare_seat_ratio: float = st.DEFAULT_SPARE_SEAT_RATIO
    area_per_seat_m2: float = st.DEFAULT_AREA_PER_SEAT_M2
    support_area_m2: float = 0.0


@dataclass(frozen=True, slots=True)
class HiringAssumptions:
    years: int = st.DEFAULT_HIRING_YEARS
    ramp: tuple[float, ...] = st.DEFAULT_RAMP
    annual_attrition: float = st.DEFAULT_ANNUAL_ATTRITION
    candidates_per_hire: float = st.DEFAULT_CANDIDATES_PER_HIRE


@dataclass(frozen=True, slots=True)
class SizingRequest:
    """Everything a sizing needs, validated, defaults applied. Build it with :func:`build_request`.

    ``shrinkage`` holds the two parts and their total (:class:`~guichet.engine.shrinkage.Shrinkage`);
    ``part_time_share`` of the people work ``part_time_hours_per_week`` instead of the contractual week."""

    channels: tuple[Channel, ...]
    opening_hours: pf.OpeningHours = pf.DEFAULT_OPENING_HOURS
    opening_hours_source: str = "default"
    interval_minutes: float = st.DEFAULT_INTERVAL_MINUTES
    shrinkage: Shrinkage = field(default_factory=split_shrinkage)
    contract_hours_per_week: float = st.DEFAULT_CONTRACT_HOURS_PER_WEEK
    part_time_share: float = st.DEFAULT_PART_TIME_SHARE
    part_time_hours_per_week: float = st.DEFAULT_PART_TIME_HOURS_PER_WEEK
    seats: SeatsPolicy = field(default_factory=SeatsPolicy)
    hiring: HiringAssumptions = field(default_factory=HiringAssumptions)


def _optional(name: str, value: Any, *, bound: str | None = None) -> float | None:
    return None if value is None else check_limit(name, value, bound=bound)


def _number(name: str, value: Any) -> float:
    return check_limit(name, DEFAULTS[name] if value is None else value)


def _weights(name: str, value: Any) -> tuple[float, ...] | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        return pf.parse_weights(value, name)
    if not isinstance(value, Sequence):
        raise StaffingInputError(name, f"must be a list of weights, got {value!r}", code="syntax")
    return tuple(check_limit(name, w, bound="profile_weight") for w in value)


def _prefixed(prefix: str, error: StaffingInputError) -> StaffingInputError:
    """The same refusal, naming the field as the caller spelled it (``channels.1.`` before an extra's)."""
    return StaffingInputError(f"{prefix}{error.field}", error.message, code=error.code, limit=error.limit)


def _volume(
    values: Mapping[str, Any],
    *,
    prefix: str,
    forecast: Sequence[fc.ForecastInterval] | None,
    days_per_week: Any,
) -> tuple[Volume, float | None]:
    """The one volume a channel gives, and its handling time (None only for a forecast's own)."""
    given = [f for f in VOLUME_FIELDS if (forecast if f == "forecast" else values.get(f)) is not None]
    if not given:
        raise StaffingInputError(
            f"{prefix}calls",
            "give the volume: calls per day, per week, in one peak interval, or a forecast",
            code="required",
        )
    if len(given) > 1:
        raise StaffingInputError(
            f"{prefix}{given[1]}", f"give one volume only, not {given[0]} and {given[1]}", code="conflict"
        )
    aht = _optional(f"{prefix}aht_seconds", values.get("aht_seconds"), bound="aht_seconds")
    if given[0] == "forecast":
        assert forecast is not None
        intervals = tuple(_checked_forecast(forecast))
        if not intervals:
            raise StaffingInputError("forecast", "no interval", code="required")
        days = None if days_per_week is None else check_whole("days_per_week", days_per_week)
        return Volume("forecast", forecast=intervals, days_per_week=days), aht
    if days_per_week is not None:
        raise StaffingInputError("days_per_week", "only with a forecast", code="conflict")
    if aht is None:
        raise StaffingInputError(
            f"{prefix}aht_seconds", "missing: the average handling time", code="required"
        )
    amount = check_limit(f"{prefix}{given[0]}", values[given[0]], bound=given[0])
    kind_of = {"calls": "per_interval", "calls_per_day": "per_day", "calls_per_week": "per_week"}
    return Volume(kind_of[given[0]], amount=amount), aht


def _profile(values: Mapping[str, Any], *, prefix: str, kind: str) -> pf.ArrivalProfile:
    """The arrival profile spreading a daily or weekly volume: the channel's typical one unless given."""
    code = values.get("profile") or _DEFAULT_PROFILE[kind]
    if code not in pf.PROFILE_CODES:
        raise StaffingInputError(
            f"{prefix}profile", f"must be one of {', '.join(pf.PROFILE_CODES)}, got {code!r}", code="invalid"
        )
    hourly = _weights(f"{prefix}hourly_profile", values.get("hourly_profile"))
    daily = _weights(f"{prefix}daily_profile", values.get("daily_profile"))
    if code == "custom" and hourly is None and daily is None:
        raise StaffingInputError(
            f"{prefix}hourly_profile", "a custom profile needs hourly or daily weights", code="required"
        )
    try:
        return pf.arrival_profile(code, hourly=hourly, daily=daily)
    except StaffingInputError as error:
        raise _prefixed(prefix, error) from None


def _target(values: Mapping[str, Any], *, prefix: str) -> ag.Target:
    """The channel's target; with no service level, ASA or abandonment cap, the industry's 80/20."""

    def optional(name: str) -> float | None:
        return _optional(f"{prefix}{name}", values.get(name), bound=name)

    service_level, asa, abandon = optional("service_level"), optional("asa_seconds"), optional("max_abandon")
    if service_level is None and asa is None and abandon is None:
        service_level = st.DEFAULT_SERVICE_LEVEL
    answer = values.get("answer_seconds")
    try:
        return ag.Target(
            service_level=service_level,
            answer_seconds=st.DEFAULT_ANSWER_SECONDS
            if answer is None
            else check_limit(f"{prefix}answer_seconds", answer, bound="answer_seconds"),
            asa_seconds=asa,
            max_abandon=abandon,
            max_occupancy=optional("max_occupancy"),
            patience_seconds=optional("patience_seconds"),
        )
    except StaffingInputError as error:
        raise _prefixed(prefix, error) from None


def _channel(
    values: Mapping[str, Any],
    *,
    prefix: str,
    forecast: Sequence[fc.ForecastInterval] | None,
    days_per_week: Any,
) -> Channel:
    unknown = set(values) - set(CHANNEL_FIELDS)
    if unknown:
        raise StaffingInputError(f"{prefix}{sorted(unknown)[0]}", "unknown field", code="invalid")
    kind = values.get("channel") or "calls"
    if kind not in CHANNEL_KINDS:
        raise StaffingInputError(
            f"{prefix}channel", f"must be one of {', '.join(CHANNEL_KINDS)}, got {kind!r}", code="invalid"
        )
    volume, aht = _volume(values, prefix=prefix, forecast=forecast, days_per_week=days_per_week)
    profile = _profile(values, prefix=prefix, kind=kind) if volume.kind in {"per_day", "per_week"} else None
    target = _target(values, prefix=prefix)
    concurrency = check_whole(
        f"{prefix}concurrency",
        1 if values.get("concurrency") is None else values["concurrency"],
        bound="concurrency",
    )
    if concurrency > 1 and kind != "chats":
        raise StaffingInputError(
            f"{prefix}concurrency", "only chats are handled several at once", code="conflict"
        )
    return Channel(kind, volume, aht, target, profile, concurrency)


def _checked_forecast(forecast: Sequence[fc.ForecastInterval]) -> list[fc.ForecastInterval]:
    checked = []
    for index, interval in enumerate(forecast):
        check_limit(f"forecast.{index}.calls", interval.calls, bound="calls")
        check_limit(f"forecast.{index}.aht_seconds", interval.aht_seconds, bound="aht_seconds")
        checked.append(interval)
    return checked


def _opening_hours(value: Any) -> pf.OpeningHours:
    if value is None or value == "":
        return pf.DEFAULT_OPENING_HOURS
    if isinstance(value, pf.OpeningHours):
        return value
    return pf.parse_opening_hours(value)


def _channels(values: Mapping[str, Any]) -> tuple[Channel, ...]:
    """The request's own channel (with the forecast, if any) and the extra ones of ``channels``."""
    main = {name: values.get(name) for name in CHANNEL_FIELDS}
    built = [
        _channel(main, prefix="", forecast=values.get("forecast"), days_per_week=values.get("days_per_week"))
    ]
    extras = values.get("channels", ())
    if not isinstance(extras, Sequence) or isinstance(extras, str) or len(extras) > 10:
        raise StaffingInputError("channels", "a list of at most 10 channels", code="invalid")
    for index, extra in enumerate(extras):
        if not isinstance(extra, Mapping):
            raise StaffingInputError(
                f"channels.{index}", "must be an object of channel fields", code="syntax"
            )
        built.append(_channel(extra, prefix=f"channels.{index}.", forecast=None, days_per_week=None))
    if built[0].volume.kind == "forecast" and len(built) > 1:
        raise StaffingInputError("channels", "extra channels need a volume, not a forecast", code="conflict")
    return tuple(built)


def _check_grid(channels: Sequence[Channel], hours: pf.OpeningHours, minutes: float) -> None:
    """A volume spread over the week needs intervals that divide a day and opening hours on them."""
    if all(c.volume.kind == "forecast" for c in channels):
        return
    whole = minutes == int(minutes) and pf.MINUTES_PER_DAY % int(minutes) == 0
    if not whole:
        raise StaffingInputError(
            "interval_minutes",
            f"must divide a day (15, 30 or 60 minutes) to spread volumes over the week, got {minutes:g}",
            code="invalid",
        )
    if not hours.on_grid(int(minutes)):
        raise StaffingInputError(
            "opening_hours",
            f"opening and closing times must fall on the {minutes:g}-minute intervals",
            code="off_grid",
            limit=minutes,
        )


def _hiring(values: Mapping[str, Any]) -> HiringAssumptions:
    ramp = values.get("ramp")
    ramp_values = DEFAULTS["ramp"] if ramp is None or ramp == "" else ramp
    if isinstance(ramp_values, str):
        ramp_values = pf.parse_weights(ramp_values, "ramp")
    if not isinstance(ramp_values, Sequence) or len(ramp_values) > 50:
        raise StaffingInputError("ramp", "a list of at most 50 shares", code="invalid")
    years = values.get("years")
    hiring_years = check_whole("years", DEFAULTS["years"] if years is None else years)
    attrition = _number("annual_attrition", values.get("annual_attrition"))
    per_hire = _number("candidates_per_hire", values.get("candidates_per_hire"))
    # The hiring plan checks the ramp's shares and order: refuse a bad one now, not after the work.
    plan = hr.hiring_plan(
        target_headcount=0,
        years=hiring_years,
        ramp=list(ramp_values),
        annual_attrition=attrition,
        candidates_per_hire=per_hire,
    )
    return HiringAssumptions(
        years=hiring_years, ramp=plan.ramp, annual_attrition=attrition, candidates_per_hire=per_hire
    )


def build_request(**values: Any) -> SizingRequest:
    """The sizing request from values named as everywhere else (:data:`REQUEST_FIELDS`, the names of the
    one table :mod:`guichet.engine.sizing_fields`); None (or leaving a value out) takes the default of
    :data:`DEFAULTS`. A value the engine refuses raises :class:`StaffingInputError` naming its field
    (``channels.1.aht_seconds`` for the second extra channel, ``forecast.3.calls`` for a forecast
    interval), with a code. With no service level, ASA or abandonment cap, the target is 80% in 20 s. A
    name the request does not take is a TypeError, as for any function.

    ``forecast`` is a sequence of :class:`~guichet.engine.forecast.ForecastInterval`, ``channels`` a
    sequence of mappings of channel fields (:data:`CHANNEL_FIELDS`), ``opening_hours`` a text or an
    :class:`~guichet.engine.profiles.OpeningHours`.
    """
    unknown = sorted(set(values) - set(REQUEST_FIELDS))
    if unknown:
        raise TypeError(f"build_request() got an unexpected keyword argument {unknown[0]!r}")
    minutes = _number("interval_minutes", values.get("interval_minutes"))
    built = _channels(values)
    opening_hours = values.get("opening_hours")
    hours = _opening_hours(opening_hours)
    source = values.get("opening_hours_source") or ("default" if opening_hours in (None, "") else "given")
    if source not in OPENING_HOURS_SOURCES:
        raise StaffingInputError("opening_hours_source", f"unknown source {source!r}", code="invalid")
    _check_grid(built, hours, minutes)
    hiring = _hiring(values)
    contract = _number("contract_hours_per_week", values.get("contract_hours_per_week"))
    part_time_hours = _number("part_time_hours_per_week", values.get("part_time_hours_per_week"))
    if part_time_hours > contract:
        raise StaffingInputError(
            "part_time_hours_per_week",
            f"is more than the contractual week ({contract:g} h)",
            code="above_maximum",
            limit=contract,
        )
    return SizingRequest(
        channels=built,
        opening_hours=hours,
        opening_hours_source=source,
        interval_minutes=minutes,
        shrinkage=split_shrinkage(
            total=values.get("shrinkage"),
            absence=values.get("absence_shrinkage"),
            on_site=values.get("on_site_shrinkage"),
        ),
        contract_hours_per_week=contract,
        part_time_share=_number("part_time_share", values.get("part_time_share")),
        part_time_hours_per_week=part_time_hours,
        seats=SeatsPolicy(
            agents_per_seat=_optional("agents_per_seat", values.get("agents_per_seat")),
            spare_seat_ratio=_number("spare_seat_ratio", values.get("spare_seat_ratio")),
            area_per_seat_m2=_number("area_per_seat_m2", values.get("area_per_seat_m2")),
            support_area_m2=_number("support_area_m2", values.get("support_area_m2")),
        ),
        hiring=hiring,
    )


# --- from the request to intervals ----------------------------------------------------------------


def _week_grid(request: SizingRequest) -> list[tuple[int, int]]:
    step = int(request.interval_minutes)
    return [(day, start) for day in range(7) for start in range(0, pf.MINUTES_PER_DAY, step)]


def _channel_intervals(channel: Channel, request: SizingRequest) -> list[fc.ForecastInterval]:
    volume = channel.volume
    if volume.kind == "forecast":
        return list(volume.forecast)
    aht = channel.aht_seconds
    assert aht is not None
    minutes = int(request.interval_minutes)
    hours = request.opening_hours
    if volume.kind == "per_interval":
        amount = volume.amount or 0.0
        rows = []
        for day, start in _week_grid(request):
            is_open = hours.open_minutes(day, start, start + minutes) > 0
            rows.append(
                fc.ForecastInterval(pf.interval_label(day, start), amount if is_open else 0.0, aht, is_open)
            )
        return rows
    assert channel.profile is not None
    spread = pf.spread_volume(
        per_day=volume.amount if volume.kind == "per_day" else None,
        per_week=volume.amount if volume.kind == "per_week" else None,
        profile=channel.profile,
        hours=hours,
        interval_minutes=minutes,
    )
    return [
        fc.ForecastInterval(pf.interval_label(d, s), calls, aht, is_open) for d, s, calls, is_open in spread
    ]


def request_forecast(request: SizingRequest, channel: int = 0) -> tuple[fc.ForecastInterval, ...]:
    """The intervals a channel's volume becomes: written with :func:`guichet.engine.forecast.forecast_csv`
    it is the forecast file that sizes to the same agents per interval."""
    return tuple(_channel_intervals(request.channels[channel], request))


def _workload(
    intervals: Sequence[fc.ForecastInterval], channel: Channel, minutes: float
) -> list[ag.StaffingResult]:
    """Deferred work: ceil(load / max occupancy) agents, load = volume x AHT / interval (exact)."""
    cap = Fraction(repr(channel.target.max_occupancy)) if channel.target.max_occupancy else Fraction(1)
    minutes_exact = Fraction(repr(float(minutes)))
    results = []
    for interval in intervals:
        load = Fraction(0)
        if interval.open and interval.calls:
            load = (
                Fraction(repr(interval.calls)) * Fraction(repr(interval.aht_seconds)) / (minutes_exact * 60)
            )
            if load > st.MAX_TRAFFIC_ERLANGS:
                raise StaffingInputError(
                    "calls",
                    f"the load is above {st.MAX_TRAFFIC_ERLANGS:,} Erlangs (calls x AHT / interval length)",
                    code="load_too_high",
                    limit=st.MAX_TRAFFIC_ERLANGS,
                )
        agents = math.ceil(load / cap)
        metrics = ag.QueueMetrics(
            "workload",
            agents,
            float(load),
            True,
            0.0,
            None,
            None,
            None,
            float(load / agents) if agents else 0.0,
        )
        results.append(
            ag.StaffingResult(
                interval.label,
                interval.calls,
                interval.aht_seconds,
                float(minutes),
                float(load),
                channel.target,
                0.0,
                agents,
                agents,
                "workload" if agents else "closed",
                metrics,
            )
        )
    return results


def _queue(
    intervals: Sequence[fc.ForecastInterval], channel: Channel, minutes: float
) -> list[ag.StaffingResult]:
    if channel.concurrency == 1:
        return list(ag.iter_staffing(intervals, channel.target, interval_minutes=minutes))
    # A chat agent handles `concurrency` chats at once: each holds the agent 1/concurrency of its time.
    k = channel.concurrency
    shared = [fc.ForecastInterval(i.label, i.calls, i.aht_seconds / k, i.open) for i in intervals]
    results = ag.iter_staffing(shared, channel.target, interval_minutes=minutes)
    return [replace(r, aht_seconds=i.aht_seconds) for r, i in zip(results, intervals, strict=True)]


# --- the result -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChannelSizing:
    channel: str
    model: str
    calls_per_week: float
    peak_agents: int
    weekly_agent_hours: float
    results: tuple[ag.StaffingResult, ...]


@dataclass(frozen=True, slots=True)
class SizingResult:
    """A sizing: agents per interval (all channels) and the site they make.

    ``positions`` are (weekday, start minute) of each interval when known (spread volumes, forecast labels
    such as ``mon 08:00``). ``weeks`` is the number of weeks the intervals cover (weekly figures are
    divided by it). ``scheduled_agents`` are paid for (agents / (1 - total shrinkage)), ``people_on_site``
    in the building (agents / (1 - the on-site share)); seats are for the peak of the latter.
    ``headcount`` is people (jobs): the FTE over the part-time mix. ``floor_area_m2`` is the exact ceiling of
    seats x area per seat + support areas. ``peak_occupancy`` is the highest occupancy of a queued channel
    (calls, chats) in any interval. ``warnings`` are codes: ``typical_profile`` (a built-in shape was
    used), ``default_opening_hours``, ``seats_below_peak`` (the per-agent seat policy leaves people in the
    building at the peak without a seat), ``closed_with_calls`` (a forecast's closed intervals had calls,
    left unanswered), ``shrinkage_from_total`` (the single total shrinkage was split by the default rule),
    ``high_occupancy`` (``peak_occupancy`` above :data:`~guichet.engine.staffing.OCCUPANCY_WARNING`)."""

    request: SizingRequest
    weeks: float
    labels: tuple[str, ...]
    positions: tuple[tuple[int, int] | None, ...]
    agents: tuple[int, ...]
    scheduled_agents: tuple[int, ...]
    channels: tuple[ChannelSizing, ...]
    peak_index: int
    peak_agents: int
    peak_scheduled_agents: int
    peak_label: str
    calls_per_week: float
    weekly_agent_hours: float
    weekly_scheduled_agent_hours: float
    fte: float
    headcount: int
    seats: int
    floor_area_m2: int
    hiring: hr.HiringPlan
    warnings: tuple[str, ...]
    people_on_site: tuple[int, ...]
    peak_people_on_site: int
    peak_occupancy: float | None


def _weeks(volume: Volume, count: int, minutes: float) -> Fraction:
    if volume.kind != "forecast":
        return Fraction(1)
    if volume.days_per_week is not None:
        return Fraction(1, volume.days_per_week)
    # A forecast is a week (or less, then the rest is closed) unless it runs longer.
    span = Fraction(count) * Fraction(repr(float(minutes)))
    return max(Fraction(1), span / pf.MINUTES_PER_WEEK)


def _ceil_over(counts: Sequence[int], share: Fraction) -> list[int]:
    """``ceil(n / share)`` for each count, in exact integers."""
    return [-((-n * share.denominator) // share.numerator) for n in counts]


@dataclass(frozen=True, slots=True)
class _Site:
    fte: Fraction
    headcount: int
    seats: int
    floor_area_m2: int
    seats_below_peak: bool


def _site(request: SizingRequest, weekly_scheduled: Fraction, peak_on_site: int) -> _Site:
    """FTE, people, seats and floor area from the week's paid agent-hours and the peak in the building."""
    contract = st.exact(request.contract_hours_per_week)
    fte = weekly_scheduled / contract
    # People: a share p of them work h hours instead of the contractual H, so N (1 - p + p h / H) = FTE.
    part = st.exact(request.part_time_share)
    per_person = 1 - part + part * st.exact(request.part_time_hours_per_week) / contract
    headcount = math.ceil(fte / per_person)
    policy = request.seats
    spare = 1 + st.exact(policy.spare_seat_ratio)
    below_peak = False
    if policy.agents_per_seat is None:
        seats = math.ceil(peak_on_site * spare)
    else:
        seats = math.ceil(fte / st.exact(policy.agents_per_seat) * spare)
        below_peak = seats < peak_on_site
    area = seats * st.exact(policy.area_per_seat_m2) + st.exact(policy.support_area_m2)
    return _Site(fte, headcount, seats, math.ceil(area), below_peak)


def _peak_occupancy(
    request: SizingRequest, channel_results: Sequence[Sequence[ag.StaffingResult]]
) -> float | None:
    """The highest occupancy of a queued channel in any staffed interval (None: no queue staffed)."""
    occupancies = [
        r.metrics.occupancy
        for channel, results in zip(request.channels, channel_results, strict=True)
        if not channel.deferred
        for r in results
        if r.agents
    ]
    return max(occupancies, default=None)


def _warnings(
    request: SizingRequest,
    intervals: Sequence[fc.ForecastInterval],
    *,
    site: _Site,
    peak_occupancy: float | None,
) -> list[str]:
    warnings: list[str] = []
    if request.opening_hours_source == "default" and any(
        c.volume.kind != "forecast" for c in request.channels
    ):
        warnings.append("default_opening_hours")
    if any(c.profile is not None and c.profile.typical for c in request.channels):
        warnings.append("typical_profile")
    if site.seats_below_peak:
        warnings.append("seats_below_peak")
    if request.channels[0].volume.kind == "forecast" and any(not i.open and i.calls > 0 for i in intervals):
        warnings.append("closed_with_calls")
    if request.shrinkage.split == "total":
        warnings.append("shrinkage_from_total")
    if peak_occupancy is not None and peak_occupancy > st.OCCUPANCY_WARNING:
        warnings.append("high_occupancy")
    return warnings


def size(request: SizingRequest) -> SizingResult:
    """Agents per interval, FTE, headcount, seats, floor area and hires for the request."""
    minutes = request.interval_minutes
    per_channel = [_channel_intervals(channel, request) for channel in request.channels]
    count = len(per_channel[0])
    for index, intervals in enumerate(per_channel[1:]):
        if len(intervals) != count:
            raise StaffingInputError(
                f"channels.{index}", "does not cover the same intervals", code="conflict"
            )
    weeks = _weeks(request.channels[0].volume, count, minutes)
    hours = Fraction(repr(float(minutes))) / 60
    channel_results = []
    for channel, intervals in zip(request.channels, per_channel, strict=True):
        results = (
            _workload(intervals, channel, minutes)
            if channel.deferred
            else _queue(intervals, channel, minutes)
        )
        channel_results.append(results)
    agents = [sum(column) for column in zip(*([r.agents for r in rs] for rs in channel_results), strict=True)]
    scheduled = _ceil_over(agents, request.shrinkage.on_phones)
    on_site = _ceil_over(agents, request.shrinkage.on_phones_in_building)
    peak_scheduled = max(scheduled)
    peak_index = scheduled.index(peak_scheduled)
    weekly_scheduled = sum(scheduled) * hours / weeks
    site = _site(request, weekly_scheduled, max(on_site))
    hiring = hr.hiring_plan(
        target_headcount=site.headcount,
        target_seats=site.seats,
        years=request.hiring.years,
        ramp=request.hiring.ramp,
        annual_attrition=request.hiring.annual_attrition,
        candidates_per_hire=request.hiring.candidates_per_hire,
    )
    labels = tuple(interval.label for interval in per_channel[0])
    if request.channels[0].volume.kind == "forecast":
        positions = tuple(pf.parse_interval_label(label) for label in labels)
    else:
        positions = tuple(_week_grid(request))
    peak_occupancy = _peak_occupancy(request, channel_results)
    sizings = tuple(
        ChannelSizing(
            channel.channel,
            channel.model,
            math.fsum(i.calls for i in intervals if i.open) / float(weeks),
            max(r.agents for r in results),
            float(sum(r.agents for r in results) * hours / weeks),
            tuple(results),
        )
        for channel, intervals, results in zip(request.channels, per_channel, channel_results, strict=True)
    )
    return SizingResult(
        request=request,
        weeks=float(weeks),
        labels=labels,
        positions=positions,
        agents=tuple(agents),
        scheduled_agents=tuple(scheduled),
        channels=sizings,
        peak_index=peak_index,
        peak_agents=max(agents),
        peak_scheduled_agents=peak_scheduled,
        peak_label=labels[peak_index],
        calls_per_week=sum(c.calls_per_week for c in sizings),
        weekly_agent_hours=float(sum(agents) * hours / weeks),
        weekly_scheduled_agent_hours=float(weekly_scheduled),
        fte=float(site.fte),
        headcount=site.headcount,
        seats=site.seats,
        floor_area_m2=site.floor_area_m2,
        hiring=hiring,
        warnings=tuple(_warnings(request, per_channel[0], site=site, peak_occupancy=peak_occupancy)),
        people_on_site=tuple(on_site),
        peak_people_on_site=max(on_site),
        peak_occupancy=peak_occupancy,
    )


# --- the one JSON shape ---------------------------------------------------------------------------


def _channel_inputs(channel: Channel) -> dict[str, Any]:
    volume = channel.volume
    target = channel.target
    values: dict[str, Any] = {
        "channel": channel.channel,
        "calls": volume.amount if volume.kind == "per_interval" else None,
        "calls_per_day": volume.amount if volume.kind == "per_day" else None,
        "calls_per_week": volume.amount if volume.kind == "per_week" else None,
        "aht_seconds": channel.aht_seconds,
        "profile": channel.profile.code if channel.profile is not None else None,
        "hourly_profile": None,
        "daily_profile": None,
        "service_level": None if channel.deferred else target.service_level,
        "answer_seconds": None if channel.deferred else target.answer_seconds,
        "asa_seconds": None if channel.deferred else target.asa_seconds,
        "max_occupancy": target.max_occupancy,
        "patience_seconds": None if channel.deferred else target.patience_seconds,
        "max_abandon": None if channel.deferred else target.max_abandon,
        "concurrency": channel.concurrency,
    }
    if channel.profile is not None and not channel.profile.typical:
        values["hourly_profile"] = list(channel.profile.hourly)
        values["daily_profile"] = list(channel.profile.daily)
    return values


def request_inputs(request: SizingRequest) -> dict[str, Any]:
    """The request as the flat values :func:`build_request` takes (a forecast's intervals aside): feeding
    them back (with the forecast) builds the same request."""
    main = request.channels[0]
    values = _channel_inputs(main)
    values.update(
        {
            "days_per_week": main.volume.days_per_week,
            "opening_hours": request.opening_hours.text(),
            "opening_hours_source": request.opening_hours_source,
            "interval_minutes": request.interval_minutes,
            "shrinkage": request.shrinkage.total,
            "absence_shrinkage": request.shrinkage.absence,
            "on_site_shrinkage": request.shrinkage.on_site,
            "contract_hours_per_week": request.contract_hours_per_week,
            "part_time_share": request.part_time_share,
            "part_time_hours_per_week": request.part_time_hours_per_week,
            "agents_per_seat": request.seats.agents_per_seat,
            "spare_seat_ratio": request.seats.spare_seat_ratio,
            "area_per_seat_m2": request.seats.area_per_seat_m2,
            "support_area_m2": request.seats.support_area_m2,
            "years": request.hiring.years,
            "ramp": list(request.hiring.ramp),
            "annual_attrition": request.hiring.annual_attrition,
            "candidates_per_hire": request.hiring.candidates_per_hire,
            "channels": [_channel_inputs(channel) for channel in request.channels[1:]],
        }
    )
    return values


def _volume_kind(request: SizingRequest) -> str:
    return request.channels[0].volume.kind


def sizing_as_dict(result: SizingResult, *, intervals: bool = True) -> dict[str, Any]:
    """The result as JSON-ready values, with the same field names on the command line, in the API and on
    the project (which keeps the intervals with its history and the rest on the project)."""
    request = result.request
    main = result.channels[0]
    peak_metrics = main.results[result.peak_index].metrics
    profile = request.channels[0].profile
    body: dict[str, Any] = {
        "model": request.channels[0].model,
        "volume_kind": _volume_kind(request),
        "interval_minutes": request.interval_minutes,
        "weeks": result.weeks,
        "opening_hours": request.opening_hours.text(),
        "opening_hours_per_week": request.opening_hours.hours_per_week,
        "profile": None
        if profile is None
        else {
            "code": profile.code,
            "typical": profile.typical,
            "hourly": list(profile.hourly),
            "daily": list(profile.daily),
        },
        "inputs": request_inputs(request),
        "channels": [
            {
                "channel": c.channel,
                "model": c.model,
                "calls_per_week": c.calls_per_week,
                "peak_agents": c.peak_agents,
                "weekly_agent_hours": c.weekly_agent_hours,
            }
            for c in result.channels
        ],
        "calls_per_week": result.calls_per_week,
        "agents": result.peak_agents,
        "scheduled_agents": result.peak_scheduled_agents,
        "people_on_site": result.peak_people_on_site,
        "peak_label": result.peak_label,
        "service_level": peak_metrics.service_level,
        "occupancy": peak_metrics.occupancy,
        "peak_occupancy": result.peak_occupancy,
        "occupancy_warning": st.OCCUPANCY_WARNING,
        "asa_seconds": peak_metrics.asa_seconds,
        "mean_wait_seconds": peak_metrics.mean_wait_seconds,
        "p_wait": peak_metrics.p_wait,
        "p_abandon": peak_metrics.p_abandon,
        "shrinkage": {
            "total": request.shrinkage.total,
            "absence": request.shrinkage.absence,
            "on_site": request.shrinkage.on_site,
            "split": request.shrinkage.split,
        },
        "weekly_agent_hours": result.weekly_agent_hours,
        "weekly_scheduled_agent_hours": result.weekly_scheduled_agent_hours,
        "fte": result.fte,
        "headcount": result.headcount,
        "seats": result.seats,
        "floor_area_m2": result.floor_area_m2,
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
            for y in result.hiring.years
        ],
        "total_hires": result.hiring.total_hires,
        "total_candidates": result.hiring.total_candidates,
        "warnings": list(result.warnings),
        "sources": dict(st.SOURCES),
    }
    if intervals:
        body["intervals"] = interval_rows(result)
    return body


def interval_rows(result: SizingResult) -> list[dict[str, Any]]:
    """One row per interval: the main channel's queue figures, the agents of every channel (``agents`` is
    their sum, ``channel_agents`` each one's), the scheduled agents after shrinkage and the people in the
    building."""
    rows = []
    several = len(result.channels) > 1
    for index, r in enumerate(result.channels[0].results):
        m = r.metrics
        position = result.positions[index]
        rows.append(
            {
                "label": r.label,
                "day": None if position is None else position[0],
                "start_minute": None if position is None else position[1],
                "calls": r.calls,
                "aht_seconds": r.aht_seconds,
                "traffic_erlangs": r.traffic,
                "agents": result.agents[index],
                "scheduled_agents": result.scheduled_agents[index],
                "people_on_site": result.people_on_site[index],
                "channel_agents": [c.results[index].agents for c in result.channels]
                if several
                else [r.agents],
                "binding": r.binding,
                "service_level": m.service_level,
                "asa_seconds": m.asa_seconds,
                "mean_wait_seconds": m.mean_wait_seconds,
                "occupancy": m.occupancy,
                "p_wait": m.p_wait,
                "p_abandon": m.p_abandon,
                "stable": m.stable,
            }
        )
    return rows


# --- a stored sizing, read back -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredChannel:
    channel: str
    model: str
    calls_per_week: float
    peak_agents: int
    weekly_agent_hours: float


@dataclass(frozen=True, slots=True)
class StoredSizing:
    """A sizing as a project keeps it (:func:`sizing_as_dict` without the intervals), read back with its
    types: the one reader of that JSON. A figure a sizing stored by an earlier version lacks (or holds as
    something other than a finite number) reads as None; a missing list as empty. ``inputs`` are the
    request's flat values (:func:`request_inputs`), to feed back to :func:`build_request` or show.

    ``headcount`` is the jobs (people); ``seats`` are for the people in the building at the peak
    (``people_on_site``; sizings stored before this version sized them on the scheduled agents and have no
    ``people_on_site``). ``peak_occupancy`` is the highest occupancy of a queued channel; ``service_level``,
    ``asa_seconds`` (the answered calls' mean wait), ``mean_wait_seconds`` (all callers') and ``p_abandon``
    are the main channel's at the busiest interval (an earlier version's ``asa_seconds`` with abandonment
    was all callers' wait: it lacks ``mean_wait_seconds``)."""

    inputs: Mapping[str, Any]
    model: str
    volume_kind: str | None
    interval_minutes: float
    opening_hours: str
    profile_typical: bool
    channels: tuple[StoredChannel, ...]
    peak_label: str | None
    seats: float | None
    headcount: float | None
    floor_area_m2: float | None
    hiring: tuple[hr.HiringYear, ...]
    warnings: tuple[str, ...]
    sized: bool = True
    fte: float | None = None
    people_on_site: float | None = None
    peak_occupancy: float | None = None
    service_level: float | None = None
    asa_seconds: float | None = None
    mean_wait_seconds: float | None = None
    p_abandon: float | None = None


def _stored_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return value


def _stored_hiring_year(row: Mapping[str, Any]) -> hr.HiringYear:
    return hr.HiringYear(
        year=int(row.get("year", 0)),
        share_of_target=float(row.get("share_of_target", 0.0)),
        seats=int(row.get("seats", 0)),
        headcount=int(row.get("headcount", 0)),
        growth_hires=int(row.get("growth_hires", 0)),
        replacement_hires=int(row.get("replacement_hires", 0)),
        hires=int(row.get("hires", 0)),
        candidates=int(row.get("candidates", 0)),
    )


def read_sizing(body: Mapping[str, Any] | None) -> StoredSizing:
    """The stored sizing ``body`` (a project's ``sizing``, a history record's ``summary``) with its types;
    None or empty reads as a sizing with nothing in it (``sized`` False)."""
    sized = bool(body)
    body = body or {}
    peak = body.get("peak_label")
    return StoredSizing(
        inputs=body.get("inputs") or {},
        model=str(body.get("model") or ""),
        volume_kind=body.get("volume_kind"),
        interval_minutes=float(body.get("interval_minutes", st.DEFAULT_INTERVAL_MINUTES)),
        opening_hours=str(body.get("opening_hours") or ""),
        profile_typical=bool((body.get("profile") or {}).get("typical")),
        channels=tuple(
            StoredChannel(
                channel=c["channel"],
                model=c.get("model", ""),
                calls_per_week=c.get("calls_per_week", 0.0),
                peak_agents=c.get("peak_agents", 0),
                weekly_agent_hours=c.get("weekly_agent_hours", 0.0),
            )
            for c in body.get("channels") or []
        ),
        peak_label=peak if isinstance(peak, str) else None,
        seats=_stored_number(body.get("seats")),
        headcount=_stored_number(body.get("headcount")),
        floor_area_m2=_stored_number(body.get("floor_area_m2")),
        hiring=tuple(_stored_hiring_year(row) for row in body.get("hiring") or []),
        warnings=tuple(body.get("warnings") or ()),
        sized=sized,
        fte=_stored_number(body.get("fte")),
        people_on_site=_stored_number(body.get("people_on_site")),
        peak_occupancy=_stored_number(body.get("peak_occupancy")),
        service_level=_stored_number(body.get("service_level")),
        # Before the answered callers' ASA, an Erlang A sizing stored all callers' wait under this name.
        asa_seconds=_stored_number(body.get("asa_seconds")) if "mean_wait_seconds" in body else None,
        mean_wait_seconds=_stored_number(body.get("mean_wait_seconds")),
        p_abandon=_stored_number(body.get("p_abandon")),
    )
