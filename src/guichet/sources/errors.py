"""The error every file reader raises for a file that cannot be right, saying where."""

from __future__ import annotations

from typing import Any


def gettext_noop(message: str) -> str:
    """Marks an English message template for translation (makemessages extracts it) without importing
    Django: the readers stay pure; the pages phrase the template with gettext in their reader's language."""
    return message


class FileFormatError(ValueError):
    """``source`` names the file; ``sheet`` (a workbook's sheet), ``row`` and ``column`` say where, when known
    (``row_label`` is how the format counts: a spreadsheet's rows, a text file's lines)."""

    row_label = "row"

    def __init__(
        self,
        message: str,
        *,
        source: str,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        # `message` is an English %-style template when `params` are given: pages phrase
        # gettext(template) % params in their reader's language; `reason` is the English text.
        self.template = message
        self.params = dict(params or {})
        if params:
            message = message % params
        self.source = source
        self.sheet = sheet
        self.row = row
        self.column = column
        self.reason = message
        where = source
        if sheet is not None:
            where += f", sheet {sheet!r}"
        if row is not None:
            where += f", {self.row_label} {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
