"""`guichet size`: the table, JSON, volumes per day, forecasts, charts and clear errors (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guichet.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["size", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_interval_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--calls", "100", "--aht", "180", "--service-level", "80/20", "--shrinkage", "30%"
    )
    assert code == 0 and err == ""
    lines = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in out.splitlines()
        if line.count("│") == 3
    }
    assert lines["agents on the phones"] == "14"
    assert lines["service level"] == "0.888"
    assert lines["P(wait)"] == "0.174"
    assert lines["occupancy"] == "0.714"
    assert lines["scheduled agents (paid)"] == "20"
    assert lines["FTE"] == "34.29"  # 20 agents x 60 opening hours / 35 h
    # The single 30 % is read as 15 % in the building (the default) and the rest away: 14 / 0.85 -> 17.
    assert lines["in the building off the phones"] == "0.15" and lines["time away"] == "0.176"
    assert lines["people in the building"] == "17"
    assert lines["seats (people in the building at the peak + spare)"] == "19"  # ceil(17 x 1.1)
    assert lines["floor area (m²)"] == "204"  # 19 x 10.7 = 203.3, rounded up once
    assert lines["headcount (jobs; 9% part time)"] == "36"
    assert lines["opening_hours"] == "mon-fri 08:00-20:00" and lines["opening_hours_source"] == "default"
    assert "Note: the shrinkage was given as one total, 30%: read as 15% of the time in the building" in out


def test_one_interval_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--calls", "100", "--aht", "180", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["agents"] == 14
    assert report["scheduled_agents"] == 21  # 14 / (0.79 x 0.85): the default parts, 32.85 % in all
    assert round(report["service_level"], 3) == 0.888
    assert report["inputs"]["area_per_seat_m2"] == 10.7 and report["inputs"]["shrinkage"] == 0.3285
    assert report["shrinkage"]["split"] == "default"
    assert (report["people_on_site"], report["seats"], report["floor_area_m2"]) == (17, 19, 204)
    assert report["inputs"]["annual_attrition"] == 0.2 and len(report["hiring"]) == 3
    assert "area_per_seat_m2" in report["sources"]
    # The peak is held through every open interval of the default week: 120 half-hours at 14 agents.
    assert sum(1 for row in report["intervals"] if row["agents"] == 14) == 120


def test_exact_tie_through_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--calls", "210", "--aht", "180", "--max-occupancy", "70%", "--json")
    assert code == 0
    assert json.loads(out)["agents"] == 30  # 21 Erlangs / 0.7, not 31


def test_erlang_a_with_abandonment_cap(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--calls", "100", "--aht", "180", "--patience", "60", "--max-abandon", "5%", "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert report["model"] == "erlang_a" and report["p_abandon"] <= 0.05
    peak = next(row for row in report["intervals"] if row["label"] == report["peak_label"])
    assert peak["binding"] == "abandon"


def test_erlang_a_evaluated_names_both_waits(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 23's case: the answered callers' ASA and the mean wait of all callers, each under its name."""
    argv = ["--calls", "50", "--aht", "600", "--service-level", "90/10", "--patience", "60", "--agents", "21"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    lines = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in out.splitlines()
        if line.count("│") == 3
    }
    assert lines["ASA of answered calls (s)"] == "1.659"
    assert lines["mean wait of all callers (s)"] == "2.607"
    report = json.loads(run(capsys, *argv, "--json")[1])
    assert round(report["metrics"]["asa_seconds"], 2) == 1.66
    assert round(report["metrics"]["mean_wait_seconds"], 2) == 2.61
    assert report["warnings"] == []


def test_high_occupancy_is_a_warning_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--calls", "1000", "--aht", "180", "--agents", "105")
    assert code == 0 and "Note: occupancy reaches 95.24% at the busiest interval, above 90%" in out
    report = json.loads(run(capsys, "--calls", "1000", "--aht", "180", "--agents", "105", "--json")[1])
    assert report["warnings"] == ["high_occupancy"]
    sized = json.loads(run(capsys, "--calls", "1000", "--aht", "180", "--json")[1])
    assert sized["peak_occupancy"] > 0.9 and "high_occupancy" in sized["warnings"]
    capped = json.loads(run(capsys, "--calls", "1000", "--aht", "180", "--max-occupancy", "85%", "--json")[1])
    assert capped["peak_occupancy"] <= 0.85 and "high_occupancy" not in capped["warnings"]


