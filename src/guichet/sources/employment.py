"""Readers of employment files: INSEE zones d'emploi, DARES job-seeker counts, France Travail statistics.

Pure parsing: a path (or bytes) in, plain frozen records and a :class:`ParseReport` out. A file that cannot
be right is refused whole with :class:`EmploymentFormatError`, whose ``row`` (spreadsheet row or CSV line,
1-based, as a user sees them; for JSON the 1-based position in ``listeValeursParPeriode``) and ``column``
(header or JSON field) say where.

1. INSEE zones d'emploi 2020, as published: ``ZE2020_au_01-01-20xx.zip`` holding the workbook, or the
   workbook itself, ``.xlsx`` or legacy ``.xls``. Title and note rows sit above the header. The header is
   the first row (of the first 30, on any sheet) holding ``CODGEO``, ``LIBGEO``, ``ZE2020`` and
   ``LIBZE2020``; ``DEP`` and ``REG`` are read when present. Rows after the table (blank, notes) end it.
   -> :class:`CommuneZone` (commune -> employment zone).

2. DARES "demandeurs d'emploi inscrits à France Travail" by employment zone, département or commune, xlsx,
   xls, or CSV (``;``, ``,`` or tab; UTF-8 or Windows-1252), in either layout:

   - long: one count per row, with period and category columns;
   - wide, as DARES publishes its tables: one row per territory and one column per period (monthly
     ``2025-06``, ``juin 2025``, or quarterly ``2025T2``, ``T2 2025``, ``2e trimestre 2025``), each sheet one
     series whose category (A, or A, B, C...) is named by a category column, the sheet's name or the title
     rows above the header; a sheet for women, men or an age band is kept as a detail (not a total).

   Every sheet holding such a table is read; sheets without one (notes, contents) are skipped. Secret or
   missing cells (``nd``, ``s``, ``-``, empty) are skipped and counted. Headers are matched ignoring case,
   accents, spaces, underscores, hyphens and apostrophes; accepted names:

   ============  ==========================================================================================
   zone code     ZE2020, code_ze, code_ze2020, code zone d'emploi, code zone d'emploi 2020, code_zone_emploi,
                 zone_emploi, codgeo, code géographique, code — or a département code (code département,
                 département, dep, code_dep) or a commune code (code commune, com, codgeo with 5 characters)
   zone label    LIBZE2020, libelle_ze, libellé zone d'emploi, lib_ze, libelle_zone_emploi, zone d'emploi
                 (a zone label column is optional)
   period        mois, période, periode, date, month, period, trimestre, quarter — values 2025-06,
                 2025-06-01, 06/2025, 202506, 2025M06, a spreadsheet date, or a quarter 2025T2, 2025-T2,
                 2025Q2, T2 2025 (stored as 2025-T2)
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

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from guichet.sources import tabular
from guichet.sources.errors import FileFormatError, gettext_noop
from guichet.sources.tabular import Source, cell_text, fold

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
    "period_sort_key",
    "zone_totals",
]

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
    territory_type: str = "ZE"  # ZE employment zone, DEP département, COM commune


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


# --- 1. INSEE zones d'emploi -------------------------------------------------------------------------

ZONE_COLUMNS = ("CODGEO", "LIBGEO", "ZE2020", "LIBZE2020")


def _zone_code(raw: Any, width: int) -> str:
    """A code as text; a spreadsheet number lost its leading zeros (1001 is 01001), a text cell did not."""
    text = cell_text(raw).upper()
    numeric = isinstance(raw, int | float) and not isinstance(raw, bool)
    return text.zfill(width) if numeric and text.isdigit() else text


def parse_zones_emploi(source: Source) -> ParseResult[CommuneZone]:
    """INSEE's commune -> zone d'emploi 2020 table: the published zip, or its .xlsx or .xls workbook."""
    name = tabular.name_of(source)
    data = tabular.bytes_of(source)
    if data[:2] == b"PK" and not tabular.is_xlsx(data):
        data, name = tabular.table_in_archive(data, name, error=EmploymentFormatError)
    if not tabular.is_workbook(data):
        raise EmploymentFormatError(
            gettext_noop(
                "not a workbook (INSEE publishes the zoning as a zip holding an .xlsx or .xls workbook)"
            ),
            source=name,
        )

    def accept(header: list[str]) -> bool:
        upper = {h.upper() for h in header}
        return all(c in upper for c in ZONE_COLUMNS)

    for sheet, rows in tabular.sheet_rows(data, name, error=EmploymentFormatError):
        found = tabular.find_header(rows, accept, limit=HEADER_SEARCH_ROWS)
        if found is not None:
            return _zones_table(name, sheet, *found)
    raise EmploymentFormatError(
        gettext_noop("no header row with %(columns)s in the first %(rows)d rows of any sheet"),
        source=name,
        params={"columns": ", ".join(ZONE_COLUMNS), "rows": HEADER_SEARCH_ROWS},
    )


def _zones_table(
    name: str, sheet: str, header_row: int, header: list[str], rows: tabular.Rows
) -> ParseResult[CommuneZone]:
    """The zoning table under its header; it ends at its first blank row or at the notes under it."""
    position = {h.upper(): i for i, h in enumerate(header) if h}
    records: list[CommuneZone] = []
    seen: dict[str, int] = {}
    skipped: Counter[str] = Counter()
    rows_read = 0
    for number, values in rows:
        cells = [cell_text(v) for v in values]
        if not any(cells):
            break  # the table ends at its first blank row; notes may follow
        rows_read += 1
        zone = _commune_zone(values, cells, position, name=name, sheet=sheet, number=number, seen=seen)
        if zone is None:
            skipped[gettext_noop("note line under the table")] += 1
            break
        records.append(zone)
    if not records:
        raise EmploymentFormatError(
            gettext_noop("the table under the header is empty"), source=name, sheet=sheet, row=header_row + 1
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


def _commune_zone(
    values: tuple[Any, ...],
    cells: list[str],
    position: dict[str, int],
    *,
    name: str,
    sheet: str,
    number: int,
    seen: dict[str, int],
) -> CommuneZone | None:
    """The row's commune and zone; None for a note line under the table (no commune code and no zone)."""

    def get(column: str) -> str:
        i = position.get(column)
        return cells[i] if i is not None and i < len(cells) else ""

    def fail(message: str, column: str, params: dict[str, Any] | None = None) -> EmploymentFormatError:
        return EmploymentFormatError(
            message, source=name, sheet=sheet, row=number, column=column, params=params
        )

    commune = _zone_code(values[position["CODGEO"]] if position["CODGEO"] < len(values) else "", 5)
    if not COMMUNE_PATTERN.match(commune):
        if not any(get(c) for c in ("ZE2020", "LIBZE2020")):
            return None
        raise fail(gettext_noop("%(cell)r is not a commune code"), "CODGEO", {"cell": commune})
    zone = _zone_code(values[position["ZE2020"]] if position["ZE2020"] < len(values) else "", 4)
    if not ZONE_PATTERN.match(zone):
        raise fail(gettext_noop("%(cell)r is not an employment-zone code"), "ZE2020", {"cell": zone})
    for column in ("LIBGEO", "LIBZE2020"):
        if not get(column):
            raise fail(gettext_noop("empty label"), column)
    if commune in seen:
        raise fail(
            gettext_noop("commune %(commune)s already listed on row %(first_row)d"),
            "CODGEO",
            {"commune": commune, "first_row": seen[commune]},
        )
    seen[commune] = number
    dep = get("DEP")
    return CommuneZone(
        commune_insee=commune,
        commune_name=get("LIBGEO"),
        zone_code=zone,
        zone_name=get("LIBZE2020"),
        departement=(dep.zfill(2) if dep.isdigit() else dep) or None,
        region=get("REG") or None,
    )


