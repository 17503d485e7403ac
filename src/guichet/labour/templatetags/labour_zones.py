"""The employment zones, the verdict's range and the hiring defaults (:mod:`guichet.phrasing.labour`) as
template filters and tags."""

from __future__ import annotations

from django import template

from guichet.phrasing import labour

register = template.Library()

register.filter("zone_sparkline", labour.zone_sparkline)
register.filter("zone_tension", labour.zone_tension)
register.filter("zone_trend", labour.zone_trend)
register.filter("rate_pct", labour.rate_pct)
register.filter("verdict_word", labour.verdict_word)
register.filter("share_pct", labour.share_pct)
register.simple_tag(labour.hiring_default_rows, name="hiring_default_rows")
