"""The one sizing request: every spelling of a need gives the same sizing; published cases still hold;
out-of-range values are refused with a code and the field, never an arithmetic error."""

from __future__ import annotations

import math
import time
from fractions import Fraction

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
    """100 calls in 30 min, AHT 180 s, 80/20: 14 agents; 30% shrinkage (the published total): 20 scheduled."""
    result = sized(calls=100, aht_seconds=180, shrinkage=0.3)
    body = sz.sizing_as_dict(result)
    assert (body["agents"], body["scheduled_agents"]) == (14, 20)
    assert round(body["service_level"], 3) == 0.888 and round(body["occupancy"], 3) == 0.714
    assert round(body["p_wait"], 3) == 0.174
    # The peak held through the default 60 opening hours: 20 x 60 / 35 FTE; people: 9% part time at 24 h,
    # 34.29 / (0.91 + 0.09 x 24 / 35) = 35.3 -> 36.
    assert body["fte"] == pytest.approx(20 * 60 / 35) and body["headcount"] == 36
    # The total is split with the default 15% in the building: 17 people there, 19 seats at 10.7 m².
    assert body["shrinkage"] == {
        "total": 0.3,
        "absence": pytest.approx(3 / 17),
        "on_site": 0.15,
        "split": "total",
    }
    assert (body["people_on_site"], body["seats"], body["floor_area_m2"]) == (17, 19, 204)  # 203.3 -> 204
    assert body["warnings"] == ["default_opening_hours", "shrinkage_from_total"]
    assert body["inputs"]["shrinkage"] == 0.3 and body["sources"]["shrinkage"].startswith("The two parts")


def test_the_default_shrinkage_is_two_sourced_parts() -> None:
    """21 % away (11.9 % of leave and public holidays + 9 % absenteeism), 15 % of the time in the building
    off the phones: 32.85 % of paid time, 21 scheduled for the published 14 agents, 17 in the building."""
    result = sized(calls=100, aht_seconds=180)
    shrinkage = result.request.shrinkage
    assert (shrinkage.absence, shrinkage.on_site, shrinkage.total, shrinkage.split) == (
        0.21,
        0.15,
        0.3285,
        "default",
    )
    assert (result.peak_agents, result.peak_scheduled_agents, result.peak_people_on_site) == (14, 21, 17)
    assert result.warnings == ("default_opening_hours",)


def test_exact_ties_hold_through_the_request() -> None:
    result = sized(calls=210, aht_seconds=180, max_occupancy=0.7, shrinkage=0)
    assert result.peak_agents == 30  # 21 Erlangs / 0.7, not 31
    result = sized(calls=170, aht_seconds=180, shrinkage=0.3)  # 21 agents at 30%: 30 scheduled, not 31
    assert (result.peak_agents, result.peak_scheduled_agents) == (21, 30)
    # The same total from its parts, 1 - 0.8 x 0.875 = 0.3 exactly; and 21 / (1 - 0.3) in the building.
    parts = sized(calls=170, aht_seconds=180, absence_shrinkage=0.2, on_site_shrinkage=0.125)
    assert parts.peak_scheduled_agents == 30 and parts.peak_people_on_site == 24
    in_building = sized(calls=170, aht_seconds=180, absence_shrinkage=0, on_site_shrinkage=0.3)
    assert (in_building.peak_scheduled_agents, in_building.peak_people_on_site) == (30, 30)


def test_erlang_a_through_the_request() -> None:
    result = sized(calls=100, aht_seconds=180, patience_seconds=60, max_abandon=0.05)
    main = result.channels[0]
    assert main.model == "erlang_a" and result.peak_agents <= 14
    assert (main.results[result.peak_index].metrics.p_abandon or 0) <= 0.05
    assert main.results[result.peak_index].target.service_level is None  # only the abandonment cap


