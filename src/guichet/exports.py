"""Cells for spreadsheets that a user opens: text stays text, never a formula (OWASP "CSV injection").

An authority names its premises; an investor opens the dossier's spreadsheet: a name such as
`=HYPERLINK(...)` must show as written, not run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?")


def csv_text(value: str) -> str:
    """A CSV text cell: a leading apostrophe keeps spreadsheets from reading a formula."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


def csv_cell(value: str) -> str:
    """A cell of a CSV that software reads back too (the CNIG export): a plain number stays as written
    (a negative longitude), any other text that starts like a formula gets the apostrophe."""
    if value[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def xlsx_append(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet, storing every text as a string cell (openpyxl would store a
    text starting with "=" as a formula)."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
