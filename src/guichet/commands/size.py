"""`guichet size`: agents, FTE, seats, floor area and hires from volumes, or what a building can hold.

The need, one of:

- ``--calls-per-day N`` or ``--calls-per-week N`` with ``--aht SECONDS``: spread over the opening hours
  (``--opening-hours "mon-fri 08:00-20:00; sat 09:00-17:00"``) by an arrival profile (``--profile inbound``,
  ``outbound``, ``back_office`` or ``flat``: typical shapes; ``--hourly-profile`` and ``--daily-profile``
  give your own weights);
- ``--calls N --aht SECONDS``: one (peak) interval, held through every open interval of the week;
- ``--forecast FILE.csv``: calls per interval (format below); a week, one day repeated
  ``--days-per-week N`` days, or several weeks;
- ``--floor-area M2 --aht SECONDS``: the reverse, the seats, FTE and calls per interval a building serves.

Targets: ``--service-level 80/20`` (the default when no target is given), ``--asa SECONDS`` (the mean wait
of the answered calls), ``--max-occupancy 0.85``; ``--patience SECONDS`` switches to Erlang A (callers
abandon) and allows ``--max-abandon 0.05``. Shrinkage in two parts: ``--absence-shrinkage`` (leave, public
holidays, sickness) and ``--on-site-shrinkage`` (breaks, coaching, training, meetings); ``--shrinkage`` alone
gives the total as before, split with the on-site default (the output says how). ``--part-time-share``
and ``--part-time-hours`` turn FTE into people. ``--channel chats --concurrency 2`` or ``--channel emails``
(sized by workload) change what the volume is; ``--add-channel "emails:calls_per_day=2000,aht_seconds=240"``
adds one.
Shares are fractions or percentages (``0.3``, ``30`` and ``30%`` are the same shrinkage). Every other value
defaults to the one set of sourced defaults (docs/staffing.md), and the output says which it used.
``--agents N`` evaluates a given staffing of one interval instead of sizing one.

Forecast CSV format (see ``docs/staffing.md``): a header row, then one row per interval in time order::

    start,calls,aht,open
    mon 08:00,120,185,1
    mon 08:30,0,,0

``calls`` is required; ``aht`` (seconds) is optional if ``--aht`` gives a default, a blank cell takes it;
``start`` is an optional label (``mon 08:00`` places it in the week); ``open`` is optional (1/0, yes/no,
true/false, oui/non; a closed interval needs no agent). A semicolon delimiter allows decimal commas.
``--export-forecast FILE.csv`` writes the intervals a daily or weekly volume becomes, in this format.

Errors (bad values, malformed rows named by line) go to stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from guichet.engine import agents as ag
from guichet.engine import forecast as fc
from guichet.engine import site
from guichet.engine import sizing as sz
from guichet.engine import staffing as st
from guichet.engine.sizing_fields import FIELDS, RequestField

EXIT_USAGE = 2

# The engine names its fields; the command speaks in options, each named in the request's one table
# (:mod:`guichet.engine.sizing_fields`). A forecast's own errors name its column or its interval.
_OPTION_FOR_FIELD = {
    **{f.name: f.option for f in FIELDS if f.option and f.kind not in ("forecast", "channels")},
    "answer_seconds": "--service-level",
    "aht": "aht",
    "agents": "--agents",
    "floor_area_m2": "--floor-area",
    "open_hours_per_week": "--opening-hours",
    "weeks": "--days-per-week",
}
_DEFAULTS = sz.DEFAULTS
_WARNINGS = {
    "typical_profile": "the arrival profile is a typical shape (an assumption); give the investor's own",
    "default_opening_hours": f"no opening hours given: the default {_DEFAULTS['opening_hours']} was used",
    "seats_below_peak": (
        "the agents-per-seat policy gives fewer seats than people in the building at the peak"
    ),
    "closed_with_calls": "closed intervals of the forecast had calls: they are not answered",
    "shrinkage_from_total": (
        "the shrinkage was given as one total, {total}: read as {on_site} of the time in the building off "
        "the phones (the default) and {absence} away; give --absence-shrinkage and --on-site-shrinkage"
    ),
    "high_occupancy": (
        "occupancy reaches {occupancy} at the busiest interval, above {threshold}: agents cannot hold that "
        "pace (planners keep it under 85%); give --max-occupancy or more agents"
    ),
}


def _warning(code: str, report: dict[str, Any]) -> str:
    """A warning code as the command prints it, with the figures it names."""
    shrinkage = report.get("shrinkage") or {}
    return _WARNINGS.get(code, code).format(
        total=_pct(shrinkage.get("total") or 0.0),
        on_site=_pct(round(shrinkage.get("on_site") or 0.0, 4)),
        absence=_pct(round(shrinkage.get("absence") or 0.0, 4)),
        occupancy=_pct(round(report.get("peak_occupancy") or 0.0, 4)),
        threshold=_pct(st.OCCUPANCY_WARNING),
    )


def _pct(share: float) -> str:
    return f"{share * 100:g}%"


class _UsageError(Exception):
    pass


# The table's groups as the command's help groups its options (the volume's come first, ungrouped).
_HELP_GROUPS = {
    "arrival": "arrival and opening hours",
    "targets": "targets",
    "staff": "site",
    "hiring": "hiring",
}


def _help(field: RequestField) -> str:
    """The field's help and its default, escaped for argparse (which formats help with ``%``)."""
    default = field.default
    if field.name == "service_level":
        return "e.g. 80/20 (the default)"
    if isinstance(default, tuple):
        shown = ",".join(f"{share:g}" for share in default)
    elif field.kind == "share" and default is not None:
        shown = _pct(default)
    elif isinstance(default, float):
        shown = f"{default:g}"
    else:
        shown = default
    text = field.help if shown is None else f"{field.help} Default: {shown}."
    return text.replace("%", "%%")