def test_unstable_queue_is_said_plainly(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--calls", "100", "--aht", "180", "--agents", "10")
    assert code == 0
    assert "the queue never clears: 10 agents for 10 Erlangs" in out


def test_building(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--floor-area", "3000", "--aht", "180", "--area-per-seat", "12", "--json")
    assert code == 0
    building = json.loads(out)["building"]
    assert building["seats"] == 250
    assert building["people_on_site"] == 227  # 250 seats / 1.1 spare
    assert building["peak_agents"] == 192  # 227 in the building x (1 - 15 %) off the phones there
    assert building["peak_scheduled_agents"] == 286  # 192 / 0.6715: paid, leave and absence included
    assert building["max_calls_per_interval"] > 0


FORECAST = "start,calls,aht\nmon 08:00,0,\nmon 08:30,100,180\nmon 09:00,1000,\nmon 09:30,100,180\n"


def test_forecast_table_json_and_charts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "week.csv"
    path.write_text(FORECAST, encoding="utf-8")
    code, out, _ = run(capsys, "--forecast", str(path), "--aht", "180", "--days-per-week", "5")
    assert code == 0
    assert "mon 09:00" in out and "107" in out
    code, out, _ = run(capsys, "--forecast", str(path), "--aht", "180", "--json")
    report = json.loads(out)
    assert [row["agents"] for row in report["intervals"]] == [0, 14, 107, 14]
    assert report["scheduled_agents"] == 160 and report["volume_kind"] == "forecast"  # 107 / 0.6715
    svg, png = tmp_path / "agents.svg", tmp_path / "agents.png"
    assert run(capsys, "--forecast", str(path), "--aht", "180", "--chart", str(svg))[0] == 0
    assert run(capsys, "--forecast", str(path), "--aht", "180", "--chart", str(png))[0] == 0
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text and text.rstrip().endswith("</svg>")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_forecast_bad_line_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("start,calls,aht\nmon 08:00,10,180\nmon 08:30,lots,180\n", encoding="utf-8")
    code, out, err = run(capsys, "--forecast", str(path))
    assert code == 2 and out == ""
    assert err.strip() == f"guichet size: error: {path}: line 3: calls: not a number: 'lots'"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--calls", "100", "--aht", "0"], "--aht: must be at least 1, got 0.0"),
        (["--calls", "1e308", "--aht", "180"], "--calls: must be at most 1e+09, got 1e+308"),
        (
            ["--calls", "100", "--aht", "180", "--interval", "0"],
            "--interval: must be at least 1, got 0.0",
        ),
        (
            ["--calls", "100", "--aht", "180", "--shrinkage", "100%"],
            "--shrinkage: must be at most 0.9, got 1.0",
        ),
        (
            ["--calls-per-day", "100", "--aht", "180", "--opening-hours", "lun-ven 8h15-20h"],
            "--opening-hours: opening and closing times must fall on the 30-minute intervals",
        ),
        (
            ["--calls-per-day", "100", "--aht", "180", "--add-channel", "emails:calls_per_day=10"],
            "--add-channel 1: aht_seconds: missing: the average handling time",
        ),
        (
            ["--calls", "100", "--aht", "180", "--service-level", "100/20"],
            "--service-level: must be strictly between 0 and 1, got 1.0",
        ),
        (["--calls", "100"], "--aht: required with --calls and --floor-area (seconds)"),
        (
            ["--floor-area", "3000", "--aht", "180", "--chart", "x.svg"],
            "--chart, --export-forecast: need a sizing (not --floor-area or --agents)",
        ),
        (
            ["--calls", "100", "--aht", "180", "--max-abandon", "5%"],
            "--max-abandon: needs patience_seconds (the Erlang A model)",
        ),
    ],
)
def test_errors_exit_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.strip() == f"guichet size: error: {message}"
    assert "Traceback" not in err


