"""Benchmark: the staffing engine against pyworkforce's ErlangC, side by side on the same inputs.

Run: ``.venv/bin/python bench/bench_staffing.py`` (needs the ``bench`` extra: ``pip install -e '.[bench]'``).
Prints its figures; it is not a timed test. Cases: one interval at 100, 1,000 and 10,000 calls per half
hour, and a week of 336 half-hour intervals with volumes from 0 to 5,000 (AHT 180 s, 80% in 20 s); then
a whole sizing (the one request of the command line, the API and the project page) for a week and for a
year of 15-minute intervals (35,040; target: under 1 s); where pyworkforce's answers differ and why, and
the memory of a streamed plan as intervals grow.
"""

from __future__ import annotations

import json
import math
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

from guichet.engine import erlang, sizing
from guichet.engine.agents import (
    Target,
    iter_staffing,
    plan_staffing,
    required_agents,
    summarise_staffing,
)
from guichet.engine.forecast import ForecastInterval

AHT = 180.0
INTERVAL = 30
TARGET = Target(service_level=0.8, answer_seconds=20)

try:
    from pyworkforce.queuing import ErlangC
except ImportError:  # pragma: no cover - the bench extra is missing
    ErlangC = None


def best_time(function: Callable[[], Any], repeat: int = 5, number: int = 1) -> float:
    """Best wall time of ``number`` calls, over ``repeat`` rounds, per call (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def week_volumes() -> list[int]:
    """336 half-hours, Monday to Sunday: closed 21:00-07:00, a daily curve peaking at 5,000 on Monday."""
    day_scale = (1.0, 0.95, 0.9, 0.9, 0.85, 0.45, 0.15)
    volumes = []
    for scale in day_scale:
        for half_hour in range(48):
            hour = half_hour / 2
            if 7 <= hour < 21:
                shape = math.sin(math.pi * (hour - 7 + 0.25) / 14.5) ** 1.5
                volumes.append(round(5_000 * scale * shape))
            else:
                volumes.append(0)
    volumes[48 * 0 + 28] = 5_000  # Monday 14:00 is the peak
    return volumes


def label(index: int) -> str:
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[index // 48]
    minutes = (index % 48) * 30
    return f"{day} {minutes // 60:02d}:{minutes % 60:02d}"


def pyworkforce_required(calls: float, shrinkage: float = 0.0, max_occupancy: float = 1.0) -> dict[str, Any]:
    erlang = ErlangC(transactions=calls, aht=AHT / 60, asa=20 / 60, interval=INTERVAL, shrinkage=shrinkage)
    return dict(erlang.required_positions(service_level=0.8, max_occupancy=max_occupancy))


def section(title: str) -> None:
    print(f"\n## {title}")


def main() -> int:
    print(
        f"Python {sys.version.split()[0]}; AHT {AHT:g} s, {INTERVAL}-minute intervals, 80% answered in 20 s"
    )
    if ErlangC is None:
        print("pyworkforce is not installed: pip install -e '.[bench]' (pyworkforce>=0.5,<0.6)")
        return 1
    import pyworkforce

    print(f"pyworkforce {getattr(pyworkforce, '__version__', '0.5.x')} (pyworkforce.queuing.ErlangC)")

    section("One interval")
    print(
        f"{'calls':>8} {'Erlangs':>8} {'guichet':>10} {'pyworkforce':>12} {'speed-up':>9}"
        "  agents (guichet / pyworkforce)"
    )
    for calls in (100, 1_000, 10_000):
        ours = required_agents(calls, AHT, TARGET, interval_minutes=INTERVAL)
        theirs = pyworkforce_required(calls)
        number = 200 if calls <= 1_000 else 20
        t_ours = best_time(
            lambda c=calls: required_agents(c, AHT, TARGET, interval_minutes=INTERVAL), number=number
        )
        t_theirs = best_time(lambda c=calls: pyworkforce_required(c), number=max(5, number // 10))
        print(
            f"{calls:>8,} {ours.traffic:>8,.0f} {t_ours * 1e6:>8.0f} us {t_theirs * 1e6:>9.0f} us "
            f"{t_theirs / t_ours:>8.1f}x  {ours.agents} / {theirs['raw_positions']}"
        )

    section("A week: 336 half-hour intervals, 0 to 5,000 calls")
    volumes = week_volumes()
    forecast = [ForecastInterval(label(i), float(v), AHT) for i, v in enumerate(volumes)]
    plan = plan_staffing(forecast, TARGET, interval_minutes=INTERVAL)
    open_volumes = [v for v in volumes if v > 0]
    print(
        f"intervals {len(volumes)}, open {len(open_volumes)}, calls {sum(volumes):,}, peak {max(volumes):,}"
    )
    t_ours = best_time(lambda: plan_staffing(forecast, TARGET, interval_minutes=INTERVAL), repeat=7)
    # pyworkforce refuses 0 transactions ("transactions can't be smaller or equals than 0"): it only gets the
    # open intervals, which is to its advantage.
    t_theirs = best_time(lambda: [pyworkforce_required(v) for v in open_volumes], repeat=3)
    print(f"guichet     {t_ours * 1e3:8.2f} ms  (all 336 intervals, vectorised Erlang C)")
    print(f"pyworkforce {t_theirs * 1e3:8.2f} ms  (the {len(open_volumes)} open intervals only, one by one)")
    print(f"speed-up    {t_theirs / t_ours:8.1f}x  (target: at least 10x)")
    theirs_agents = {i: pyworkforce_required(v)["raw_positions"] for i, v in enumerate(volumes) if v > 0}
    agree = sum(1 for i, n in theirs_agents.items() if plan.intervals[i].agents == n)
    print(
        f"agent counts agree on {agree} of {len(theirs_agents)} open intervals; "
        f"the {len(volumes) - len(open_volumes)}"
        " closed ones: guichet 0 agents, pyworkforce raises ValueError"
    )
    erlang_a_target = Target(service_level=0.8, answer_seconds=20, patience_seconds=120)
    t_a = best_time(lambda: plan_staffing(forecast, erlang_a_target, interval_minutes=INTERVAL), repeat=3)
    print(f"(Erlang A, patience 120 s, same week: {t_a * 1e3:.1f} ms; pyworkforce has no Erlang A)")
    asa_target = Target(service_level=None, asa_seconds=20, patience_seconds=120)
    t_asa = best_time(lambda: plan_staffing(forecast, asa_target, interval_minutes=INTERVAL), repeat=3)
    print(f"(Erlang A with an ASA target of 20 s, checked on the answered calls: {t_asa * 1e3:.1f} ms)")
    erlang_a_issue()

    section("A whole sizing through the one request (agents per interval, FTE, seats, area, hiring)")
    year_of_quarter_hours()

    section("Where pyworkforce is wrong, and why")
    shrink_cases = wrong_shrinkage()
    occupancy_cases = wrong_occupancy()
    start_cases = wrong_start()
    print(
        "1. Shrinkage: positions = ceil(raw / (1 - shrinkage)) in floats; "
        "21 / 0.7 = 30.000000000000004 -> 31."
    )
    for calls, raw, exact, theirs in shrink_cases:
        print(
            f"   {calls:>6,} calls, 30% shrinkage: {raw} agents -> guichet {exact} scheduled, "
            f"pyworkforce {theirs}"
        )
    print("2. Occupancy cap: ceil(intensity / max_occupancy) in floats; 21 Erlangs / 0.7 -> 31, not 30.")
    for calls, exact, theirs in occupancy_cases:
        print(
            f"   {calls:>6,} calls ({calls / 10:g} Erlangs), max occupancy 70%: "
            f"guichet {exact}, pyworkforce {theirs}"
        )
    print(
        "3. Search start: round(intensity + 1) skips floor(A) + 1 when A's fraction is 0.5 or more, so a lax"
    )
    print("   target already met there gets one agent too many (50% answered within 60 s shown):")
    for calls, exact, theirs in start_cases:
        print(f"   {calls:>6,} calls ({calls / 10:g} Erlangs): guichet {exact}, pyworkforce {theirs}")
    print("4. Zero calls (a closed interval) raises ValueError instead of needing 0 agents.")
    huge = 1_000_000  # 100,000 Erlangs
    start = time.perf_counter()
    theirs_huge = pyworkforce_required(huge)["raw_positions"]
    t_huge = time.perf_counter() - start
    start = time.perf_counter()
    ours_huge = required_agents(huge, AHT, TARGET, interval_minutes=INTERVAL).agents
    t_ours_huge = time.perf_counter() - start
    print(
        f"5. High load, {huge:,} calls (100,000 Erlangs): "
        f"pyworkforce {theirs_huge} in {t_huge:.2f} s (its Erlang B"
    )
    print(
        f"   recursion is O(N) per step), guichet {ours_huge} in {t_ours_huge * 1e3:.2f} ms. "
        "Its inverse recursion does"
    )
    print("   not overflow here, so the answer agrees; the cost grows as O(A^1.5).")

    section("Memory of a streamed plan (tracemalloc peak)")
    print(f"{'intervals':>10} {'peak':>10} {'time':>10}")
    for count in (336, 3_360, 33_600):
        tracemalloc.start()
        start = time.perf_counter()
        summary = summarise_staffing(iter_staffing(stream(count), TARGET, interval_minutes=INTERVAL))
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert summary.intervals == count
        print(f"{count:>10,} {peak / 1024:>7.0f} KiB {elapsed * 1e3:>7.0f} ms")
    print(
        "(iter_staffing reads the forecast 512 intervals at a time; summarise_staffing keeps running totals)"
    )
    return 0


def erlang_a_issue() -> None:
    """Issue 23's case: the answered callers' ASA and all callers' wait, and what the first costs."""
    traffic = 50 * 600 / 1800
    metrics = erlang.erlang_a(21, traffic, 600.0, 60.0, 10.0)
    print(
        f"issue 23 (50 calls / 30 min, 600 s, patience 60 s, 21 agents): ASA of the answered calls "
        f"{metrics.answered_wait:.2f} s, mean wait of all callers {metrics.mean_wait:.2f} s"
    )
    with_asa = best_time(lambda: erlang.erlang_a(21, traffic, 600.0, 60.0, 10.0), repeat=5, number=2_000)
    without = best_time(
        lambda: erlang.erlang_a(21, traffic, 600.0, 60.0, 10.0, answered_wait=False), repeat=5, number=2_000
    )
    big = best_time(lambda: erlang.erlang_a(1_050, 1_000.0, 180.0, 600.0, 20.0), repeat=5, number=200)
    print(
        f"one Erlang A evaluation: {with_asa * 1e6:.0f} us with the answered callers' ASA, "
        f"{without * 1e6:.0f} us without; 1,000 Erlangs, patience 600 s: {big * 1e6:.0f} us"
    )


