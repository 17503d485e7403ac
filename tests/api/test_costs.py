"""POST /api/costs and `guichet cost --json` give the same object; refused values name their field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guichet.cli import main

pytestmark = pytest.mark.django_db

BODY = {
    "on": "2026-03-01",
    "employees": 250,
    "smic_multiple": "1.05",
    "commune": "25056",
    "years": [
        {"year": 2026, "agent_fte": "100", "hires": 120, "seats": 80},
        {"year": 2027, "agent_fte": "150", "hires": 90, "seats": 120},
    ],
}
ARGS = [
    "cost",
    "--on", "2026-03-01",
    "--employees", "250",
    "--smic-multiple", "1.05",
    "--commune", "25056",
    "--year", "2026:100:120:80",
    "--year", "2027:150:90:120",
    "--json",
]  # fmt: skip


def test_api_and_command_line_give_the_same_object(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.post("/api/costs", BODY, content_type="application/json")
    assert response.status_code == 200
    assert main(ARGS) == 0
    printed = json.loads(capsys.readouterr().out)
    assert response.json() == printed
    employee = printed["employee"]
    # 1.05 x 21,876.40; C = 0.02 + 0.3821 x ((3 / 1.05 - 1) / 2) ^ 1.75 = 0.02 + 0.3821 x 0.87837 = 0.3556
    assert (employee["gross_annual"], employee["relief"]["coefficient"]) == ("22970.22", "0.3556")
    assert printed["mobility"]["rate_pct"] == "1.80"
    assert printed["mobility"]["authority"] == "CU Grand Besançon Métropole"
    mobility = next(line for line in employee["lines"] if line["code"] == "mobility")
    assert mobility["amount"] == "413.46"  # 1.80 % of 22,970.22
    centre = printed["centre"]
    assert [year["hires"] for year in centre["years"]] == [120, 90]
    assert centre["cruise"]["year"] == 2027
    assert {source["key"] for source in printed["sources"]} >= {
        "smic_hourly",
        "rgdu_smic_hourly",
        "rgdu_tdelta_50_plus",
        "health",
    }


def test_a_refused_value_is_a_422_naming_the_field(client: Client) -> None:
    response = client.post(
        "/api/costs", {"smic_multiple": "1", "gross_monthly": "2000"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "gross_monthly"
    before_table = client.post("/api/costs", {"on": "2019-01-01"}, content_type="application/json")
    assert before_table.status_code == 422


def test_the_command_prints_a_table_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", "--on", "2026-03-01", "--employees", "20"]) == 0
    out = capsys.readouterr().out
    assert "relief" in out and "22649.96" in out
