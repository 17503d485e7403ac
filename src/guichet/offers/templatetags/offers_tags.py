"""Template filters of the calls-for-offers pages."""

from __future__ import annotations

from typing import Any

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


@register.filter
def strongest_criterion(criteria: list[Any]) -> Any:
    """The criterion that brought a candidate the most points (None when none did)."""
    best = max(criteria, key=lambda item: item.points, default=None)
    return best if best is not None and best.points > 0 else None


@register.filter
def worst_year(feasibility: Any) -> Any:
    """The hiring year that needs the largest share of the pool."""
    years = [year for year in feasibility.years if year.share is not None]
    return max(years, key=lambda year: year.share, default=None)
