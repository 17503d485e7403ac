"""The labour engine's phrasing (:mod:`guichet.phrasing.labour`) as template filters."""

from __future__ import annotations

from django import template

from guichet.phrasing import labour

register = template.Library()

register.filter("figure_source", labour.figure_source)
register.filter("catchment_method", labour.catchment_method)
register.filter("saturation_text", labour.saturation_text)
register.filter("saturation_bands", labour.saturation_bands)
register.filter("percent", labour.percent)