def _add_option(parser: Any, field: RequestField) -> None:
    """The option of a request field: its value as typed (shares as text: 0.3, 30 and 30% alike)."""
    assert field.option is not None, field
    kwargs: dict[str, Any] = {"dest": field.name, "help": _help(field)}
    kwargs["metavar"] = field.metavar or field.option.lstrip("-").replace("-", "_").upper()
    if field.kind in ("volume", "number"):
        kwargs["type"] = float
    elif field.kind == "whole":
        kwargs["type"] = int
    elif field.kind == "forecast":
        kwargs["type"] = Path
    elif field.kind == "choice":
        kwargs["choices"] = field.choices
        del kwargs["metavar"]
    parser.add_argument(field.option, **kwargs)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "size",
        help="agents, FTE, seats, floor area and hires from volumes (Erlang C / Erlang A)",
        description=(__doc__ or "").split("\n\n")[0],
        epilog="Formulas, defaults and sources: docs/staffing.md",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    for field in FIELDS:
        if field.kind in ("volume", "forecast"):
            _add_option(what, field)
    what.add_argument("--floor-area", metavar="M2", type=float, help="size from a building's floor area")
    groups = {name: parser.add_argument_group(title) for name, title in _HELP_GROUPS.items()}
    for field in FIELDS:
        # Options of their own; the service level's time is given with it, the opening hours' source is
        # recorded, other channels are read from their own syntax.
        if field.option is not None and field.kind not in ("volume", "forecast", "channels"):
            _add_option(groups.get(field.group, parser), field)
    parser.add_argument(
        "--add-channel",
        dest="channels",
        metavar="NAME:FIELD=VALUE,...",
        action="append",
        default=[],
        help='another channel, e.g. "emails:calls_per_day=2000,aht_seconds=240"',
    )
    parser.add_argument(
        "--agents", type=int, help="evaluate this many agents instead of sizing (with --calls)"
    )
    output = parser.add_argument_group("output")
    output.add_argument("--json", action="store_true", help="JSON instead of tables")
    output.add_argument("--chart", metavar="FILE.svg|png", type=Path, help="chart of agents per interval")
    output.add_argument(
        "--export-forecast", metavar="FILE.csv", type=Path, help="write the intervals as a forecast file"
    )
    parser.set_defaults(handler=handle)


def _share(text: str | None, option: str) -> float | None:
    """0.3, 30 and 30% all mean 30%."""
    if text is None:
        return None
    cleaned = text.strip().replace(",", ".")
    percent = cleaned.endswith("%")
    try:
        value = Fraction(cleaned.rstrip("%").strip())
    except (ValueError, ZeroDivisionError):
        raise _UsageError(f"{option}: expected a share such as 0.3 or 30%, got {text!r}") from None
    if percent or value > 1:
        value /= 100
    return float(value)


