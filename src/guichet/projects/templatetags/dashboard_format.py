from __future__ import annotations

from typing import Any

from django import template

from guichet.projects.formatting import format_cell

register = template.Library()


@register.simple_tag
def cell(value: Any, kind: str) -> str:
    """A dashboard value written for the page, by its column's kind (a year is never grouped)."""
    return format_cell(value, kind)