# --- 2. DARES job seekers by employment zone, département or commune ----------------------------------

_DARES_ALIASES: Mapping[str, tuple[str, ...]] = {
    "zone_code": (
        "ze2020",
        "codeze",
        "codeze2020",
        "codezonedemploi",
        "codezonedemploi2020",
        "codezoneemploi",
        "codezoneemploi2020",
        "zoneemploi",
        "zoneemploi2020",
    ),
    "code": ("codgeo", "codegeographique", "codegeo", "code", "codeterritoire"),
    "departement_code": (
        "codedepartement",
        "codedep",
        "dep",
        "departement",
        "numerodepartement",
        "codedpt",
        "dpt",
    ),
    "commune_code": ("codecommune", "com", "codecom", "codeinsee"),
    "zone_name": (
        "libze2020",
        "libelleze",
        "libellezonedemploi",
        "libellezonedemploi2020",
        "libze",
        "libellezoneemploi",
        "zonedemploi",
        "libelle",
        "libgeo",
        "nomzonedemploi",
        "libelledepartement",
        "nomdepartement",
    ),
    "period": ("mois", "periode", "date", "month", "period", "trimestre", "quarter"),
    "category": ("categorie", "cat", "category", "categoriededemandeurs", "categories"),
    "value": ("nombre", "valeur", "demandeurs", "effectif", "nb", "value", "count", "defm"),
    "sex": ("sexe", "sex"),
    "age_band": ("age", "tranchedage", "trancheage", "agebands", "ageband"),
}
_CODE_KEYS = ("zone_code", "departement_code", "commune_code", "code")
DEPARTEMENT_PATTERN = re.compile(r"^(?:\d{2}|2[AB]|97\d)$")
_MONTHS_FR = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    "janv": 1,
    "fevr": 2,
    "avr": 4,
    "juil": 7,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-\d{1,2})?(?:[T ].*)?$"),
    re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?:\d{1,2}/)(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})M(?P<m>\d{2})$", re.I),
)
_QUARTER_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})\s*[-_ ]?\s*[TQ](?P<q>[1-4])$", re.I),
    re.compile(r"^[TQ](?P<q>[1-4])\s*[-_ /]?\s*(?P<y>\d{4})$", re.I),
    re.compile(r"^(?P<q>[1-4])\s*(?:er|e|eme|ème|nd|rd|th)?\s*trim(?:estre)?\.?\s*(?P<y>\d{4})$", re.I),
)
_SECRET = {"nd", "n.d.", "s", "ns", "-", "–", "—", "/", "x", "c", "secret", "na", "n/a", "..."}
_SEX_WORDS = {"femmes": "Femmes", "femme": "Femmes", "hommes": "Hommes", "homme": "Hommes"}
_AGE_PATTERN = re.compile(
    r"(moins de \d+ ans|\d+\s*(?:a|à|-)\s*\d+ ans|\d+ ans (?:ou|et) plus|\d+ ans et \+)"
)