def _channel_spec(text: str, index: int) -> dict[str, Any]:
    name, _, rest = text.partition(":")
    spec: dict[str, Any] = {"channel": name.strip()}
    for part in (p for p in rest.split(",") if p.strip()):
        key, sep, value = part.partition("=")
        if not sep:
            raise _UsageError(f"--add-channel {index + 1}: expected FIELD=VALUE, got {part!r}")
        key = key.strip()
        try:
            spec[key] = value.strip() if key == "profile" else float(value)
        except ValueError:
            raise _UsageError(f"--add-channel {index + 1}: {key}: not a number: {value!r}") from None
        if key == "concurrency":
            spec[key] = int(spec[key])
    return spec


def _service_level(args: argparse.Namespace) -> tuple[float | None, float | None]:
    if args.service_level is None:
        return None, None
    return st.parse_service_level(args.service_level)


def _request_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The options as the request's named values (None: the default)."""
    fields: dict[str, Any] = {}
    for field in FIELDS:
        if field.option is None or field.kind in ("forecast", "channels"):
            continue  # read below
        value = getattr(args, field.name)
        if field.kind == "share" and field.name != "service_level":
            value = _share(value, field.option)
        fields[field.name] = value
    fields["service_level"], fields["answer_seconds"] = _service_level(args)
    fields["channels"] = [_channel_spec(text, i) for i, text in enumerate(args.channels)]
    if args.forecast is not None:
        with args.forecast.open(encoding="utf-8-sig") as handle_:
            fields["forecast"] = fc.parse_forecast_csv(handle_, default_aht_seconds=args.aht_seconds)
    return fields


def _option(field: str) -> str:
    head, _, rest = field.partition(".")
    if head == "channels" and rest:
        number, _, name = rest.partition(".")
        return f"--add-channel {int(number) + 1}: {name or 'channel'}"
    if head == "forecast" and rest:
        number, _, name = rest.partition(".")
        return f"--forecast interval {int(number) + 1}: {name}"
    return _OPTION_FOR_FIELD.get(field, field)


