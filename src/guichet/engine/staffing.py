"""Staffing engine: from a call forecast to agents, FTE, seats, floor area and hires, and back again.

Pure computations (no Django, no I/O): plain values in, frozen dataclasses out, every default a parameter
echoed in the result. Queue formulas live in :mod:`guichet.engine.erlang`; see ``docs/staffing.md``.

Whole-number answers are exact. The load ``A = calls x AHT / interval``, the occupancy bound
``ceil(A / max_occupancy)``, the shrinkage step ``ceil(agents / (1 - shrinkage))``, seats, FTE headcounts
and hires are computed with :class:`fractions.Fraction` from the decimal the user typed (``0.7`` is 7/10),
so an exact tie such as ``21 / 0.7 = 30`` gives 30, never 31. Searches for the number of agents start from
a Halfin-Whitt (square-root staffing) guess and gallop then bisect on a monotone criterion; a forecast is
processed in vectorised chunks and streamed, so memory does not grow with the number of intervals beyond
the results the caller keeps.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray
from scipy import special

from guichet.engine import erlang

__all__ = [
    "DEFAULT_ANNUAL_ATTRITION",
    "DEFAULT_AREA_PER_SEAT_M2",
    "DEFAULT_CANDIDATES_PER_HIRE",
    "DEFAULT_CONTRACT_HOURS_PER_WEEK",
    "SOURCES",
    "BuildingCapacity",
    "ForecastInterval",
    "HiringPlan",
    "HiringYear",
    "PlanSummary",
    "QueueMetrics",
    "SiteParameters",
    "SiteSizing",
    "StaffingInputError",
    "StaffingPlan",
    "StaffingResult",
    "Target",
    "building_capacity",
    "check_limit",
    "check_whole",
    "forecast_csv",
    "hiring_plan",
    "iter_staffing",
    "parse_forecast_csv",
    "parse_service_level",
    "plan_staffing",
    "queue_metrics",
    "required_agents",
    "scheduled_agents",
    "site_from_interval",
    "site_from_plan",
    "size_site",
    "summarise_staffing",
    "traffic_erlangs",
]

Number = int | float | Fraction
IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

# --- the one set of defaults, and where each comes from ----------------------------------------------
# Every sizing (command line, API, project page) starts from these values through
# :func:`guichet.engine.sizing.build_request`; docs/staffing.md lists them with their sources.
DEFAULT_SERVICE_LEVEL = 0.8
DEFAULT_ANSWER_SECONDS = 20.0
DEFAULT_INTERVAL_MINUTES = 30
DEFAULT_SHRINKAGE = 0.30
DEFAULT_CONTRACT_HOURS_PER_WEEK = 35.0
DEFAULT_AREA_PER_SEAT_M2 = 10.7
DEFAULT_SPARE_SEAT_RATIO = 0.10
DEFAULT_OPEN_HOURS_PER_WEEK = 60.0
DEFAULT_ANNUAL_ATTRITION = 0.40
DEFAULT_CANDIDATES_PER_HIRE = 3.5
DEFAULT_HIRING_YEARS = 3
DEFAULT_RAMP = (0.5, 0.75, 1.0)

# Beyond a million Erlangs in one interval the engine's figures are not checked against the reference:
# such a load is refused as out of range rather than computed.
MAX_TRAFFIC_ERLANGS = 1_000_000


def gettext_noop(text: str) -> str:
    """Marks a citation for the translation catalogue; pages translate it, the engine keeps it as is."""
    return text


# Where each default comes from. (``xgettext:no-python-format`` keeps the translation tools from reading a
# percent sign as a format directive.)
SOURCES: dict[str, str] = {
    "service_level": gettext_noop(
        # xgettext:no-python-format
        "Industry convention: 80% of calls answered within 20 s (Call Centre Helper; the pyworkforce "
        "tutorial's worked example)"
    ),
    "shrinkage": gettext_noop(
        # xgettext:no-python-format
        "Industry surveys (Bocklund, GoTo): 20-35% of paid time off the phones, 30-35% on average; "
        "default 30%"
    ),
    "contract_hours_per_week": gettext_noop("French legal working week (35 h)"),
    "area_per_seat_m2": gettext_noop(
        "French cases: Teleperformance Blagnac, 6,000 m² for 560 positions + 80 staff, about 10.7 m² a "
        "position, common areas included (trade press); Site Selection Group gives 9.3-12.1 m²"
    ),
    "spare_seat_ratio": gettext_noop(
        # xgettext:no-python-format
        "Assumption (house default, not a published figure): 10% spare seats"
    ),
    "agents_per_seat": gettext_noop(
        "Call Centre Helper; citeops: 1.0 FTE per seat for one shift, more with long opening hours (2.18 "
        "for 18 h x 6 days); default: seats for the peak of simultaneous agents instead"
    ),
    "opening_hours": gettext_noop(
        "Assumption (house default): Monday to Friday, 8:00-20:00 (60 h a week) when the project gives none"
    ),
    "profile": gettext_noop(
        "Typical shapes (house assumption, not measured data): replace them with the investor's own "
        "history when it has one"
    ),
    "annual_attrition": gettext_noop(
        # xgettext:no-python-format
        "ContactBabel; FurstPerson: 30-50% a year (US 42% in 2022); default 40%"
    ),
    "candidates_per_hire": gettext_noop(
        "NACSMA: 3-4 candidates per hire (600-800 candidates for 200 hires); default 3.5"
    ),
    "ramp": gettext_noop(
        # xgettext:no-python-format
        "Assumption (house default): 50%, 75%, then 100% of the target in years 1, 2, 3"
    ),
}

# Bounds of every number a sizing takes: (lowest, highest, lowest allowed itself, highest allowed itself).
# The API's schema, the project form and the engine read them here, so a value refused in one place is
# refused everywhere, and no value can push the arithmetic out of range.
LIMITS: dict[str, tuple[float, float, bool, bool]] = {
    "calls": (0, 1e9, True, True),
    "calls_per_day": (0, 1e9, True, True),
    "calls_per_week": (0, 1e9, True, True),
    "aht_seconds": (1, 86_400, True, True),
    "interval_minutes": (1, 1_440, True, True),
    "service_level": (0, 1, False, False),
    "answer_seconds": (0, 86_400, True, True),
    "asa_seconds": (0, 86_400, False, True),
    "max_occupancy": (0.1, 1, True, True),
    "patience_seconds": (1, 86_400, True, True),
    "max_abandon": (0, 1, False, False),
    "concurrency": (1, 20, True, True),
    "shrinkage": (0, 0.9, True, True),
    "contract_hours_per_week": (1, 168, True, True),
    "agents_per_seat": (0.1, 10, True, True),
    "spare_seat_ratio": (0, 10, True, True),
    "area_per_seat_m2": (0.1, 1_000, True, True),
    "support_area_m2": (0, 10_000_000, True, True),
    "years": (1, 50, True, True),
    "annual_attrition": (0, 5, True, True),
    "candidates_per_hire": (1, 1_000, True, True),
    "days_per_week": (1, 7, True, True),
    "profile_weight": (0, 1e6, True, True),
}


class StaffingInputError(ValueError):
    """An input the engine refuses. ``field`` names it, ``code`` says what is wrong (for a page to phrase in
    its reader's language), ``limit`` is the bound it crossed, if any, and ``line`` the forecast line.
    ``message`` is the English wording the command line and the API print.

    Codes: ``not_a_number``, ``not_finite``, ``not_positive``, ``negative``, ``below_minimum``,
    ``above_maximum``, ``not_a_share``, ``load_too_high``, ``not_whole``, ``required``, ``conflict``,
    ``syntax`` and ``invalid`` (any other refusal; the message says which).
    """

    def __init__(
        self,
        field: str,
        message: str,
        *,
        line: int | None = None,
        code: str = "invalid",
        limit: float | None = None,
    ) -> None:
        self.field = field
        self.line = line
        self.message = message
        self.code = code
        self.limit = limit
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{field}: {message}")


# --- exact arithmetic -----------------------------------------------------------------------------


def _exact(value: Number) -> Fraction:
    """The exact rational a user meant: a float is read through its shortest repr (0.7 -> 7/10)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def _ceil(value: Fraction) -> int:
    return math.ceil(value)


def _floor(value: Fraction) -> int:
    return math.floor(value)


def _ratio(value: Number) -> tuple[int, int]:
    """(numerator, denominator) of the exact value, without a Fraction for whole numbers."""
    if isinstance(value, int):
        return value, 1
    if isinstance(value, float) and value.is_integer():
        return int(value), 1
    exact = _exact(value)
    return exact.numerator, exact.denominator


# --- validation -----------------------------------------------------------------------------------


def _finite(name: str, value: Number) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise StaffingInputError(name, f"must be a number, got {value!r}", code="not_a_number")
    try:
        number = float(value)
    except OverflowError:  # an int or Fraction too large for a float
        number = math.inf
    if not math.isfinite(number):
        raise StaffingInputError(name, f"must be a finite number, got {value!r}", code="not_finite")
    return number


def _positive(name: str, value: Number) -> float:
    number = _finite(name, value)
    if number <= 0:
        raise StaffingInputError(name, f"must be greater than 0, got {value!r}", code="not_positive")
    return number


def _non_negative(name: str, value: Number) -> float:
    number = _finite(name, value)
    if number < 0:
        raise StaffingInputError(name, f"must be 0 or more, got {value!r}", code="negative")
    return number


def _open_unit(name: str, value: Number) -> float:
    number = _finite(name, value)
    if not 0 < number < 1:
        raise StaffingInputError(name, f"must be strictly between 0 and 1, got {value!r}", code="not_a_share")
    return number


def _shrinkage(value: Number) -> float:
    number = _finite("shrinkage", value)
    if not 0 <= number < 1:
        raise StaffingInputError(
            "shrinkage", f"must be at least 0 and below 1, got {value!r}", code="not_a_share"
        )
    return number


def check_limit(name: str, value: Number, *, bound: str | None = None) -> float:
    """``value`` checked against ``LIMITS[bound or name]``: a finite number inside the bounds, or a
    :class:`StaffingInputError` naming ``name`` with the code of the bound it crossed."""
    low, high, low_ok, high_ok = LIMITS[bound or name]
    number = _finite(name, value)
    if number < low or (number == low and not low_ok):
        if low == 0 and not low_ok:
            raise StaffingInputError(name, f"must be greater than 0, got {value!r}", code="not_positive")
        if low == 0:
            raise StaffingInputError(name, f"must be 0 or more, got {value!r}", code="negative")
        raise StaffingInputError(
            name, f"must be at least {low:g}, got {value!r}", code="below_minimum", limit=low
        )
    if number > high or (number == high and not high_ok):
        if (low, high) == (0, 1):
            raise StaffingInputError(name, f"must be below 1, got {value!r}", code="not_a_share")
        raise StaffingInputError(
            name, f"must be at most {high:g}, got {value!r}", code="above_maximum", limit=high
        )
    return number


def check_whole(name: str, value: object, *, bound: str | None = None) -> int:
    """A whole number inside ``LIMITS[bound or name]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise StaffingInputError(name, f"must be a whole number, got {value!r}", code="not_whole")
    check_limit(name, value, bound=bound)
    return value


def parse_service_level(text: str) -> tuple[float, float]:
    """``"80/20"`` -> ``(0.8, 20.0)``: the share (percent, or a fraction below 1) within that many seconds."""
    share_text, sep, seconds_text = text.partition("/")
    try:
        share = float(share_text.replace(",", "."))
        seconds = float(seconds_text.replace(",", ".")) if sep else math.nan
    except ValueError:
        share = seconds = math.nan
    if not (math.isfinite(share) and math.isfinite(seconds)):
        raise StaffingInputError(
            "service_level", f"expected PERCENT/SECONDS such as 80/20, got {text!r}", code="syntax"
        )
    fraction = float(_exact(share) / 100) if share >= 1 else share
    _open_unit("service_level", fraction)
    check_limit("answer_seconds", seconds)
    return fraction, seconds


# --- targets and queue figures --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """What the staffing must achieve. ``patience_seconds`` selects Erlang A (callers abandon).

    With no service level and no ASA (and, for Erlang A, no abandonment cap) the default 80/20 applies.
    """

    service_level: float | None = 0.8
    answer_seconds: float = 20.0
    asa_seconds: float | None = None
    max_abandon: float | None = None
    max_occupancy: float | None = None
    patience_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.service_level is not None:
            _open_unit("service_level", self.service_level)
        check_limit("answer_seconds", self.answer_seconds)
        if self.asa_seconds is not None:
            _positive("asa_seconds", self.asa_seconds)
            check_limit("asa_seconds", self.asa_seconds)
        if self.max_occupancy is not None:
            occupancy = _finite("max_occupancy", self.max_occupancy)
            if not 0 < occupancy <= 1:
                raise StaffingInputError(
                    "max_occupancy", f"must be above 0 and at most 1, got {occupancy!r}", code="not_a_share"
                )
        if self.patience_seconds is not None:
            _positive("patience_seconds", self.patience_seconds)
            check_limit("patience_seconds", self.patience_seconds)
        if self.max_abandon is not None:
            _open_unit("max_abandon", self.max_abandon)
            if self.patience_seconds is None:
                raise StaffingInputError(
                    "max_abandon", "needs patience_seconds (the Erlang A model)", code="needs_patience"
                )
        if self.service_level is None and self.asa_seconds is None and self.max_abandon is None:
            raise StaffingInputError(
                "service_level", "give a service level, an ASA or a maximum abandonment", code="required"
            )

    @property
    def model(self) -> str:
        return "erlang_a" if self.patience_seconds is not None else "erlang_c"


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    """Queue figures for ``agents`` on the phones. ``stable`` is False when an Erlang C queue never clears
    (agents <= traffic): then every caller waits, the service level is 0 and the ASA is undefined (None)."""

    model: str
    agents: int
    traffic: float
    stable: bool
    p_wait: float
    service_level: float | None
    answer_seconds: float | None
    asa_seconds: float | None
    occupancy: float
    p_abandon: float | None = None

    @property
    def note(self) -> str:
        if self.stable:
            return ""
        return f"the queue never clears: {self.agents} agents for {self.traffic:.4g} Erlangs"


def traffic_erlangs(calls: Number, aht_seconds: Number, interval_minutes: Number = 30) -> float:
    """Offered load in Erlangs: calls x AHT / interval length."""
    return float(_exact_traffic(calls, aht_seconds, interval_minutes))


def _exact_traffic(calls: Number, aht_seconds: Number, interval_minutes: Number) -> Fraction:
    _non_negative("calls", calls)
    _positive("aht_seconds", aht_seconds)
    _positive("interval_minutes", interval_minutes)
    calls_num, calls_den = _ratio(calls)
    aht_num, aht_den = _ratio(aht_seconds)
    minutes_num, minutes_den = _ratio(interval_minutes)
    numerator, denominator = calls_num * aht_num * minutes_den, calls_den * aht_den * minutes_num * 60
    _check_load(numerator, denominator)
    return Fraction(numerator, denominator)


def _check_load(numerator: int, denominator: int) -> None:
    """Refuses a load above :data:`MAX_TRAFFIC_ERLANGS` (exact integers: nothing can overflow here)."""
    if numerator > MAX_TRAFFIC_ERLANGS * denominator:
        raise StaffingInputError(
            "calls",
            f"the load is above {MAX_TRAFFIC_ERLANGS:,} Erlangs (calls x AHT / interval length)",
            code="load_too_high",
            limit=MAX_TRAFFIC_ERLANGS,
        )


def queue_metrics(
    agents: int,
    calls: Number,
    aht_seconds: Number,
    *,
    interval_minutes: Number = 30,
    answer_seconds: Number | None = 20.0,
    patience_seconds: Number | None = None,
) -> QueueMetrics:
    """Erlang C (or, with a patience, Erlang A) figures for a given number of agents."""
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 0:
        raise StaffingInputError(
            "agents", f"must be a whole number of agents, 0 or more, got {agents!r}", code="not_whole"
        )
    exact = _exact_traffic(calls, aht_seconds, interval_minutes)
    answer = None if answer_seconds is None else _non_negative("answer_seconds", answer_seconds)
    patience = None if patience_seconds is None else _positive("patience_seconds", patience_seconds)
    return _metrics(agents, exact, float(aht_seconds), answer, patience)


def _metrics(
    agents: int, exact: Fraction, aht: float, answer: float | None, patience: float | None
) -> QueueMetrics:
    traffic = float(exact)
    model = "erlang_c" if patience is None else "erlang_a"
    if exact == 0:
        return QueueMetrics(
            model,
            agents,
            0.0,
            True,
            0.0,
            None if answer is None else 1.0,
            answer,
            0.0,
            0.0,
            None if patience is None else 0.0,
        )
    if patience is not None:
        a = erlang.erlang_a(agents, traffic, aht, patience, answer)
        served = traffic * (1.0 - a.p_abandon)
        occupancy = 1.0 if agents == 0 else min(1.0, served / agents)
        return QueueMetrics(
            model,
            agents,
            traffic,
            True,
            a.p_wait,
            a.service_level,
            answer,
            a.mean_wait,
            occupancy,
            a.p_abandon,
        )
    if agents <= exact:
        return QueueMetrics(
            model, agents, traffic, False, 1.0, None if answer is None else 0.0, answer, None, 1.0
        )
    c = erlang.erlang_c(agents, traffic)
    sl = None if answer is None else erlang.service_level_c(agents, traffic, aht, answer)
    return QueueMetrics(
        model, agents, traffic, True, c, sl, answer, c * aht / (agents - traffic), float(exact / agents)
    )


# --- required agents ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Agents needed for one interval, with the inputs echoed.

    ``agents`` is the number on the phones; ``scheduled_agents`` adds shrinkage (ceil(agents / (1 - s)),
    exact). ``binding`` says which constraint set the answer: ``closed`` (no call), ``service_level``,
    ``asa``, ``abandon``, ``occupancy``, ``stability`` (the first number that clears the queue already
    meets the target) or ``minimum`` (Erlang A: one agent already meets it).
    """

    label: str
    calls: float
    aht_seconds: float
    interval_minutes: float
    traffic: float
    target: Target
    shrinkage: float
    agents: int
    scheduled_agents: int
    binding: str
    metrics: QueueMetrics


def scheduled_agents(agents: int, shrinkage: Number) -> int:
    """Agents to schedule so that ``agents`` remain after shrinkage: the exact ceil(agents / (1 - s))."""
    _shrinkage(shrinkage)
    return _ceil(Fraction(agents) / (1 - _exact(shrinkage)))


def _halfin_whitt_beta(traffic: float, aht: float, target: Target) -> float:
    """Square-root staffing: beta with N = A + beta sqrt(A) meeting the target (Halfin-Whitt)."""
    root = math.sqrt(traffic)

    def meets(beta: float) -> bool:
        if beta <= 0:
            return False
        p_wait = 1.0 / (
            1.0 + beta * special.ndtr(beta) / (math.exp(-0.5 * beta * beta) / math.sqrt(2 * math.pi))
        )
        if target.service_level is not None and (
            1.0 - p_wait * math.exp(-beta * root * target.answer_seconds / aht) < target.service_level
        ):
            return False
        return not (target.asa_seconds is not None and p_wait * aht / (beta * root) > target.asa_seconds)

    low, high = 0.0, 1.0
    while not meets(high) and high < 64:
        low, high = high, high * 2
    steps = max(4, math.ceil(math.log2(max(high - low, 1e-9) * root * 4 + 1)))
    for _ in range(steps):
        middle = 0.5 * (low + high)
        low, high = (low, middle) if meets(middle) else (middle, high)
    return high


def _smallest(ok: Callable[[int], bool], lowest: int, guess: int) -> int:
    """Smallest n >= lowest with ok(n), ok monotone (False ... False True ... True): gallop, then bisect."""
    n = max(lowest, guess)
    if ok(n):
        good, bad, step = n, lowest - 1, 1
        while good - step >= lowest:
            probe = good - step
            if ok(probe):
                good, step = probe, step * 2
            else:
                bad = probe
                break
    else:
        bad, step = n, 1
        while True:
            probe = bad + step
            if ok(probe):
                good = probe
                break
            bad, step = probe, step * 2
            if step > 1 << 40:  # pragma: no cover - only reachable with a broken criterion
                raise ArithmeticError("the agent search did not converge")
    while good - bad > 1:
        middle = (good + bad) // 2
        if ok(middle):
            good = middle
        else:
            bad = middle
    return good


def _queue_ok(metrics: QueueMetrics, target: Target) -> str | None:
    """The first target that ``metrics`` misses, or None when all are met (occupancy cap excluded)."""
    if not metrics.stable:
        return "stability"
    if target.service_level is not None and (metrics.service_level or 0.0) < target.service_level:
        return "service_level"
    if target.asa_seconds is not None and (
        metrics.asa_seconds is None or metrics.asa_seconds > target.asa_seconds
    ):
        return "asa"
    if target.max_abandon is not None and (metrics.p_abandon or 0.0) > target.max_abandon:
        return "abandon"
    return None


def _answer_for(target: Target) -> float | None:
    return target.answer_seconds if target.service_level is not None else None


def _required(exact: Fraction, aht: float, target: Target) -> tuple[int, str, QueueMetrics]:
    """Agents on the phones for one interval (exact traffic), the binding constraint and the metrics there."""
    answer = _answer_for(target)
    patience = target.patience_seconds
    if exact == 0:
        return 0, "closed", _metrics(0, exact, aht, answer, patience)
    traffic = float(exact)
    occupancy_bound = 0
    if target.max_occupancy is not None and patience is None:
        occupancy_bound = _ceil(exact / _exact(target.max_occupancy))
    if patience is None:
        lowest = _floor(exact) + 1
        guess = math.ceil(traffic + _halfin_whitt_beta(traffic, aht, target) * math.sqrt(traffic))

        level, asa_cap = target.service_level, target.asa_seconds

        def ok(n: int) -> bool:  # n > traffic here: straight to the formulas
            c = erlang.erlang_c(n, traffic)
            if level is not None and 1.0 - c * math.exp(-(n - traffic) * target.answer_seconds / aht) < level:
                return False
            return asa_cap is None or c * aht / (n - traffic) <= asa_cap

        queue_agents = _smallest(ok, lowest, guess)
    else:
        lowest = 1
        guess = max(1, math.floor(traffic))
        occupancy_cap = target.max_occupancy

        def ok(n: int) -> bool:
            metrics = _metrics(n, exact, aht, answer, patience)
            if occupancy_cap is not None and metrics.occupancy > occupancy_cap:
                return False
            return _queue_ok(metrics, target) is None

        queue_agents = _smallest(ok, lowest, guess)
    agents = max(queue_agents, occupancy_bound)
    if occupancy_bound > queue_agents:
        binding = "occupancy"
    elif agents == lowest:
        binding = "stability" if patience is None else "minimum"
    else:
        before = _metrics(agents - 1, exact, aht, answer, patience)
        missed = _queue_ok(before, target)
        if missed is None:  # Erlang A: only the occupancy cap failed below
            missed = "occupancy"
        binding = missed
    return agents, binding, _metrics(agents, exact, aht, answer, patience)


def required_agents(
    calls: Number,
    aht_seconds: Number,
    target: Target | None = None,
    *,
    interval_minutes: Number = 30,
    shrinkage: Number = 0.0,
    label: str = "",
) -> StaffingResult:
    """Smallest whole number of agents meeting ``target`` for ``calls`` in one interval, and the scheduled
    agents after ``shrinkage``. Published example: 100 calls, 30 min, AHT 180 s, 80/20 -> 14 agents
    (SL 0.888, occupancy 0.714, P(wait) 0.174); 30% shrinkage -> 20 scheduled."""
    target = Target() if target is None else target
    exact = _exact_traffic(calls, aht_seconds, interval_minutes)
    shrink = _shrinkage(shrinkage)
    agents, binding, metrics = _required(exact, float(aht_seconds), target)
    return StaffingResult(
        label,
        float(calls),
        float(aht_seconds),
        float(interval_minutes),
        float(exact),
        target,
        shrink,
        agents,
        scheduled_agents(agents, shrinkage),
        binding,
        metrics,
    )


# --- forecasts and plans --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForecastInterval:
    """One interval of a forecast: a label (e.g. ``mon 08:00``), its calls and AHT, open or closed."""

    label: str
    calls: float
    aht_seconds: float
    open: bool = True


_TRUE = {"1", "yes", "y", "true", "oui", "o", "open", "ouvert"}
_FALSE = {"0", "no", "n", "false", "non", "closed", "ferme", "fermé"}


def parse_forecast_csv(
    lines: Iterable[str], *, default_aht_seconds: Number | None = None
) -> tuple[ForecastInterval, ...]:
    """Read a forecast from CSV text lines (the caller opens the file).

    Format: a header row, then one row per interval in time order. Columns (any order, case-insensitive):
    ``calls`` (required, number of calls offered, 0 or more), ``aht`` (seconds; optional when
    ``default_aht_seconds`` is given, a blank cell takes the default), ``start`` (optional label such as
    ``mon 08:00`` or an ISO date-time) and ``open`` (optional: 1/0, yes/no, true/false, oui/non; a closed
    interval needs no agent whatever its calls). The delimiter is a comma, or a semicolon (then a decimal
    comma is accepted: ``12,5``). Blank lines and lines starting with ``#`` are skipped. A malformed row
    raises :class:`StaffingInputError` naming its line number (1 = the header).
    """
    numbered = ((number, line) for number, line in enumerate(lines, start=1))
    content = [
        (n, line.rstrip("\r\n")) for n, line in numbered if line.strip() and not line.lstrip().startswith("#")
    ]
    if not content:
        raise StaffingInputError(
            "forecast", "the file is empty: expected a header row with a 'calls' column", code="syntax"
        )
    header_line, header_text = content[0]
    delimiter = ";" if header_text.count(";") > header_text.count(",") else ","
    rows = csv.reader([text for _, text in content], delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(rows)]
    if "calls" not in header:
        raise StaffingInputError(
            "forecast", f"the header has no 'calls' column (got {header})", line=header_line, code="syntax"
        )
    column = {name: index for index, name in enumerate(header)}
    if default_aht_seconds is not None:
        _positive("aht_seconds", default_aht_seconds)

    def number(cell: str, name: str, line: int) -> float:
        text = cell.strip().replace(" ", "").replace("\u202f", "")
        if delimiter == ";":
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise StaffingInputError(
                name, f"not a number: {cell!r}", line=line, code="not_a_number"
            ) from None
        if not math.isfinite(value):
            raise StaffingInputError(name, f"not a finite number: {cell!r}", line=line, code="not_finite")
        highest = LIMITS["aht_seconds" if name == "aht" else "calls"][1]
        if value > highest:
            raise StaffingInputError(
                name,
                f"must be at most {highest:g}, got {cell.strip()}",
                line=line,
                code="above_maximum",
                limit=highest,
            )
        return value

    intervals: list[ForecastInterval] = []
    for (line, _), cells in zip(content[1:], rows, strict=True):
        if len(cells) != len(header):
            raise StaffingInputError(
                "forecast", f"expected {len(header)} cells, got {len(cells)}", line=line, code="syntax"
            )
        calls = number(cells[column["calls"]], "calls", line)
        if calls < 0:
            raise StaffingInputError(
                "calls",
                f"must be 0 or more, got {cells[column['calls']].strip()}",
                line=line,
                code="negative",
            )
        aht_cell = cells[column["aht"]].strip() if "aht" in column else ""
        if aht_cell:
            aht = number(aht_cell, "aht", line)
            if aht <= 0:
                raise StaffingInputError(
                    "aht", f"must be greater than 0, got {aht_cell}", line=line, code="not_positive"
                )
        elif default_aht_seconds is not None:
            aht = float(default_aht_seconds)
        else:
            raise StaffingInputError(
                "aht", "missing (give an aht column or a default AHT)", line=line, code="required"
            )
        is_open = True
        if "open" in column:
            flag = cells[column["open"]].strip().lower()
            if flag in _TRUE or flag == "":
                is_open = True
            elif flag in _FALSE:
                is_open = False
            else:
                raise StaffingInputError(
                    "open", f"expected yes/no or 1/0, got {flag!r}", line=line, code="syntax"
                )
        label = cells[column["start"]].strip() if "start" in column else str(len(intervals) + 1)
        intervals.append(ForecastInterval(label, calls, aht, is_open))
    if not intervals:
        raise StaffingInputError("forecast", "no interval after the header", code="required")
    return tuple(intervals)


def forecast_csv(intervals: Iterable[ForecastInterval]) -> str:
    """The forecast file for ``intervals`` (``start,calls,aht,open``), which :func:`parse_forecast_csv`
    reads back to the same values: numbers are written in full (their shortest exact form)."""
    lines = ["start,calls,aht,open"]
    for interval in intervals:
        lines.append(
            f"{interval.label},{interval.calls!r},{interval.aht_seconds!r},{1 if interval.open else 0}"
        )
    return "\n".join(lines) + "\n"


def _halfin_whitt_beta_array(traffic: FloatArray, aht: FloatArray, target: Target) -> FloatArray:
    """Vectorised :func:`_halfin_whitt_beta` (a fixed number of bisection steps on beta in [0, 64])."""
    root = np.sqrt(traffic)

    def meets(beta: FloatArray) -> NDArray[np.bool_]:
        density = np.exp(-0.5 * beta * beta) / math.sqrt(2 * math.pi)
        # Far out (beta near 64) the density underflows: P(wait) is then 0, as its limit says.
        with np.errstate(divide="ignore", over="ignore"):
            p_wait = 1.0 / (1.0 + beta * special.ndtr(beta) / density)
        good = beta > 0
        if target.service_level is not None:
            good &= 1.0 - p_wait * np.exp(-beta * root * target.answer_seconds / aht) >= target.service_level
        if target.asa_seconds is not None:
            good &= p_wait * aht <= target.asa_seconds * beta * root
        return np.asarray(good, dtype=np.bool_)

    low, high = np.zeros_like(traffic), np.full_like(traffic, 64.0)
    steps = max(4, math.ceil(math.log2(64 * 4 * float(root.max()) + 1)))
    for _ in range(steps):
        middle = 0.5 * (low + high)
        met = meets(middle)
        high = np.where(met, middle, high)
        low = np.where(met, low, middle)
    return high


def _required_chunk(
    chunk: Sequence[ForecastInterval], target: Target, interval_minutes: float
) -> list[tuple[int, str, QueueMetrics]]:
    """Erlang C requirements for a chunk of intervals, vectorised over the open ones.

    The whole-number bounds are exact integer arithmetic: A = calls x AHT / (60 x minutes) as a ratio of
    integers, the stability bound floor(A) + 1 and the occupancy bound ceil(A / max_occupancy).
    """
    answer = _answer_for(target)
    minutes_num, minutes_den = _ratio(interval_minutes)
    cap_num, cap_den = _ratio(target.max_occupancy) if target.max_occupancy is not None else (0, 1)
    calls_all = np.array([i.calls for i in chunk], dtype=np.float64)
    aht_all = np.array([i.aht_seconds for i in chunk], dtype=np.float64)
    bad = ~np.isfinite(calls_all) | (calls_all < 0) | ~np.isfinite(aht_all) | (aht_all <= 0)
    if bad.any():
        first = chunk[int(np.flatnonzero(bad)[0])]
        _non_negative("calls", first.calls)
        _positive("aht_seconds", first.aht_seconds)
    closed = (0, "closed", _metrics(0, Fraction(0), 1.0, answer, None))
    out: list[tuple[int, str, QueueMetrics]] = []
    busy: list[int] = []
    numerators: list[int] = []
    denominators: list[int] = []
    for k, interval in enumerate(chunk):
        if not interval.open or interval.calls == 0:
            out.append(closed)
            continue
        calls_num, calls_den = _ratio(interval.calls)
        aht_num, aht_den = _ratio(interval.aht_seconds)
        numerators.append(calls_num * aht_num * minutes_den)
        denominators.append(calls_den * aht_den * minutes_num * 60)
        _check_load(numerators[-1], denominators[-1])
        busy.append(k)
        out.append(closed)
    if not busy:
        return out
    aht = aht_all[busy]
    traffic = np.array([num / den for num, den in zip(numerators, denominators, strict=True)])
    lowest = np.array(
        [num // den + 1 for num, den in zip(numerators, denominators, strict=True)], dtype=np.int64
    )
    if cap_num:
        bound = [
            -((-num * cap_den) // (den * cap_num)) for num, den in zip(numerators, denominators, strict=True)
        ]
        occupancy_bound = np.array(bound, dtype=np.int64)
    else:
        occupancy_bound = np.zeros(len(busy), dtype=np.int64)
    guess = np.ceil(traffic + _halfin_whitt_beta_array(traffic, aht, target) * np.sqrt(traffic)).astype(
        np.int64
    )

    def figures(n: IntArray, index: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        agents = n.astype(np.float64)
        a, h = traffic[index], aht[index]
        c = erlang.erlang_c_array(agents, a)
        sl = np.clip(1.0 - c * np.exp(-(agents - a) * target.answer_seconds / h), 0.0, 1.0)
        return c, sl, c * h / (agents - a)

    def ok(n: IntArray, index: IntArray) -> NDArray[np.bool_]:
        _, sl, asa = figures(n, index)
        good = np.ones(len(n), dtype=np.bool_)
        if target.service_level is not None:
            good &= sl >= target.service_level
        if target.asa_seconds is not None:
            good &= asa <= target.asa_seconds
        return good

    everything = np.arange(len(busy))
    queue_agents = _smallest_array(ok, lowest, guess)
    agents = np.maximum(queue_agents, occupancy_bound)
    c, sl, asa = figures(agents, everything)
    # Which target the next lower number misses (only where the queue target binds above stability).
    below = np.maximum(agents - 1, lowest)
    _, sl_below, _ = figures(below, everything)
    sl_misses = np.zeros(len(busy), dtype=np.bool_)
    if target.service_level is not None:
        sl_misses = sl_below < target.service_level
    for position, k in enumerate(busy):
        n = int(agents[position])
        if occupancy_bound[position] > queue_agents[position]:
            binding = "occupancy"
        elif n == lowest[position]:
            binding = "stability"
        else:
            binding = "service_level" if sl_misses[position] else "asa"
        num, den = numerators[position], denominators[position]
        metrics = QueueMetrics(
            "erlang_c",
            n,
            float(traffic[position]),
            True,
            float(c[position]),
            None if answer is None else float(sl[position]),
            answer,
            float(asa[position]),
            num / (den * n),
        )
        out[k] = (n, binding, metrics)
    return out


def _smallest_array(
    ok: Callable[[IntArray, IntArray], NDArray[np.bool_]], lowest: IntArray, guess: IntArray
) -> IntArray:
    """Vectorised :func:`_smallest`: per element, the smallest n >= lowest with ok(n)."""
    size = len(lowest)
    n = np.maximum(lowest, guess)
    first = ok(n, np.arange(size))
    good = np.where(first, n, -1)
    bad = np.where(first, lowest - 1, n)
    step = np.ones(size, dtype=np.int64)
    index = np.flatnonzero(~first)
    while index.size:  # gallop up where the guess is short
        probe = bad[index] + step[index]
        met = ok(probe, index)
        good[index[met]] = probe[met]
        bad[index[~met]] = probe[~met]
        step[index[~met]] *= 2
        index = index[~met]
    step[:] = 1
    index = np.flatnonzero(first)
    while index.size:  # gallop down where the guess is enough
        probe = good[index] - step[index]
        inside = probe >= lowest[index]
        index, probe = index[inside], probe[inside]
        if not index.size:
            break
        met = ok(probe, index)
        good[index[met]] = probe[met]
        step[index[met]] *= 2
        bad[index[~met]] = probe[~met]
        index = index[met]
    index = np.flatnonzero(good - bad > 1)
    while index.size:
        middle = (good[index] + bad[index]) // 2
        met = ok(middle, index)
        good[index[met]] = middle[met]
        bad[index[~met]] = middle[~met]
        index = index[good[index] - bad[index] > 1]
    return good


def iter_staffing(
    forecast: Iterable[ForecastInterval],
    target: Target | None = None,
    *,
    interval_minutes: Number = 30,
    shrinkage: Number = 0.0,
    chunk_size: int = 512,
) -> Iterator[StaffingResult]:
    """Agents per interval, streamed: reads ``forecast`` lazily, ``chunk_size`` intervals at a time.

    Closed or empty intervals need 0 agents. Erlang C chunks are solved vectorised; Erlang A one by one.
    """
    target = Target() if target is None else target
    minutes = _positive("interval_minutes", interval_minutes)
    shrink = _shrinkage(shrinkage)
    keep = 1 - _exact(shrinkage)
    iterator = iter(forecast)
    while chunk := list(itertools.islice(iterator, chunk_size)):
        if target.patience_seconds is None:
            solved = _required_chunk(chunk, target, minutes)
        else:
            solved = [
                _required(
                    _exact_traffic(i.calls, i.aht_seconds, minutes) if i.open else Fraction(0),
                    i.aht_seconds,
                    target,
                )
                for i in chunk
            ]
        for interval, (agents, binding, metrics) in zip(chunk, solved, strict=True):
            yield StaffingResult(
                interval.label,
                interval.calls,
                interval.aht_seconds,
                minutes,
                metrics.traffic,
                target,
                shrink,
                agents,
                -((-agents * keep.denominator) // keep.numerator),
                binding,
                metrics,
            )


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """Totals over a plan. Agent-hours are exact sums (agents x interval length) reported as floats."""

    intervals: int
    open_intervals: int
    interval_minutes: float
    shrinkage: float
    calls: float
    peak_agents: int
    peak_scheduled_agents: int
    peak_label: str
    agent_hours: float
    scheduled_agent_hours: float


def summarise_staffing(results: Iterable[StaffingResult]) -> PlanSummary:
    """Running totals over staffing results (consumes an iterator with constant memory)."""
    count = open_count = peak = peak_scheduled = 0
    calls = 0.0
    peak_label = ""
    minutes: float | None = None
    shrinkage = 0.0
    agent_intervals = scheduled_intervals = 0
    for result in results:
        if minutes is None:
            minutes, shrinkage = result.interval_minutes, result.shrinkage
        elif result.interval_minutes != minutes:
            raise StaffingInputError("interval_minutes", "all intervals of a plan must have the same length")
        count += 1
        calls += result.calls
        if result.agents:
            open_count += 1
        agent_intervals += result.agents
        scheduled_intervals += result.scheduled_agents
        if result.scheduled_agents > peak_scheduled:
            peak_scheduled, peak_label = result.scheduled_agents, result.label
        peak = max(peak, result.agents)
    if minutes is None:
        raise StaffingInputError("forecast", "no interval to summarise")
    hours = _exact(minutes) / 60
    return PlanSummary(
        count,
        open_count,
        minutes,
        shrinkage,
        calls,
        peak,
        peak_scheduled,
        peak_label,
        float(agent_intervals * hours),
        float(scheduled_intervals * hours),
    )


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    """Agents per interval for a forecast, with the totals."""

    intervals: tuple[StaffingResult, ...]
    summary: PlanSummary


def plan_staffing(
    forecast: Iterable[ForecastInterval],
    target: Target | None = None,
    *,
    interval_minutes: Number = 30,
    shrinkage: Number = 0.0,
) -> StaffingPlan:
    """Agents per interval for a forecast (a day or a week of 15-, 30- or 60-minute intervals)."""
    results = tuple(iter_staffing(forecast, target, interval_minutes=interval_minutes, shrinkage=shrinkage))
    return StaffingPlan(results, summarise_staffing(results))


# --- from agents to a site ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteParameters:
    """Site assumptions; every default is in :data:`SOURCES`."""

    contract_hours_per_week: float = DEFAULT_CONTRACT_HOURS_PER_WEEK
    area_per_seat_m2: float = DEFAULT_AREA_PER_SEAT_M2
    spare_seat_ratio: float = DEFAULT_SPARE_SEAT_RATIO
    support_area_m2: float = 0.0
    open_hours_per_week: float = DEFAULT_OPEN_HOURS_PER_WEEK

    def __post_init__(self) -> None:
        _positive("contract_hours_per_week", self.contract_hours_per_week)
        check_limit("contract_hours_per_week", self.contract_hours_per_week)
        _positive("area_per_seat_m2", self.area_per_seat_m2)
        check_limit("area_per_seat_m2", self.area_per_seat_m2)
        check_limit("spare_seat_ratio", self.spare_seat_ratio)
        check_limit("support_area_m2", self.support_area_m2)
        hours = _positive("open_hours_per_week", self.open_hours_per_week)
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
    _non_negative("weekly_scheduled_agent_hours", weekly_scheduled_agent_hours)
    fte = _exact(weekly_scheduled_agent_hours) / _exact(parameters.contract_hours_per_week)
    seats = _ceil(peak_scheduled_agents * (1 + _exact(parameters.spare_seat_ratio)))
    area = seats * _exact(parameters.area_per_seat_m2) + _exact(parameters.support_area_m2)
    return SiteSizing(
        parameters,
        peak_scheduled_agents if peak_agents is None else peak_agents,
        peak_scheduled_agents,
        float(weekly_scheduled_agent_hours),
        float(fte),
        _ceil(fte),
        seats,
        float(area),
    )


def site_from_plan(
    summary: PlanSummary, parameters: SiteParameters | None = None, *, weeks: Number = 1
) -> SiteSizing:
    """Site for a plan covering ``weeks`` weeks (a typical day repeated 5 days a week covers 1/5 week: pass
    ``Fraction(1, 5)``); the weekly agent-hours are the plan's divided by ``weeks``."""
    _positive("weeks", weeks)
    weekly = _exact(summary.scheduled_agent_hours) / _exact(weeks)
    return size_site(
        peak_scheduled_agents=summary.peak_scheduled_agents,
        weekly_scheduled_agent_hours=weekly,
        parameters=parameters,
        peak_agents=summary.peak_agents,
    )


def site_from_interval(result: StaffingResult, parameters: SiteParameters | None = None) -> SiteSizing:
    """Site for one interval's staffing held through all the opening hours of the week."""
    parameters = SiteParameters() if parameters is None else parameters
    weekly = result.scheduled_agents * _exact(parameters.open_hours_per_week)
    return size_site(
        peak_scheduled_agents=result.scheduled_agents,
        weekly_scheduled_agent_hours=weekly,
        parameters=parameters,
        peak_agents=result.agents,
    )


# --- hiring ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HiringYear:
    year: int
    share_of_target: float
    seats: int
    headcount: int
    growth_hires: int
    replacement_hires: int
    hires: int
    candidates: int


@dataclass(frozen=True, slots=True)
class HiringPlan:
    """Hires per year: growth (new headcount) + replacement (attrition x average headcount of the year);
    candidates = hires x candidates per hire. Whole numbers are exact ceilings."""

    target_headcount: int
    target_seats: int
    ramp: tuple[float, ...]
    annual_attrition: float
    candidates_per_hire: float
    years: tuple[HiringYear, ...]
    total_hires: int
    total_candidates: int


def hiring_plan(
    *,
    target_headcount: int,
    target_seats: int = 0,
    years: int = 3,
    ramp: Sequence[float] = DEFAULT_RAMP,
    annual_attrition: Number = DEFAULT_ANNUAL_ATTRITION,
    candidates_per_hire: Number = DEFAULT_CANDIDATES_PER_HIRE,
) -> HiringPlan:
    """Ramp-up of headcount and seats (``ramp[y]`` = share of the target reached in year y + 1; after the
    ramp the target holds), with annual attrition and candidates per hire."""
    for name, count in (("target_headcount", target_headcount), ("target_seats", target_seats)):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise StaffingInputError(
                name, f"must be a whole number, 0 or more, got {count!r}", code="not_whole"
            )
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 50:
        raise StaffingInputError(
            "years", f"must be a whole number from 1 to 50, got {years!r}", code="above_maximum", limit=50
        )
    if not ramp:
        raise StaffingInputError("ramp", "needs at least one share", code="required")
    shares = [_exact(_finite("ramp", share)) for share in ramp]
    if any(not 0 < share <= 1 for share in shares) or any(b < a for a, b in itertools.pairwise(shares)):
        raise StaffingInputError(
            "ramp", f"shares must rise from above 0 to at most 1, got {list(ramp)}", code="ramp_order"
        )
    attrition = _non_negative("annual_attrition", annual_attrition)
    if attrition > 5:
        raise StaffingInputError(
            "annual_attrition",
            f"is a yearly rate (0.40 for 40%), got {annual_attrition!r}",
            code="above_maximum",
            limit=5,
        )
    per_hire = _finite("candidates_per_hire", candidates_per_hire)
    if per_hire < 1:
        raise StaffingInputError(
            "candidates_per_hire",
            f"must be at least 1, got {candidates_per_hire!r}",
            code="below_minimum",
            limit=1,
        )
    check_limit("candidates_per_hire", per_hire)
    rows: list[HiringYear] = []
    previous = 0
    for year in range(1, years + 1):
        share = shares[min(year, len(shares)) - 1]
        headcount = _ceil(target_headcount * share)
        growth = max(0, headcount - previous)
        replacement = _ceil(_exact(annual_attrition) * Fraction(previous + headcount, 2))
        hires = growth + replacement
        rows.append(
            HiringYear(
                year,
                float(share),
                _ceil(target_seats * share),
                headcount,
                growth,
                replacement,
                hires,
                _ceil(hires * _exact(candidates_per_hire)),
            )
        )
        previous = headcount
    return HiringPlan(
        target_headcount,
        target_seats,
        tuple(float(s) for s in ramp),
        attrition,
        per_hire,
        tuple(rows),
        sum(r.hires for r in rows),
        sum(r.candidates for r in rows),
    )


# --- the reverse: what a building can hold --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuildingCapacity:
    """What a floor area holds: seats = floor((area - support) / area per seat); peak scheduled agents =
    floor(seats / (1 + spare)); agents on the phones = floor(scheduled x (1 - shrinkage)); FTE with that peak
    held through the opening hours; and the most calls per interval those agents serve at the target."""

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


def building_capacity(
    floor_area_m2: Number,
    *,
    aht_seconds: Number,
    target: Target | None = None,
    interval_minutes: Number = 30,
    shrinkage: Number = 0.0,
    parameters: SiteParameters | None = None,
) -> BuildingCapacity:
    """Seats, FTE and calls per interval a building can serve (3,000 m2 at 10-12 m2 a seat: 250-300 seats)."""
    parameters = SiteParameters() if parameters is None else parameters
    target = Target() if target is None else target
    area = _positive("floor_area_m2", floor_area_m2)
    aht = _positive("aht_seconds", aht_seconds)
    minutes = _positive("interval_minutes", interval_minutes)
    shrink = _shrinkage(shrinkage)
    usable = _exact(floor_area_m2) - _exact(parameters.support_area_m2)
    if usable <= 0:
        raise StaffingInputError(
            "support_area_m2", f"leaves no room for seats in {area:g} m2", code="no_room_for_seats"
        )
    seats = _floor(usable / _exact(parameters.area_per_seat_m2))
    scheduled = _floor(seats / (1 + _exact(parameters.spare_seat_ratio)))
    agents = _floor(scheduled * (1 - _exact(shrinkage)))
    fte = scheduled * _exact(parameters.open_hours_per_week) / _exact(parameters.contract_hours_per_week)

    def served(calls: int) -> bool:
        exact = _exact_traffic(calls, aht_seconds, interval_minutes)
        return _required(exact, aht, target)[0] <= agents

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
    exact = _exact_traffic(low, aht_seconds, interval_minutes)
    metrics = _metrics(agents, exact, aht, _answer_for(target), target.patience_seconds)
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
        _ceil(fte),
        low,
        metrics,
    )
