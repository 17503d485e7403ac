"""POST /api/staffing: the engine's one request over HTTP: the published example, volumes per day with
an arrival profile, forecasts, channels, and refused inputs (422 naming the field, never a 500)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.engine import sizing as sz

from .conftest import Api, assert_problem

PUBLISHED = {
    "calls": 100,
    "interval_minutes": 30,
    "aht_seconds": 180,
    "service_level": 0.8,
    "answer_seconds": 20,
}


def test_the_published_example(anonymous: Api) -> None:
    """100 calls in 30 min, AHT 180 s, 80/20: 14 agents, SL 0.888; 30% shrinkage (given as the former single
    total, which the API still takes): 20 scheduled."""
    response = anonymous.post("/staffing", {**PUBLISHED, "shrinkage": 0.3})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["model"] == "erlang_c"
    assert body["agents"] == 14
    assert body["service_level"] == pytest.approx(0.888, abs=5e-4)
    assert body["occupancy"] == pytest.approx(0.714, abs=5e-4)
    assert body["p_wait"] == pytest.approx(0.174, abs=5e-4)
    assert body["asa_seconds"] > 0
    assert body["scheduled_agents"] == 20
    # 20 scheduled held through the default 60 opening hours on a 35 h contract; people with 9 % part time
    # at 24 h: 36. The total is split with the default 15 % in the building: 17 people there at the peak,
    # seats with 10 % spare at 10.7 m², the area rounded up once.
    assert body["fte"] == pytest.approx(20 * 60 / 35)
    assert body["headcount"] == 36
    assert body["shrinkage"] == {
        "total": 0.3,
        "absence": pytest.approx(3 / 17),
        "on_site": 0.15,
        "split": "total",
    }
    assert (body["people_on_site"], body["seats"], body["floor_area_m2"]) == (17, 19, 204)
    assert body["inputs"]["shrinkage"] == 0.3 and body["inputs"]["opening_hours"] == "mon-fri 08:00-20:00"
    assert body["inputs"]["area_per_seat_m2"] == 10.7
    assert body["warnings"] == ["default_opening_hours", "shrinkage_from_total"]
    assert "area_per_seat_m2" in body["sources"]
    assert [year["year"] for year in body["hiring"]] == [1, 2, 3]
    staffed = [row for row in body["intervals"] if row["agents"]]
    assert len(body["intervals"]) == 336 and len(staffed) == 120  # 60 hours of half-hours
    assert {row["binding"] for row in staffed} == {"service_level"}


def test_the_default_shrinkage_comes_in_two_parts(anonymous: Api) -> None:
    body = anonymous.post("/staffing", PUBLISHED).json()
    assert body["shrinkage"] == {"total": 0.3285, "absence": 0.21, "on_site": 0.15, "split": "default"}
    assert (body["scheduled_agents"], body["people_on_site"], body["seats"]) == (21, 17, 19)
    assert body["inputs"]["absence_shrinkage"] == 0.21 and body["inputs"]["on_site_shrinkage"] == 0.15
    assert body["warnings"] == ["default_opening_hours"]
    parts = anonymous.post("/staffing", {**PUBLISHED, "absence_shrinkage": 0.2, "on_site_shrinkage": 0.125})
    assert parts.json()["scheduled_agents"] == 20 and parts.json()["people_on_site"] == 16


def test_a_forecast_sizes_on_its_peak(anonymous: Api) -> None:
    forecast = [
        {"label": "lun 08:00", "calls": 40},
        {"label": "lun 08:30", "calls": 100},
        {"label": "lun 09:00", "calls": 0, "open": False},
        {"label": "lun 09:30", "calls": 60, "aht_seconds": 240},
    ]
    body = anonymous.post("/staffing", {"forecast": forecast, "aht_seconds": 180}).json()
    assert [i["agents"] for i in body["intervals"]][1:3] == [14, 0]
    assert body["agents"] == 14 and body["scheduled_agents"] == 21 and body["peak_label"] == "lun 08:30"
    assert body["intervals"][2]["binding"] == "closed"
    assert (body["intervals"][0]["day"], body["intervals"][0]["start_minute"]) == (0, 480)  # "lun 08:00"
    repeated = anonymous.post(
        "/staffing", {"forecast": forecast, "aht_seconds": 180, "days_per_week": 5}
    ).json()
    assert repeated["fte"] == pytest.approx(body["fte"] * 5)
    assert repeated["weeks"] == pytest.approx(0.2)


def test_erlang_a_with_a_patience(anonymous: Api) -> None:
    body = anonymous.post("/staffing", {**PUBLISHED, "patience_seconds": 60, "max_abandon": 0.05}).json()
    assert body["model"] == "erlang_a" and body["p_abandon"] <= 0.05 and body["agents"] <= 14


def test_erlang_a_reports_the_answered_callers_asa_and_checks_the_target_on_it(anonymous: Api) -> None:
    """Issue 23's case: 21 agents for 50 calls at 600 s with a patience of 60 s meet an ASA of 2 s, as the
    answered callers wait 1.66 s (all callers 2.61 s)."""
    need = {"calls": 50, "aht_seconds": 600, "asa_seconds": 2, "patience_seconds": 60}
    body = anonymous.post("/staffing", need).json()
    assert body["agents"] == 21 and body["intervals"][20]["binding"] == "asa"
    assert round(body["asa_seconds"], 2) == 1.66 and round(body["mean_wait_seconds"], 2) == 2.61
    assert round(body["intervals"][20]["mean_wait_seconds"], 2) == 2.61


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shrinkage": 1.3}, "shrinkage"),
        ({"shrinkage": 0.3, "absence_shrinkage": 0.1, "on_site_shrinkage": 0.1}, "shrinkage"),
        ({"on_site_shrinkage": 0.95}, "on_site_shrinkage"),
        ({"part_time_share": 1}, "part_time_share"),
        ({"part_time_hours_per_week": 40}, "part_time_hours_per_week"),
        ({"aht_seconds": -5}, "aht_seconds"),
        ({"aht_seconds": 1e308}, "aht_seconds"),
        ({"calls": "beaucoup"}, "calls"),
        ({"calls": 1e23}, "calls"),
        ({"area_per_seat_m2": 1e23}, "area_per_seat_m2"),
        ({"area_per_seat_m2": 0}, "area_per_seat_m2"),
        ({"max_abandon": 0.05}, "max_abandon"),  # the engine: only with a patience (Erlang A)
        ({"calls_per_day": 1000}, "calls_per_day"),  # two volumes
        ({"opening_hours": "lun-ven 8h15-20h"}, "opening_hours"),  # off the half-hour grid
        ({"opening_hours": "jamais"}, "opening_hours"),
        ({"channels": [{"channel": "emails", "calls_per_day": 10}]}, "channels.0.aht_seconds"),
        ({"hourly_profile": [1, 2]}, "hourly_profile"),
        ({"aht_seconds": None}, "aht_seconds"),
        ({"calls": None}, "calls"),
        ({"forecast": [{"calls": 10}]}, "forecast"),  # calls and forecast together
        ({"calls": 1_000_000, "aht_seconds": 3600, "interval_minutes": 1}, "calls"),  # beyond the API's load
        ({"ramp": [0.8, 0.5]}, "ramp"),
    ],
)
def test_bad_input_is_a_422_problem_naming_the_field(anonymous: Api, change: dict, field: str) -> None:
    body = assert_problem(anonymous.post("/staffing", {**PUBLISHED, **change}), 422)
    assert body["type"] == "urn:guichet:problem:validation"
    assert field in [error["field"] for error in body["errors"]], body
    assert all(error["location"] == "body" for error in body["errors"])


def test_a_bad_forecast_interval_is_named_by_its_position(anonymous: Api) -> None:
    forecast = [{"calls": 10, "aht_seconds": 180}, {"calls": -1, "aht_seconds": 180}, {"calls": 5}]
    body = assert_problem(anonymous.post("/staffing", {"forecast": forecast}), 422)
    assert [e["field"] for e in body["errors"]] == ["forecast.1.calls"]
    body = assert_problem(anonymous.post("/staffing", {"forecast": forecast[:1] + forecast[2:]}), 422)
    assert [e["field"] for e in body["errors"]] == ["forecast.1.aht_seconds"]


def test_a_body_that_is_not_json_is_a_400_problem(anonymous: Api) -> None:
    response = anonymous.client.post("/api/staffing", data="{calls: 100", content_type="application/json")
    assert_problem(response, 400)


def test_a_daily_volume_with_a_profile_and_its_forecast_agree(anonymous: Api) -> None:
    """The issue's investor, said as a daily volume, then as the forecast of the intervals it becomes."""
    need = {"calls_per_day": 12_000, "aht_seconds": 300, "opening_hours": "lun-sam 8h-20h"}
    by_day = anonymous.post("/staffing", need).json()
    assert by_day["volume_kind"] == "per_day" and by_day["profile"]["code"] == "inbound"
    assert by_day["profile"]["typical"] and by_day["warnings"] == ["typical_profile", "high_occupancy"]
    # Seats for the 179 people in the building at the peak (152 agents / 0.85), 10 % spare; people from
    # the FTE at 9 % part time.
    assert by_day["people_on_site"] == 179
    assert (by_day["seats"], by_day["floor_area_m2"], by_day["headcount"]) == (197, 2_108, 289)
    request = sz.build_request(**need)
    forecast = [
        {"label": i.label, "calls": i.calls, "aht_seconds": i.aht_seconds, "open": i.open}
        for i in sz.request_forecast(request)
    ]
    by_forecast = anonymous.post("/staffing", {"forecast": forecast}).json()
    assert [r["agents"] for r in by_forecast["intervals"]] == [r["agents"] for r in by_day["intervals"]]
    for name in ("fte", "headcount", "seats", "floor_area_m2", "peak_label"):
        assert by_forecast[name] == by_day[name], name