def handle(args: argparse.Namespace) -> int:
    try:
        report = _compute(args)
    except st.StaffingInputError as error:
        # A forecast row names its column; anything else names the option.
        option = error.field if error.line is not None else _option(error.field)
        where = f"{args.forecast}: line {error.line}: " if error.line is not None else ""
        print(f"guichet size: error: {where}{option}: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except (_UsageError, OSError) as error:
        print(f"guichet size: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    else:
        _print_tables(report)
    return 0


def _compute(args: argparse.Namespace) -> dict[str, Any]:
    if args.agents is not None and args.calls is None:
        raise _UsageError("--agents: only with --calls")
    if (args.calls is not None or args.floor_area is not None) and args.aht_seconds is None:
        raise _UsageError("--aht: required with --calls and --floor-area (seconds)")
    if args.floor_area is not None or args.agents is not None:
        if args.chart is not None or args.export_forecast is not None:
            raise _UsageError("--chart, --export-forecast: need a sizing (not --floor-area or --agents)")
        return _building(args) if args.floor_area is not None else _evaluate(args)
    request = sz.build_request(**_request_fields(args))
    result = sz.size(request)
    report = {"mode": "sizing", **sz.sizing_as_dict(result)}
    if args.chart is not None:
        _chart(report, args.chart)
        report["chart"] = str(args.chart)
    if args.export_forecast is not None:
        args.export_forecast.write_text(fc.forecast_csv(sz.request_forecast(request)), encoding="utf-8")
        report["forecast_file"] = str(args.export_forecast)
    return report


def _evaluate(args: argparse.Namespace) -> dict[str, Any]:
    request = sz.build_request(**_request_fields(args))
    target = request.channels[0].target
    metrics = ag.queue_metrics(
        args.agents,
        args.calls,
        args.aht_seconds,
        interval_minutes=request.interval_minutes,
        answer_seconds=target.answer_seconds,
        patience_seconds=target.patience_seconds,
    )
    high = metrics.stable and metrics.occupancy > st.OCCUPANCY_WARNING
    return {
        "mode": "evaluate",
        "model": target.model,
        "target": dataclasses.asdict(target),
        "metrics": dataclasses.asdict(metrics),
        "note": metrics.note,
        "peak_occupancy": metrics.occupancy,
        "warnings": ["high_occupancy"] if high else [],
    }


def _building(args: argparse.Namespace) -> dict[str, Any]:
    # The same request (a nominal interval of one call) gives the targets, shrinkage and site defaults.
    fields = {**_request_fields(args), "calls": 1.0}
    request = sz.build_request(**fields)
    target = request.channels[0].target
    hours = request.opening_hours.hours_per_week
    parameters = site.SiteParameters(
        contract_hours_per_week=request.contract_hours_per_week,
        area_per_seat_m2=request.seats.area_per_seat_m2,
        spare_seat_ratio=request.seats.spare_seat_ratio,
        support_area_m2=request.seats.support_area_m2,
        open_hours_per_week=hours,
    )
    capacity = site.building_capacity(
        args.floor_area,
        aht_seconds=args.aht_seconds,
        target=target,
        interval_minutes=request.interval_minutes,
        shrinkage=request.shrinkage.total,
        on_site_shrinkage=request.shrinkage.on_site,
        parameters=parameters,
    )
    return {
        "mode": "building",
        "model": target.model,
        "target": dataclasses.asdict(target),
        "opening_hours": request.opening_hours.text(),
        "building": dataclasses.asdict(capacity),
        "sources": dict(st.SOURCES),
    }


def _chart(report: dict[str, Any], path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in {".svg", ".png"}:
        raise _UsageError(f"--chart: the file must end in .svg or .png, got {path.name!r}")
    from guichet.charts import sizing_chart

    path.write_bytes(
        sizing_chart(
            report["intervals"],
            interval_minutes=report["interval_minutes"],
            title=f"Agents per {report['interval_minutes']:g}-minute interval over a typical week",
            agents_label="agents on the phones",
            scheduled_label="scheduled agents",
            y_label="agents",
            day_names=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            image_format=suffix[1:],
        )
    )


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def _pairs(console: Any, title: str, rows: list[tuple[str, Any]]) -> None:
    """A two-column table: each figure and its value."""
    from rich.table import Table

    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(name, _fmt(value))
    console.print(table)


def _print_tables(report: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console(file=sys.stdout, width=110, highlight=False)
    if report["mode"] == "evaluate":
        _print_queue(console, report)
    elif report["mode"] == "building":
        _print_building(console, report)
    else:
        _print_sizing(console, report)


def _print_queue(console: Any, report: dict[str, Any]) -> None:
    m = report["metrics"]
    rows = [("agents", m["agents"]), ("traffic (Erlangs)", m["traffic"])]
    if not m["stable"]:
        rows.append(("queue", report["note"]))
    rows += [
        ("P(wait)", m["p_wait"]),
        ("service level", m["service_level"]),
        ("ASA of answered calls (s)", m["asa_seconds"]),
        ("occupancy", m["occupancy"]),
    ]
    if m["p_abandon"] is not None:
        rows += [("mean wait of all callers (s)", m["mean_wait_seconds"]), ("P(abandon)", m["p_abandon"])]
    _pairs(console, "Queue", rows)
    for code in report["warnings"]:
        console.print(f"Note: {_warning(code, report)}")


def _print_building(console: Any, report: dict[str, Any]) -> None:
    b = report["building"]
    m = b["metrics_at_max"]
    _pairs(
        console,
        "Building",
        [
            ("floor area (m²)", b["floor_area_m2"]),
            ("seats", b["seats"]),
            ("people in the building at the peak", b["people_on_site"]),
            ("agents on the phones", b["peak_agents"]),
            ("peak scheduled agents (paid)", b["peak_scheduled_agents"]),
            ("calls per interval served", b["max_calls_per_interval"]),
            ("interval (min)", b["interval_minutes"]),
            ("AHT (s)", b["aht_seconds"]),
            ("service level at that volume", m["service_level"]),
            ("occupancy at that volume", m["occupancy"]),
            ("opening hours", report["opening_hours"]),
            ("FTE", round(b["fte"], 2)),
            ("full-time headcount", b["headcount"]),
        ],
    )


def _print_sizing(console: Any, report: dict[str, Any]) -> None:
    intervals = report["intervals"]
    _print_intervals(console, intervals)
    inputs = report["inputs"]
    volume = next(
        (
            f"{inputs[k]:,g} {k.replace('_', ' ')}"
            for k in ("calls_per_day", "calls_per_week")
            if inputs[k] is not None
        ),
        f"{inputs['calls']:,g} calls per interval" if inputs["calls"] is not None else "forecast",
    )
    peak = intervals[[row["label"] for row in intervals].index(report["peak_label"])]
    _pairs(
        console,
        "Staffing",
        [
            ("volume", volume),
            ("model", {"erlang_a": "Erlang A", "erlang_c": "Erlang C"}.get(report["model"], report["model"])),
            ("calls per week", report["calls_per_week"]),
            ("peak interval", report["peak_label"]),
            ("traffic at the peak (Erlangs)", peak["traffic_erlangs"]),
            ("agents on the phones", report["agents"]),
            ("set by", peak["binding"]),
            ("service level", report["service_level"]),
            ("P(wait)", report["p_wait"]),
            ("ASA of answered calls (s)", report["asa_seconds"]),
            *(
                [("mean wait of all callers (s)", report["mean_wait_seconds"])]
                if report["p_abandon"] is not None
                else []
            ),
            ("occupancy", report["occupancy"]),
            ("highest occupancy of a queue", report["peak_occupancy"]),
            ("P(abandon)", report["p_abandon"]),
            ("shrinkage, total", report["shrinkage"]["total"]),
            ("  time away", report["shrinkage"]["absence"]),
            ("  in the building off the phones", report["shrinkage"]["on_site"]),
            ("scheduled agents (paid)", report["scheduled_agents"]),
            ("people in the building", report["people_on_site"]),
        ],
    )
    _pairs(
        console,
        "Site",
        [
            ("weekly scheduled agent-hours", report["weekly_scheduled_agent_hours"]),
            ("weeks covered", report["weeks"]),
            ("FTE", round(report["fte"], 2)),
            (f"headcount (jobs; {_pct(inputs['part_time_share'])} part time)", report["headcount"]),
            ("seats (people in the building at the peak + spare)", report["seats"]),
            ("floor area (m²)", report["floor_area_m2"]),
        ],
    )
    _print_hiring(console, report)
    shown = [(name, value) for name, value in inputs.items() if value not in (None, [])]
    _pairs(console, "Inputs (defaults included)", shown)
    for code in report["warnings"]:
        console.print(f"Note: {_warning(code, report)}")
    console.print("Sources: docs/staffing.md (defaults are parameters; --json lists them).")


def _print_intervals(console: Any, intervals: list[dict[str, Any]]) -> None:
    """Agents per open interval, when they fit on a screen."""
    from rich.table import Table

    open_rows = [row for row in intervals if row["agents"]]
    if len(open_rows) > 60:
        console.print(f"{len(intervals)} intervals, {len(open_rows)} staffed (use --json to list them all)")
        return
    table = Table(title="Agents per open interval", title_justify="left")
    for name in ("start", "calls", "AHT (s)", "Erlangs", "agents", "scheduled", "SL", "occupancy"):
        table.add_column(name, justify="left" if name == "start" else "right")
    for row in open_rows:
        table.add_row(
            row["label"],
            _fmt(row["calls"], 1),
            _fmt(row["aht_seconds"]),
            _fmt(row["traffic_erlangs"], 2),
            _fmt(row["agents"]),
            _fmt(row["scheduled_agents"]),
            _fmt(row["service_level"]),
            _fmt(row["occupancy"]),
        )
    console.print(table)


def _print_hiring(console: Any, report: dict[str, Any]) -> None:
    from rich.table import Table

    inputs = report["inputs"]
    table = Table(
        title=f"Hiring ({inputs['annual_attrition']:.0%} attrition, "
        f"{inputs['candidates_per_hire']:g} candidates per hire)",
        title_justify="left",
    )
    for name in ("year", "share", "seats", "headcount", "growth", "replacement", "hires", "candidates"):
        table.add_column(name, justify="right")
    for year in report["hiring"]:
        table.add_row(
            str(year["year"]),
            f"{year['share_of_target']:.0%}",
            _fmt(year["seats"]),
            _fmt(year["headcount"]),
            _fmt(year["growth_hires"]),
            _fmt(year["replacement_hires"]),
            _fmt(year["hires"]),
            _fmt(year["candidates"]),
        )
    console.print(table)
