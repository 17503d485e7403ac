"""Numbers, shares, money and lists written the reader's way.

In the active language (Django i18n) with the locale's number formats: ``1 234,5`` and ``12,5 %`` in French
(narrow no-break spaces), ``1,234.5`` and ``12.5%`` in English, money as ``1 234 EUR``. Scores are points
out of 100: a score of 0.7253 reads ``72,5``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils import formats
from django.utils.translation import pgettext

from guichet.formats import percent_text


def number(value: float | int | Decimal, decimals: int = 0) -> str:
    """A number in the active locale's format, rounded (not truncated) to ``decimals`` places."""
    rounded = Decimal(f"{float(value):.{decimals}f}")
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    return str(formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True))


def trimmed(value: float, decimals: int) -> str:
    """``decimals`` places, or none when the rounded value is whole (30 %, but 12.5 %)."""
    whole = round(value, decimals) == round(value)
    return number(value, 0 if whole else decimals)


def percent(share: float, decimals: int = 1) -> str:
    """A share (0.125) as a percentage: ``12,5 %`` in French, ``12.5%`` in English."""
    return percent_text(trimmed(share * 100, decimals))


def money(amount: float) -> str:
    """Euros, whole, with the currency's code after the figure in both languages: ``1 234 EUR``."""
    return f"{number(amount)}\u00a0EUR"


def points(value: float) -> str:
    """A score or a criterion's contribution, on the scale of 100 points: 0.7253 -> ``72,5``."""
    return number(value * 100, 1)


def scaled(value: float) -> str:
    """A value between 0 and 1 (a criterion's scaled value or sub-score): ``0,87``."""
    return number(value, 2)


def join(items: Iterable[str]) -> str:
    """``a, b and c`` in the reader's language."""
    parts = list(items)
    if len(parts) < 2:
        return "".join(parts)
    return pgettext("the last two items of a list", "%(list)s and %(last)s") % {
        "list": pgettext("between items of a list", ", ").join(parts[:-1]),
        "last": parts[-1],
    }


def labelled(label: str, text: str) -> str:
    """``Cost: ...`` (``Coût : ...`` in French)."""
    return pgettext("a label and its text", "%(label)s: %(text)s") % {"label": label, "text": text}