def _map_header(header: Sequence[str]) -> dict[str, int]:
    folded = [fold(h) for h in header]
    mapping: dict[str, int] = {}
    for key, aliases in _DARES_ALIASES.items():
        for alias in aliases:
            if alias in folded and folded.index(alias) not in mapping.values():
                mapping[key] = folded.index(alias)
                break
    return mapping


def _period(value: Any) -> str | None:
    """A month (``YYYY-MM``) or a quarter (``YYYY-Tn``) from a cell; None if it is neither."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = cell_text(value)
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match and 1 <= int(match.group("m")) <= 12:
            return f"{int(match.group('y')):04d}-{int(match.group('m')):02d}"
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).strip().lower()
    for pattern in _QUARTER_PATTERNS:
        match = pattern.match(plain)
        if match:
            return f"{int(match.group('y')):04d}-T{match.group('q')}"
    words = re.fullmatch(r"([a-z]+)\.?\s*(\d{4})", plain)
    if words and words.group(1) in _MONTHS_FR:
        return f"{int(words.group(2)):04d}-{_MONTHS_FR[words.group(1)]:02d}"
    return None


def period_sort_key(period: str) -> tuple[int, int, int]:
    """Order of months and quarters: a quarter sorts with the last month of it (2025-T2 with 2025-06)."""
    match = re.fullmatch(r"(\d{4})-T([1-4])", period)
    if match:
        return int(match.group(1)), int(match.group(2)) * 3, 1
    match = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if match:
        return int(match.group(1)), int(match.group(2)), 0
    return 0, 0, 0


def _category(value: Any) -> str | None:
    text = re.sub(r"^(?:categories?|cat\.?)\s*", "", fold(value).upper().lower()).upper()
    text = re.sub(r"[^A-E]", "", text)
    return text if text in CATEGORIES else None


_CATEGORY_IN_TEXT = re.compile(r"\bcat(?:egorie)?s?\b\.?\s*((?:[a-e](?:\s*(?:,|-|\+|et|/)\s*|\s+|$))+)", re.I)


def _category_in_text(text: str) -> str | None:
    """The category a title or a sheet name speaks of: "catégorie A" -> A, "catégories A, B, C" -> ABC."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    for match in _CATEGORY_IN_TEXT.finditer(plain):
        letters = "".join(sorted(set(re.findall(r"[a-e]", match.group(1).lower())))).upper()
        if letters in CATEGORIES:
            return letters
    compact = re.sub(r"[^A-Za-z]", "", plain).upper()
    for prefix in ("CAT", "CATEGORIE", "CATEGORIES", "DEFM", ""):
        if compact.startswith(prefix) and compact[len(prefix) :] in CATEGORIES:
            return compact[len(prefix) :]
    return None


