"""POST /api/staffing: the engine's published example over HTTP, forecasts, and refused inputs."""

from __future__ import annotations

import pytest

from .conftest import Api, assert_problem

PUBLISHED = {
    "calls": 100,
    "interval_minutes": 30,
    "aht_seconds": 180,
    "service_level": 0.8,
    "answer_seconds": 20,
}


def test_the_published_example(anonymous: Api) -> None:
    """100 calls in 30 min, AHT 180 s, 80/20: 14 agents, SL 0.888; 30% shrinkage: 20 scheduled."""
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
    # 20 scheduled held 60 h a week on a 35 h contract; seats with 10 % spare at 10.7 m².
    assert body["fte"] == pytest.approx(20 * 60 / 35)
    assert body["headcount"] == 35
    assert body["seats"] == 22
    assert body["floor_area_m2"] == pytest.approx(22 * 10.7)
    assert body["parameters"]["shrinkage"] == 0.3
    assert body["parameters"]["area_per_seat_m2"] == 10.7
    assert "area_per_seat_m2" in body["sources"]
    assert [year["year"] for year in body["hiring"]] == [1, 2, 3]
    assert len(body["intervals"]) == 1 and body["intervals"][0]["binding"] == "service_level"


def test_a_forecast_sizes_on_its_peak(anonymous: Api) -> None:
    forecast = [
        {"label": "lun 08:00", "calls": 40},
        {"label": "lun 08:30", "calls": 100},
        {"label": "lun 09:00", "calls": 0, "open": False},
        {"label": "lun 09:30", "calls": 60, "aht_seconds": 240},
    ]
    body = anonymous.post("/staffing", {"forecast": forecast, "aht_seconds": 180, "shrinkage": 0.3}).json()
    assert [i["agents"] for i in body["intervals"]][1:3] == [14, 0]
    assert body["agents"] == 14 and body["scheduled_agents"] == 20 and body["peak_label"] == "lun 08:30"
    assert body["intervals"][2]["binding"] == "closed"
    repeated = anonymous.post(
        "/staffing", {"forecast": forecast, "aht_seconds": 180, "shrinkage": 0.3, "days_per_week": 5}
    ).json()
    assert repeated["fte"] == pytest.approx(body["fte"] * 5)
    assert repeated["parameters"]["forecast_weeks"] == pytest.approx(0.2)


def test_erlang_a_with_a_patience(anonymous: Api) -> None:
    body = anonymous.post("/staffing", {**PUBLISHED, "patience_seconds": 60, "max_abandon": 0.05}).json()
    assert body["model"] == "erlang_a" and body["p_abandon"] <= 0.05 and body["agents"] <= 14


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shrinkage": 1.3}, "shrinkage"),
        ({"aht_seconds": -5}, "aht_seconds"),
        ({"calls": "beaucoup"}, "calls"),
        ({"service_level": None}, "service_level"),  # the engine: a target is needed (no ASA either)
        ({"max_abandon": 0.05}, "max_abandon"),  # the engine: only with a patience (Erlang A)
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
