"""Readers of the published zonings -> plain records: the QPV 2024 contours (JSON, gzip or not) and the
lists by commune of the AFR 2022-2027 zones and the FRR classification (CSV), as an agency imports them.

A wrong cell stops the read, naming the row and column.

AFR CSV: columns ``insee`` (or ``codgeo``) and ``zone`` (``c_predefined`` or ``c_non_predefined``; the
decree's words "prédéfinie" / "non prédéfinie" are accepted), optional ``partial`` (``P``, ``yes``, ``1``:
only part of the commune is zoned, as the decree's annex marks it).
FRR CSV: columns ``insee`` (or ``codgeo``) and ``category`` (``frr`` or ``frr_plus``) or the Observatoire
des territoires' indicator ``codefrr`` (``-9999``: not classified; any other code: classified, kept as read).
Separators: comma or semicolon.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guichet.sources.identifiers import insee_code_is_well_formed

AFR_ZONES = {
    "c_predefined": "c_predefined",
    "c_non_predefined": "c_non_predefined",
    "predefinie": "c_predefined",
    "prédéfinie": "c_predefined",
    "non predefinie": "c_non_predefined",
    "non prédéfinie": "c_non_predefined",
}
FRR_CATEGORIES = ("frr", "frr_plus")
FRR_NOT_CLASSIFIED = "-9999"
MAX_ROWS = 100_000


class ZoningFileError(ValueError):
    """A zoning file that cannot be right; the message says where."""


@dataclass(frozen=True)
class QpvRecord:
    code: str
    label: str
    communes: tuple[str, ...]
    contour: list[Any]


@dataclass(frozen=True)
class CommuneZoningRecord:
    insee: str
    category: str
    partial: bool = False


def read_qpv(path: Path) -> tuple[dict[str, Any], list[QpvRecord]]:
    """The file's ``meta`` and its districts."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as error:
        raise ZoningFileError(f"{path.name}: not a QPV JSON file ({error})") from None
    records = []
    for index, item in enumerate(document.get("qpvs", []), start=1):
        try:
            contour = item["g"] if isinstance(item["g"], list) else json.loads(item["g"])
            records.append(QpvRecord(str(item["code"]), str(item["label"]), tuple(item["insee"]), contour))
        except (KeyError, TypeError, ValueError) as error:
            raise ZoningFileError(f"{path.name}: district {index}: {error!r}") from None
    return document.get("meta", {}), records


def _sniff_rows(text: str) -> csv.DictReader[str]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def _insee(row: dict[str, str], line: int) -> str:
    raw = (row.get("insee") or row.get("codgeo") or "").strip().zfill(5)
    if not insee_code_is_well_formed(raw):
        raise ZoningFileError(f"row {line}, column insee: not an INSEE commune code ({raw!r})")
    return raw


def read_commune_zoning(content: bytes, *, kind: str) -> list[CommuneZoningRecord]:
    """The communes a list classifies (AFR or FRR), from a CSV file's bytes."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ZoningFileError(f"not UTF-8 text (byte {error.start})") from None
    reader = _sniff_rows(text)
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    if not columns & {"insee", "codgeo"}:
        raise ZoningFileError("missing column insee (or codgeo)")
    records: dict[str, CommuneZoningRecord] = {}
    for line, raw_row in enumerate(reader, start=2):
        if line > MAX_ROWS:
            raise ZoningFileError(f"more than {MAX_ROWS} rows")
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in raw_row.items()}
        insee = _insee(row, line)
        record = _afr_record(row, line, insee) if kind == "afr" else _frr_record(row, line, insee)
        if record is None:
            continue
        if insee in records and records[insee] != record:
            raise ZoningFileError(f"row {line}: commune {insee} listed twice with different values")
        records[insee] = record
    return sorted(records.values(), key=lambda record: record.insee)


def _afr_record(row: dict[str, str], line: int, insee: str) -> CommuneZoningRecord:
    zone = AFR_ZONES.get(row.get("zone", "").lower())
    if zone is None:
        raise ZoningFileError(
            f"row {line}, column zone: c_predefined or c_non_predefined ({row.get('zone')!r})"
        )
    partial = row.get("partial", "").lower() in {"p", "yes", "oui", "1", "true"}
    return CommuneZoningRecord(insee, zone, partial)


def _frr_record(row: dict[str, str], line: int, insee: str) -> CommuneZoningRecord | None:
    if row.get("category"):
        category = row["category"].lower()
        if category not in FRR_CATEGORIES:
            raise ZoningFileError(f"row {line}, column category: frr or frr_plus ({row['category']!r})")
        return CommuneZoningRecord(insee, category)
    code = row.get("codefrr", "")
    if not code:
        raise ZoningFileError(f"row {line}: give category or codefrr")
    if code == FRR_NOT_CLASSIFIED:
        return None
    return CommuneZoningRecord(insee, f"frr:{code}"[:40])
