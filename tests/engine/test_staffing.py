"""The staffing engine: published values, exact whole-number ties, plans, sites, hiring and bad input."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.engine import erlang
from guichet.engine.agents import (
    Target,
    iter_staffing,
    plan_staffing,
    queue_metrics,
    required_agents,
    scheduled_agents,
    summarise_staffing,
)
from guichet.engine.forecast import ForecastInterval, parse_forecast_csv
from guichet.engine.hiring import hiring_plan
from guichet.engine.site import (
    SiteParameters,
    building_capacity,
    site_from_interval,
    site_from_plan,
    size_site,
)
from guichet.engine.staffing import StaffingInputError, parse_service_level
from tests.engine.erlang_a_reference import erlang_a_reference


def test_published_worked_example() -> None:
    """100 calls in 30 min, AHT 180 s, 80/20 -> 14 agents, SL 0.888, occupancy 0.714, P(wait) 0.174;
    30% shrinkage -> 20 agents to schedule (pyworkforce tutorial; Call Centre Helper)."""
    result = required_agents(100, 180, Target(service_level=0.8, answer_seconds=20), shrinkage=0.3)
    assert result.traffic == 10.0
    assert result.agents == 14
    assert round(result.metrics.service_level or 0, 3) == 0.888
    assert round(result.metrics.occupancy, 3) == 0.714
    assert round(result.metrics.p_wait, 3) == 0.174
    assert result.scheduled_agents == 20
    assert result.binding == "service_level"
    # 13 agents miss the target: the answer is the smallest.
    assert (queue_metrics(13, 100, 180).service_level or 0) < 0.8


def test_results_are_frozen_and_echo_their_inputs() -> None:
    result = required_agents(100, 180, shrinkage=0.3)
    assert result.target == Target() and result.shrinkage == 0.3 and result.interval_minutes == 30.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.agents = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("agents", "shrinkage", "expected"),
    [(21, 0.3, 30), (14, 0.3, 20), (7, 0.3, 10), (42, 0.3, 60), (22, 0.3, 32), (1, 0.0, 1)],
)
def test_shrinkage_ceiling_is_exact_at_ties(agents: int, shrinkage: float, expected: int) -> None:
    # A bare float ceil gives 21 / 0.7 = 30.000000000000004 -> 31.
    assert math.ceil(21 / (1 - 0.3)) == 31
    assert scheduled_agents(agents, shrinkage) == expected


@pytest.mark.parametrize(("calls", "expected"), [(210, 30), (420, 60), (1_610, 230), (1_750, 250)])
def test_occupancy_cap_is_exact_at_ties(calls: int, expected: int) -> None:
    # AHT 180 s over 30 min: A = calls / 10 Erlangs; A / 0.7 is a whole number the float misses.
    assert math.ceil((calls / 10) / 0.7) == expected + 1
    target = Target(max_occupancy=0.7)
    result = required_agents(calls, 180, target)
    assert result.agents == expected
    assert result.binding == "occupancy"
    assert result.metrics.occupancy == pytest.approx(0.7)
    plan = plan_staffing([ForecastInterval("x", calls, 180)], target)  # the vectorised path too
    assert plan.intervals[0].agents == expected


def test_stability_bound_is_exact_for_a_whole_load() -> None:
    # A = 5 Erlangs exactly: 5 agents never clear the queue, so at least 6 even for a lax target.
    result = required_agents(50, 180, Target(service_level=0.01, answer_seconds=0))
    assert result.agents == 6 and result.binding == "stability"
    plan = plan_staffing([ForecastInterval("x", 50, 180)], Target(service_level=0.01, answer_seconds=0))
    assert plan.intervals[0].agents == 6


def test_unstable_queue_is_reported_not_computed() -> None:
    metrics = queue_metrics(10, 100, 180)
    assert not metrics.stable
    assert metrics.p_wait == 1.0 and metrics.service_level == 0.0 and metrics.asa_seconds is None
    assert metrics.note == "the queue never clears: 10 agents for 10 Erlangs"
    assert queue_metrics(11, 100, 180).stable


def test_asa_target() -> None:
    result = required_agents(100, 180, Target(service_level=None, asa_seconds=20))
    assert result.binding == "asa"
    assert (
        (result.metrics.asa_seconds or 0)
        <= 20
        < (queue_metrics(result.agents - 1, 100, 180).asa_seconds or 0)
    )
    assert result.agents == 13  # ASA 40.4 s with 12 agents, 17.1 s with 13


def test_erlang_a_checks_an_asa_target_on_the_answered_callers() -> None:
    """Issue 23's case: 50 calls in 30 min at 600 s, patience 60 s. With 21 agents the answered callers wait
    1.66 s on average (the planners' ASA), all callers 2.61 s: an ASA target of 2 s is met with 21 agents,
    where the wait of all callers would have asked for 22."""
    target = Target(service_level=None, asa_seconds=2.0, patience_seconds=60)
    result = required_agents(50, 600, target)
    assert (result.agents, result.binding) == (21, "asa")
    reference = erlang_a_reference(21, 50 * 600 / 1800, 600.0, 60.0)
    assert result.metrics.asa_seconds == pytest.approx(float(reference.asa_answered), rel=1e-12)
    assert result.metrics.mean_wait_seconds == pytest.approx(float(reference.mean_wait_all), rel=1e-12)
    assert result.metrics.occupancy == pytest.approx(float(reference.occupancy), rel=1e-12)
    fewer = queue_metrics(20, 50, 600, answer_seconds=None, patience_seconds=60)
    assert fewer.asa_seconds is not None and fewer.asa_seconds > 2.0
    all_callers = [queue_metrics(n, 50, 600, patience_seconds=60).mean_wait_seconds for n in (21, 22)]
    assert all_callers[0] is not None and all_callers[0] > 2.0
    assert all_callers[1] is not None and all_callers[1] <= 2.0


def test_erlang_c_asa_and_mean_wait_are_the_same() -> None:
    metrics = queue_metrics(14, 100, 180)
    assert metrics.asa_seconds == metrics.mean_wait_seconds == pytest.approx(erlang.asa_c(14, 10.0, 180))


def test_erlang_a_needs_fewer_agents_and_meets_an_abandonment_cap() -> None:
    target = Target(service_level=None, max_abandon=0.05, patience_seconds=60)
    result = required_agents(100, 180, target)
    assert result.metrics.model == "erlang_a" and result.binding == "abandon"
    assert (result.metrics.p_abandon or 0) <= 0.05
    below = queue_metrics(result.agents - 1, 100, 180, answer_seconds=None, patience_seconds=60)
    assert (below.p_abandon or 0) > 0.05
    # With patience, the 80/20 target needs no more agents than Erlang C's 14.
    assert required_agents(100, 180, Target(patience_seconds=60)).agents <= 14


def test_large_loads_are_fast_and_sensible() -> None:
    result = required_agents(1_000_000, 180)  # 100,000 Erlangs
    assert 100_000 < result.agents < 100_100
    assert 0.8 <= (result.metrics.service_level or 0) < 0.81


@settings(max_examples=60, deadline=None)
@given(
    calls=st.floats(min_value=0.0, max_value=40_000.0),
    more=st.floats(min_value=0.0, max_value=5_000.0),
    aht=st.integers(min_value=30, max_value=900),
    level=st.sampled_from([0.5, 0.8, 0.9, 0.95]),
)
def test_required_agents_never_falls_when_volume_rises(
    calls: float, more: float, aht: int, level: float
) -> None:
    target = Target(service_level=level, answer_seconds=20)
    assert required_agents(calls, aht, target).agents <= required_agents(calls + more, aht, target).agents


@settings(max_examples=40, deadline=None)
@given(
    calls=st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=30),
    aht=st.integers(min_value=20, max_value=900),
    occupancy=st.sampled_from([None, 0.7, 0.85, 1.0]),
    asa=st.sampled_from([None, 10.0]),
)
def test_vectorised_plan_equals_interval_by_interval(
    calls: list[int], aht: int, occupancy: float | None, asa: float | None
) -> None:
    target = Target(max_occupancy=occupancy, asa_seconds=asa)
    forecast = [ForecastInterval(str(i), c, aht) for i, c in enumerate(calls)]
    plan = plan_staffing(forecast, target, shrinkage=0.3)
    for interval, result in zip(forecast, plan.intervals, strict=True):
        single = required_agents(interval.calls, aht, target, shrinkage=0.3)
        assert (result.agents, result.scheduled_agents, result.binding) == (
            single.agents,
            single.scheduled_agents,
            single.binding,
        )
        assert result.metrics.service_level == pytest.approx(single.metrics.service_level, rel=1e-12)


def test_plan_closed_and_empty_intervals_need_no_agent() -> None:
    forecast = [
        ForecastInterval("mon 07:30", 0, 180),
        ForecastInterval("mon 08:00", 100, 180),
        ForecastInterval("mon 08:30", 100, 180, open=False),
        ForecastInterval("mon 09:00", 1_000, 180),
    ]
    plan = plan_staffing(forecast, shrinkage=0.3)
    assert [r.agents for r in plan.intervals] == [0, 14, 0, 107]
    assert [r.binding for r in plan.intervals] == ["closed", "service_level", "closed", "service_level"]
    summary = plan.summary
    assert (
        summary.peak_agents == 107
        and summary.peak_scheduled_agents == 153
        and summary.peak_label == "mon 09:00"
    )
    assert summary.open_intervals == 2
    assert summary.agent_hours == (14 + 107) / 2
    assert summary.scheduled_agent_hours == (20 + 153) / 2


def test_site_from_a_plan_week() -> None:
    # 4 intervals of 30 min: 173 scheduled agent-half-hours = 86.5 h; a typical day repeated 5 days a week.
    forecast = [ForecastInterval(str(i), c, 180) for i, c in enumerate([0, 100, 0, 1_000])]
    plan = plan_staffing(forecast, shrinkage=0.3)
    site = site_from_plan(plan.summary, SiteParameters(spare_seat_ratio=0.1), weeks=Fraction(1, 5))
    assert site.weekly_scheduled_agent_hours == 432.5
    assert site.fte == pytest.approx(432.5 / 35)
    assert site.headcount == 13
    assert site.seats == math.ceil(153 * 1.1) == 169
    assert site.floor_area_m2 == pytest.approx(169 * 10.7)


def test_site_seats_and_fte_are_exact() -> None:
    # 100 scheduled agents with 10% spare: 110 seats exactly (float: 100 * 1.1 = 110.00000000000001).
    assert math.ceil(100 * 1.1) == 111
    site = size_site(peak_scheduled_agents=100, weekly_scheduled_agent_hours=3_500)
    assert site.seats == 110 and site.fte == 100.0 and site.headcount == 100
    assert site.floor_area_m2 == pytest.approx(1_177.0)
    assert site.parameters == SiteParameters()  # the values used are echoed


def test_site_from_one_interval_uses_the_opening_hours() -> None:
    result = required_agents(100, 180, shrinkage=0.3)
    site = site_from_interval(result, SiteParameters(open_hours_per_week=70, spare_seat_ratio=0))
    assert site.weekly_scheduled_agent_hours == 20 * 70
    assert site.fte == 40.0 and site.seats == 20 and site.peak_agents == 14


@pytest.mark.parametrize(("area_per_seat", "seats"), [(12.0, 250), (10.0, 300), (10.7, 280)])
def test_the_articles_3000_m2_building(area_per_seat: float, seats: int) -> None:
    """'3,000 m² at 10-12 m² per position holds about 250-300 positions.'"""
    parameters = SiteParameters(area_per_seat_m2=area_per_seat, spare_seat_ratio=0.0)
    capacity = building_capacity(3_000, aht_seconds=180, shrinkage=0.3, parameters=parameters)
    assert capacity.seats == seats
    assert capacity.peak_scheduled_agents == seats
    assert capacity.peak_agents == math.floor(Fraction(seats) * Fraction(7, 10))
    assert capacity.fte == pytest.approx(seats * 60 / 35)
    # The calls it serves are the most the agents handle at 80/20; one more call needs one more agent.
    assert required_agents(capacity.max_calls_per_interval, 180).agents <= capacity.peak_agents
    assert required_agents(capacity.max_calls_per_interval + 1, 180).agents > capacity.peak_agents
    assert (capacity.metrics_at_max.service_level or 0) >= 0.8


def test_a_building_seats_the_people_on_site_and_pays_for_the_absent() -> None:
    """280 seats (3,000 m² at 10.7 m², no spare) hold 280 people in the building at the peak; with 15 %
    of their time there off the phones, 238 agents on the phones; paid (21 % away as well): 238 / 0.6715
    = 355 scheduled, held 60 h a week on 35 h contracts."""
    capacity = building_capacity(
        3_000,
        aht_seconds=180,
        shrinkage=0.3285,
        on_site_shrinkage=0.15,
        parameters=SiteParameters(spare_seat_ratio=0.0),
    )
    assert (capacity.seats, capacity.people_on_site, capacity.peak_agents) == (280, 280, 238)
    assert capacity.peak_scheduled_agents == 355 and capacity.on_site_shrinkage == 0.15
    assert capacity.fte == pytest.approx(355 * 60 / 35)
    # Without an on-site share every scheduled agent is in the building (the former reading).
    former = building_capacity(
        3_000, aht_seconds=180, shrinkage=0.3, parameters=SiteParameters(spare_seat_ratio=0.0)
    )
    assert (former.people_on_site, former.peak_scheduled_agents, former.peak_agents) == (280, 280, 196)


def test_building_with_support_area_and_spare_seats() -> None:
    capacity = building_capacity(3_000, aht_seconds=180, parameters=SiteParameters(support_area_m2=324))
    assert capacity.seats == 250  # (3000 - 324) / 10.7 = 250.09
    assert capacity.peak_scheduled_agents == 227  # 250 / 1.1 = 227.27


def test_hiring_plan_shows_the_strain() -> None:
    """A 300-seat centre with 40% attrition needs well over a hundred replacement hires a year."""
    plan = hiring_plan(target_headcount=300, target_seats=300, years=4, ramp=(0.5, 1.0), annual_attrition=0.4)
    assert [y.headcount for y in plan.years] == [150, 300, 300, 300]
    assert [y.growth_hires for y in plan.years] == [150, 150, 0, 0]
    assert [y.replacement_hires for y in plan.years] == [30, 90, 120, 120]
    assert [y.hires for y in plan.years] == [180, 240, 120, 120]
    assert [y.candidates for y in plan.years] == [630, 840, 420, 420]
    assert plan.total_hires == 660 and plan.annual_attrition == 0.4 and plan.candidates_per_hire == 3.5
    # At the French default, 20 %, half the replacements.
    french = hiring_plan(target_headcount=300, target_seats=300, years=4, ramp=(0.5, 1.0))
    assert french.annual_attrition == 0.2
    assert [y.replacement_hires for y in french.years] == [15, 45, 60, 60]
    # The article: 400 hires a year at 3-4 candidates per hire is 1,200-1,600 candidates.
    steady = hiring_plan(
        target_headcount=1_000, years=2, ramp=(1.0,), candidates_per_hire=3, annual_attrition=0.4
    )
    assert steady.years[1].hires == 400 and steady.years[1].candidates == 1_200


def test_forecast_csv_format() -> None:
    text = [
        "# a comment\n",
        "start,calls,aht,open\n",
        "mon 08:00,120,185,1\n",
        "\n",
        "mon 08:30,0,,0\n",
        "mon 09:00,80.5,,yes\n",
    ]
    forecast = parse_forecast_csv(text, default_aht_seconds=200)
    assert forecast == (
        ForecastInterval("mon 08:00", 120.0, 185.0, True),
        ForecastInterval("mon 08:30", 0.0, 200.0, False),
        ForecastInterval("mon 09:00", 80.5, 200.0, True),
    )
    french = parse_forecast_csv(["début;calls;aht\n", "lun 08:00;12,5;180\n"])
    assert french == (ForecastInterval("1", 12.5, 180.0, True),)


@pytest.mark.parametrize(
    ("lines", "field", "line", "message"),
    [
        (["calls,aht\n", "10,180\n", "ten,180\n"], "calls", 3, "not a number: 'ten'"),
        (["calls,aht\n", "10,180\n", "-1,180\n"], "calls", 3, "must be 0 or more, got -1"),
        (["calls,aht\n", "10,0\n"], "aht", 2, "must be greater than 0, got 0"),
        (["calls,aht\n", "10\n"], "forecast", 2, "expected 2 cells, got 1"),
        (["calls\n", "10\n"], "aht", 2, "missing (give an aht column or a default AHT)"),
        (
            ["volume,aht\n", "10,180\n"],
            "forecast",
            1,
            "the header has no 'calls' column (got ['volume', 'aht'])",
        ),
        (["calls,aht,open\n", "10,180,maybe\n"], "open", 2, "expected yes/no or 1/0, got 'maybe'"),
    ],
)
def test_malformed_forecast_rows_are_named_by_line(
    lines: list[str], field: str, line: int, message: str
) -> None:
    with pytest.raises(StaffingInputError) as caught:
        parse_forecast_csv(lines)
    assert (caught.value.field, caught.value.line, caught.value.message) == (field, line, message)
    assert str(caught.value) == f"line {line}: {field}: {message}"


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (lambda: required_agents(100, 0), "aht_seconds", "must be greater than 0, got 0"),
        (lambda: required_agents(100, -5), "aht_seconds", "must be greater than 0, got -5"),
        (
            lambda: required_agents(100, 180, interval_minutes=0),
            "interval_minutes",
            "must be greater than 0, got 0",
        ),
        (lambda: required_agents(-1, 180), "calls", "must be 0 or more, got -1"),
        (lambda: required_agents(math.nan, 180), "calls", "must be a finite number, got nan"),
        (
            lambda: required_agents(100, 180, shrinkage=1.0),
            "shrinkage",
            "must be at least 0 and below 1, got 1.0",
        ),
        (
            lambda: required_agents(100, 180, shrinkage=-0.1),
            "shrinkage",
            "must be at least 0 and below 1, got -0.1",
        ),
        (lambda: Target(service_level=1.0), "service_level", "must be strictly between 0 and 1, got 1.0"),
        (lambda: Target(service_level=0.0), "service_level", "must be strictly between 0 and 1, got 0.0"),
        (lambda: Target(service_level=80), "service_level", "must be strictly between 0 and 1, got 80"),
        (lambda: Target(max_occupancy=1.2), "max_occupancy", "must be above 0 and at most 1, got 1.2"),
        (lambda: Target(max_abandon=0.05), "max_abandon", "needs patience_seconds (the Erlang A model)"),
        (lambda: Target(patience_seconds=0), "patience_seconds", "must be greater than 0, got 0"),
        (
            lambda: Target(service_level=None),
            "service_level",
            "give a service level, an ASA or a maximum abandonment",
        ),
        (
            lambda: queue_metrics(-1, 100, 180),
            "agents",
            "must be a whole number of agents, 0 or more, got -1",
        ),
        (lambda: SiteParameters(area_per_seat_m2=0), "area_per_seat_m2", "must be greater than 0, got 0"),
        (
            lambda: SiteParameters(open_hours_per_week=200),
            "open_hours_per_week",
            "a week has 168 hours, got 200.0",
        ),
        (
            lambda: hiring_plan(target_headcount=10, ramp=(0.8, 0.5)),
            "ramp",
            "shares must rise from above 0 to at most 1, got [0.8, 0.5]",
        ),
        (
            lambda: parse_service_level("80%"),
            "service_level",
            "expected PERCENT/SECONDS such as 80/20, got '80%'",
        ),
        (lambda: parse_service_level("100/20"), "service_level", "must be strictly between 0 and 1, got 1.0"),
        (lambda: building_capacity(0, aht_seconds=180), "floor_area_m2", "must be greater than 0, got 0"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(call, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StaffingInputError) as caught:
        call()
    assert isinstance(caught.value, ValueError)
    assert (caught.value.field, caught.value.message) == (field, message)


def test_parse_service_level() -> None:
    assert parse_service_level("80/20") == (0.8, 20.0)
    assert parse_service_level("0.9/15") == (0.9, 15.0)
    assert parse_service_level("95,5/30") == (0.955, 30.0)


def test_streaming_plan_keeps_memory_flat() -> None:
    import tracemalloc

    def forecast(n: int):  # type: ignore[no-untyped-def]
        return (ForecastInterval(str(i), float((i * 37) % 5_000), 180.0) for i in range(n))

    # Both volumes reach the same loads (the peak holds one interval's arrays, larger for a larger load);
    # the engine's bounded caches and lazy imports are warmed first. What is measured is then what the
    # stream itself keeps, which must not grow with the number of intervals.
    summarise_staffing(iter_staffing(forecast(5_120)))
    peaks = []
    for n in (5_120, 51_200):
        tracemalloc.start()
        summary = summarise_staffing(iter_staffing(forecast(n)))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert summary.intervals == n
    assert peaks[1] < 1.1 * peaks[0]


def test_erlang_module_and_engine_import_no_django() -> None:
    import subprocess
    import sys

    code = "import sys, guichet.engine.staffing, guichet.commands.size; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    assert erlang.erlang_c(14, 10.0) > 0
