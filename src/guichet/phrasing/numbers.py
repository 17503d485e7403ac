"""Numbers, shares, money and lists written the reader's way.

In the active language (Django i18n) with the locale's number formats: ``1 234,5`` and ``12,5 %`` in French
(narrow no-break spaces), ``1,234.5`` and ``12.5%`` in English, money as ``1 234 EUR``. Scores are points
out of 100: a score of 0.7253 reads ``72,5``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import pgettext

from guichet.formats import percent_text


def rounded(value: float | int | Decimal, decimals: int = 0) -> Decimal:
    """``value`` rounded half up to ``decimals`` places, from its shortest decimal form (724.5 -> 725,
    0.0385 -> 0.039): the one rounding of every figure shown, so a figure printed in two places, or in a page
    and a workbook, reads the same."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    result = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(result) if result == 0 else result  # never "-0"


def number(value: float | int | Decimal, decimals: int = 0) -> str:
    """A number in the active locale's format, rounded half up (never truncated) to ``decimals`` places."""
    return str(
        formats.number_format(
            rounded(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
        )
    )


def trimmed(value: float, decimals: int) -> str:
    """``decimals`` places, or none when the rounded value is whole (30 %, but 12.5 %)."""
    whole = rounded(value, decimals) == rounded(value)
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
