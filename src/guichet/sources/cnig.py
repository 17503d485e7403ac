"""CNIG "sites économiques" exchange files (site-eco, terrain-eco): validation, reading and writing.

The files are `;`-separated CSV described by the national Table Schemas, bundled under
`guichet/data/cnig/` (Licence Ouverte Etalab 2.0, from cnigfr/schema-sites-economiques). Each cell is read
by frictionless's cell reader for its field (type, format, required, enum, pattern): a file with any error
is refused whole, each error named by row and column. A 20,000-row file reads in about 1 s.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from frictionless import Schema

from guichet.sources.errors import gettext_noop

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "cnig"
SITE = "site-eco"
PLOT = "terrain-eco"
KINDS = (SITE, PLOT)
MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True)
class CellError:
    """One wrong cell (or line, or the whole file). `template` is an English %-style message with named
    `params` (plain values): pages phrase it in their reader's language with gettext(template) % params;
    `message` is the English text (the command line, logs)."""

    row: int | None
    column: str | None
    template: str
    params: Mapping[str, Any] = dataclass_field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % dict(self.params) if self.params else self.template

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
            kind,
            [
                CellError(
                    None,
                    None,
                    gettext_noop("not UTF-8 text (byte %(byte)d); save the file as UTF-8"),
                    {"byte": error.start},
                )
            ],
        ) from None


GEOJSON_TYPES = frozenset(
    {
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        "Feature",
        "FeatureCollection",
    }
)


def _read_geojson(cell: str) -> tuple[Any, str | None]:
    """A GeoJSON object's shape (type, coordinates made of numbers). frictionless checks the same cells
    against the whole GeoJSON JSON Schema at about 1 ms a cell, 20 s for 20,000 rows: too slow for an
    import, and the application keeps the cell as written, so the shape is what matters."""
    try:
        value = json.loads(cell)
    except ValueError:
        return None, 'type is "geojson/default"'
    if not isinstance(value, dict) or value.get("type") not in GEOJSON_TYPES:
        return None, 'type is "geojson/default"'
    if "coordinates" in value and not isinstance(value["coordinates"], list):
        return None, 'type is "geojson/default"'
    return value, None


Reader = Callable[[str], tuple[Any, str | None]]


def _geojson_reader(required: bool, missing: frozenset[str]) -> Reader:
    def read(cell: str) -> tuple[Any, str | None]:
        if cell in missing:
            return None, ('constraint "required" is "True"' if required else None)
        return _read_geojson(cell)

    return read


def _text_reader(required: bool, missing: frozenset[str], enum: frozenset[str]) -> Reader:
    def read(cell: str) -> tuple[Any, str | None]:
        if cell in missing:
            return None, ('constraint "required" is "True"' if required else None)
        if enum and cell not in enum:
            return None, f'constraint "enum" is "{sorted(enum)}"'
        return cell, None

    return read


def _frictionless_reader(field: Any) -> Reader:
    reader = field.create_cell_reader()

    def read(cell: str) -> tuple[Any, str | None]:
        value, notes = reader(cell)
        return value, "; ".join(notes.values()) if notes else None

    return read


def _fast_reader(field: Any, required: bool, missing: frozenset[str], slow: Reader) -> Reader | None:
    """A quicker reader for the common cases of numbers and dates; any cell it is unsure of goes to
    frictionless's own reader, so the rules stay frictionless's."""
    plain = not set(field.constraints) - {"required"}
    if (
        field.type == "number"
        and plain
        and field.bare_number
        and not field.group_char
        and field.decimal_char == "."
    ):

        def read_number(cell: str) -> tuple[Any, str | None]:
            if cell in missing:
                return None, ('constraint "required" is "True"' if required else None)
            try:
                value = Decimal(cell)
            except InvalidOperation:
                return slow(cell)
            return (value, None) if value.is_finite() else slow(cell)

        return read_number
    if field.type == "date" and plain and field.format in ("%Y-%m-%d", "%Y"):
        year_only = field.format == "%Y"

        def read_date(cell: str) -> tuple[Any, str | None]:
            if cell in missing:
                return None, ('constraint "required" is "True"' if required else None)
            try:
                if year_only:
                    if len(cell) != 4 or not cell.isdigit():
                        return slow(cell)
                    return dt.date(int(cell), 1, 1), None
                if len(cell) != 10:
                    return slow(cell)
                return dt.date.fromisoformat(cell), None
            except ValueError:
                return slow(cell)

        return read_date
    return None


@cache
def _cell_readers(kind: str) -> tuple[tuple[str, Any, bool], ...]:
    """Per column: its name, a reader cell -> (value, problem) and whether it is required.

    The readers are frictionless's own (types, formats, required, enum, pattern from the Table Schema),
    applied cell by cell without its row pipeline, which costs 4 ms a row; GeoJSON has its own (above)."""
    schema = Schema.from_descriptor(schema_descriptor(kind))
    missing = frozenset(schema_descriptor(kind).get("missingValues", [""]))
    readers = []
    for field in schema.fields:
        required = bool(field.constraints.get("required"))
        read: Callable[[str], tuple[Any, str | None]]
        if field.type == "geojson":
            read = _geojson_reader(required, missing)
        elif (
            field.type == "string"
            and field.format == "default"
            and not set(field.constraints) - {"required", "enum"}
        ):
            # Plain text, the most common column: the same rule as frictionless's, without its overhead.
            read = _text_reader(required, missing, frozenset(field.constraints.get("enum") or ()))
        else:
            slow = _frictionless_reader(field)
            read = _fast_reader(field, required, missing, slow) or slow
        readers.append((field.name, read, required))
    return tuple(readers)


def read_table(kind: str, content: bytes, *, on_progress: Any = None) -> CnigTable:
    """Validate and read a whole file; raise CnigFormatError naming every wrong row and column.

    Row numbers count the header as row 1, as frictionless and spreadsheets do. `on_progress(done, total)`
    is called now and then with the rows read so far."""
    text = _decode(kind, content)
    if not text.strip():
        raise CnigFormatError(kind, [CellError(None, None, gettext_noop("the file is empty"))])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CnigFormatError(
            kind, [CellError(line, None, gettext_noop("a NUL character (U+0000): the file is damaged"))]
        )
    try:
        # newline="": a carriage return inside a quoted cell stays in the cell instead of ending a line.
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    except csv.Error as error:
        raise CnigFormatError(
            kind,
            [
                CellError(
                    None,
                    None,
                    gettext_noop("the lines cannot be read as one CSV table (%(detail)s)"),
                    {"detail": str(error)},
                )
            ],
        ) from None
    names = field_names(kind)
    header = tuple(cell.strip() for cell in rows[0])
    errors: list[CellError] = []
    if header != names:
        missing_names = [name for name in names if name not in header]
        extra_names = [name for name in header if name not in names]
        errors += [
            CellError(1, name, gettext_noop("this required column is missing")) for name in missing_names
        ]
        errors += [
            CellError(1, name or None, gettext_noop("this column is not in the schema"))
            for name in extra_names
        ]
        if not errors:
            errors.append(
                CellError(
                    1,
                    None,
                    gettext_noop("the columns are not in the schema's order: %(columns)s"),
                    {"columns": ";".join(names)},
                )
            )
        raise CnigFormatError(kind, errors)
    readers = _cell_readers(kind)
    width = len(readers)
    records = []
    total = len(rows) - 1
    for index, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != width:
            errors.append(
                CellError(
                    index,
                    None,
                    gettext_noop("%(count)d cells where the schema has %(width)d columns"),
                    {"count": len(cells), "width": width},
                )
            )
            continue
        values: dict[str, Any] = {}
        for (name, read, _required), cell in zip(readers, cells, strict=True):
            value, problem = read(cell)
            if problem:
                errors.append(_cell_error(index, name, problem, cell))
            values[name] = value
        records.append(CnigRecord(line=index, values=values, raw=dict(zip(names, cells, strict=True))))
        if on_progress is not None and index % 1000 == 0:
            on_progress(index - 1, total)
        if len(errors) > 1000:
            break  # enough to say what is wrong
    if errors:
        raise CnigFormatError(kind, errors)
    duplicates = _duplicate_ids(names[0], records)
    if duplicates:
        raise CnigFormatError(kind, duplicates)
    return CnigTable(kind=kind, field_names=names, records=tuple(records))


_TYPE_PROBLEM = re.compile(r'^type is "([a-z]+)/[^"]*"$')
_CONSTRAINT_PROBLEM = re.compile(r'^constraint "([A-Za-z]+)" is "(.*)"$')

# What a cell of each Table Schema type must be, phrased for the reader (frictionless names the type only).
_TYPE_TEMPLATES = {
    "integer": gettext_noop("%(cell)r is not a whole number"),
    "number": gettext_noop("%(cell)r is not a number"),
    "date": gettext_noop("%(cell)r is not a date (YYYY-MM-DD)"),
    "datetime": gettext_noop("%(cell)r is not a date and time"),
    "year": gettext_noop("%(cell)r is not a year"),
    "boolean": gettext_noop("%(cell)r is not a yes/no value"),
}
_CONSTRAINT_TEMPLATES = {
    "enum": gettext_noop("%(cell)r is not one of the allowed values %(limit)s"),
    "minimum": gettext_noop("%(cell)r is below the minimum %(limit)s"),
    "maximum": gettext_noop("%(cell)r is above the maximum %(limit)s"),
    "minLength": gettext_noop("%(cell)r is shorter than %(limit)s characters"),
    "maxLength": gettext_noop("the cell is longer than %(limit)s characters"),
    "pattern": gettext_noop("%(cell)r does not have the expected form (pattern %(limit)s)"),
}


def _cell_error(row: int, column: str, problem: str, cell: str) -> CellError:
    """A cell refused by its reader, as a template and values (frictionless says what rule failed)."""
    shown = cell[:40]
    if problem == 'constraint "required" is "True"':
        return CellError(row, column, gettext_noop("this cell is required and empty"))
    if match := _TYPE_PROBLEM.match(problem):
        template = _TYPE_TEMPLATES.get(match.group(1), gettext_noop("%(cell)r is not a valid %(type)s"))
        return CellError(row, column, template, {"cell": shown, "type": match.group(1)})
    if (match := _CONSTRAINT_PROBLEM.match(problem)) and match.group(1) in _CONSTRAINT_TEMPLATES:
        return CellError(
            row, column, _CONSTRAINT_TEMPLATES[match.group(1)], {"cell": shown, "limit": match.group(2)}
        )
    return CellError(
        row, column, gettext_noop("%(cell)r breaks the rule %(rule)s"), {"cell": shown, "rule": problem}
    )


def _duplicate_ids(id_field: str, records: Iterable[CnigRecord]) -> list[CellError]:
    seen: dict[str, int] = {}
    errors = []
    for record in records:
        identifier = str(record.values[id_field])
        if identifier in seen:
            errors.append(
                CellError(
                    record.line,
                    id_field,
                    gettext_noop("%(id)s already given on row %(first_row)d"),
                    {"id": identifier, "first_row": seen[identifier]},
                )
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
