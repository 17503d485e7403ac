"""The one sizing request: every spelling of a need gives the same sizing; published cases still hold;
out-of-range values are refused with a code and the field, never an arithmetic error."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.engine import sizing as sz
from guichet.engine import staffing
from guichet.engine.agents import Target
from guichet.engine.forecast import ForecastInterval, forecast_csv, parse_forecast_csv
from guichet.engine.staffing import StaffingInputError

# The issue's investor: 12,000 calls a day, Monday to Saturday 8:00-20:00, 300 s, 80% within 20 s.
NEED = {"calls_per_day": 12_000, "aht_seconds": 300, "opening_hours": "mon-sat 08:00-20:00"}


def sized(**fields: object) -> sz.SizingResult:
    return sz.size(sz.build_request(**fields))  # type: ignore[arg-type]


def same_sizing(a: sz.SizingResult, b: sz.SizingResult) -> None:
    assert a.agents == b.agents and a.scheduled_agents == b.scheduled_agents
    assert (a.fte, a.headcount, a.seats, a.floor_area_m2) == (b.fte, b.headcount, b.seats, b.floor_area_m2)
    assert [y.hires for y in a.hiring.years] == [y.hires for y in b.hiring.years]


def test_the_published_example_through_the_request() -> None:
    """100 calls in 30 min, AHT 180 s, 80/20: 14 agents; 30% shrinkage (the default): 20 scheduled."""
    result = sized(calls=100, aht_seconds=180)
    body = sz.sizing_as_dict(result)
    assert (body["agents"], body["scheduled_agents"]) == (14, 20)
    assert round(body["service_level"], 3) == 0.888 and round(body["occupancy"], 3) == 0.714
    assert round(body["p_wait"], 3) == 0.174
    # The peak held through the default 60 opening hours: 20 x 60 / 35 FTE; 22 seats at 10.7 m², rounded once.
    assert body["fte"] == pytest.approx(20 * 60 / 35) and body["headcount"] == 35
    assert (body["seats"], body["floor_area_m2"]) == (22, 236)  # 22 x 10.7 = 235.4 -> 236
    assert body["warnings"] == ["default_opening_hours"]
    assert body["inputs"]["shrinkage"] == 0.3 and body["sources"]["shrinkage"].startswith("Industry surveys")


def test_exact_ties_hold_through_the_request() -> None:
    result = sized(calls=210, aht_seconds=180, max_occupancy=0.7, shrinkage=0)
    assert result.peak_agents == 30  # 21 Erlangs / 0.7, not 31
    result = sized(calls=170, aht_seconds=180)  # 21 agents at 30% shrinkage: 30 scheduled, not 31
    assert (result.peak_agents, result.peak_scheduled_agents) == (21, 30)


def test_erlang_a_through_the_request() -> None:
    result = sized(calls=100, aht_seconds=180, patience_seconds=60, max_abandon=0.05)
    main = result.channels[0]
    assert main.model == "erlang_a" and result.peak_agents <= 14
    assert (main.results[result.peak_index].metrics.p_abandon or 0) <= 0.05
    assert main.results[result.peak_index].target.service_level is None  # only the abandonment cap


def test_the_issues_peak_interval_is_now_one_area() -> None:
    """The web form's reading of the issue: 500 calls per half hour held over 72 h: 143 seats, 268 jobs,
    and one floor area, 1,531 m² (143 x 10.7 = 1,530.1, rounded up once)."""
    result = sized(calls=500, aht_seconds=300, opening_hours="mon-sat 08:00-20:00")
    assert (result.seats, result.headcount, result.floor_area_m2) == (143, 268, 1_531)


def test_a_daily_volume_with_a_profile_is_sized_per_interval() -> None:
    result = sized(**NEED)
    assert len(result.agents) == 336 and result.calls_per_week == pytest.approx(72_000)
    assert result.peak_label == "mon 10:00"  # the inbound profile's busiest half hour of the busiest day
    # Closed intervals need nobody; the busiest interval sets the seats.
    closed = [
        a for a, p in zip(result.agents, result.positions, strict=True) if p and (p[0] == 6 or p[1] < 480)
    ]
    assert closed and not any(closed)
    assert result.seats == math.ceil(result.peak_scheduled_agents * 1.1)
    assert result.warnings == ("typical_profile",)
    # A flat day needs fewer seats than the same calls arriving with peaks.
    flat = sized(**NEED, profile="flat")
    assert flat.seats < result.seats and flat.fte < result.fte


def test_every_spelling_of_the_same_need_gives_the_same_sizing(tmp_path: object) -> None:
    request = sz.build_request(**NEED)
    by_day = sz.size(request)
    # The week's volume, and the forecast file the volume becomes (written, then read back).
    same_sizing(by_day, sized(calls_per_week=72_000, aht_seconds=300, opening_hours="mon-sat 08:00-20:00"))
    text = forecast_csv(sz.request_forecast(request))
    assert text.splitlines()[0] == "start,calls,aht,open" and text.splitlines()[21].startswith("mon 10:00,")
    by_file = sized(forecast=parse_forecast_csv(text.splitlines()))
    same_sizing(by_day, by_file)
    assert by_file.positions == by_day.positions and by_file.peak_label == by_day.peak_label


def test_a_forecast_of_one_day_repeated() -> None:
    forecast = [
        ForecastInterval("lun 08:00", 40, 180),
        ForecastInterval("lun 08:30", 100, 180),
        ForecastInterval("lun 09:00", 0, 180, open=False),
        ForecastInterval("lun 09:30", 60, 240),
    ]
    week = sized(forecast=forecast)
    days = sized(forecast=forecast, days_per_week=5)
    assert [r.agents for r in week.channels[0].results] == [7, 14, 0, 11]
    assert (week.peak_agents, week.peak_scheduled_agents, week.peak_label) == (14, 20, "lun 08:30")
    assert days.fte == pytest.approx(week.fte * 5) and days.weeks == 0.2


def test_a_year_of_quarter_hours_is_sized_as_average_weeks() -> None:
    volumes = [i.calls for i in sz.request_forecast(sz.build_request(**NEED, interval_minutes=15))]
    year = [ForecastInterval(str(i), volumes[i % 672], 300.0) for i in range(35_040)]
    start = time.perf_counter()
    result = sized(forecast=year, interval_minutes=15)
    elapsed = time.perf_counter() - start
    one_week = sized(**NEED, interval_minutes=15)
    assert result.weeks == pytest.approx(35_040 / 672)
    assert result.fte == pytest.approx(one_week.fte * (35_040 // 672 * 672 + 35_040 % 672) / 35_040, rel=0.01)
    assert result.seats == one_week.seats
    assert elapsed < 30  # a sanity bound only; bench/bench_staffing.py measures it


def test_seats_per_agent_policy() -> None:
    peak = sized(**NEED)
    shared = sized(**NEED, agents_per_seat=1.2)
    assert shared.seats == math.ceil(peak.fte / 1.2 * 1.1)
    assert "seats_below_peak" not in shared.warnings
    crowded = sized(**NEED, agents_per_seat=2.0)
    assert crowded.seats < crowded.peak_scheduled_agents and "seats_below_peak" in crowded.warnings
    assert crowded.floor_area_m2 == math.ceil(crowded.seats * 10.7)


def test_support_areas_and_area_per_seat() -> None:
    result = sized(calls=100, aht_seconds=180, area_per_seat_m2=12, support_area_m2=150.5)
    assert result.floor_area_m2 == math.ceil(22 * 12 + 150.5)


def test_several_channels_add_their_agents_interval_by_interval() -> None:
    calls = sized(**NEED)
    emails = sized(
        channel="emails", calls_per_day=2_000, aht_seconds=240, opening_hours="mon-sat 08:00-20:00"
    )
    chats = sized(
        channel="chats",
        calls_per_day=3_000,
        aht_seconds=400,
        concurrency=2,
        opening_hours="mon-sat 08:00-20:00",
    )
    together = sized(
        **NEED,
        channels=[
            {"channel": "emails", "calls_per_day": 2_000, "aht_seconds": 240},
            {"channel": "chats", "calls_per_day": 3_000, "aht_seconds": 400, "concurrency": 2},
        ],
    )
    assert together.agents == tuple(
        a + b + c for a, b, c in zip(calls.agents, emails.agents, chats.agents, strict=True)
    )
    assert [c.model for c in together.channels] == ["erlang_c", "workload", "erlang_c"]
    # E-mails are sized by their workload: the load rounded up; chats two at a time as calls of half the AHT.
    email = emails.channels[0].results[20]
    assert email.agents == math.ceil(email.calls * 240 / 1800) and email.binding == "workload"
    halved = sized(calls_per_day=3_000, aht_seconds=200, opening_hours="mon-sat 08:00-20:00")
    assert chats.agents == halved.agents
    assert chats.channels[0].results[20].aht_seconds == 400  # shown as given


def test_defaults_are_one_set_with_their_sources() -> None:
    assert sz.DEFAULTS["shrinkage"] == staffing.DEFAULT_SHRINKAGE == 0.3
    request = sz.build_request(calls=10, aht_seconds=180)
    assert request.shrinkage == 0.3 and request.seats.area_per_seat_m2 == 10.7
    assert request.channels[0].target == Target()
    for name in ("shrinkage", "area_per_seat_m2", "spare_seat_ratio", "opening_hours", "annual_attrition"):
        assert staffing.SOURCES[name]
    inputs = sz.request_inputs(request)
    assert sz.build_request(**inputs) == request  # the echoed inputs rebuild the same request


def test_no_target_means_80_20_and_an_asa_alone_is_enough() -> None:
    assert sz.build_request(calls=10, aht_seconds=180).channels[0].target.service_level == 0.8
    asa_only = sz.build_request(calls=10, aht_seconds=180, asa_seconds=15).channels[0].target
    assert (asa_only.service_level, asa_only.asa_seconds) == (None, 15)


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"aht_seconds": 300}, "calls", "required"),
        ({"calls": 10, "calls_per_day": 100, "aht_seconds": 300}, "calls_per_day", "conflict"),
        ({"calls": 10}, "aht_seconds", "required"),
        ({"calls": 1e23, "aht_seconds": 300}, "calls", "above_maximum"),
        ({"calls": 1e9, "aht_seconds": 300}, "calls", "load_too_high"),
        ({"calls": -1, "aht_seconds": 300}, "calls", "negative"),
        ({"calls": math.nan, "aht_seconds": 300}, "calls", "not_finite"),
        ({"calls": math.inf, "aht_seconds": 300}, "calls", "not_finite"),
        ({"calls": 10, "aht_seconds": 0}, "aht_seconds", "below_minimum"),
        ({"calls": 10, "aht_seconds": 1e308}, "aht_seconds", "above_maximum"),
        ({"calls": 10, "aht_seconds": 180, "area_per_seat_m2": 1e23}, "area_per_seat_m2", "above_maximum"),
        ({"calls": 10, "aht_seconds": 180, "area_per_seat_m2": 0}, "area_per_seat_m2", "below_minimum"),
        ({"calls": 10, "aht_seconds": 180, "shrinkage": 1}, "shrinkage", "above_maximum"),
        ({"calls": 10, "aht_seconds": 180, "max_occupancy": 5e-324}, "max_occupancy", "below_minimum"),
        ({"calls": 10, "aht_seconds": 180, "patience_seconds": 5e-324}, "patience_seconds", "below_minimum"),
        ({"calls": 10, "aht_seconds": 180, "service_level": 1.5}, "service_level", "not_a_share"),
        ({"calls": 10, "aht_seconds": 180, "max_abandon": 0.05}, "max_abandon", "needs_patience"),
        ({"calls": 10, "aht_seconds": 180, "years": 2.5}, "years", "not_whole"),
        ({"calls": 10, "aht_seconds": 180, "ramp": [0.8, 0.5]}, "ramp", "ramp_order"),
        ({"calls": 10, "aht_seconds": 180, "opening_hours": "mon 8h15-12h"}, "opening_hours", "off_grid"),
        ({"calls": 10, "aht_seconds": 180, "interval_minutes": 7}, "interval_minutes", "invalid"),
        ({"calls": 10, "aht_seconds": 180, "concurrency": 2}, "concurrency", "conflict"),
        ({**NEED, "profile": "custom"}, "hourly_profile", "required"),
        ({**NEED, "hourly_profile": [1] * 23}, "hourly_profile", "wrong_count"),
        (
            {**NEED, "channels": [{"channel": "emails", "calls_per_day": 10}]},
            "channels.0.aht_seconds",
            "required",
        ),
        ({**NEED, "channels": [{"channel": "fax"}]}, "channels.0.channel", "invalid"),
        ({"forecast": [ForecastInterval("x", 10, 0.5)]}, "forecast.0.aht_seconds", "below_minimum"),
    ],
)
def test_out_of_range_values_are_refused_with_a_code_and_the_field(
    fields: dict[str, object], field: str, code: str
) -> None:
    with pytest.raises(StaffingInputError) as caught:
        sized(**fields)
    assert (caught.value.field, caught.value.code) == (field, code), caught.value.message


HOSTILE = st.one_of(
    st.sampled_from([0, -1, 1e23, 1e308, -1e308, math.nan, math.inf, -math.inf, 5e-324, 2**63, 2**1100]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.none(),
)
NUMBER_FIELDS = (
    "calls",
    "aht_seconds",
    "interval_minutes",
    "service_level",
    "answer_seconds",
    "asa_seconds",
    "max_occupancy",
    "patience_seconds",
    "max_abandon",
    "shrinkage",
    "contract_hours_per_week",
    "agents_per_seat",
    "spare_seat_ratio",
    "area_per_seat_m2",
    "support_area_m2",
    "years",
    "annual_attrition",
    "candidates_per_hire",
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.dictionaries(st.sampled_from(NUMBER_FIELDS), HOSTILE, max_size=4),
    volume=st.sampled_from(["calls", "calls_per_day", "calls_per_week"]),
    amount=HOSTILE,
)
def test_hostile_numbers_give_a_domain_error_or_a_sizing(
    values: dict[str, object], volume: str, amount: object
) -> None:
    fields = {"aht_seconds": 180, volume: 100, **values}
    if amount is not None:
        fields[volume] = amount
    try:
        result = sized(**fields)
    except StaffingInputError as error:
        assert error.field and error.code
    else:
        assert result.seats >= 0 and result.floor_area_m2 >= 0 and math.isfinite(result.fte)


EXTREMES = (0, -1, 1e23, 1e308, -1e308, math.nan, math.inf, -math.inf, 5e-324, 1e-9, 0.999999, 2**63)


@pytest.mark.parametrize("field", NUMBER_FIELDS)
def test_every_field_at_every_extreme_gives_a_domain_error_or_a_sizing(field: str) -> None:
    """Each number alone at each extreme, for a daily volume and for deferred e-mails."""
    for value in EXTREMES:
        for base in (NEED, {**NEED, "channel": "emails"}):
            try:
                result = sized(**{**base, field: value})
            except StaffingInputError as error:
                assert error.field and error.code, (field, value)
            else:
                assert math.isfinite(result.fte) and result.floor_area_m2 >= 0, (field, value)


def test_a_stored_sizing_reads_back_with_its_types() -> None:
    result = sized(**NEED, channels=[{"channel": "emails", "calls_per_day": 500, "aht_seconds": 240}])
    stored = sz.read_sizing(sz.sizing_as_dict(result, intervals=False))
    assert stored.sized and stored.model == "erlang_c" and stored.volume_kind == "per_day"
    assert (stored.seats, stored.headcount, stored.floor_area_m2) == (
        result.seats,
        result.headcount,
        result.floor_area_m2,
    )
    assert stored.hiring == result.hiring.years
    assert (
        stored.inputs["calls_per_day"] == 12_000 and stored.inputs["opening_hours"] == "mon-sat 08:00-20:00"
    )
    assert [c.channel for c in stored.channels] == ["calls", "emails"]
    assert stored.channels[1].model == "workload"
    assert stored.channels[0].peak_agents == result.channels[0].peak_agents == 152
    assert stored.peak_label == result.peak_label and stored.interval_minutes == 30
    assert stored.profile_typical and stored.warnings == ("typical_profile",)
    assert stored.opening_hours == "mon-sat 08:00-20:00"


def test_a_missing_or_old_sizing_reads_as_empty_figures() -> None:
    never = sz.read_sizing(None)
    assert not never.sized and never.inputs == {} and never.seats is None and never.hiring == ()
    assert never.model == "" and never.volume_kind is None and never.interval_minutes == 30
    # An early sizing: a decimal floor area, no volume kind, a figure stored as text.
    old = sz.read_sizing({"seats": 12, "floor_area_m2": 128.4, "headcount": "13", "hiring": [{"hires": 4}]})
    assert old.sized and old.seats == 12 and old.floor_area_m2 == 128.4 and old.headcount is None
    assert old.volume_kind is None and [y.hires for y in old.hiring] == [4]
