"""CNIG "sites économiques" exchange files (site-eco, terrain-eco): validation, reading and writing.

The files are `;`-separated CSV described by the national Table Schemas, bundled under
`guichet/data/cnig/` (Licence Ouverte Etalab 2.0, from cnigfr/schema-sites-economiques). Validation is
frictionless's, against those schemas: a file with any error is refused whole, each error named by row
and column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from frictionless import Dialect, Resource, Schema, formats

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "cnig"
SITE = "site-eco"
PLOT = "terrain-eco"
KINDS = (SITE, PLOT)
MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True)
class CellError:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where) or 'file'}: {self.message}"


class CnigFormatError(ValueError):
    def __init__(self, kind: str, errors: list[CellError]):
        self.kind = kind
        self.errors = errors
        shown = "; ".join(str(error) for error in errors[:MAX_REPORTED_ERRORS])
        more = f" (and {len(errors) - MAX_REPORTED_ERRORS} more)" if len(errors) > MAX_REPORTED_ERRORS else ""
        super().__init__(f"CNIG {kind} file refused: {shown}{more}")


@dataclass(frozen=True)
class CnigRecord:
    line: int
    values: Mapping[str, Any]  # typed by the schema (Decimal, date, dict for GeoJSON, ...)
    raw: Mapping[str, str]  # the cells as written, kept so that an export gives the file back


@dataclass(frozen=True)
class CnigTable:
    kind: str
    field_names: tuple[str, ...]
    records: tuple[CnigRecord, ...]


@cache
def schema_descriptor(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown CNIG class {kind!r}; expected one of {', '.join(KINDS)}")
    return json.loads((SCHEMA_DIR / kind / "schema.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def field_names(kind: str) -> tuple[str, ...]:
    return tuple(field["name"] for field in schema_descriptor(kind)["fields"])


def _decode(kind: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CnigFormatError(
            kind, [CellError(None, None, f"not UTF-8 text (byte {error.start}); save the file as UTF-8")]
        ) from None


def _resource(kind: str, text: str) -> Resource:
    return Resource(
        data=text.encode("utf-8"),
        format="csv",
        schema=Schema.from_descriptor(schema_descriptor(kind)),
        dialect=Dialect(controls=[formats.CsvControl(delimiter=";")]),
    )


def read_table(kind: str, content: bytes) -> CnigTable:
    """Validate and read a whole file; raise CnigFormatError naming every wrong row and column."""
    text = _decode(kind, content)
    if not text.strip():
        raise CnigFormatError(kind, [CellError(None, None, "the file is empty")])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CnigFormatError(kind, [CellError(line, None, "a NUL character (U+0000): the file is damaged")])
    report = _resource(kind, text).validate()
    if not report.valid:
        # A duplicate identifier is a "primary-key" error, reported without a column: name the key column.
        primary_key = schema_descriptor(kind).get("primaryKey") or []
        key_column = primary_key if isinstance(primary_key, str) else ",".join(primary_key) or None
        errors = [
            CellError(
                row=row_number,
                column=field_name or (key_column if error_type == "primary-key" else None),
                message=message,
            )
            for row_number, field_name, error_type, message in report.flatten(
                ["rowNumber", "fieldName", "type", "message"]
            )
        ]
        raise CnigFormatError(kind, errors)
    records = []
    try:
        raw_rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
        with _resource(kind, text) as resource:
            for row, raw in zip(resource.row_stream, raw_rows, strict=True):
                records.append(CnigRecord(line=row.row_number, values=row.to_dict(), raw=dict(raw)))
    except (csv.Error, ValueError) as error:
        # A stray carriage return or quote can make two readers see different lines: refuse the file whole.
        raise CnigFormatError(
            kind, [CellError(None, None, f"the lines cannot be read as one CSV table ({error})")]
        ) from None
    names = field_names(kind)
    duplicates = _duplicate_ids(names[0], records)
    if duplicates:
        raise CnigFormatError(kind, duplicates)
    return CnigTable(kind=kind, field_names=names, records=tuple(records))


def _duplicate_ids(id_field: str, records: Iterable[CnigRecord]) -> list[CellError]:
    seen: dict[str, int] = {}
    errors = []
    for record in records:
        identifier = str(record.values[id_field])
        if identifier in seen:
            errors.append(
                CellError(record.line, id_field, f"{identifier} already given on row {seen[identifier]}")
            )
        seen.setdefault(identifier, record.line)
    return errors


def write_table(kind: str, rows: Iterable[Mapping[str, str]]) -> bytes:
    """Write rows (cells as text, keyed by CNIG field name) as a CNIG file with the schema's columns."""
    names = field_names(kind)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=names, delimiter=";", lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in names})
    return buffer.getvalue().encode("utf-8")
