"""A job's refusal, and an import's reasons, phrased in the reader's language: the handlers store English
templates with their values (codes and params), never text in one language; the page phrases them with
gettext."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def phrase(template: str, params: Any = None) -> str:
    """gettext(template) % params; the English template when the catalogue has no translation, and the
    English text when a translation does not fit its values (never an error on the page)."""
    values = dict(params) if isinstance(params, dict) else {}
    # A value may itself be a phrase (an import's "geolocation file: %(reason)s"): phrased first.
    values = {
        key: phrase(str(value["template"]), value.get("params"))
        if isinstance(value, dict) and value.get("template")
        else value
        for key, value in values.items()
    }
    translated = _(template) if template else ""
    try:
        return translated % values if values else translated
    except (KeyError, ValueError, TypeError):
        return template % values if values else template


def phrase_problem(problem: Any) -> str:
    """A refusal: where (file, sheet, row or line, column) then what is wrong."""
    if not isinstance(problem, dict) or not problem.get("template"):
        return ""
    reason = phrase(str(problem["template"]), problem.get("params"))
    where = []
    if problem.get("source"):
        where.append(_("file %(name)s") % {"name": problem["source"]})
    if problem.get("sheet"):
        where.append(_("sheet %(name)s") % {"name": problem["sheet"]})
    if problem.get("row") is not None:
        if problem.get("row_label") == "line":
            where.append(_("line %(number)s") % {"number": problem["row"]})
        else:
            where.append(_("row %(number)s") % {"number": problem["row"]})
    if problem.get("column"):
        where.append(_("column %(name)s") % {"name": problem["column"]})
    return f"{', '.join(where)}: {reason}" if where else reason


def phrase_cell(cell: Any) -> str:
    """One refused cell's message (its row and column have their own columns on the page)."""
    if not isinstance(cell, dict):
        return ""
    if cell.get("template"):
        return phrase(str(cell["template"]), cell.get("params"))
    return str(cell.get("message") or "")


REASON_GROUPS = ("rejected", "skipped", "warnings")


def phrase_reasons(reasons: Any) -> list[tuple[str, list[tuple[str, int]]]]:
    """An import's reasons, group by group (rejected, skipped, warnings: the codes), each reason as
    (text in the reader's language, count). Stored as [{"template", "params", "count"}]; runs stored before
    that hold {English text: count}, shown through gettext (a text without values is its own msgid)."""
    if not isinstance(reasons, dict):
        return []
    phrased = []
    for group in REASON_GROUPS:
        stored = reasons.get(group)
        items: list[tuple[str, int]] = []
        if isinstance(stored, list):
            for entry in stored:
                if isinstance(entry, dict) and entry.get("template"):
                    items.append(
                        (phrase(str(entry["template"]), entry.get("params")), int(entry.get("count") or 0))
                    )
        elif isinstance(stored, dict):
            items = [(_(str(text)) if text else "", int(count or 0)) for text, count in stored.items()]
        if items:
            phrased.append((group, items))
    return phrased