def test_channels_add_up_and_outputs_keep_their_names(anonymous: Api) -> None:
    body = anonymous.post(
        "/staffing",
        {
            "calls_per_week": 50_000,
            "aht_seconds": 240,
            "profile": "outbound",
            "opening_hours": "mon-fri 10:00-13:00, 14:00-20:00",
            "channels": [{"channel": "chats", "calls_per_day": 1_000, "aht_seconds": 300, "concurrency": 2}],
        },
    ).json()
    assert [c["channel"] for c in body["channels"]] == ["calls", "chats"]
    assert all(row["agents"] == sum(row["channel_agents"]) for row in body["intervals"])
    assert body["opening_hours_per_week"] == 45
    # The same names as the command line's --json and the project's sizing.
    assert {"traffic_erlangs", "scheduled_agents", "binding"} <= set(body["intervals"][0])
    assert {"fte", "headcount", "seats", "floor_area_m2", "hiring", "inputs", "sources"} <= set(body)


HOSTILE = st.one_of(
    st.sampled_from(
        [0, -1, 1e23, 1e308, -1e308, 5e-324, 2**63, 2**1100, "NaN", "Infinity", None, "x", [], {}]
    ),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(),
)
FIELDS = (
    "calls",
    "calls_per_day",
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
    "concurrency",
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(FIELDS), HOSTILE, min_size=1, max_size=3))
def test_hostile_numbers_are_a_422_naming_a_field_never_a_500(anonymous: Api, values: dict) -> None:
    body = {**PUBLISHED, **values}
    if "calls_per_day" in values:
        body.pop("calls")
    # NaN and Infinity are not JSON, but Python's parser reads them: send them raw.
    text = json.dumps(body, allow_nan=True).replace('"NaN"', "NaN").replace('"Infinity"', "Infinity")
    response = anonymous.client.post("/api/staffing", data=text, content_type="application/json")
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:
        assert response.json()["errors"], response.content
    else:
        assert math.isfinite(response.json()["fte"])


def test_the_schemas_take_the_requests_names_from_its_one_table() -> None:
    from guichet.api.schemas import ChannelIn, SizingIn, StaffingIn

    channel = [
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
    ]
    project = [
        "forecast",
        "days_per_week",
        "interval_minutes",
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
        "channels",
    ]
    assert sorted(ChannelIn.model_fields) == sorted(channel)
    assert sorted(SizingIn.model_fields) == sorted(channel + project)
    assert sorted(StaffingIn.model_fields) == sorted([*channel, *project, "opening_hours", "ramp"])
    # The former single total is still taken by both endpoints (the project form offers its parts).
    shrinkage = StaffingIn.model_json_schema()["properties"]["shrinkage"]
    assert shrinkage["description"].startswith("Total paid time off the phones, the two parts together")
    assert "Default" not in shrinkage["description"]
    assert shrinkage["anyOf"][0] == {"maximum": 0.9, "minimum": 0, "type": "number"}
    on_site = SizingIn.model_json_schema()["properties"]["on_site_shrinkage"]
    assert on_site["description"].endswith("Default: 0.15.")