def year_of_quarter_hours() -> None:
    """The investor's daily volume spread over a week by the typical inbound profile, then a year of
    15-minute intervals (that week's volumes repeated, 35,040 intervals) given as a forecast."""
    need = {"calls_per_day": 12_000, "aht_seconds": 300, "opening_hours": "mon-sat 08:00-20:00"}
    request = sizing.build_request(**need, interval_minutes=15)
    t_week = best_time(lambda: sizing.size(sizing.build_request(**need, interval_minutes=15)), repeat=5)
    week = sizing.size(request)
    volumes = sizing.request_forecast(request)
    year = [volumes[i % len(volumes)] for i in range(35_040)]
    year_request = sizing.build_request(forecast=year, interval_minutes=15)
    t_year = best_time(lambda: sizing.size(year_request), repeat=3)
    t_year_all = best_time(
        lambda: json.dumps(
            sizing.sizing_as_dict(sizing.size(sizing.build_request(forecast=year, interval_minutes=15)))
        ),
        repeat=3,
    )
    result = sizing.size(year_request)
    print(
        f"week, 672 quarter-hours from 12,000 calls a day: {t_week * 1e3:7.1f} ms  "
        f"({week.peak_agents} agents at the peak, {week.fte:,.1f} FTE, {week.seats} seats, "
        f"{week.floor_area_m2:,} m²)"
    )
    print(
        f"year, {len(year):,} quarter-hours (forecast):      {t_year * 1e3:7.1f} ms  "
        f"({result.weeks:.2f} weeks, {result.fte:,.1f} FTE per average week, {result.seats} seats)"
    )
    print(f"year, from the request to its JSON text:      {t_year_all * 1e3:7.1f} ms")
    print(f"target: a year sized in under 1 s: {'met' if t_year < 1 else 'MISSED'}")