def test_the_issues_peak_interval_is_now_one_area() -> None:
    """The web form's reading of the issue: 500 calls per half hour held over 72 h at 30 % shrinkage, all
    full time: 268 jobs as before; seats for the 108 people in the building (91 / 0.85), not for the 130
    scheduled: 119 seats and one floor area, 1,274 m² (119 x 10.7 = 1,273.3, rounded up once)."""
    result = sized(
        calls=500, aht_seconds=300, opening_hours="mon-sat 08:00-20:00", shrinkage=0.3, part_time_share=0
    )
    assert (result.peak_scheduled_agents, result.peak_people_on_site) == (130, 108)
    assert (result.seats, result.headcount, result.floor_area_m2) == (119, 268, 1_274)


def test_a_daily_volume_with_a_profile_is_sized_per_interval() -> None:
    result = sized(**NEED)
    assert len(result.agents) == 336 and result.calls_per_week == pytest.approx(72_000)
    assert result.peak_label == "mon 10:00"  # the inbound profile's busiest half hour of the busiest day
    # Closed intervals need nobody; the busiest interval sets the seats.
    closed = [
        a for a, p in zip(result.agents, result.positions, strict=True) if p and (p[0] == 6 or p[1] < 480)
    ]
    assert closed and not any(closed)
    assert result.seats == math.ceil(result.peak_people_on_site * 1.1)
    assert result.peak_people_on_site == math.ceil(result.peak_agents / 0.85)
    # At 80/20 a centre this large runs its busiest half hour at 94 % occupancy: said.
    assert result.peak_occupancy == pytest.approx(0.9415, abs=1e-4)
    assert result.warnings == ("typical_profile", "high_occupancy")
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
    assert (week.peak_agents, week.peak_scheduled_agents, week.peak_label) == (14, 21, "lun 08:30")
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
    assert crowded.seats < crowded.peak_people_on_site and "seats_below_peak" in crowded.warnings
    assert crowded.floor_area_m2 == math.ceil(crowded.seats * 10.7)


def test_support_areas_and_area_per_seat() -> None:
    result = sized(calls=100, aht_seconds=180, area_per_seat_m2=12, support_area_m2=150.5)
    assert result.seats == 19  # 17 in the building (14 / 0.85), 10 % spare
    assert result.floor_area_m2 == math.ceil(19 * 12 + 150.5)


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
    assert sz.DEFAULTS["shrinkage"] is None  # the total is the two parts' unless given
    assert (sz.DEFAULTS["absence_shrinkage"], sz.DEFAULTS["on_site_shrinkage"]) == (0.21, 0.15)
    assert (sz.DEFAULTS["part_time_share"], sz.DEFAULTS["part_time_hours_per_week"]) == (0.09, 24.0)
    assert (sz.DEFAULTS["annual_attrition"], sz.DEFAULTS["candidates_per_hire"]) == (0.20, 3.5)
    request = sz.build_request(calls=10, aht_seconds=180)
    assert request.shrinkage.total == staffing.DEFAULT_SHRINKAGE == 0.3285
    assert request.seats.area_per_seat_m2 == 10.7
    assert request.channels[0].target == Target()
    for name in (
        "shrinkage",
        "absence_shrinkage",
        "on_site_shrinkage",
        "part_time_share",
        "part_time_hours_per_week",
        "occupancy_warning",
        "area_per_seat_m2",
        "spare_seat_ratio",
        "opening_hours",
        "annual_attrition",
    ):
        assert staffing.SOURCES[name]
    inputs = sz.request_inputs(request)
    assert sz.build_request(**inputs) == request  # the echoed inputs rebuild the same request
    # So do those of a request that gave only the former total (its derived part is echoed as a float).
    legacy = sz.build_request(calls=10, aht_seconds=180, shrinkage=0.3)
    rebuilt = sz.build_request(**sz.request_inputs(legacy))
    assert rebuilt.shrinkage.on_phones == legacy.shrinkage.on_phones == Fraction(7, 10)
    assert rebuilt.shrinkage.on_site == legacy.shrinkage.on_site == 0.15


