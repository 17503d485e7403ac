"""Reader of a travel-time matrix: driving times between communes, from a routing engine or a GIS.

Any tool the agency runs can produce it (OSRM's or Valhalla's table service, a GIS network analysis): a
CSV file (``,``, ``;`` or tab; UTF-8 or Windows-1252) with one row per pair, or an xlsx/xls sheet laid out
the same.
Headers are matched ignoring case, accents and separators:

==============  ===========================================================================================
origin          origin, origine, from, from_insee, depart, code_origine, insee_origine, source
destination     destination, to, to_insee, arrivee, code_destination, insee_destination, target
time            minutes, duree_minutes, temps_minutes, duration_min, time_min, minutes_voiture — or, in
                seconds, seconds, secondes, duration, duree, duration_s, duree_secondes (OSRM gives seconds)
==============  ===========================================================================================

Codes are INSEE commune codes (a number that lost its leading zero is padded back). A time must be a number
>= 0; an empty cell, ``null`` or ``NA`` means no route found and the row is skipped (counted). The same pair
given twice is refused, naming both rows. -> :class:`TravelTimeRecord`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from guichet.sources import tabular
from guichet.sources.employment import COMMUNE_PATTERN, EmploymentFormatError, ParseReport, ParseResult
from guichet.sources.errors import gettext_noop
from guichet.sources.tabular import Source, cell_text, fold

__all__ = ["TravelTimeFormatError", "TravelTimeRecord", "parse_travel_times"]

_ALIASES = {
    "origin": (
        "origin",
        "origine",
        "from",
        "frominsee",
        "depart",
        "codeorigine",
        "inseeorigine",
        "source",
        "origininsee",
    ),
    "destination": (
        "destination",
        "to",
        "toinsee",
        "arrivee",
        "codedestination",
        "inseedestination",
        "target",
        "destinationinsee",
    ),
    "minutes": ("minutes", "dureeminutes", "tempsminutes", "durationmin", "timemin", "minutesvoiture", "min"),
    "seconds": ("seconds", "secondes", "duration", "duree", "durations", "dureesecondes", "durationsec"),
}
_NO_ROUTE = {"", "null", "none", "na", "n/a", "nan", "-"}
HEADER_SEARCH_ROWS = 30


class TravelTimeFormatError(EmploymentFormatError):
    """The matrix cannot be right; ``sheet``, ``row`` and ``column`` say where."""


@dataclass(frozen=True, slots=True)
class TravelTimeRecord:
    origin: str
    destination: str
    minutes: float


def _map(header: list[str]) -> dict[str, int]:
    folded = [fold(h) for h in header]
    mapping: dict[str, int] = {}
    for key, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in folded:
                mapping[key] = folded.index(alias)
                break
    return mapping


def _accept(header: list[str]) -> bool:
    mapping = _map(header)
    return "origin" in mapping and "destination" in mapping and ("minutes" in mapping or "seconds" in mapping)


def _code(raw: Any) -> str:
    text = cell_text(raw).upper()
    numeric = isinstance(raw, int | float) and not isinstance(raw, bool) and text.isdigit()
    return text.zfill(5) if numeric else text


def _rows(data: bytes, name: str) -> tuple[list[tuple[str | None, int, list[str], Any]], str | None]:
    """(sheet, header row, header, row iterator) of the table, and the text encoding of a CSV."""
    error = TravelTimeFormatError
    if tabular.is_workbook(data) or data[:2] == b"PK":
        if data[:2] == b"PK" and not tabular.is_xlsx(data):
            data, name = tabular.table_in_archive(data, name, error=error)
        for sheet, rows in tabular.sheet_rows(data, name, error=error):
            found = tabular.find_header(rows, _accept, limit=HEADER_SEARCH_ROWS)
            if found is not None:
                return [(sheet, *found)], None
        return [], None
    text, encoding = tabular.csv_text(data, name, error=error)
    found = tabular.find_header(tabular.csv_rows(text), _accept, limit=HEADER_SEARCH_ROWS)
    return ([(None, *found)] if found is not None else []), encoding


def parse_travel_times(source: Source) -> ParseResult[TravelTimeRecord]:
    """A travel-time matrix, one row per (origin, destination) pair."""
    name = tabular.name_of(source)
    data = tabular.bytes_of(source)
    tables, encoding = _rows(data, name)
    if not tables:
        raise TravelTimeFormatError(
            gettext_noop(
                "no header row with origin, destination and minutes (or seconds) columns in the first "
                "%(rows)d rows"
            ),
            source=name,
            row=1,
            params={"rows": HEADER_SEARCH_ROWS},
        )
    sheet, header_row, header, rows = tables[0]
    mapping = _map(header)
    in_seconds = "minutes" not in mapping
    time_key = "seconds" if in_seconds else "minutes"
    records: list[TravelTimeRecord] = []
    seen: dict[tuple[str, str], int] = {}
    skipped: Counter[str] = Counter()
    rows_read = 0
    for number, values in rows:
        cells = list(values)
        if not any(cell_text(v) for v in cells):
            skipped[gettext_noop("blank row")] += 1
            continue
        rows_read += 1

        def cell(key: str, cells: list[Any] = cells) -> Any:
            i = mapping[key]
            return cells[i] if i < len(cells) else None

        def fail(
            message: str, key: str, params: dict[str, Any], number: int = number
        ) -> TravelTimeFormatError:
            return TravelTimeFormatError(
                message, source=name, sheet=sheet, row=number, column=header[mapping[key]], params=params
            )

        pair = []
        for key in ("origin", "destination"):
            code = _code(cell(key))
            if not COMMUNE_PATTERN.match(code):
                raise fail(
                    gettext_noop("%(cell)r is not an INSEE commune code"),
                    key,
                    {"cell": cell_text(cell(key))},
                )
            pair.append(code)
        raw = cell(time_key)
        text = cell_text(raw).replace("\u202f", "").replace(" ", "").replace(",", ".")
        if text.lower() in _NO_ROUTE:
            skipped[gettext_noop("no route (empty time)")] += 1
            continue
        try:
            value = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else float(text)
        except ValueError:
            raise fail(gettext_noop("%(cell)r is not a number"), time_key, {"cell": cell_text(raw)}) from None
        if not (math.isfinite(value) and value >= 0):
            raise fail(
                gettext_noop("%(cell)r: a time must be a number >= 0"),
                time_key,
                {"cell": cell_text(raw)},
            )
        key_pair = (pair[0], pair[1])
        if key_pair in seen:
            raise fail(
                gettext_noop("%(origin)s -> %(destination)s already given on row %(first_row)d"),
                "destination",
                {"origin": pair[0], "destination": pair[1], "first_row": seen[key_pair]},
            )
        seen[key_pair] = number
        records.append(TravelTimeRecord(pair[0], pair[1], value / 60.0 if in_seconds else value))
    if not records:
        raise TravelTimeFormatError(
            gettext_noop("no pair under the header"), source=name, sheet=sheet, row=header_row + 1
        )
    report = ParseReport(
        source=name,
        rows_read=rows_read,
        kept=len(records),
        skipped=dict(skipped),
        warnings={gettext_noop("times given in seconds, converted to minutes"): len(records)}
        if in_seconds
        else {},
        header_row=header_row,
        sheet=sheet,
        encoding=encoding,
    )
    return ParseResult(tuple(records), report)
