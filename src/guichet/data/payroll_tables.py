"""Reads the bundled payroll tables (``data/payroll/``) into the engine's plain records.

``parameters.csv``: one row per legal parameter per effective date, with its legal reference and source.
``mobility.csv``: the mobility levy (versement mobilité) rate of each commune of the bundled territory that
levies one. A wrong cell stops the read, naming the file, row and column. See data/payroll/PROVENANCE.md.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from guichet.data.dataset import DatasetError
from guichet.engine import cost_report
from guichet.engine.cost_report import MobilityRate
from guichet.engine.payroll import Parameter, ParameterTable

PAYROLL_DIR = Path(__file__).resolve().parent / "payroll"
PARAMETER_COLUMNS = ("key", "effective_from", "value", "unit", "reference", "source_url", "note")
MOBILITY_COLUMNS = ("insee", "commune", "authority", "rate_pct")
# The URSSAF file the mobility rates were read from (shown beside every rate drawn from it).
MOBILITY_SOURCE = (
    "URSSAF, taux de versement mobilité par commune (fichier tauxTransport du 28 septembre 2023)"
)
MOBILITY_VINTAGE = "2023-09-28"


def _read(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        if missing:
            raise DatasetError(f"{path.name}: missing column(s) {', '.join(missing)}")
        return list(enumerate(reader, start=2))


def _decimal(path: Path, line: int, column: str, raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise DatasetError(f"{path.name}, row {line}, column {column}: not a number ({raw!r})") from None
    if not value.is_finite() or value < 0:
        raise DatasetError(f"{path.name}, row {line}, column {column}: not a positive number ({raw!r})")
    return value


def read_parameters(path: Path | None = None) -> ParameterTable:
    path = path or PAYROLL_DIR / "parameters.csv"
    rows = []
    seen: set[tuple[str, date]] = set()
    for line, row in _read(path, PARAMETER_COLUMNS):
        key = row["key"].strip()
        try:
            effective = date.fromisoformat(row["effective_from"].strip())
        except ValueError:
            raise DatasetError(f"{path.name}, row {line}, column effective_from: not a date") from None
        if not key or not row["reference"].strip():
            raise DatasetError(f"{path.name}, row {line}: a parameter needs a key and a legal reference")
        if (key, effective) in seen:
            raise DatasetError(f"{path.name}, row {line}: {key} twice from {effective.isoformat()}")
        seen.add((key, effective))
        rows.append(
            Parameter(
                key=key,
                effective_from=effective,
                value=_decimal(path, line, "value", row["value"]),
                unit=row["unit"].strip(),
                reference=row["reference"].strip(),
                source_url=row["source_url"].strip(),
                note=(row["note"] or "").strip(),
            )
        )
    return ParameterTable(tuple(rows))


@functools.cache
def bundled_parameters() -> ParameterTable:
    """The bundled table, read once per process."""
    return read_parameters()


def read_mobility_rates(path: Path | None = None) -> dict[str, MobilityRate]:
    path = path or PAYROLL_DIR / "mobility.csv"
    rates = {}
    for line, row in _read(path, MOBILITY_COLUMNS):
        insee = row["insee"].strip()
        rates[insee] = MobilityRate(
            rate_pct=_decimal(path, line, "rate_pct", row["rate_pct"]),
            authority=row["authority"].strip(),
            source=MOBILITY_SOURCE,
            vintage=MOBILITY_VINTAGE,
        )
    return rates


@functools.cache
def bundled_mobility_rates() -> dict[str, MobilityRate]:
    return read_mobility_rates()


def compute_costs(values: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """The cost object for named plain values, on the bundled tables: what `POST /api/costs` answers and
    `guichet cost --json` prints (one function, so the two never differ)."""
    request = cost_report.build_request(values, today=today)
    mobility = bundled_mobility_rates().get(request.commune) if request.commune else None
    return cost_report.compute(bundled_parameters(), request, mobility=mobility)