def _detail_in_text(text: str) -> tuple[str | None, str | None]:
    """(sex, age band) a title or sheet name restricts the series to, if any."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    sex = next((label for word, label in _SEX_WORDS.items() if re.search(rf"\b{word}\b", plain)), None)
    age = _AGE_PATTERN.search(plain)
    return sex, age.group(1) if age else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = re.sub(r"[\s\u00a0\u202f]", "", cell_text(value))
    if re.fullmatch(r"\d+(?:[.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    return None


def _is_secret(value: Any) -> bool:
    return value is None or cell_text(value).lower() in _SECRET or not cell_text(value)


def _optional_label(value: Any) -> str | None:
    text = cell_text(value)
    return text or None


def _territory(raw: Any, key: str) -> tuple[str, str] | None:
    """(territory type, code) of a cell of a code column; None if the cell holds no such code. A column named
    for one kind of territory reads its codes so (a number lost its leading zeros); a generic code column
    tells them by length: 2-3 characters a département, 4 an employment zone, 5 a commune."""
    text = cell_text(raw).upper()
    numeric = isinstance(raw, int | float) and not isinstance(raw, bool) and text.isdigit()
    if key == "departement_code" or (key == "code" and 1 <= len(text) <= 3):
        code = text.zfill(2) if text.isdigit() else text
        return ("DEP", code) if DEPARTEMENT_PATTERN.match(code) else None
    if key == "commune_code" or (key == "code" and len(text) == 5):
        code = text.zfill(5) if numeric else text
        return ("COM", code) if COMMUNE_PATTERN.match(code) else None
    code = text.zfill(4) if numeric else text
    if key == "zone_code" and len(code) == 5 and COMMUNE_PATTERN.match(code):
        return "COM", code  # a commune listed in a zone table (DARES also counts the largest communes)
    return ("ZE", code) if len(code) == 4 and ZONE_PATTERN.match(code) else None


# A count's identity: (territory kind, code, period, category, sex, age band).
_SeenKey = tuple[str, str, str, str, str | None, str | None]


@dataclass
class _Table:
    sheet: str | None
    header_row: int
    header: list[str]
    mapping: dict[str, int]
    periods: dict[int, str]  # column -> period (wide layout)
    context: str  # sheet name and title rows, for the series' category and detail
    rows: Iterator[tuple[int, tuple[Any, ...]]]


def _accept_table(header: list[str]) -> bool:
    mapping = _map_header(header)
    if not any(k in mapping for k in _CODE_KEYS):
        return False
    long = all(k in mapping for k in ("period", "value"))
    wide = any(_period(h) for h in header)
    return long or wide


def _tables(data: bytes, name: str) -> tuple[list[_Table], str | None]:
    """The tables of the file (one per sheet holding one), and the text encoding of a CSV."""
    if data[:2] == b"PK" and not tabular.is_xlsx(data):
        data, name = tabular.table_in_archive(data, name, error=EmploymentFormatError)
    if tabular.is_workbook(data):
        tables = []
        for sheet, rows in tabular.sheet_rows(data, name, error=EmploymentFormatError):
            above: list[str] = [sheet]
            for number, values in rows:
                if number > HEADER_SEARCH_ROWS:
                    break
                header = [cell_text(v) for v in values]
                if _accept_table(header):
                    mapping = _map_header(header)
                    periods = {
                        i: p for i, h in enumerate(header) if (p := _period(h)) and i not in mapping.values()
                    }
                    tables.append(_Table(sheet, number, header, mapping, periods, " ".join(above), rows))
                    break
                above.extend(h for h in header if h)
        return tables, None
    text, encoding = tabular.csv_text(data, name, error=EmploymentFormatError)
    found = tabular.find_header(tabular.csv_rows(text), _accept_table, limit=HEADER_SEARCH_ROWS)
    if found is not None:
        number, header, rows = found
        mapping = _map_header(header)
        periods = {i: p for i, h in enumerate(header) if (p := _period(h)) and i not in mapping.values()}
        return [_Table(None, number, header, mapping, periods, "", rows)], encoding
    raise EmploymentFormatError(
        gettext_noop(
            "no header row with a territory code and either period and value columns or one column per "
            "period in the first %(rows)d lines"
        ),
        source=name,
        row=1,
        params={"rows": HEADER_SEARCH_ROWS},
    )


def parse_dares_job_seekers(source: Source) -> ParseResult[JobSeekerCount]:
    """DARES counts of registered job seekers by employment zone, département or commune (xlsx, xls or
    CSV; long or wide layout; every sheet holding a table)."""
    name = tabular.name_of(source)
    data = tabular.bytes_of(source)
    tables, encoding = _tables(data, name)
    if not tables:
        raise EmploymentFormatError(
            gettext_noop(
                "no sheet has a header row with a territory code and either period and value columns or one "
                "column per period in its first %(rows)d rows"
            ),
            source=name,
            params={"rows": HEADER_SEARCH_ROWS},
        )
    records: list[JobSeekerCount] = []
    warnings: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    rows_read = 0
    seen: dict[_SeenKey, tuple[str | None, int]] = {}
    for table in tables:
        rows_read += _read_table(table, name, records, warnings, skipped, seen)
    if not records:
        first = tables[0]
        raise EmploymentFormatError(
            gettext_noop("no data rows under the header"),
            source=name,
            sheet=first.sheet,
            row=first.header_row + 1,
        )
    last = tables[-1]
    report = ParseReport(
        source=name,
        rows_read=rows_read,
        kept=len(records),
        skipped=dict(skipped),
        warnings=dict(warnings),
        header_row=tables[0].header_row,
        sheet=", ".join(t.sheet for t in tables if t.sheet) or last.sheet,
        encoding=encoding,
    )
    return ParseResult(tuple(records), report)


def _read_table(
    table: _Table,
    name: str,
    records: list[JobSeekerCount],
    warnings: Counter[str],
    skipped: Counter[str],
    seen: dict[_SeenKey, tuple[str | None, int]],
) -> int:
    """Read the table's rows into ``records``; returns the number of data rows read."""
    reader = _TableReader(table, name, warnings=warnings, skipped=skipped, seen=seen)
    rows_read = 0
    for number, values in table.rows:
        cells = list(values)
        if not any(cell_text(v) for v in cells):
            skipped[gettext_noop("blank row")] += 1
            continue
        territory = reader.territory(number, cells)
        if territory is None:
            continue
        rows_read += 1
        records.extend(reader.counts(number, cells, territory))
    return rows_read