def test_chart_with_a_wrong_suffix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(FORECAST, encoding="utf-8")
    code, _, err = run(capsys, "--forecast", str(path), "--aht", "180", "--chart", str(tmp_path / "a.pdf"))
    assert code == 2 and "--chart: the file must end in .svg or .png, got 'a.pdf'" in err


def test_missing_forecast_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--forecast", str(tmp_path / "none.csv"), "--aht", "180")
    assert code == 2 and "No such file" in err


NEED = ["--calls-per-day", "12000", "--aht", "300", "--opening-hours", "lun-sam 8h-20h"]


def test_a_daily_volume_and_its_forecast_file_give_the_same_sizing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The issue's investor, said two ways: 12,000 calls a day Monday to Saturday 8:00-20:00 with the
    typical inbound profile, and the forecast file that volume becomes."""
    week = tmp_path / "week.csv"
    code, out, _ = run(capsys, *NEED, "--json", "--export-forecast", str(week))
    assert code == 0
    by_day = json.loads(out)
    assert by_day["opening_hours"] == "mon-sat 08:00-20:00" and by_day["opening_hours_per_week"] == 72
    assert by_day["profile"]["code"] == "inbound"
    assert by_day["warnings"] == ["typical_profile", "high_occupancy"]
    code, out, _ = run(capsys, "--forecast", str(week), "--json")
    assert code == 0
    by_file = json.loads(out)
    assert [r["agents"] for r in by_file["intervals"]] == [r["agents"] for r in by_day["intervals"]]
    for name in ("fte", "headcount", "seats", "floor_area_m2", "peak_label", "scheduled_agents"):
        assert by_file[name] == by_day[name], name
    assert by_day["seats"] == 197 and by_day["floor_area_m2"] == 2_108  # 179 in the building at the peak


def test_another_channel_and_a_chart_of_the_week(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    svg = tmp_path / "week.svg"
    code, out, _ = run(
        capsys,
        *NEED,
        "--add-channel",
        "emails:calls_per_day=2000,aht_seconds=240",
        "--chart",
        str(svg),
        "--json",
    )
    assert code == 0
    report = json.loads(out)
    assert [c["channel"] for c in report["channels"]] == ["calls", "emails"]
    assert report["channels"][1]["model"] == "workload"
    assert all(row["agents"] == sum(row["channel_agents"]) for row in report["intervals"])
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "Mon" in text and "Sat" in text and "typical week" in text


def test_the_options_keep_their_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["size", "--help"])
    out = capsys.readouterr().out
    options = {word.strip(",()[]") for word in out.split() if word.startswith(("--", "[--", "(--"))}
    assert options == {
        "--help",
        "--calls",
        "--calls-per-day",
        "--calls-per-week",
        "--forecast",
        "--floor-area",
        "--days-per-week",
        "--aht",
        "--channel",
        "--concurrency",
        "--profile",
        "--hourly-profile",
        "--daily-profile",
        "--opening-hours",
        "--interval",
        "--service-level",
        "--asa",
        "--max-occupancy",
        "--patience",
        "--max-abandon",
        "--shrinkage",
        "--absence-shrinkage",
        "--on-site-shrinkage",
        "--hours-per-week",
        "--part-time-share",
        "--part-time-hours",
        "--agents-per-seat",
        "--spare-seats",
        "--area-per-seat",
        "--support-area",
        "--years",
        "--ramp",
        "--attrition",
        "--candidates-per-hire",
        "--add-channel",
        "--agents",
        "--json",
        "--chart",
        "--export-forecast",
    }
    help_text = " ".join(out.split())
    assert "off the phones: breaks, coaching, training, meetings. Default: 15%." in help_text
    assert "Total paid time off the phones, the two parts together (the former single figure)" in help_text
