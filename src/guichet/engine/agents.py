"""Agents for one interval and over a forecast: the queue's figures for a given staffing, the smallest
staffing that meets a target, and a plan's totals.

Pure (no Django, no I/O). The queue formulas (Erlang C, Erlang A) live in :mod:`guichet.engine.erlang`;
defaults, bounds and exact arithmetic in :mod:`guichet.engine.staffing`. A search for the number of agents
starts from a Halfin-Whitt (square-root staffing) guess and gallops then bisects on a monotone criterion; a
forecast is processed in vectorised chunks and streamed, so memory does not grow with the number of
intervals beyond the results the caller keeps. Published example: 100 calls in 30 min, AHT 180 s, 80/20 ->
14 agents.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray
from scipy import special

from guichet.engine import erlang
from guichet.engine import staffing as st
from guichet.engine.forecast import ForecastInterval
from guichet.engine.staffing import MAX_TRAFFIC_ERLANGS, Number, StaffingInputError, check_limit

__all__ = [
    "PlanSummary",
    "QueueMetrics",
    "StaffingPlan",
    "StaffingResult",
    "Target",
    "answer_for",
    "exact_traffic",
    "iter_staffing",
    "metrics_for",
    "plan_staffing",
    "queue_metrics",
    "required_agents",
    "required_for_load",
    "scheduled_agents",
    "summarise_staffing",
    "traffic_erlangs",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

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
            st.open_unit("service_level", self.service_level)
        check_limit("answer_seconds", self.answer_seconds)
        if self.asa_seconds is not None:
            st.positive("asa_seconds", self.asa_seconds)
            check_limit("asa_seconds", self.asa_seconds)
        if self.max_occupancy is not None:
            occupancy = st.finite("max_occupancy", self.max_occupancy)
            if not 0 < occupancy <= 1:
                raise StaffingInputError(
                    "max_occupancy", f"must be above 0 and at most 1, got {occupancy!r}", code="not_a_share"
                )
        if self.patience_seconds is not None:
            st.positive("patience_seconds", self.patience_seconds)
            check_limit("patience_seconds", self.patience_seconds)
        if self.max_abandon is not None:
            st.open_unit("max_abandon", self.max_abandon)
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
    (agents <= traffic): then every caller waits, the service level is 0 and the ASA is undefined (None).

    ``asa_seconds`` is the average speed of answer as planners read it: the mean wait of the **answered**
    calls (those answered at once count 0). ``mean_wait_seconds`` is the mean wait of **all** callers,
    abandoned ones included; without abandonment (Erlang C) the two are the same. In Erlang A a search for
    agents that has no ASA target skips the answered callers' ASA (None) until the final figures."""

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
    mean_wait_seconds: float | None = None

    @property
    def note(self) -> str:
        if self.stable:
            return ""
        return f"the queue never clears: {self.agents} agents for {self.traffic:.4g} Erlangs"


def traffic_erlangs(calls: Number, aht_seconds: Number, interval_minutes: Number = 30) -> float:
    """Offered load in Erlangs: calls x AHT / interval length."""
    return float(exact_traffic(calls, aht_seconds, interval_minutes))


def exact_traffic(calls: Number, aht_seconds: Number, interval_minutes: Number) -> Fraction:
    st.non_negative("calls", calls)
    st.positive("aht_seconds", aht_seconds)
    st.positive("interval_minutes", interval_minutes)
    calls_num, calls_den = st.ratio(calls)
    aht_num, aht_den = st.ratio(aht_seconds)
    minutes_num, minutes_den = st.ratio(interval_minutes)
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
    exact = exact_traffic(calls, aht_seconds, interval_minutes)
    answer = None if answer_seconds is None else st.non_negative("answer_seconds", answer_seconds)
    patience = None if patience_seconds is None else st.positive("patience_seconds", patience_seconds)
    return metrics_for(agents, exact, float(aht_seconds), answer, patience)


