"""Opening hours by weekday and arrival profiles: parsing, canonical text, and how volumes spread."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.engine.profiles import (
    DEFAULT_OPENING_HOURS,
    TYPICAL_PROFILES,
    arrival_profile,
    opening_hours_from_weekly_hours,
    parse_interval_label,
    parse_opening_hours,
    parse_weights,
    spread_volume,
)
from guichet.engine.staffing import StaffingInputError


@pytest.mark.parametrize(
    ("text", "canonical", "hours"),
    [
        ("Mon-Fri 08:00-20:00; Sat 09:00-17:00", "mon-fri 08:00-20:00; sat 09:00-17:00", 68),
        ("lun-ven 8h-20h ; sam 9h-17h", "mon-fri 08:00-20:00; sat 09:00-17:00", 68),
        ("lundi au vendredi 8h30-18h", "mon-fri 08:30-18:00", 47.5),
        ("mon - fri 08:00-12:00, 14:00-18:00", "mon-fri 08:00-12:00, 14:00-18:00", 40),
        ("Monday-Saturday 08:00-20:00\nSunday closed", "mon-sat 08:00-20:00", 72),
        ("sat, sun 10:00-16:00", "sat-sun 10:00-16:00", 12),
        ("24/7", "mon-sun 00:00-24:00", 168),
        ("fri-mon 10:00-12:00", "mon 10:00-12:00; fri-sun 10:00-12:00", 8),  # a range across the weekend
        ("mon 08:00-12:00; mon 11:00-14:00", "mon 08:00-14:00", 6),  # a day named twice: the union
    ],
)
def test_opening_hours_are_read_as_people_write_them(text: str, canonical: str, hours: float) -> None:
    parsed = parse_opening_hours(text)
    assert parsed.text() == canonical
    assert parsed.hours_per_week == hours
    assert parse_opening_hours(canonical) == parsed  # the canonical text reads back to the same hours


def test_opening_hours_in_the_readers_language() -> None:
    hours = parse_opening_hours("mon-fri 08:00-20:00; sat 09:00-17:00")
    names = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
    assert hours.text(names) == "lun.-ven. 08:00-20:00; sam. 09:00-17:00"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "mon-fri",
        "08:00-20:00",
        "funday 08:00-20:00",
        "mon 20:00-08:00",
        "mon 25:00-26:00",
        "mon 8h-9h, x",
    ],
)
def test_unreadable_opening_hours_name_the_field(text: str) -> None:
    with pytest.raises(StaffingInputError) as caught:
        parse_opening_hours(text)
    assert caught.value.field == "opening_hours"


def test_a_centre_never_open_is_refused() -> None:
    with pytest.raises(StaffingInputError) as caught:
        parse_opening_hours("mon-sun closed")
    assert caught.value.code == "never_open"


@pytest.mark.parametrize(
    ("weekly", "schedule"),
    [
        (60, "mon-fri 08:00-20:00"),  # the house default: 12 h x 5 days
        (72, "mon-sat 08:00-20:00"),  # the project: 72 h a week
        (65, "mon-fri 08:00-19:00; sat 08:00-18:00"),
        (35, "mon-fri 08:00-15:00"),
        (168, "mon-sun 00:00-24:00"),
    ],
)
def test_a_schedule_from_weekly_hours_keeps_the_hours(weekly: int, schedule: str) -> None:
    hours = opening_hours_from_weekly_hours(weekly)
    assert hours.text() == schedule and hours.hours_per_week == weekly


def test_the_default_opening_hours() -> None:
    assert (
        DEFAULT_OPENING_HOURS.text() == "mon-fri 08:00-20:00" and DEFAULT_OPENING_HOURS.hours_per_week == 60
    )


def test_interval_labels() -> None:
    assert parse_interval_label("mon 08:30") == (0, 510)
    assert parse_interval_label("lundi 8h30") == (0, 510)
    assert parse_interval_label("sam. 09:00") == (5, 540)
    assert parse_interval_label("2026-01-05T14:15") == (0, 855)  # a Monday
    assert parse_interval_label("12") is None


def test_a_daily_volume_spreads_over_the_open_intervals_in_the_profiles_proportions() -> None:
    hours = parse_opening_hours("mon-sat 08:00-20:00")
    rows = spread_volume(
        per_day=12_000, profile=TYPICAL_PROFILES["inbound"], hours=hours, interval_minutes=30
    )
    assert len(rows) == 336
    assert math.isclose(sum(calls for *_, calls, _ in rows), 72_000, rel_tol=1e-12)  # 12,000 x 6 open days
    assert all(calls == 0 for day, start, calls, is_open in rows if not is_open)
    assert all(not is_open for day, start, calls, is_open in rows if day == 6 or start < 480 or start >= 1200)
    by_day = [sum(c for d, _, c, _ in rows if d == day) for day in range(7)]
    inbound = TYPICAL_PROFILES["inbound"].daily
    assert math.isclose(by_day[0] / by_day[3], inbound[0] / inbound[3])  # Monday against Thursday
    # Within a day, two half-hours of the same hour share its weight equally.
    monday = {start: calls for day, start, calls, _ in rows if day == 0}
    assert math.isclose(monday[600], monday[630]) and monday[600] > monday[480]


def test_a_weekly_volume_is_the_same_as_its_daily_average() -> None:
    hours = parse_opening_hours("mon-fri 09:00-18:00")
    profile = TYPICAL_PROFILES["back_office"]
    daily = spread_volume(per_day=1_000, profile=profile, hours=hours, interval_minutes=15)
    weekly = spread_volume(per_week=5_000, profile=profile, hours=hours, interval_minutes=15)
    assert daily == weekly


def test_profiles_are_typical_until_edited() -> None:
    assert (
        arrival_profile("outbound") is TYPICAL_PROFILES["outbound"] and TYPICAL_PROFILES["outbound"].typical
    )
    edited = arrival_profile("inbound", daily=(1, 1, 1, 1, 1, 0, 0))
    assert (edited.code, edited.typical, edited.hourly) == (
        "custom",
        False,
        TYPICAL_PROFILES["inbound"].hourly,
    )


def test_the_outbound_profile_keeps_to_the_french_canvassing_hours() -> None:
    outbound = TYPICAL_PROFILES["outbound"]
    allowed = {10, 11, 12, 14, 15, 16, 17, 18, 19}  # Monday to Friday 10:00-13:00 and 14:00-20:00
    assert {hour for hour, weight in enumerate(outbound.hourly) if weight} == allowed
    assert outbound.daily[5:] == (0.0, 0.0)


def test_a_profile_with_no_weight_in_the_opening_hours_is_refused() -> None:
    hours = parse_opening_hours("mon-fri 06:00-09:00")
    with pytest.raises(StaffingInputError) as caught:
        spread_volume(per_day=100, profile=TYPICAL_PROFILES["outbound"], hours=hours, interval_minutes=30)
    assert (caught.value.field, caught.value.code) == ("hourly_profile", "no_weight_when_open")


def test_weights_are_read_from_text() -> None:
    assert parse_weights("1, 2 3", "daily_profile") == (1.0, 2.0, 3.0)
    assert parse_weights("1,5; 2", "daily_profile") == (1.5, 2.0)  # semicolons allow decimal commas
    with pytest.raises(StaffingInputError):
        parse_weights("1, lots", "daily_profile")
    with pytest.raises(StaffingInputError) as caught:
        arrival_profile("inbound", daily=(1, 2, 3))
    assert (caught.value.field, caught.value.code) == ("daily_profile", "wrong_count")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_read_or_refused_with_the_field_named(text: str) -> None:
    try:
        hours = parse_opening_hours(text)
    except StaffingInputError as error:
        assert error.field == "opening_hours"
    else:
        assert parse_opening_hours(hours.text()) == hours


def test_a_day_open_fewer_hours_receives_fewer_calls() -> None:
    inbound = TYPICAL_PROFILES["inbound"]
    short = spread_volume(
        per_week=72_000,
        profile=inbound,
        hours=parse_opening_hours("mon-fri 08:00-20:00; sat 09:00-13:00"),
        interval_minutes=30,
    )
    saturday = sum(calls for day, _, calls, _ in short if day == 5)
    thursday = sum(calls for day, _, calls, _ in short if day == 3)
    # Saturday's weight (0.55 against 1.0) times the share of the day's arrivals between 9:00 and 13:00.
    in_hours = sum(inbound.hourly[9:13]) / sum(inbound.hourly[8:20])
    assert math.isclose(saturday / thursday, 0.55 * in_hours)
