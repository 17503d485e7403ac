"""Readers of employment files: INSEE zones d'emploi, DARES job-seeker counts, France Travail statistics.

Pure parsing: a path (or bytes) in, plain frozen records and a :class:`ParseReport` out. A file that cannot
be right is refused whole with :class:`EmploymentFormatError`, whose ``row`` (spreadsheet row or CSV line,
1-based, as a user sees them; for JSON the 1-based position in ``listeValeursParPeriode``) and ``column``
(header or JSON field) say where.

1. INSEE zones d'emploi 2020 (``ZE2020_au_01-01-20xx.xlsx``): title and note rows sit above the header. The
   header is the first row (of the first 30, on any sheet) holding ``CODGEO``, ``LIBGEO``, ``ZE2020`` and
   ``LIBZE2020``; ``DEP`` and ``REG`` are read when present. Rows after the table (blank, notes) end it.
   -> :class:`CommuneZone` (commune -> employment zone).

2. DARES "demandeurs d'emploi inscrits à France Travail par zone d'emploi", monthly, one count per row
   (long format), xlsx or CSV (``;``, ``,`` or tab; UTF-8 or Windows-1252). Headers are matched ignoring
   case, accents, spaces, underscores, hyphens and apostrophes; accepted names:

   ============  ==========================================================================================
   zone code     ZE2020, code_ze, code_ze2020, code zone d'emploi, code_zone_emploi, zone_emploi, codgeo
   zone label    LIBZE2020, libelle_ze, libellé zone d'emploi, lib_ze, libelle_zone_emploi, zone d'emploi
                 (a zone label column is optional)
   period        mois, période, periode, date, month, period — values 2025-06, 2025-06-01, 06/2025,
                 202506, 2025M06, or a spreadsheet date
   category      catégorie, categorie, cat, category — A, B, C, D, E, ABC (also "A,B,C", "A, B, C", "A-B-C",
                 "catégorie A")
   value         nombre, valeur, demandeurs, effectif, nb, value, count — a count >= 0 ("1 230" accepted)
   sex           sexe, sex (optional; "Ensemble"/"Total" for all)
   age band      âge, age, tranche d'âge, tranche_age (optional; "Ensemble"/"Total" for all)
   ============  ==========================================================================================

   DARES rounds counts to tens; a count that is not a multiple of ten is kept and counted in the warnings.
   -> :class:`JobSeekerCount`; :func:`zone_totals` picks one total per zone.

3. France Travail "Marché du travail" statistics API answers saved as JSON: an object with
   ``listeValeursParPeriode`` (or a list of such objects). Each item needs ``codeTerritoire``,
   ``codeTypeTerritoire``, ``codeActivite`` (a ROME code), ``codePeriode`` and ``valeurPrincipaleNombre``
   (``null`` = not published, skipped and counted). -> :class:`TerritoryStatistic`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from guichet.sources.errors import FileFormatError

__all__ = [
    "CommuneZone",
    "EmploymentFormatError",
    "JobSeekerCount",
    "ParseReport",
    "ParseResult",
    "TerritoryStatistic",
    "parse_dares_job_seekers",
    "parse_france_travail_json",
    "parse_zones_emploi",
    "zone_totals",
]

Source = Path | str | bytes
T = TypeVar("T")

COMMUNE_PATTERN = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
ZONE_PATTERN = re.compile(r"^[0-9A-Z]{4,5}$")
ROME_PATTERN = re.compile(r"^[A-N]\d{4}$")
CATEGORIES = ("A", "B", "C", "D", "E", "ABC")
TOTAL_WORDS = {"ensemble", "total", "tous", "toutes", "all", "tout age", "tous ages"}
HEADER_SEARCH_ROWS = 30


class EmploymentFormatError(FileFormatError):
    """The file cannot be right; ``row`` and ``column`` say where when known."""


@dataclass(frozen=True)
class ParseReport:
    source: str
    rows_read: int
    kept: int
    skipped: Mapping[str, int] = field(default_factory=dict)
    warnings: Mapping[str, int] = field(default_factory=dict)
    header_row: int | None = None
    sheet: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class ParseResult(Generic[T]):
    records: tuple[T, ...]
    report: ParseReport


@dataclass(frozen=True, slots=True)
class CommuneZone:
    commune_insee: str
    commune_name: str
    zone_code: str
    zone_name: str
    departement: str | None
    region: str | None


@dataclass(frozen=True, slots=True)
class JobSeekerCount:
    zone_code: str
    zone_name: str | None
    period: str  # YYYY-MM
    category: str  # A, B, C, D, E or ABC
    sex: str | None
    age_band: str | None
    value: int


@dataclass(frozen=True, slots=True)
class TerritoryStatistic:
    territory_type: str
    territory_code: str
    territory_name: str | None
    activity_code: str
    activity_name: str | None
    period: str
    period_label: str | None
    nomenclature: str | None
    value: float


# --- helpers -----------------------------------------------------------------------------------------


def _name_of(source: Source) -> str:
    return "<bytes>" if isinstance(source, bytes) else Path(source).name


def _bytes_of(source: Source) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _fold(text: Any) -> str:
    """Header key: lower case, no accents, no separators (so "Code zone d'emploi" == "code_zone_emploi")."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s_\-'’.]+", "", plain)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # A NUL cannot be stored in PostgreSQL text and carries no meaning in a label: drop it.
    return str(value).replace("\x00", "").strip()