class _TableReader:
    """One table of job-seeker counts: its rows' territory, series and counts, each failure naming where."""

    def __init__(
        self,
        table: _Table,
        name: str,
        *,
        warnings: Counter[str],
        skipped: Counter[str],
        seen: dict[_SeenKey, tuple[str | None, int]],
    ) -> None:
        self.table, self.name, self.warnings, self.skipped, self.seen = table, name, warnings, skipped, seen
        self.mapping = table.mapping
        self.code_key = next(k for k in _CODE_KEYS if k in self.mapping)
        self.long = "period" in self.mapping and "value" in self.mapping
        self.series_category = _category_in_text(table.context)
        self.series_sex, self.series_age = _detail_in_text(table.context)
        if "category" not in self.mapping and self.series_category is None:
            raise EmploymentFormatError(
                gettext_noop(
                    "no category: give a category column, or name the category (A, or A, B, C) in the "
                    "sheet's name or its title"
                ),
                source=name,
                sheet=table.sheet,
                row=table.header_row,
            )

    def fail(
        self, message: str, number: int, key: str | int, params: dict[str, Any] | None = None
    ) -> EmploymentFormatError:
        header = self.table.header
        column = header[key] if isinstance(key, int) else header[self.mapping[key]]
        return EmploymentFormatError(
            message, source=self.name, sheet=self.table.sheet, row=number, column=column, params=params
        )

    def get(self, cells: list[Any], key: str) -> Any:
        i = self.mapping.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    def territory(self, number: int, cells: list[Any]) -> tuple[str, str] | None:
        """(kind, code) of the row's territory; None for a total or note row (counted as skipped)."""
        raw_code = self.get(cells, self.code_key)
        territory = _territory(raw_code, self.code_key)
        if territory is not None:
            return territory
        label = fold(" ".join(cell_text(v) for v in cells[:3]))
        data_cells = (
            [self.get(cells, "value")]
            if self.long
            else [cells[i] for i in self.table.periods if i < len(cells)]
        )
        if not cell_text(raw_code) or any(w in label for w in ("total", "ensemble", "france", "source")):
            self.skipped[gettext_noop("total or note row")] += 1
            return None
        if not any(_count(v) is not None for v in data_cells):
            self.skipped[gettext_noop("note line")] += 1
            return None
        raise self.fail(
            gettext_noop("%(cell)r is not an employment-zone, département or commune code"),
            number,
            self.code_key,
            {"cell": cell_text(raw_code)},
        )

    def category(self, number: int, cells: list[Any]) -> str:
        if "category" not in self.mapping:
            assert self.series_category is not None  # checked when the table was opened
            return self.series_category
        category = _category(self.get(cells, "category"))
        if category is None:
            raise self.fail(
                gettext_noop("%(cell)r is not a France Travail category (A to E, or ABC)"),
                number,
                "category",
                {"cell": cell_text(self.get(cells, "category"))},
            )
        return category

    def periods(self, number: int, cells: list[Any]) -> list[tuple[int, str]]:
        """(column, period) of each count of the row: one period column (long layout) or one per period."""
        if not self.long:
            return list(self.table.periods.items())
        period = _period(self.get(cells, "period"))
        if period is None:
            raise self.fail(
                gettext_noop("%(cell)r is not a month or a quarter (e.g. 2025-06 or 2025T2)"),
                number,
                "period",
                {"cell": cell_text(self.get(cells, "period"))},
            )
        return [(self.mapping["value"], period)]

    def counts(self, number: int, cells: list[Any], territory: tuple[str, str]) -> list[JobSeekerCount]:
        kind, code = territory
        category = self.category(number, cells)
        sex = _optional_label(self.get(cells, "sex")) or self.series_sex
        age = _optional_label(self.get(cells, "age_band")) or self.series_age
        counts = []
        for column, period in self.periods(number, cells):
            raw = cells[column] if column < len(cells) else None
            if _is_secret(raw):
                self.skipped[gettext_noop("secret or missing value")] += 1
                continue
            count = _count(raw)
            if count is None:
                raise self.fail(
                    gettext_noop("%(cell)r is not a count"), number, column, {"cell": cell_text(raw)}
                )
            if count % 10:
                self.warnings[gettext_noop("count not rounded to tens (DARES rounds to tens)")] += 1
            self.first_time((kind, code, period, category, sex, age), number, column)
            counts.append(
                JobSeekerCount(
                    zone_code=code,
                    zone_name=_optional_label(self.get(cells, "zone_name")),
                    period=period,
                    category=category,
                    sex=sex,
                    age_band=age,
                    value=count,
                    territory_type=kind,
                )
            )
        return counts

    def first_time(self, key: _SeenKey, number: int, column: int) -> None:
        """Records where a count was given; the same count given twice is refused, naming the first."""
        if key not in self.seen:
            self.seen[key] = (self.table.sheet, number)
            return
        kind, code, period, category, _sex, _age = key
        where_sheet, where_row = self.seen[key]
        given = {"kind": kind, "code": code, "period": period, "category": category, "first_row": where_row}
        if where_sheet != self.table.sheet:
            raise self.fail(
                gettext_noop(
                    "%(kind)s %(code)s, %(period)s, category %(category)s already given on row "
                    "%(first_row)d of sheet %(first_sheet)r"
                ),
                number,
                column,
                {**given, "first_sheet": where_sheet},
            )
        raise self.fail(
            gettext_noop(
                "%(kind)s %(code)s, %(period)s, category %(category)s already given on row %(first_row)d"
            ),
            number,
            column,
            given,
        )


