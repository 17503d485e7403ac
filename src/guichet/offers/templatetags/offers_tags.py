"""Template filters of the calls-for-offers pages: names and figures in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template

from guichet.phrasing import labour as labour_phrasing
from guichet.phrasing import numbers
from guichet.phrasing import scoring as reasons

register = template.Library()


@register.filter
def criterion_label(key: str) -> str:
    """A criterion's name in the reader's language (the published comparison stores keys)."""
    return reasons.criterion_label(key)


@register.filter
def score_points(value: float | None) -> str:
    """A score or a criterion's points (0..1) on the scale of 100: ``72,5``."""
    return "—" if value is None else numbers.points(value)


@register.filter
def money(value: float | None) -> str:
    return "—" if value is None else numbers.money(value)


@register.filter
def share_percent(value: float | None) -> str:
    """A share or a weight (0..1) as a percentage: ``12,5 %``."""
    return "—" if value is None else numbers.percent(value)


@register.filter
def criterion_value(value: float | None, key: str) -> str:
    """A criterion's raw figure in its unit."""
    return "—" if value is None else reasons.criterion_value(key, value)


@register.filter
def labelled(text: str, label: str) -> str:
    """``label: text`` with the reader's punctuation (``Recrutement : ...`` in French)."""
    return numbers.labelled(str(label), str(text))


@register.filter
def figure_kind(kind: str) -> str:
    return labour_phrasing.figure_kind_label(kind)


@register.filter
def published_texts(published: dict[str, Any] | None) -> dict[str, Any] | None:
    """A published comparison with each reason phrased in the reader's language (see
    :func:`guichet.phrasing.scoring.published_with_texts`)."""
    return reasons.published_with_texts(published)


@register.simple_tag
def colon() -> str:
    """The colon after a label, spaced as the reader's language wants it ("Poids :" but "Weights:")."""
    from django.utils.translation import pgettext

    return pgettext("the colon after a label, with the language's spacing", ":")