def test_a_week_sized_from_a_daily_volume_keeps_its_fte_and_seats_the_people_on_site() -> None:
    """Issue 23: 14,000 calls a day at 300 s plus 2,000 e-mails at 240 s, Monday to Friday 8:00-20:00 and
    Saturday 9:00-17:00. At the former single 30 % the peak's 196 agents became 280 scheduled and 308
    seats. Given the same 30 % as a total, or as two parts of the same total, the FTE is unchanged to the
    last hour; the seats are for the people in the building at the peak: 196 / (1 - 15 %) = 231 with the
    total split by default, 196 / (1 - 12.5 %) = 224 from the parts, and 10 % spare."""
    need = {
        "calls_per_day": 14_000,
        "aht_seconds": 300,
        "opening_hours": "mon-fri 08:00-20:00; sat 09:00-17:00",
        "channels": [{"channel": "emails", "calls_per_day": 2_000, "aht_seconds": 240}],
    }
    total = sized(**need, shrinkage=0.3)
    parts = sized(**need, absence_shrinkage=0.2, on_site_shrinkage=0.125)
    # The former method's FTE, recomputed from the agents per interval: sum of ceil(agents / 0.7) half hours.
    former_fte = sum(-(-n * 10 // 7) for n in total.agents) * Fraction(1, 2) / 35
    for result in (total, parts):
        assert (result.peak_agents, result.peak_scheduled_agents) == (196, 280)
        assert result.fte == float(former_fte)
        assert result.scheduled_agents == parts.scheduled_agents
    assert (total.peak_people_on_site, total.seats) == (231, 255)  # 231 x 1.1 = 254.1
    assert (parts.peak_people_on_site, parts.seats) == (224, 247)  # 224 x 1.1 = 246.4
    assert total.people_on_site == tuple(-(-n * 20 // 17) for n in total.agents)
    assert total.floor_area_m2 == math.ceil(255 * Fraction("10.7"))
    assert "shrinkage_from_total" in total.warnings and "shrinkage_from_total" not in parts.warnings
    # The part-time mix turns the same FTE into more people: 9 % at 24 h of 35.
    per_person = Fraction(91, 100) + Fraction(9, 100) * Fraction(24, 35)
    assert total.headcount == math.ceil(former_fte / per_person)
    full_time = sized(**need, shrinkage=0.3, part_time_share=0)
    assert full_time.headcount == math.ceil(former_fte) < total.headcount
    assert [y.headcount for y in total.hiring.years][-1] == total.headcount  # jobs = people


def test_part_time_turns_fte_into_people_and_hires() -> None:
    base = {"calls": 100, "aht_seconds": 180, "shrinkage": 0.3, "opening_hours": "mon-fri 08:00-15:00"}
    # 20 scheduled x 35 h / 35 h: exactly 20 FTE.
    full = sized(**base, part_time_share=0)
    assert (full.fte, full.headcount) == (20.0, 20)
    half = sized(**base, part_time_share=0.5, part_time_hours_per_week=17.5)
    assert half.fte == 20.0 and half.headcount == 27  # 20 / (0.5 + 0.25) = 26.7
    assert half.hiring.years[-1].headcount == 27
    assert half.hiring.total_hires > full.hiring.total_hires
    with pytest.raises(StaffingInputError) as caught:
        sized(**base, part_time_hours_per_week=36)
    assert (caught.value.field, caught.value.code) == ("part_time_hours_per_week", "above_maximum")


def test_a_total_shrinkage_is_split_or_checked_against_its_parts() -> None:
    def split(**fields: float) -> tuple[float, float, str]:
        shrinkage = sz.build_request(calls=10, aht_seconds=180, **fields).shrinkage  # type: ignore[arg-type]
        return round(shrinkage.absence, 6), round(shrinkage.on_site, 6), shrinkage.split

    assert split(shrinkage=0.3) == (0.176471, 0.15, "total")  # 1 - 0.7 / 0.85
    assert split(shrinkage=0.1) == (0.0, 0.1, "total")  # below the on-site default: all in the building
    assert split(shrinkage=0.3, on_site_shrinkage=0.125) == (0.2, 0.125, "total")
    assert split(shrinkage=0.3, absence_shrinkage=0.2) == (0.2, 0.125, "total")
    assert split(shrinkage=0.3, absence_shrinkage=0.2, on_site_shrinkage=0.125) == (0.2, 0.125, "parts")
    assert split(on_site_shrinkage=0.2) == (0.21, 0.2, "parts")


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
        ({"calls": 10, "aht_seconds": 180, "on_site_shrinkage": 0.95}, "on_site_shrinkage", "above_maximum"),
        (
            {"calls": 10, "aht_seconds": 180, "absence_shrinkage": 0.8, "on_site_shrinkage": 0.6},
            "absence_shrinkage",
            "above_maximum",
        ),
        (
            {
                "calls": 10,
                "aht_seconds": 180,
                "shrinkage": 0.3,
                "absence_shrinkage": 0.2,
                "on_site_shrinkage": 0.2,
            },
            "shrinkage",
            "conflict",
        ),
        (
            {"calls": 10, "aht_seconds": 180, "shrinkage": 0.1, "on_site_shrinkage": 0.2},
            "on_site_shrinkage",
            "conflict",
        ),
        ({"calls": 10, "aht_seconds": 180, "part_time_share": 1}, "part_time_share", "not_a_share"),
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
    "absence_shrinkage",
    "on_site_shrinkage",
    "contract_hours_per_week",
    "part_time_share",
    "part_time_hours_per_week",
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
    assert stored.profile_typical and stored.warnings == ("typical_profile", "high_occupancy")
    assert stored.opening_hours == "mon-sat 08:00-20:00"
    assert (stored.fte, stored.people_on_site, stored.peak_occupancy) == (
        result.fte,
        result.peak_people_on_site,
        result.peak_occupancy,
    )


def test_a_missing_or_old_sizing_reads_as_empty_figures() -> None:
    never = sz.read_sizing(None)
    assert not never.sized and never.inputs == {} and never.seats is None and never.hiring == ()
    assert never.model == "" and never.volume_kind is None and never.interval_minutes == 30
    # An early sizing: a decimal floor area, no volume kind, a figure stored as text.
    old = sz.read_sizing({"seats": 12, "floor_area_m2": 128.4, "headcount": "13", "hiring": [{"hires": 4}]})
    assert old.sized and old.seats == 12 and old.floor_area_m2 == 128.4 and old.headcount is None
    assert old.volume_kind is None and [y.hires for y in old.hiring] == [4]
    assert old.people_on_site is None and old.fte is None and old.peak_occupancy is None


def test_a_sizing_stored_before_the_split_reads_back_and_sizes_again() -> None:
    """A project's sizing stored with the former single shrinkage: its figures read as they were, and its
    inputs size again with the total split by default (its FTE unchanged)."""
    body = {
        "model": "erlang_c",
        "volume_kind": "per_interval",
        "inputs": {"calls": 100.0, "aht_seconds": 180.0, "shrinkage": 0.3, "annual_attrition": 0.4},
        "scheduled_agents": 20,
        "fte": 34.285714285714285,
        "headcount": 35,
        "seats": 22,
        "floor_area_m2": 236,
        "hiring": [{"year": 1, "headcount": 18, "hires": 22}],
        "warnings": ["default_opening_hours"],
    }
    stored = sz.read_sizing(body)
    assert (stored.seats, stored.headcount, stored.floor_area_m2, stored.fte) == (
        22,
        35,
        236,
        34.285714285714285,
    )
    assert stored.people_on_site is None
    again = sz.size(sz.build_request(**stored.inputs))
    assert again.fte == stored.fte and again.request.hiring.annual_attrition == 0.4
    assert (again.peak_people_on_site, again.seats) == (17, 19)