def metrics_for(
    agents: int,
    exact: Fraction,
    aht: float,
    answer: float | None,
    patience: float | None,
    *,
    answered_wait: bool = True,
) -> QueueMetrics:
    """The queue's figures; ``answered_wait`` False skips Erlang A's ASA of the answered calls (a search
    with no ASA target does not need it)."""
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
            0.0,
        )
    if patience is not None:
        a = erlang.erlang_a(agents, traffic, aht, patience, answer, answered_wait=answered_wait)
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
            a.answered_wait,
            occupancy,
            a.p_abandon,
            a.mean_wait,
        )
    if agents <= exact:
        return QueueMetrics(
            model, agents, traffic, False, 1.0, None if answer is None else 0.0, answer, None, 1.0
        )
    c = erlang.erlang_c(agents, traffic)
    sl = None if answer is None else erlang.service_level_c(agents, traffic, aht, answer)
    wait = c * aht / (agents - traffic)
    return QueueMetrics(model, agents, traffic, True, c, sl, answer, wait, float(exact / agents), None, wait)


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
    st.check_shrinkage(shrinkage)
    return math.ceil(Fraction(agents) / (1 - st.exact(shrinkage)))


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


def answer_for(target: Target) -> float | None:
    return target.answer_seconds if target.service_level is not None else None


def required_for_load(exact: Fraction, aht: float, target: Target) -> tuple[int, str, QueueMetrics]:
    """Agents on the phones for one interval (exact traffic), the binding constraint and the metrics there."""
    answer = answer_for(target)
    patience = target.patience_seconds
    # Erlang A's ASA of the answered calls costs a series: only a search with an ASA target computes it.
    needs_asa = target.asa_seconds is not None
    if exact == 0:
        return 0, "closed", metrics_for(0, exact, aht, answer, patience)
    traffic = float(exact)
    occupancy_bound = 0
    if target.max_occupancy is not None and patience is None:
        occupancy_bound = math.ceil(exact / st.exact(target.max_occupancy))
    if patience is None:
        lowest = math.floor(exact) + 1
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
            metrics = metrics_for(n, exact, aht, answer, patience, answered_wait=needs_asa)
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
        before = metrics_for(agents - 1, exact, aht, answer, patience, answered_wait=needs_asa)
        missed = _queue_ok(before, target)
        if missed is None:  # Erlang A: only the occupancy cap failed below
            missed = "occupancy"
        binding = missed
    return agents, binding, metrics_for(agents, exact, aht, answer, patience)


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
    exact = exact_traffic(calls, aht_seconds, interval_minutes)
    shrink = st.check_shrinkage(shrinkage)
    agents, binding, metrics = required_for_load(exact, float(aht_seconds), target)
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


# --- over a forecast: vectorised chunks, streamed -------------------------------------------------


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
    answer = answer_for(target)
    minutes_num, minutes_den = st.ratio(interval_minutes)
    cap_num, cap_den = st.ratio(target.max_occupancy) if target.max_occupancy is not None else (0, 1)
    calls_all = np.array([i.calls for i in chunk], dtype=np.float64)
    aht_all = np.array([i.aht_seconds for i in chunk], dtype=np.float64)
    bad = ~np.isfinite(calls_all) | (calls_all < 0) | ~np.isfinite(aht_all) | (aht_all <= 0)
    if bad.any():
        first = chunk[int(np.flatnonzero(bad)[0])]
        st.non_negative("calls", first.calls)
        st.positive("aht_seconds", first.aht_seconds)
    closed = (0, "closed", metrics_for(0, Fraction(0), 1.0, answer, None))
    out: list[tuple[int, str, QueueMetrics]] = []
    busy: list[int] = []
    numerators: list[int] = []
    denominators: list[int] = []
    for k, interval in enumerate(chunk):
        if not interval.open or interval.calls == 0:
            out.append(closed)
            continue
        calls_num, calls_den = st.ratio(interval.calls)
        aht_num, aht_den = st.ratio(interval.aht_seconds)
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
        wait = float(asa[position])  # nobody abandons: the ASA is every caller's wait
        level = None if answer is None else float(sl[position])
        occupancy = numerators[position] / (denominators[position] * n)
        load, p_wait = float(traffic[position]), float(c[position])
        metrics = QueueMetrics("erlang_c", n, load, True, p_wait, level, answer, wait, occupancy, None, wait)
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
    minutes = st.positive("interval_minutes", interval_minutes)
    shrink = st.check_shrinkage(shrinkage)
    keep = 1 - st.exact(shrinkage)
    iterator = iter(forecast)
    while chunk := list(itertools.islice(iterator, chunk_size)):
        if target.patience_seconds is None:
            solved = _required_chunk(chunk, target, minutes)
        else:
            solved = [
                required_for_load(
                    exact_traffic(i.calls, i.aht_seconds, minutes) if i.open else Fraction(0),
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


# --- a plan's totals -----------------------------------------------------------------------------


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
    hours = st.exact(minutes) / 60
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
