"""The employment zones a catchment reaches, the verdict across the candidates-per-hire range and the hiring
defaults, in the reader's language; the zones' trend as a small SVG drawn on the server (no script)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.engine import hiring
from guichet.engine.unemployment import ZoneReached
from guichet.formats import percent_text

register = template.Library()

VERDICTS = {
    "realistic": gettext_lazy("realistic"),
    "demanding": gettext_lazy("demanding"),
    "unrealistic": gettext_lazy("unrealistic"),
    "unknown": gettext_lazy("unknown"),
}
DEFAULT_LABELS = {
    "annual_attrition": gettext_lazy("Annual attrition"),
    "candidates_per_hire": gettext_lazy("Candidates per hire"),
    "part_time_share": gettext_lazy("Part-time agents"),
    "absenteeism": gettext_lazy("Absenteeism"),
}
# Each written with %% and formatted with an empty mapping, so that the catalogue checks the signs.
DEFAULT_SOURCES = {
    "annual_attrition": gettext_lazy(
        "French contact centres: about 8 %% a year in the provinces, over 50 %% in Paris (En-Contact, "
        "January 2009, with Dimension Data's European benchmark of 2007 at 24 %%), close to 20 %% in "
        "Île-de-France (Relation Client Magazine). The default is a judgement inside that range for a "
        "regional centre."
    ),
    "candidates_per_hire": gettext_lazy(
        "No French figure found: NACSMA (North America), 3 to 4 candidates per hire (600 to 800 candidates "
        "for 200 hires)."
    ),
    "part_time_share": gettext_lazy(
        "Outsourced French centres, BearingPoint's survey of the SP2C's members: 86.5 %% full time in 2007, "
        "91 %% in 2008, 92 %% in 2011, 91 %% in 2013; in-house centres are not surveyed."
    ),
    "absenteeism": gettext_lazy(
        "French contact centres: 8 to 10 %% in the provinces, 15 to 20 %% in Île-de-France (Relation Client "
        "Magazine); all French firms 7.5 %% (Cegos, 2009)."
    ),
}
SCOPES = {"france": gettext_lazy("French sources"), "international": gettext_lazy("international source")}

_WIDTH, _HEIGHT, _PAD = 120.0, 28.0, 2.0


def _rate(value: float, digits: int = 1) -> str:
    return percent_text(number_format(value, decimal_pos=digits, use_l10n=True))


def _points(values: tuple[float, ...], low: float, high: float) -> str:
    span = (high - low) or 1.0
    step = (_WIDTH - 2 * _PAD) / max(len(values) - 1, 1)
    return " ".join(
        f"{_PAD + k * step:.1f},{_HEIGHT - _PAD - (v - low) / span * (_HEIGHT - 2 * _PAD):.1f}"
        for k, v in enumerate(values)
    )


@register.filter
def zone_sparkline(zone: ZoneReached) -> SafeString:
    """The zone's rate over its quarters (solid) and France's (dashed), on one scale, as inline SVG."""
    if not zone.rates_pct:
        return SafeString("")
    values = zone.rates_pct + zone.national_pct
    low, high = min(values), max(values)
    title = _("%(zone)s: %(first)s in %(start)s, %(last)s in %(end)s (dashed: France)") % {
        "zone": zone.label,
        "first": _rate(zone.rates_pct[0]),
        "start": zone.quarters[0],
        "last": _rate(zone.rates_pct[-1]),
        "end": zone.quarters[-1],
    }
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>{}</title>"
        '<polyline fill="none" stroke="currentColor" stroke-width="1" stroke-dasharray="3 2" '
        'opacity="0.6" points="{}"/>'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>',
        int(_WIDTH),
        int(_HEIGHT),
        int(_WIDTH),
        int(_HEIGHT),
        title,
        title,
        _points(zone.national_pct, low, high),
        _points(zone.rates_pct, low, high),
    )


@register.filter
def zone_tension(zone: ZoneReached) -> str:
    """The zone's rate against France's: ratio and gap in points."""
    if zone.tension is None or zone.gap_points is None:
        return _("no rate published by INSEE for this zone")
    return _("%(ratio)s × France's rate (%(gap)s points)") % {
        "ratio": number_format(zone.tension, decimal_pos=2, use_l10n=True),
        "gap": ("+" if zone.gap_points >= 0 else "−")
        + number_format(abs(zone.gap_points), decimal_pos=1, use_l10n=True),
    }


@register.filter
def zone_trend(zone: ZoneReached) -> str:
    if zone.trend_points is None:
        return "—"
    sign = "+" if zone.trend_points >= 0 else "−"
    return _("%(change)s points since %(start)s") % {
        "change": sign + number_format(abs(zone.trend_points), decimal_pos=1, use_l10n=True),
        "start": zone.quarters[0],
    }


@register.filter
def rate_pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else _rate(value, int(digits))


@register.filter
def verdict_label(code: str) -> str:
    return str(VERDICTS.get(code, code))


@register.simple_tag
def hiring_default_rows() -> list[dict[str, Any]]:
    """The hiring defaults with their range, scope and source, phrased."""
    rows = []
    for default in hiring.HIRING_DEFAULTS:
        share = default.key != "candidates_per_hire"

        def shown(value: float, share: bool = share) -> str:
            if share:
                percent = round(value * 100, 1)
                return _rate(percent, 0 if percent.is_integer() else 1)
            return number_format(value, decimal_pos=1, use_l10n=True)

        rows.append(
            {
                "key": default.key,
                "label": DEFAULT_LABELS[default.key],
                "value": shown(default.value),
                "range": format_html_join("", "{}–{}", [(shown(default.low), shown(default.high))]),
                "scope": default.scope,
                "scope_label": SCOPES[default.scope],
                "source": str(DEFAULT_SOURCES[default.key]) % {},
            }
        )
    return rows
