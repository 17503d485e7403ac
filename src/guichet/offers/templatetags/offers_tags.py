"""Template filters of the calls-for-offers pages."""

from __future__ import annotations

from django import template

from guichet.engine import scoring
from guichet.offers.evaluation import CRITERION_LABELS

register = template.Library()


@register.filter
def criterion_label(key: str) -> str:
    """A criterion's name in the reader's language (the published comparison stores keys)."""
    try:
        return str(CRITERION_LABELS[scoring.Criterion(key)])
    except ValueError:
        return key
