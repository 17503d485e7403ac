"""A call forecast: intervals with their calls and handling time, read from and written to its CSV file.

Pure (no Django; the caller opens the file). The format is described in ``docs/staffing.md``; what the
intervals need is computed by :mod:`guichet.engine.agents`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass

from guichet.engine import staffing as st
from guichet.engine.staffing import LIMITS, Number, StaffingInputError

__all__ = ["ForecastInterval", "forecast_csv", "parse_forecast_csv"]


@dataclass(frozen=True, slots=True)
class ForecastInterval:
    """One interval of a forecast: a label (e.g. ``mon 08:00``), its calls and AHT, open or closed."""

    label: str
    calls: float
    aht_seconds: float
    open: bool = True


_TRUE = {"1", "yes", "y", "true", "oui", "o", "open", "ouvert"}
_FALSE = {"0", "no", "n", "false", "non", "closed", "ferme", "fermé"}


def parse_forecast_csv(
    lines: Iterable[str], *, default_aht_seconds: Number | None = None
) -> tuple[ForecastInterval, ...]:
    """Read a forecast from CSV text lines (the caller opens the file).

    Format: a header row, then one row per interval in time order. Columns (any order, case-insensitive):
    ``calls`` (required, number of calls offered, 0 or more), ``aht`` (seconds; optional when
    ``default_aht_seconds`` is given, a blank cell takes the default), ``start`` (optional label such as
    ``mon 08:00`` or an ISO date-time) and ``open`` (optional: 1/0, yes/no, true/false, oui/non; a closed
    interval needs no agent whatever its calls). The delimiter is a comma, or a semicolon (then a decimal
    comma is accepted: ``12,5``). Blank lines and lines starting with ``#`` are skipped. A malformed row
    raises :class:`StaffingInputError` naming its line number (1 = the header).
    """
    numbered = ((number, line) for number, line in enumerate(lines, start=1))
    content = [
        (n, line.rstrip("\r\n")) for n, line in numbered if line.strip() and not line.lstrip().startswith("#")
    ]
    if not content:
        raise StaffingInputError(
            "forecast", "the file is empty: expected a header row with a 'calls' column", code="syntax"
        )
    header_line, header_text = content[0]
    delimiter = ";" if header_text.count(";") > header_text.count(",") else ","
    rows = csv.reader([text for _, text in content], delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(rows)]
    if "calls" not in header:
        raise StaffingInputError(
            "forecast", f"the header has no 'calls' column (got {header})", line=header_line, code="syntax"
        )
    column = {name: index for index, name in enumerate(header)}
    if default_aht_seconds is not None:
        st.positive("aht_seconds", default_aht_seconds)

    def number(cell: str, name: str, line: int) -> float:
        text = cell.strip().replace(" ", "").replace("\u202f", "")
        if delimiter == ";":
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise StaffingInputError(
                name, f"not a number: {cell!r}", line=line, code="not_a_number"
            ) from None
        if not math.isfinite(value):
            raise StaffingInputError(name, f"not a finite number: {cell!r}", line=line, code="not_finite")
        highest = LIMITS["aht_seconds" if name == "aht" else "calls"][1]
        if value > highest:
            raise StaffingInputError(
                name,
                f"must be at most {highest:g}, got {cell.strip()}",
                line=line,
                code="above_maximum",
                limit=highest,
            )
        return value

    intervals: list[ForecastInterval] = []
    for (line, _), cells in zip(content[1:], rows, strict=True):
        if len(cells) != len(header):
            raise StaffingInputError(
                "forecast", f"expected {len(header)} cells, got {len(cells)}", line=line, code="syntax"
            )
        calls = number(cells[column["calls"]], "calls", line)
        if calls < 0:
            raise StaffingInputError(
                "calls",
                f"must be 0 or more, got {cells[column['calls']].strip()}",
                line=line,
                code="negative",
            )
        aht_cell = cells[column["aht"]].strip() if "aht" in column else ""
        if aht_cell:
            aht = number(aht_cell, "aht", line)
            if aht <= 0:
                raise StaffingInputError(
                    "aht", f"must be greater than 0, got {aht_cell}", line=line, code="not_positive"
                )
        elif default_aht_seconds is not None:
            aht = float(default_aht_seconds)
        else:
            raise StaffingInputError(
                "aht", "missing (give an aht column or a default AHT)", line=line, code="required"
            )
        is_open = True
        if "open" in column:
            flag = cells[column["open"]].strip().lower()
            if flag in _TRUE or flag == "":
                is_open = True
            elif flag in _FALSE:
                is_open = False
            else:
                raise StaffingInputError(
                    "open", f"expected yes/no or 1/0, got {flag!r}", line=line, code="syntax"
                )
        label = cells[column["start"]].strip() if "start" in column else str(len(intervals) + 1)
        intervals.append(ForecastInterval(label, calls, aht, is_open))
    if not intervals:
        raise StaffingInputError("forecast", "no interval after the header", code="required")
    return tuple(intervals)


def forecast_csv(intervals: Iterable[ForecastInterval]) -> str:
    """The forecast file for ``intervals`` (``start,calls,aht,open``), which :func:`parse_forecast_csv`
    reads back to the same values: numbers are written in full (their shortest exact form)."""
    lines = ["start,calls,aht,open"]
    for interval in intervals:
        lines.append(
            f"{interval.label},{interval.calls!r},{interval.aht_seconds!r},{1 if interval.open else 0}"
        )
    return "\n".join(lines) + "\n"
