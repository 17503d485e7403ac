"""How a dashboard value is written for a reader, a CSV or a spreadsheet, by column kind and language.

A year is never grouped ("2027", not "2 027"); a share is a fraction shown as a percentage; counts,
areas and money are grouped the way the language writes them on a page, and never in a file."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format

from guichet.projects.dashboard import Column

DASH = "—"


def format_cell(value: Any, kind: str) -> str:
    """For a page, in the active language."""
    if value is None:
        return DASH
    if kind == "year":
        return str(int(value))
    if kind == "text":
        return str(value)
    if kind == "share":
        return f"{number_format(value * 100, 1)}\u202f%" if _french() else f"{number_format(value * 100, 1)}%"
    if kind == "months":
        return number_format(value, 1)
    return number_format(round(value), 0, force_grouping=True)


def _french() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "fr").startswith("fr")


def file_value(value: Any, kind: str) -> Any:
    """For a file: plain numbers, shares as percentages with one decimal, text as text."""
    if value is None:
        return None
    if kind == "text":
        return str(value)
    if kind == "share":
        return round(value * 100, 1)
    if kind == "months":
        return round(value, 1)
    return round(value)


def file_header(column: Column) -> str:
    return f"{column.label} (%)" if column.kind == "share" else column.label