def stream(count: int) -> Iterator[ForecastInterval]:
    volumes = week_volumes()
    for i in range(count):
        yield ForecastInterval(label(i % 336), float(volumes[i % 336]), AHT)


def wrong_shrinkage() -> list[tuple[int, int, int, int]]:
    cases = []
    for calls in range(10, 5_001, 10):
        theirs = pyworkforce_required(calls, shrinkage=0.3)
        raw = theirs["raw_positions"]
        exact = math.ceil(Fraction(raw) / Fraction(7, 10))
        if theirs["positions"] != exact:
            ours = required_agents(calls, AHT, TARGET, interval_minutes=INTERVAL, shrinkage=0.3)
            assert ours.agents == raw and ours.scheduled_agents == exact
            cases.append((calls, raw, exact, theirs["positions"]))
    return cases[:6]


def wrong_occupancy() -> list[tuple[int, int, int]]:
    cases = []
    for calls in (210, 420, 840, 1_610, 1_680, 1_750):
        ours = required_agents(calls, AHT, Target(max_occupancy=0.7), interval_minutes=INTERVAL).agents
        theirs = pyworkforce_required(calls, max_occupancy=0.7)["raw_positions"]
        if ours != theirs:
            cases.append((calls, ours, theirs))
    return cases


def wrong_start() -> list[tuple[int, int, int]]:
    lax = Target(service_level=0.5, answer_seconds=60)
    cases = []
    for calls in range(5, 400, 1):
        ours = required_agents(calls, AHT, lax, interval_minutes=INTERVAL).agents
        erlang = ErlangC(transactions=calls, aht=AHT / 60, asa=1.0, interval=INTERVAL)
        theirs = erlang.required_positions(service_level=0.5)["raw_positions"]
        if ours != theirs:
            cases.append((calls, ours, theirs))
    return cases[:5]


if __name__ == "__main__":
    sys.exit(main())