def _is_total(label: str | None) -> bool:
    return label is None or fold(label) in {fold(w) for w in TOTAL_WORDS}


def zone_totals(
    records: Iterable[JobSeekerCount], *, category: str = "ABC", period: str | None = None
) -> tuple[dict[str, int], str | None]:
    """One count per territory code for ``category`` at ``period`` (default: the latest period present),
    from the rows for all sexes and ages only (so detailed rows are never added to their own total). A file
    with no ``ABC`` row but with A, B and C rows gets their sum. Returns (counts by code, the period used)."""
    totals = [r for r in records if _is_total(r.sex) and _is_total(r.age_band)]
    if period is None:
        periods = sorted({r.period for r in totals}, key=period_sort_key)
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
    name = tabular.name_of(source)
    data = tabular.bytes_of(source)
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError as exc:
        raise EmploymentFormatError(
            gettext_noop("not UTF-8 text (%(detail)s)"), source=name, params={"detail": exc.reason}
        ) from exc
    except json.JSONDecodeError as exc:
        raise EmploymentFormatError(
            gettext_noop("not JSON (%(detail)s, line %(line)d column %(column)d)"),
            source=name,
            params={"detail": exc.msg, "line": exc.lineno, "column": exc.colno},
        ) from exc
    if "\x00" in text or "\\u0000" in text:
        # PostgreSQL cannot store a NUL in text: say so here rather than fail at the database.
        raise EmploymentFormatError(
            gettext_noop("a NUL character (U+0000): the file is damaged"), source=name
        )
    answers = document if isinstance(document, list) else [document]
    records: list[TerritoryStatistic] = []
    skipped: Counter[str] = Counter()
    rows_read = 0
    for answer_number, answer in enumerate(answers, start=1):
        prefix = f"[{answer_number - 1}]." if isinstance(document, list) else ""
        if not isinstance(answer, dict) or not isinstance(answer.get("listeValeursParPeriode"), list):
            raise EmploymentFormatError(
                gettext_noop("expected an object with a listeValeursParPeriode list"),
                source=name,
                row=answer_number if isinstance(document, list) else None,
                column=f"{prefix}listeValeursParPeriode",
            )
        for position, item in enumerate(answer["listeValeursParPeriode"], start=1):
            rows_read += 1
            where = f"{prefix}listeValeursParPeriode[{position - 1}]"
            if not isinstance(item, dict):
                raise EmploymentFormatError(
                    gettext_noop("expected an object"), source=name, row=position, column=where
                )
            for key in _FT_REQUIRED:
                if key not in item:
                    raise EmploymentFormatError(
                        gettext_noop("field missing"), source=name, row=position, column=f"{where}.{key}"
                    )
            for key in _FT_REQUIRED[:4]:
                if not isinstance(item[key], str) or not item[key].strip():
                    raise EmploymentFormatError(
                        gettext_noop("expected a non-empty string, got %(value)s"),
                        source=name,
                        row=position,
                        column=f"{where}.{key}",
                        params={"value": repr(item[key])},
                    )
            activity = item["codeActivite"].strip().upper()
            activity_type = str(
                item.get("codeTypeActivite") or answer.get("codeTypeActivite") or "ROME"
            ).upper()
            if activity_type == "ROME" and not ROME_PATTERN.match(activity):
                raise EmploymentFormatError(
                    gettext_noop("%(code)r is not a ROME code (a letter and four digits, e.g. D1408)"),
                    source=name,
                    row=position,
                    column=f"{where}.codeActivite",
                    params={"code": activity},
                )
            raw_value = item["valeurPrincipaleNombre"]
            if raw_value is None:
                skipped[gettext_noop("no value published (secret or missing)")] += 1
                continue
            if isinstance(raw_value, bool) or not isinstance(raw_value, int | float) or raw_value < 0:
                raise EmploymentFormatError(
                    gettext_noop("expected a number >= 0, got %(value)s"),
                    source=name,
                    row=position,
                    column=f"{where}.valeurPrincipaleNombre",
                    params={"value": repr(raw_value)},
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
