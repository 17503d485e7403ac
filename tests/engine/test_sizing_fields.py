"""The sizing request's one table of names: every name the request takes, each with its bounds and a
default the engine accepts; the doors (form, API, command line) take their names from it."""

from __future__ import annotations

import pytest

from guichet.engine import sizing as sz
from guichet.engine import staffing
from guichet.engine.sizing_fields import CHANNEL_KINDS, FIELDS, GROUPS, KINDS, request_field

NUMBERS = ("volume", "number", "share", "whole")


def test_the_table_names_every_field_of_the_request_once() -> None:
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names)) == 35
    assert tuple(names) == sz.REQUEST_FIELDS
    assert set(sz.CHANNEL_FIELDS) == {
        "channel",
        "calls",
        "calls_per_day",
        "calls_per_week",
        "aht_seconds",
        "profile",
        "hourly_profile",
        "daily_profile",
        "service_level",
        "answer_seconds",
        "asa_seconds",
        "max_occupancy",
        "patience_seconds",
        "max_abandon",
        "concurrency",
    }
    assert {f.kind for f in FIELDS} <= set(KINDS) and {f.group for f in FIELDS} <= set(GROUPS)


def test_a_name_outside_the_table_is_refused_as_by_any_function() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'calls_per_month'"):
        sz.build_request(calls_per_month=10, aht_seconds=180)


def test_every_number_is_bounded_and_every_default_is_accepted() -> None:
    for f in FIELDS:
        if f.kind in NUMBERS:
            assert f.bounds == staffing.LIMITS[f.name], f.name
        if f.default is not None and f.kind in NUMBERS:
            assert staffing.check_limit(f.name, f.default) == f.default
    # A request of defaults only (and a volume) echoes each default in its inputs.
    inputs = sz.request_inputs(sz.build_request(calls_per_day=1_000, aht_seconds=200))
    for f in FIELDS:
        if f.default is not None and f.name in inputs:
            expected = list(f.default) if isinstance(f.default, tuple) else f.default
            assert inputs[f.name] == expected, f.name


def test_the_defaults_have_their_sources_and_the_choices_are_the_engines() -> None:
    assert sz.DEFAULTS["shrinkage"] is None  # the two parts' total unless given (the former single figure)
    assert request_field("shrinkage").door == "legacy"
    assert sz.DEFAULTS["ramp"] == [0.5, 0.75, 1.0]
    assert sz.DEFAULTS["opening_hours"] == "mon-fri 08:00-20:00"
    sourced = {f.name for f in FIELDS if f.name in staffing.SOURCES}
    assert sourced == {
        "service_level",
        "shrinkage",
        "absence_shrinkage",
        "on_site_shrinkage",
        "contract_hours_per_week",
        "part_time_share",
        "part_time_hours_per_week",
        "area_per_seat_m2",
        "spare_seat_ratio",
        "agents_per_seat",
        "opening_hours",
        "profile",
        "annual_attrition",
        "candidates_per_hire",
        "ramp",
    }
    assert request_field("channel").choices == tuple(CHANNEL_KINDS) == ("calls", "chats", "emails", "cases")
    assert sz.OPENING_HOURS_SOURCES == ("given", "default", "project", "project_weekly_hours")


def test_the_command_lines_options_are_named_once() -> None:
    options = [f.option for f in FIELDS if f.option]
    assert len(options) == len(set(options)) == 33
    assert request_field("aht_seconds").option == "--aht"
    assert request_field("contract_hours_per_week").option == "--hours-per-week"
    assert request_field("answer_seconds").option is None  # given with --service-level
    assert request_field("opening_hours_source").option is None  # recorded, never typed