def _is_xlsx(data: bytes) -> bool:
    return data[:2] == b"PK"


def _sheet_rows(data: bytes, name: str) -> list[tuple[str, Iterator[tuple[int, tuple[Any, ...]]]]]:
    """Every sheet's rows, read whole: these files are small, and the workbook can then be closed."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken archive
        raise EmploymentFormatError(f"not a readable xlsx workbook ({exc})", source=name) from exc
    try:
        return [
            (sheet.title, iter(list(enumerate(sheet.iter_rows(values_only=True), start=1))))
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _find_header(
    rows: Iterator[tuple[int, tuple[Any, ...]]], accept: Any
) -> tuple[int, list[str], Iterator[tuple[int, tuple[Any, ...]]]] | None:
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        header = [_cell_text(v) for v in values]
        if accept(header):
            return number, header, rows
    return None


# --- 1. INSEE zones d'emploi -------------------------------------------------------------------------

ZONE_COLUMNS = ("CODGEO", "LIBGEO", "ZE2020", "LIBZE2020")


def _zone_code(raw: Any, width: int) -> str:
    """A code as text; a spreadsheet number lost its leading zeros (1001 is 01001), a text cell did not."""
    text = _cell_text(raw).upper()
    numeric = isinstance(raw, int | float) and not isinstance(raw, bool)
    return text.zfill(width) if numeric and text.isdigit() else text


def parse_zones_emploi(source: Source) -> ParseResult[CommuneZone]:
    """INSEE's commune -> zone d'emploi 2020 table (xlsx)."""
    name = _name_of(source)
    data = _bytes_of(source)
    if not _is_xlsx(data):
        raise EmploymentFormatError("not an xlsx workbook (INSEE publishes the zoning as .xlsx)", source=name)

    def accept(header: list[str]) -> bool:
        upper = {h.upper() for h in header}
        return all(c in upper for c in ZONE_COLUMNS)

    for sheet, rows in _sheet_rows(data, name):
        found = _find_header(rows, accept)
        if found is None:
            continue
        header_row, header, rest = found
        position = {h.upper(): i for i, h in enumerate(header) if h}
        records: list[CommuneZone] = []
        seen: dict[str, int] = {}
        skipped: Counter[str] = Counter()
        rows_read = 0
        for number, values in rest:
            cells = [_cell_text(v) for v in values]
            if not any(cells):
                break  # the table ends at its first blank row; notes may follow
            rows_read += 1

            def get(column: str, cells: list[str] = cells, position: dict[str, int] = position) -> str:
                i = position.get(column)
                return cells[i] if i is not None and i < len(cells) else ""

            commune = _zone_code(values[position["CODGEO"]] if position["CODGEO"] < len(values) else "", 5)
            if not COMMUNE_PATTERN.match(commune):
                if not any(get(c) for c in ("ZE2020", "LIBZE2020")):
                    skipped["note line under the table"] += 1
                    break
                raise EmploymentFormatError(
                    f"{commune!r} is not a commune code", source=name, row=number, column="CODGEO"
                )
            zone = _zone_code(values[position["ZE2020"]] if position["ZE2020"] < len(values) else "", 4)
            if not ZONE_PATTERN.match(zone):
                raise EmploymentFormatError(
                    f"{zone!r} is not an employment-zone code", source=name, row=number, column="ZE2020"
                )
            for column in ("LIBGEO", "LIBZE2020"):
                if not get(column):
                    raise EmploymentFormatError("empty label", source=name, row=number, column=column)
            if commune in seen:
                raise EmploymentFormatError(
                    f"commune {commune} already listed on row {seen[commune]}",
                    source=name,
                    row=number,
                    column="CODGEO",
                )
            seen[commune] = number
            dep = get("DEP")
            records.append(
                CommuneZone(
                    commune_insee=commune,
                    commune_name=get("LIBGEO"),
                    zone_code=zone,
                    zone_name=get("LIBZE2020"),
                    departement=(dep.zfill(2) if dep.isdigit() else dep) or None,
                    region=get("REG") or None,
                )
            )
        if not records:
            raise EmploymentFormatError(
                "the table under the header is empty", source=name, row=header_row + 1
            )
        report = ParseReport(
            source=name,
            rows_read=rows_read,
            kept=len(records),
            skipped=dict(skipped),
            header_row=header_row,
            sheet=sheet,
        )
        return ParseResult(tuple(records), report)
    raise EmploymentFormatError(
        f"no header row with {', '.join(ZONE_COLUMNS)} in the first {HEADER_SEARCH_ROWS} rows of any sheet",
        source=name,
    )


# --- 2. DARES job seekers by employment zone ---------------------------------------------------------

_DARES_ALIASES: Mapping[str, tuple[str, ...]] = {
    "zone_code": (
        "ze2020",
        "codeze",
        "codeze2020",
        "codezonedemploi",
        "codezoneemploi",
        "zoneemploi",
        "codgeo",
    ),
    "zone_name": (
        "libze2020",
        "libelleze",
        "libellezonedemploi",
        "libze",
        "libellezoneemploi",
        "zonedemploi",
    ),
    "period": ("mois", "periode", "date", "month", "period"),
    "category": ("categorie", "cat", "category"),
    "value": ("nombre", "valeur", "demandeurs", "effectif", "nb", "value", "count"),
    "sex": ("sexe", "sex"),
    "age_band": ("age", "tranchedage", "trancheage", "agebands", "ageband"),
}
_DARES_REQUIRED = ("zone_code", "period", "category", "value")
_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-\d{1,2})?(?:[T ].*)?$"),
    re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?:\d{1,2}/)(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})M(?P<m>\d{2})$", re.I),
)


def _map_header(header: Sequence[str]) -> dict[str, int]:
    folded = [_fold(h) for h in header]
    mapping: dict[str, int] = {}
    for key, aliases in _DARES_ALIASES.items():
        for alias in aliases:
            if alias in folded:
                mapping[key] = folded.index(alias)
                break
    return mapping


def _period(value: Any) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = _cell_text(value)
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match and 1 <= int(match.group("m")) <= 12:
            return f"{int(match.group('y')):04d}-{int(match.group('m')):02d}"
    return None


def _category(value: Any) -> str | None:
    text = re.sub(r"^(?:categories?|cat\.?)\s*", "", _fold(value).upper().lower()).upper()
    text = re.sub(r"[^A-E]", "", text)
    return text if text in CATEGORIES else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = re.sub(r"[\s\u00a0\u202f]", "", _cell_text(value))
    if re.fullmatch(r"\d+(?:[.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    return None


def _optional_label(value: Any) -> str | None:
    text = _cell_text(value)
    return text or None


def _dares_rows(
    data: bytes, name: str
) -> tuple[Iterator[tuple[int, tuple[Any, ...]]], str | None, str | None]:
    """Rows of the file as (row number, values), plus the sheet name or the text encoding."""
    if _is_xlsx(data):
        for sheet, rows in _sheet_rows(data, name):
            found = _find_header(rows, lambda h: all(k in _map_header(h) for k in _DARES_REQUIRED))
            if found is not None:
                header_row, header, rest = found
                return _prepend((header_row, tuple(header)), rest), sheet, None
        raise EmploymentFormatError(
            "no header row with a zone code, period, category and value in the first "
            f"{HEADER_SEARCH_ROWS} rows",
            source=name,
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes all but five bytes
        raise EmploymentFormatError("not text in UTF-8 or Windows-1252", source=name)
    if "\x00" in text:
        raise EmploymentFormatError("binary content, not a CSV text file", source=name)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return ((reader.line_num, tuple(row)) for row in reader), None, encoding


def _prepend(
    first: tuple[int, tuple[Any, ...]], rest: Iterator[tuple[int, tuple[Any, ...]]]
) -> Iterator[Any]:
    yield first
    yield from rest


def parse_dares_job_seekers(source: Source) -> ParseResult[JobSeekerCount]:
    """DARES monthly counts of registered job seekers by employment zone (xlsx or CSV, long format)."""
    name = _name_of(source)
    data = _bytes_of(source)
    rows, sheet, encoding = _dares_rows(data, name)
    try:
        header_row, header_values = next(rows)
    except StopIteration:
        raise EmploymentFormatError("empty file", source=name, row=1) from None
    header = [_cell_text(v) for v in header_values]
    mapping = _map_header(header)
    missing = [k for k in _DARES_REQUIRED if k not in mapping]
    if missing:
        wanted = {k: _DARES_ALIASES[k][0] for k in missing}
        raise EmploymentFormatError(
            "header lacks "
            + ", ".join(f"a {k.replace('_', ' ')} column (e.g. {v!r})" for k, v in wanted.items()),
            source=name,
            row=header_row,
            column=wanted[missing[0]],
        )
    records: list[JobSeekerCount] = []
    warnings: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    rows_read = 0
    seen: dict[tuple[str, str, str, str | None, str | None], int] = {}
    for number, values in rows:
        cells = list(values)
        if not any(_cell_text(v) for v in cells):
            skipped["blank row"] += 1
            continue
        rows_read += 1

        def get(key: str, cells: list[Any] = cells) -> Any:
            i = mapping.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        zone = _zone_code(get("zone_code"), 4)
        if not ZONE_PATTERN.match(zone):
            if rows_read > 1 and not any(_cell_text(get(k)) for k in ("period", "category", "value")):
                skipped["note line"] += 1
                continue
            raise EmploymentFormatError(
                f"{zone!r} is not an employment-zone code",
                source=name,
                row=number,
                column=header[mapping["zone_code"]],
            )
        period = _period(get("period"))
        if period is None:
            raise EmploymentFormatError(
                f"{_cell_text(get('period'))!r} is not a month (expected e.g. 2025-06)",
                source=name,
                row=number,
                column=header[mapping["period"]],
            )
        category = _category(get("category"))
        if category is None:
            raise EmploymentFormatError(
                f"{_cell_text(get('category'))!r} is not a France Travail category (A, B, C, D, E or ABC)",
                source=name,
                row=number,
                column=header[mapping["category"]],
            )
        count = _count(get("value"))
        if count is None:
            raise EmploymentFormatError(
                f"{_cell_text(get('value'))!r} is not a count",
                source=name,
                row=number,
                column=header[mapping["value"]],
            )
        if count % 10:
            warnings["count not rounded to tens (DARES rounds to tens)"] += 1
        sex = _optional_label(get("sex"))
        age = _optional_label(get("age_band"))
        key = (zone, period, category, sex, age)
        if key in seen:
            raise EmploymentFormatError(
                f"zone {zone}, {period}, category {category} already given on row {seen[key]}",
                source=name,
                row=number,
                column=header[mapping["value"]],
            )
        seen[key] = number
        records.append(
            JobSeekerCount(
                zone_code=zone,
                zone_name=_optional_label(get("zone_name")),
                period=period,
                category=category,
                sex=sex,
                age_band=age,
                value=count,
            )
        )
    if not records:
        raise EmploymentFormatError("no data rows under the header", source=name, row=header_row + 1)
    report = ParseReport(
        source=name,
        rows_read=rows_read,
        kept=len(records),
        skipped=dict(skipped),
        warnings=dict(warnings),
        header_row=header_row,
        sheet=sheet,
        encoding=encoding,
    )
    return ParseResult(tuple(records), report)


def _is_total(label: str | None) -> bool:
    return label is None or _fold(label) in {_fold(w) for w in TOTAL_WORDS}


def zone_totals(
    records: Iterable[JobSeekerCount], *, category: str = "ABC", period: str | None = None
) -> tuple[dict[str, int], str | None]:
    """One count per zone for ``category`` at ``period`` (default: the latest period present), from the
    rows for all sexes and ages only (so detailed rows are never added to their own total). A file with no
    ``ABC`` row but with A, B and C rows gets their sum. Returns (counts by zone, the period used)."""
    totals = [r for r in records if _is_total(r.sex) and _is_total(r.age_band)]
    if period is None:
        periods = sorted({r.period for r in totals})
        if not periods:
            return {}, None
        period = periods[-1]
    chosen = [r for r in totals if r.period == period]
    direct = {r.zone_code: r.value for r in chosen if r.category == category}
    if category == "ABC":
        parts: dict[str, dict[str, int]] = {}
        for r in chosen:
            if r.category in ("A", "B", "C"):
                parts.setdefault(r.zone_code, {})[r.category] = r.value
        for zone, by_category in parts.items():
            if zone not in direct and len(by_category) == 3:
                direct[zone] = sum(by_category.values())
    return direct, period


# --- 3. France Travail statistics API answers ---------------------------------------------------------

_FT_REQUIRED = (
    "codeTerritoire",
    "codeTypeTerritoire",
    "codeActivite",
    "codePeriode",
    "valeurPrincipaleNombre",
)


def parse_france_travail_json(source: Source) -> ParseResult[TerritoryStatistic]:
    """France Travail statistics answers (``listeValeursParPeriode`` items) saved as JSON."""
    name = _name_of(source)
    data = _bytes_of(source)
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError as exc:
        raise EmploymentFormatError(f"not UTF-8 text ({exc.reason})", source=name) from exc
    except json.JSONDecodeError as exc:
        raise EmploymentFormatError(
            f"not JSON ({exc.msg}, line {exc.lineno} column {exc.colno})", source=name
        ) from exc
    if "\x00" in text or "\\u0000" in text:
        # PostgreSQL cannot store a NUL in text: say so here rather than fail at the database.
        raise EmploymentFormatError("a NUL character (U+0000): the file is damaged", source=name)
    answers = document if isinstance(document, list) else [document]
    records: list[TerritoryStatistic] = []
    skipped: Counter[str] = Counter()
    rows_read = 0
    for answer_number, answer in enumerate(answers, start=1):
        prefix = f"[{answer_number - 1}]." if isinstance(document, list) else ""
        if not isinstance(answer, dict) or not isinstance(answer.get("listeValeursParPeriode"), list):
            raise EmploymentFormatError(
                "expected an object with a listeValeursParPeriode list",
                source=name,
                row=answer_number if isinstance(document, list) else None,
                column=f"{prefix}listeValeursParPeriode",
            )
        for position, item in enumerate(answer["listeValeursParPeriode"], start=1):
            rows_read += 1
            where = f"{prefix}listeValeursParPeriode[{position - 1}]"
            if not isinstance(item, dict):
                raise EmploymentFormatError("expected an object", source=name, row=position, column=where)
            for key in _FT_REQUIRED:
                if key not in item:
                    raise EmploymentFormatError(
                        "field missing", source=name, row=position, column=f"{where}.{key}"
                    )
            for key in _FT_REQUIRED[:4]:
                if not isinstance(item[key], str) or not item[key].strip():
                    raise EmploymentFormatError(
                        f"expected a non-empty string, got {item[key]!r}",
                        source=name,
                        row=position,
                        column=f"{where}.{key}",
                    )
            activity = item["codeActivite"].strip().upper()
            activity_type = str(
                item.get("codeTypeActivite") or answer.get("codeTypeActivite") or "ROME"
            ).upper()
            if activity_type == "ROME" and not ROME_PATTERN.match(activity):
                raise EmploymentFormatError(
                    f"{activity!r} is not a ROME code (a letter and four digits, e.g. D1408)",
                    source=name,
                    row=position,
                    column=f"{where}.codeActivite",
                )
            raw_value = item["valeurPrincipaleNombre"]
            if raw_value is None:
                skipped["no value published (secret or missing)"] += 1
                continue
            if isinstance(raw_value, bool) or not isinstance(raw_value, int | float) or raw_value < 0:
                raise EmploymentFormatError(
                    f"expected a number >= 0, got {raw_value!r}",
                    source=name,
                    row=position,
                    column=f"{where}.valeurPrincipaleNombre",
                )
            records.append(
                TerritoryStatistic(
                    territory_type=item["codeTypeTerritoire"].strip(),
                    territory_code=item["codeTerritoire"].strip(),
                    territory_name=_optional_label(item.get("libTerritoire")),
                    activity_code=activity,
                    activity_name=_optional_label(item.get("libActivite")),
                    period=item["codePeriode"].strip(),
                    period_label=_optional_label(item.get("libPeriode")),
                    nomenclature=_optional_label(item.get("codeNomenclature")),
                    value=float(raw_value),
                )
            )
    report = ParseReport(source=name, rows_read=rows_read, kept=len(records), skipped=dict(skipped))
    return ParseResult(tuple(records), report)
