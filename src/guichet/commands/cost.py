"""`guichet cost`: the loaded cost of a full-time employee, or of a whole centre year by year, printed as
the same object `POST /api/costs` returns (``--json``) or as a table.

    guichet cost [--smic-multiple 1.2 | --gross-monthly 2200] [--employees 250] [--on 2026-03-01]
                 [--commune 25056 | --mobility-pct 1.8] [--work-injury-pct 1.1] [--executive]
                 [--year 2027:150:160:120 ...] [--json]

``--year YEAR:AGENT_FTE:HIRES:SEATS`` gives one year of a ramp-up (the last one is the cruise year unless
``--cruise`` gives it). Pure: no database (the parameter and mobility tables are bundled files).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("cost", help="loaded cost of an employee or of a centre (payroll 2026)")
    wage = parser.add_mutually_exclusive_group()
    wage.add_argument("--smic-multiple", help="gross wage as a multiple of the SMIC (default 1)")
    wage.add_argument("--gross-monthly", help="gross monthly wage in EUR")
    parser.add_argument("--employees", type=int, help="the firm's headcount (default: the centre's, or 250)")
    parser.add_argument("--on", help="the date whose rates apply (YYYY-MM-DD, default today)")
    parser.add_argument("--commune", default="", help="INSEE code of the site: its mobility levy when known")
    parser.add_argument("--mobility-pct", help="the site's mobility levy rate in percent")
    parser.add_argument("--work-injury-pct", help="the establishment's notified AT/MP rate in percent")
    parser.add_argument("--executive", action="store_true", help="an executive (cadre) employee")
    parser.add_argument("--year", action="append", default=[], metavar="YEAR:FTE:HIRES:SEATS")
    parser.add_argument(
        "--cruise", metavar="YEAR:FTE:HIRES:SEATS", help="the cruise year (default: the last)"
    )
    parser.add_argument("--json", action="store_true", help="print the JSON object of POST /api/costs")
    parser.set_defaults(handler=handle)


def _year(text: str) -> dict[str, Any]:
    parts = text.split(":")
    if len(parts) != 4:
        raise ValueError(f"{text!r}: YEAR:AGENT_FTE:HIRES:SEATS")
    year, fte, hires, seats = parts
    return {"year": int(year), "agent_fte": fte, "hires": int(hires), "seats": int(seats)}


def values_from(args: argparse.Namespace) -> dict[str, Any]:
    """The options as the API's JSON body (the same names)."""
    values: dict[str, Any] = {
        "on": args.on,
        "employees": args.employees,
        "smic_multiple": args.smic_multiple,
        "gross_monthly": args.gross_monthly,
        "executive": args.executive,
        "commune": args.commune,
        "mobility_pct": args.mobility_pct,
        "work_injury_pct": args.work_injury_pct,
    }
    if args.year:
        values["years"] = [_year(text) for text in args.year]
    if args.cruise:
        values["cruise"] = _year(args.cruise)
    return {key: value for key, value in values.items() if value not in (None, "", False, [])}


def _table(result: dict[str, Any]) -> str:
    employee = result["employee"]
    rows = [
        f"Full-time employee, rates of {employee['on']}, firm of {employee['employees']} employees",
        f"  gross {employee['gross_annual']} EUR a year ({employee['smic_multiple']} x SMIC)",
    ]
    for line in employee["lines"]:
        rows.append(f"  {line['code']:<34} {line['rate_pct']:>10} % {line['amount']:>12}")
    rows.append(f"  {'total loaded cost':<34} {'':>12} {employee['total']:>12}")
    if employee["notes"]:
        rows.append("  notes: " + ", ".join(employee["notes"]))
    centre = result["centre"]
    if centre:
        rows.append("Centre, year by year (EUR)")
        for year in [*centre["years"], {**centre["cruise"], "year": "cruise"}]:
            rows.append(
                f"  {year['year']!s:<8} agents {year['agent_fte']:>8} hires {year['hires']:>5} "
                f"people {year['people']:>14} hiring {year['hiring']:>12} total {year['total']:>14} "
                f"per seat {year['per_seat'] or '—':>12}"
            )
    rows.append(
        "Sources: "
        + "; ".join(f"{s['key']} ({s['effective_from']}): {s['reference']}" for s in result["sources"])
    )
    return "\n".join(rows)


def handle(args: argparse.Namespace) -> int:
    from guichet.data.payroll_tables import compute_costs
    from guichet.engine.payroll import PayrollError

    try:
        result = compute_costs(values_from(args), today=date.today())
    except (PayrollError, ValueError) as error:
        print(f"guichet cost: error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else _table(result))
    return 0
