"""Formats shared by every page, PDF and e-mail, in the reader's language."""

from __future__ import annotations

from django.utils.translation import pgettext


def percent_text(number: str) -> str:
    """A figure already written in the reader's format, followed by the percent sign as the language
    writes it (after a narrow no-break space in French, attached in English)."""
    return pgettext("a percentage", "%(number)s%%") % {"number": number}
