"""`guichet size`: agents, FTE, seats, floor area and hires from calls, or what a building can hold.

Three ways in (one of them):

- ``--calls N --aht SECONDS``: one interval (``--interval`` minutes, default 30);
- ``--forecast FILE.csv``: agents per interval for a day or a week (``--chart FILE.svg|png`` draws them);
- ``--floor-area M2 --aht SECONDS``: the reverse, the seats, FTE and calls per interval a building can serve.

Targets: ``--service-level 80/20`` (default), ``--asa SECONDS``, ``--max-occupancy 0.85``; ``--patience
SECONDS`` switches to Erlang A (callers abandon) and allows ``--max-abandon 0.05``. Shares are fractions or
percentages (``0.3``, ``30`` and ``30%`` are the same shrinkage). Site parameters (``--hours-per-week``,
``--area-per-seat``, ``--spare-seats``, ``--support-area``, ``--open-hours``) and hiring parameters
(``--years``, ``--ramp``, ``--attrition``, ``--candidates-per-hire``) default to sourced figures, and the
output says which values it used. ``--agents N`` evaluates a given staffing instead of sizing one.

Forecast CSV format (see ``docs/staffing.md``): a header row, then one row per interval in time order::

    start,calls,aht,open
    mon 08:00,120,185,1
    mon 08:30,0,,0

``calls`` is required; ``aht`` (seconds) is optional if ``--aht`` gives a default, a blank cell takes it;
``start`` is an optional label; ``open`` is optional (1/0, yes/no, true/false, oui/non; a closed interval
needs no agent). A semicolon delimiter allows decimal commas. Blank lines and ``#`` comments are skipped.
The file is a week unless ``--days-per-week N`` says it is one typical day repeated N days a week.

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

from guichet.engine import staffing as st

EXIT_USAGE = 2

# The engine names its fields; the command speaks in options.
_OPTION_FOR_FIELD = {
    "calls": "--calls",
    "aht_seconds": "--aht",
    "aht": "aht",
    "interval_minutes": "--interval",
    "service_level": "--service-level",
    "answer_seconds": "--service-level",
    "asa_seconds": "--asa",
    "max_occupancy": "--max-occupancy",
    "max_abandon": "--max-abandon",
    "patience_seconds": "--patience",
    "shrinkage": "--shrinkage",
    "agents": "--agents",
    "floor_area_m2": "--floor-area",
    "contract_hours_per_week": "--hours-per-week",
    "area_per_seat_m2": "--area-per-seat",
    "spare_seat_ratio": "--spare-seats",
    "support_area_m2": "--support-area",
    "open_hours_per_week": "--open-hours",
    "years": "--years",
    "ramp": "--ramp",
    "annual_attrition": "--attrition",
    "candidates_per_hire": "--candidates-per-hire",
    "weeks": "--days-per-week",
}


class _UsageError(Exception):
    pass


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "size",
        help="agents, FTE, seats, floor area and hires from calls (Erlang C / Erlang A)",
        description=(__doc__ or "").split("\n\n")[0],
        epilog="Formulas, defaults and sources: docs/staffing.md",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--calls", type=float, help="calls offered in one interval")
    what.add_argument("--forecast", metavar="FILE.csv", type=Path, help="calls per interval (format: docs)")
    what.add_argument("--floor-area", metavar="M2", type=float, help="size from a building's floor area")
    parser.add_argument(
        "--interval", metavar="MINUTES", type=float, default=30.0, help="interval length (30)"
    )
    parser.add_argument("--aht", metavar="SECONDS", type=float, help="average handling time")
    parser.add_argument(
        "--agents", type=int, help="evaluate this many agents instead of sizing (with --calls)"
    )
    target = parser.add_argument_group("targets")
    target.add_argument("--service-level", metavar="PCT/SECONDS", help="e.g. 80/20 (the default)")
    target.add_argument("--asa", metavar="SECONDS", type=float, help="average speed of answer at most")
    target.add_argument("--max-occupancy", metavar="SHARE", help="e.g. 0.85 or 85%%")
    target.add_argument("--patience", metavar="SECONDS", type=float, help="mean caller patience: Erlang A")
    target.add_argument("--max-abandon", metavar="SHARE", help="abandonment at most, e.g. 5%% (Erlang A)")
    target.add_argument("--shrinkage", metavar="SHARE", default="0", help="time off the phones, e.g. 30%%")
    site = parser.add_argument_group("site")
    site.add_argument(
        "--hours-per-week",
        type=float,
        default=st.DEFAULT_CONTRACT_HOURS_PER_WEEK,
        help="contractual week (35)",
    )
    site.add_argument("--area-per-seat", metavar="M2", type=float, default=st.DEFAULT_AREA_PER_SEAT_M2)
    site.add_argument("--spare-seats", metavar="SHARE", default=str(st.DEFAULT_SPARE_SEAT_RATIO))
    site.add_argument("--support-area", metavar="M2", type=float, default=0.0, help="extra support areas")
    site.add_argument(
        "--open-hours",
        metavar="HOURS",
        type=float,
        default=st.DEFAULT_OPEN_HOURS_PER_WEEK,
        help="opening hours per week, for --calls and --floor-area (60)",
    )
    site.add_argument("--days-per-week", type=int, help="the forecast is one day repeated this many days")
    hiring = parser.add_argument_group("hiring")
    hiring.add_argument("--years", type=int, default=3)
    hiring.add_argument(
        "--ramp", default=",".join(str(s) for s in st.DEFAULT_RAMP), help="share of target per year"
    )
    hiring.add_argument("--attrition", metavar="SHARE", default=str(st.DEFAULT_ANNUAL_ATTRITION))
    hiring.add_argument("--candidates-per-hire", type=float, default=st.DEFAULT_CANDIDATES_PER_HIRE)
    output = parser.add_argument_group("output")
    output.add_argument("--json", action="store_true", help="JSON instead of tables")
    output.add_argument("--chart", metavar="FILE.svg|png", type=Path, help="chart of agents per interval")
    parser.set_defaults(handler=handle)


def _share(text: str, option: str) -> float:
    """0.3, 30 and 30% all mean 30%."""
    cleaned = text.strip().replace(",", ".")
    percent = cleaned.endswith("%")
    try:
        value = Fraction(cleaned.rstrip("%").strip())
    except (ValueError, ZeroDivisionError):
        raise _UsageError(f"{option}: expected a share such as 0.3 or 30%, got {text!r}") from None
    if percent or value > 1:
        value /= 100
    return float(value)


def _target(args: argparse.Namespace) -> st.Target:
    service_level: float | None = 0.8
    answer = 20.0
    if args.service_level is not None:
        service_level, answer = st.parse_service_level(args.service_level)
    elif args.asa is not None or args.max_abandon is not None:
        service_level = None
    return st.Target(
        service_level=service_level,
        answer_seconds=answer,
        asa_seconds=args.asa,
        max_abandon=None if args.max_abandon is None else _share(args.max_abandon, "--max-abandon"),
        max_occupancy=None if args.max_occupancy is None else _share(args.max_occupancy, "--max-occupancy"),
        patience_seconds=args.patience,
    )


def _site(args: argparse.Namespace) -> st.SiteParameters:
    return st.SiteParameters(
        contract_hours_per_week=args.hours_per_week,
        area_per_seat_m2=args.area_per_seat,
        spare_seat_ratio=_share(args.spare_seats, "--spare-seats"),
        support_area_m2=args.support_area,
        open_hours_per_week=args.open_hours,
    )


def _hiring(args: argparse.Namespace, sizing: st.SiteSizing) -> st.HiringPlan:
    try:
        ramp = [float(part) for part in args.ramp.split(",") if part.strip()]
    except ValueError:
        raise _UsageError(f"--ramp: expected shares such as 0.5,0.75,1, got {args.ramp!r}") from None
    return st.hiring_plan(
        target_headcount=sizing.headcount,
        target_seats=sizing.seats,
        years=args.years,
        ramp=ramp,
        annual_attrition=_share(args.attrition, "--attrition"),
        candidates_per_hire=args.candidates_per_hire,
    )


def handle(args: argparse.Namespace) -> int:
    try:
        report = _compute(args)
    except st.StaffingInputError as error:
        # A forecast row names its column; anything else names the option.
        option = error.field if error.line is not None else _OPTION_FOR_FIELD.get(error.field, error.field)
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
    target = _target(args)
    shrinkage = _share(args.shrinkage, "--shrinkage")
    site = _site(args)
    if args.chart is not None and args.forecast is None:
        raise _UsageError("--chart: needs --forecast (it draws agents per interval)")
    if args.agents is not None and args.calls is None:
        raise _UsageError("--agents: only with --calls")
    if args.days_per_week is not None and not 1 <= args.days_per_week <= 7:
        raise _UsageError(f"--days-per-week: must be from 1 to 7, got {args.days_per_week}")
    report: dict[str, Any] = {"target": dataclasses.asdict(target), "model": target.model}
    if (args.calls is not None or args.floor_area is not None) and args.aht is None:
        raise _UsageError("--aht: required with --calls and --floor-area (seconds)")
    if args.calls is not None:
        report["mode"] = "interval"
        if args.agents is not None:
            metrics = st.queue_metrics(
                args.agents,
                args.calls,
                args.aht,
                interval_minutes=args.interval,
                answer_seconds=target.answer_seconds,
                patience_seconds=target.patience_seconds,
            )
            report["mode"] = "evaluate"
            report["metrics"] = dataclasses.asdict(metrics)
            report["note"] = metrics.note
            return report
        result = st.required_agents(
            args.calls, args.aht, target, interval_minutes=args.interval, shrinkage=shrinkage
        )
        sizing = st.site_from_interval(result, site)
        report["staffing"] = dataclasses.asdict(result)
    elif args.forecast is not None:
        report["mode"] = "forecast"
        with args.forecast.open(encoding="utf-8-sig") as handle_:
            forecast = st.parse_forecast_csv(handle_, default_aht_seconds=args.aht)
        plan = st.plan_staffing(forecast, target, interval_minutes=args.interval, shrinkage=shrinkage)
        weeks = Fraction(1) if args.days_per_week is None else Fraction(1, args.days_per_week)
        sizing = st.site_from_plan(plan.summary, site, weeks=weeks)
        report["summary"] = dataclasses.asdict(plan.summary)
        report["intervals"] = [_interval_row(result) for result in plan.intervals]
        report["forecast_weeks"] = float(weeks)
        if args.chart is not None:
            _chart(plan, args.chart)
            report["chart"] = str(args.chart)
    else:
        report["mode"] = "building"
        capacity = st.building_capacity(
            args.floor_area,
            aht_seconds=args.aht,
            target=target,
            interval_minutes=args.interval,
            shrinkage=shrinkage,
            parameters=site,
        )
        report["building"] = dataclasses.asdict(capacity)
        sizing = st.size_site(
            peak_scheduled_agents=capacity.peak_scheduled_agents,
            weekly_scheduled_agent_hours=capacity.peak_scheduled_agents
            * Fraction(str(site.open_hours_per_week)),
            parameters=site,
            peak_agents=capacity.peak_agents,
        )
    report["site"] = dataclasses.asdict(sizing)
    report["hiring"] = dataclasses.asdict(_hiring(args, sizing))
    report["sources"] = dict(st.SOURCES)
    return report


def _interval_row(result: st.StaffingResult) -> dict[str, Any]:
    metrics = result.metrics
    return {
        "label": result.label,
        "calls": result.calls,
        "aht_seconds": result.aht_seconds,
        "traffic": result.traffic,
        "agents": result.agents,
        "scheduled_agents": result.scheduled_agents,
        "binding": result.binding,
        "service_level": metrics.service_level,
        "p_wait": metrics.p_wait,
        "asa_seconds": metrics.asa_seconds,
        "occupancy": metrics.occupancy,
        "p_abandon": metrics.p_abandon,
    }


def _chart(plan: st.StaffingPlan, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in {".svg", ".png"}:
        raise _UsageError(f"--chart: the file must end in .svg or .png, got {path.name!r}")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4), layout="constrained")
    axes = figure.add_subplot()
    positions = range(len(plan.intervals))
    axes.step(positions, [r.scheduled_agents for r in plan.intervals], where="post", label="scheduled agents")
    axes.step(positions, [r.agents for r in plan.intervals], where="post", label="agents on the phones")
    every = max(1, len(plan.intervals) // 14)
    axes.set_xticks(
        list(positions)[::every], [r.label for r in plan.intervals][::every], rotation=45, ha="right"
    )
    axes.set_ylabel("agents")
    axes.set_title(f"Agents per {plan.summary.interval_minutes:g}-minute interval")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.savefig(path, format=suffix[1:])


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _print_tables(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, width=110, highlight=False)

    def pairs(title: str, rows: list[tuple[str, Any]]) -> None:
        table = Table(title=title, show_header=False, title_justify="left")
        table.add_column("figure")
        table.add_column("value", justify="right")
        for name, value in rows:
            table.add_row(name, _fmt(value))
        console.print(table)

    target = report["target"]
    targets: list[tuple[str, Any]] = [("model", "Erlang A" if report["model"] == "erlang_a" else "Erlang C")]
    if target["service_level"] is not None:
        targets.append(
            ("service level", f"{target['service_level']:.0%} within {target['answer_seconds']:g} s")
        )
    for key, name in (("asa_seconds", "ASA at most (s)"), ("max_abandon", "abandonment at most")):
        if target[key] is not None:
            targets.append((name, target[key]))
    for key, name in (("max_occupancy", "occupancy at most"), ("patience_seconds", "mean patience (s)")):
        if target[key] is not None:
            targets.append((name, target[key]))
    pairs("Target", targets)

    if report["mode"] == "evaluate":
        m = report["metrics"]
        rows = [("agents", m["agents"]), ("traffic (Erlangs)", m["traffic"])]
        if not m["stable"]:
            rows.append(("queue", report["note"]))
        rows += [
            ("P(wait)", m["p_wait"]),
            ("service level", m["service_level"]),
            ("ASA (s)", m["asa_seconds"]),
            ("occupancy", m["occupancy"]),
        ]
        if m["p_abandon"] is not None:
            rows.append(("P(abandon)", m["p_abandon"]))
        pairs("Queue", rows)
        return
    if report["mode"] == "interval":
        s = report["staffing"]
        m = s["metrics"]
        rows = [
            ("calls per interval", s["calls"]),
            ("interval (min)", s["interval_minutes"]),
            ("AHT (s)", s["aht_seconds"]),
            ("traffic (Erlangs)", s["traffic"]),
            ("agents on the phones", s["agents"]),
            ("set by", s["binding"]),
            ("service level", m["service_level"]),
            ("P(wait)", m["p_wait"]),
            ("ASA (s)", m["asa_seconds"]),
            ("occupancy", m["occupancy"]),
        ]
        if m["p_abandon"] is not None:
            rows.append(("P(abandon)", m["p_abandon"]))
        rows += [("shrinkage", s["shrinkage"]), ("scheduled agents", s["scheduled_agents"])]
        pairs("Staffing", rows)
    elif report["mode"] == "forecast":
        summary = report["summary"]
        intervals = report["intervals"]
        if len(intervals) <= 100:
            table = Table(title="Agents per interval", title_justify="left")
            for name in ("start", "calls", "AHT (s)", "Erlangs", "agents", "scheduled", "SL", "occupancy"):
                table.add_column(name, justify="left" if name == "start" else "right")
            for row in intervals:
                table.add_row(
                    row["label"],
                    _fmt(row["calls"]),
                    _fmt(row["aht_seconds"]),
                    _fmt(row["traffic"], 2),
                    _fmt(row["agents"]),
                    _fmt(row["scheduled_agents"]),
                    _fmt(row["service_level"]),
                    _fmt(row["occupancy"]),
                )
            console.print(table)
        else:
            console.print(f"{len(intervals)} intervals (use --json to list them all)")
        pairs(
            "Plan",
            [
                ("intervals (open)", f"{summary['intervals']} ({summary['open_intervals']})"),
                ("calls", summary["calls"]),
                ("peak agents on the phones", summary["peak_agents"]),
                ("peak scheduled agents", f"{summary['peak_scheduled_agents']} at {summary['peak_label']}"),
                ("shrinkage", summary["shrinkage"]),
                ("scheduled agent-hours", summary["scheduled_agent_hours"]),
                ("weeks covered by the file", report["forecast_weeks"]),
            ],
        )
    else:
        b = report["building"]
        m = b["metrics_at_max"]
        pairs(
            "Building",
            [
                ("floor area (m²)", b["floor_area_m2"]),
                ("seats", b["seats"]),
                ("peak scheduled agents", b["peak_scheduled_agents"]),
                ("agents on the phones", b["peak_agents"]),
                ("calls per interval served", b["max_calls_per_interval"]),
                ("interval (min)", b["interval_minutes"]),
                ("AHT (s)", b["aht_seconds"]),
                ("service level at that volume", m["service_level"]),
                ("occupancy at that volume", m["occupancy"]),
            ],
        )
    site = report["site"]
    params = site["parameters"]
    pairs(
        "Site",
        [
            ("weekly scheduled agent-hours", site["weekly_scheduled_agent_hours"]),
            ("FTE", round(site["fte"], 2)),
            ("full-time headcount", site["headcount"]),
            ("seats", site["seats"]),
            ("floor area (m²)", site["floor_area_m2"]),
        ],
    )
    hiring = report["hiring"]
    table = Table(
        title=f"Hiring ({hiring['annual_attrition']:.0%} attrition, "
        f"{hiring['candidates_per_hire']:g} candidates per hire)",
        title_justify="left",
    )
    for name in ("year", "share", "seats", "headcount", "growth", "replacement", "hires", "candidates"):
        table.add_column(name, justify="right")
    for year in hiring["years"]:
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
    pairs(
        "Assumptions",
        [
            ("contractual week (h)", params["contract_hours_per_week"]),
            ("area per seat (m²)", params["area_per_seat_m2"]),
            ("spare seats", params["spare_seat_ratio"]),
            ("support area (m²)", params["support_area_m2"]),
            ("opening hours per week", params["open_hours_per_week"]),
        ],
    )
    console.print("Sources: docs/staffing.md (defaults are parameters; --json lists them).")
