"""Reading the tables public files come in: a file's name and bytes, workbooks and CSV text, cells, headers.

Shared by the readers of :mod:`guichet.sources` (pure: no Django). Workbooks are ``.xlsx`` (openpyxl) or
legacy ``.xls`` (xlrd), read whole (these files are small); a table may also come inside a plain zip archive,
as INSEE publishes its zonings. CSV text is UTF-8 (with or without a byte-order mark) or Windows-1252, its
delimiter the one of ``;``, ``,`` and tab its first line holds most. A header row is searched in the first
rows, under the title and note rows publishers put above it. Each helper that can meet a broken file takes
the reader's own error class (a :class:`~guichet.sources.errors.FileFormatError`), so that the message names
the file as that reader does.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from guichet.sources.errors import FileFormatError, gettext_noop

__all__ = [
    "Rows",
    "Source",
    "bytes_of",
    "cell_text",
    "csv_rows",
    "csv_text",
    "find_header",
    "fold",
    "is_workbook",
    "is_xls",
    "is_xlsx",
    "name_of",
    "sheet_rows",
    "sniff_delimiter",
    "table_in_archive",
]

Source = Path | str | bytes
# (row or line number, the row's values), in the file's order.
Rows = Iterator[tuple[int, tuple[Any, ...]]]
ErrorClass = type[FileFormatError]


def name_of(source: Source, name: str | None = None) -> str:
    """The name messages give the file: ``name`` if given, a path's file name, or the ``name`` attribute
    bytes may carry (an upload), else ``<bytes>``."""
    if name:
        return name
    if isinstance(source, bytes):
        return str(getattr(source, "name", "<bytes>"))
    return Path(source).name


def bytes_of(source: Source) -> bytes:
    return bytes(source) if isinstance(source, bytes) else Path(source).read_bytes()


def fold(text: Any) -> str:
    """Header key: lower case, no accents, no separators (so "Code zone d'emploi" == "code_zone_d_emploi")."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s_\-'’.]+", "", plain)


def cell_text(value: Any) -> str:
    """A cell as trimmed text: empty for nothing, a whole spreadsheet number without its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # A NUL cannot be stored in PostgreSQL text and carries no meaning in a label: drop it.
    return str(value).replace("\x00", "").strip()


# --- workbooks ----------------------------------------------------------------------------------------


def is_xlsx(data: bytes) -> bool:
    return _zip_has(data, "[Content_Types].xml")


def _zip_has(data: bytes, member: str) -> bool:
    if data[:2] != b"PK":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False


def is_xls(data: bytes) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_workbook(data: bytes) -> bool:
    return is_xlsx(data) or is_xls(data)


def table_in_archive(data: bytes, name: str, *, error: ErrorClass) -> tuple[bytes, str]:
    """The workbook or CSV inside a plain zip archive (as INSEE publishes its zonings), and its name."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise error(
            gettext_noop("not a readable zip archive (%(detail)s)"), source=name, params={"detail": str(exc)}
        ) from exc
    with archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir() and m.filename.lower().endswith((".xlsx", ".xls", ".csv"))
        ]
        if not members:
            raise error(gettext_noop("the archive holds no .xlsx, .xls or .csv file"), source=name)
        # The zoning archives hold one workbook (and sometimes a documentation PDF): prefer a workbook.
        members.sort(key=lambda m: (not m.filename.lower().endswith((".xlsx", ".xls")), m.filename))
        chosen = members[0]
        return archive.read(chosen), f"{name}:{chosen.filename}"


def _xls_value(cell: Any, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _xls_sheets(data: bytes, name: str, error: ErrorClass) -> list[tuple[str, Rows]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # xlrd raises several types for a broken file
        raise error(
            gettext_noop("not a readable xls workbook (%(detail)s)"), source=name, params={"detail": str(exc)}
        ) from exc
    try:
        sheets = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = [
                (number + 1, tuple(_xls_value(cell, book.datemode) for cell in sheet.row(number)))
                for number in range(sheet.nrows)
            ]
            sheets.append((sheet.name, iter(rows)))
        return sheets
    finally:
        book.release_resources()


def sheet_rows(data: bytes, name: str, *, error: ErrorClass) -> list[tuple[str, Rows]]:
    """Every sheet's rows of an xlsx or xls workbook, read whole: these files are small, and the workbook can
    then be closed."""
    if is_xls(data):
        return _xls_sheets(data, name, error)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken archive
        raise error(
            gettext_noop("not a readable xlsx workbook (%(detail)s)"),
            source=name,
            params={"detail": str(exc)},
        ) from exc
    try:
        return [
            (sheet.title, iter(list(enumerate(sheet.iter_rows(values_only=True), start=1))))
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


# --- CSV text -----------------------------------------------------------------------------------------


def csv_text(data: bytes, name: str, *, error: ErrorClass) -> tuple[str, str]:
    """(text, encoding) of a CSV file: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes all but five bytes
        raise error(gettext_noop("not text in UTF-8 or Windows-1252"), source=name)
    if "\x00" in text:
        raise error(gettext_noop("binary content, not a CSV text file"), source=name)
    return text, encoding


def sniff_delimiter(line: str, candidates: Sequence[str] = (";", ",", "\t")) -> str:
    """The candidate the line holds most (the first of them on a tie)."""
    return max(candidates, key=line.count)


def csv_rows(text: str) -> Rows:
    """The rows of a CSV text with their line numbers, in the delimiter its first line suggests."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text.split("\n", 1)[0]))
    return ((reader.line_num, tuple(row)) for row in reader)


def find_header(
    rows: Rows, accept: Callable[[list[str]], bool], *, limit: int
) -> tuple[int, list[str], Rows] | None:
    """The first row that ``accept`` takes as the header, among those numbered up to ``limit`` (and the first
    beyond it, when a CSV cell spanning lines skipped the number): its number, its cells as text and the rows
    under it; None when there is none."""
    for number, values in rows:
        header = [cell_text(v) for v in values]
        if accept(header):
            return number, header, rows
        if number >= limit:
            return None
    return None
