"""The labour engine's codes and values phrased in the reader's language (French or English).

The engine labels each figure with a method code and its parameters (``Figure.method``, ``LabourRates``), each
catchment with its commute model and time sources, each saturation with a status, each recruitment claim with
a verdict. These functions turn them into sentences through Django's translation machinery, with numbers in
the reader's format; the pages reach them as template filters (``labour/templatetags/labour_text.py`` and
``labour_zones.py``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from guichet.engine import catchment as catchment_engine
from guichet.engine import hiring_defaults as hiring
from guichet.engine import labour as labour_engine
from guichet.engine.unemployment import ZoneReached
from guichet.formats import percent_text
from guichet.phrasing import numbers

VERDICT_LABELS: Mapping[str, Promise] = {
    "realistic": gettext_lazy("Realistic"),
    "demanding": gettext_lazy("Demanding"),
    "unrealistic": gettext_lazy("Unrealistic"),
    "unknown": gettext_lazy("No verdict"),
}
FIGURE_KIND_LABELS: Mapping[str, Promise] = {
    "imported": pgettext_lazy("figure kind", "imported"),
    "estimate": pgettext_lazy("figure kind", "estimate"),
    "mixed": pgettext_lazy("figure kind", "partly estimated"),
    "unavailable": pgettext_lazy("figure kind", "unavailable"),
}


def _number(value: float, digits: int = 0) -> str:
    """Rounded half up, as every figure shown (:func:`guichet.phrasing.numbers.number`), never truncated."""
    return numbers.number(value, digits)


def _rate(value: float) -> str:
    rounded = round(value, 6)
    return _number(rounded, 0) if float(rounded).is_integer() else number_format(rounded, use_l10n=True)


def zone_method_text(method: str, rates: labour_engine.LabourRates) -> str:
    """The estimate localised by the employment zone's unemployment, with the national ratio it scales."""
    zone_a = method == labour_engine.METHOD_CATEGORY_A_ZONE
    national = labour_engine.METHOD_CATEGORY_A if zone_a else labour_engine.METHOD_CATEGORY_ABC
    return _(
        "%(national)s, times the unemployment rate of the commune's employment zone over France's "
        "(INSEE, localised unemployment, %(quarter)s; the national ratio where INSEE gives the zone no "
        "rate). Years mixed: the national ratio of 2023, the zones' rates of %(quarter)s, the census of 2021"
    ) % {"national": method_text(national, rates), "quarter": rates.zone_quarter or _latest_quarter()}


def _latest_quarter() -> str:
    """The quarter the commune table localises with, for a caller that phrases a figure without its pool's
    rates (the dossier): the latest of the bundled INSEE series."""
    from guichet.data.dataset import read_unemployment

    return read_unemployment().latest_quarter


def method_text(method: str, rates: labour_engine.LabourRates) -> str:
    if method in (labour_engine.METHOD_CATEGORY_A_ZONE, labour_engine.METHOD_CATEGORY_ABC_ZONE):
        return zone_method_text(method, rates)
    if method == labour_engine.METHOD_LABOUR_FORCE:
        return _(
            "people aged 20-64 × %(rate)s, the activity rate of the 20-64 in France (Eurostat employment "
            "rate 2023, 74.4 %%, over 1 − INSEE's unemployment rate 2023, 7.3 %%)"
        ) % {"rate": _rate(rates.activity_rate)}
    if method == labour_engine.METHOD_CATEGORY_A:
        return _(
            "labour force × %(rate)s, the share of the labour force registered in category A in France "
            "(DARES, 4th quarter 2023: 3,032,000 over INSEE's labour force of 2023, 30,840,000)"
        ) % {"rate": _rate(rates.category_a_rate)}
    if method == labour_engine.METHOD_CATEGORY_ABC:
        return _(
            "labour force × %(rate)s, the share of the labour force registered in categories A, B, C in "
            "France (DARES, 4th quarter 2023: 5,406,000 over INSEE's labour force of 2023, 30,840,000)"
        ) % {"rate": _rate(rates.job_seeker_rate)}
    return method


def _apportioned(kinds: tuple[str, ...]) -> str:
    words = {
        "ZE": _("employment-zone totals shared among their communes in proportion to the people aged 20-64"),
        "DEP": _("département totals shared among their communes in proportion to the people aged 20-64"),
    }
    return "; ".join(words[k] for k in kinds if k in words)


def figure_source(figure: labour_engine.Figure, rates: labour_engine.LabourRates | None = None) -> str:
    """Where a figure comes from, in the reader's language."""
    rates = rates or labour_engine.DEFAULT_RATES
    imported = figure.import_source
    if figure.apportioned:
        imported += " (" + _apportioned(figure.apportioned) + ")"
    if figure.kind == "imported":
        text = imported
    elif figure.kind == "estimate":
        text = _("estimate: %(method)s") % {"method": method_text(figure.method, rates)}
    elif figure.kind == "mixed":
        text = _(
            "imported for %(imported)s communes: %(source)s; estimated for %(estimated)s: %(method)s"
        ) % {
            "imported": _number(figure.communes_imported),
            "source": imported,
            "estimated": _number(figure.communes_estimated),
            "method": method_text(figure.method, rates),
        }
    elif figure.source.startswith("not imported"):
        text = _("not imported (France Travail statistics by ROME code)")
    else:
        text = _("no value for any commune")
    if figure.communes_missing and figure.kind != "unavailable":
        text += "; " + ngettext(
            "no data for %(n)s commune of the catchment: the total is undercounted",
            "no data for %(n)s communes of the catchment: the total is undercounted",
            figure.communes_missing,
        ) % {"n": _number(figure.communes_missing)}
    return text


def _bands(model: Any) -> str:
    parts = []
    lower = 0.0
    for band in model.bands:
        values = {
            "detour": _rate(band.detour),
            "speed": _number(band.speed_kmh),
            "low": _number(lower),
            "high": "" if math.isinf(band.up_to_km) else _number(band.up_to_km),
        }
        if math.isinf(band.up_to_km):
            parts.append(_("beyond %(low)s km: road × %(detour)s at %(speed)s km/h") % values)
        else:
            parts.append(_("%(low)s to %(high)s km: road × %(detour)s at %(speed)s km/h") % values)
        lower = band.up_to_km
    return "; ".join(parts)


def commute_error_values() -> dict[str, str]:
    """The calibrated model's error on trips it was not fitted on, in the reader's number format."""
    from guichet.engine import commute

    return {
        "trips": _number(commute.CALIBRATED_CV_TRIPS),
        "cv": _number(commute.CALIBRATED_CV_MAE_MINUTES, 1),
        "validation": _number(commute.CALIBRATED_VALIDATION_MAE_MINUTES, 1),
        "kept": _number(commute.CALIBRATED_VALIDATION_TRIPS),
    }


def catchment_method(catchment: catchment_engine.Catchment) -> str:
    """How the catchment was drawn, in the reader's language."""
    if catchment.commute is None:
        return _("great-circle distance from the premises")
    calibrated = catchment.commute.key == "calibrated"
    text = (
        _(
            "driving time estimated from the straight-line distance, calibrated on %(trips)s reference "
            "trips; mean error on trips it was not fitted on %(cv)s minutes (each trip predicted by the "
            "model fitted on the others), %(validation)s minutes on %(kept)s trips kept out: %(bands)s"
        )
        if calibrated
        else _("driving time estimated from the straight-line distance: %(bands)s")
    ) % {"bands": _bands(catchment.commute), **commute_error_values()}
    counts = catchment.count_by_time_source()
    matrix = counts.get(catchment_engine.TIME_FROM_MATRIX, 0)
    reverse = counts.get(catchment_engine.TIME_FROM_MATRIX_REVERSE, 0)
    model = counts.get(catchment_engine.TIME_FROM_MODEL, 0)
    if matrix or reverse:
        text = _(
            "travel-time matrix (%(source)s) for %(matrix)s communes, %(reverse)s of them timed the other "
            "way; the model for the %(model)s others: %(method)s"
        ) % {
            "source": catchment.travel_times_source,
            "matrix": _number(matrix + reverse),
            "reverse": _number(reverse),
            "model": _number(model),
            "method": text,
        }
    elif catchment.travel_times_source:
        text += " " + _("(the imported travel-time matrix has no time for these communes)")
    return text


def saturation_text(saturation: labour_engine.Saturation) -> str:
    """What the saturation counts, or why it is unknown."""
    if saturation.status == "unknown":
        return _(
            "unknown: no SIRENE import covers the communes of this catchment, so the contact-centre jobs are "
            "not known (import SIRENE, NAF 82.20Z)"
        )
    text = _(
        "NAF 82.20Z establishments (SIRENE) and the in-house centres recorded by the agency, over the labour "
        "force; in-house centres not recorded are missing, so the ratio is a floor"
    )
    if saturation.status == "partial":
        text += "; " + _(
            "taken over the %(covered)s communes with SIRENE data (%(missing)s communes of the catchment "
            "have none)"
        ) % {
            "covered": _number(saturation.communes_covered),
            "missing": _number(saturation.communes_not_covered),
        }
    return text


def saturation_bands(saturation: labour_engine.Saturation) -> str:
    thresholds = saturation.thresholds
    return _(
        "Rules of thumb of site selection for all contact-centre jobs (Site Selection Group; ACCP / "
        "Expansion Management): under %(tight)s %% comfortable, %(tight)s to %(saturated)s %% tight, "
        "%(saturated)s %% and over saturated."
    ) % {"tight": _rate(thresholds.tight * 100), "saturated": _rate(thresholds.saturated * 100)}


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else percent_text(_number(value * 100, int(digits)))


def verdict_label(code: str) -> str:
    return str(VERDICT_LABELS.get(code, VERDICT_LABELS["unknown"]))


def figure_kind_label(kind: str) -> str:
    return str(FIGURE_KIND_LABELS.get(kind, kind))


def feasibility_text(feasibility: Any) -> str:
    """The recruitment verdict's reasoning (the labour engine's ``Feasibility``), in the reader's words."""
    pool = feasibility.job_seekers.value
    if pool is None or pool <= 0:
        return _("No verdict: the number of job seekers in reach is unknown.")
    if feasibility.worst_year is None or not feasibility.years:
        return _("No verdict: the hiring plan is empty.")
    year = feasibility.years[feasibility.worst_year - 1]
    thresholds = feasibility.thresholds
    values = {
        "year": year.year,
        "hires": numbers.number(year.hires),
        "per_hire": numbers.trimmed(feasibility.candidates_per_hire, 1),
        "candidates": numbers.number(year.candidates),
        "share": numbers.percent(year.share or 0.0),
        "pool": numbers.number(pool),
        "demanding": numbers.percent(thresholds.demanding, 0),
        "unrealistic": numbers.percent(thresholds.unrealistic, 0),
    }
    if feasibility.pool_kind == "customer_relation":
        text = _(
            "Year %(year)s needs %(hires)s hires × %(per_hire)s candidates per hire = %(candidates)s "
            "candidates, %(share)s of the %(pool)s customer-relation job seekers in reach."
        )
    elif feasibility.pool_kind == "category_a":
        text = _(
            "Year %(year)s needs %(hires)s hires × %(per_hire)s candidates per hire = %(candidates)s "
            "candidates, %(share)s of the %(pool)s category A job seekers in reach."
        )
    else:
        text = _(
            "Year %(year)s needs %(hires)s hires × %(per_hire)s candidates per hire = %(candidates)s "
            "candidates, %(share)s of the %(pool)s job seekers in reach."
        )
    rule = _(
        "Under %(demanding)s of the pool in a year is realistic; from %(demanding)s demanding; from "
        "%(unrealistic)s unrealistic."
    )
    sentences = [text % values, rule % values]
    bound = getattr(feasibility, "upper_bound", None)
    upper_share = getattr(year, "share_of_upper_bound", None)
    if bound is not None and bound.value and upper_share is not None:
        sentences.append(
            _("Against the %(bound)s job seekers in categories A, B, C (upper bound): %(share)s.")
            % {"bound": numbers.number(bound.value), "share": numbers.percent(upper_share)}
        )
    missing = getattr(feasibility.job_seekers, "communes_missing", 0) or 0
    if missing:
        sentences.append(
            ngettext(
                "%(count)s commune of the catchment has no data: the pool is undercounted and the share "
                "overstated.",
                "%(count)s communes of the catchment have no data: the pool is undercounted and the share "
                "overstated.",
                missing,
            )
            % {"count": numbers.number(missing)}
        )
    return " ".join(sentences)


# The employment zones a catchment reaches, the verdict across the candidates-per-hire range and the hiring
# defaults; the zones' trend as a small SVG drawn on the server (no script).
# The verdict as a word inside a sentence ("realistic at 3, demanding at 4"); VERDICT_LABELS are headings.
VERDICT_WORDS = {
    "realistic": gettext_lazy("realistic"),
    "demanding": gettext_lazy("demanding"),
    "unrealistic": gettext_lazy("unrealistic"),
    "unknown": gettext_lazy("unknown"),
}
DEFAULT_LABELS = {
    "annual_attrition": gettext_lazy("Annual attrition"),
    "candidates_per_hire": gettext_lazy("Candidates per hire"),
    "part_time_share": gettext_lazy("Part-time agents"),
    "part_time_hours_per_week": gettext_lazy("Part-timers' week"),
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
    "part_time_hours_per_week": gettext_lazy(
        "No figure for contact centres found: the French legal minimum for part time, 24 hours a week since "
        "2014 (Code du travail, art. L3123-27); all French part-timers worked 23.2 hours on average in 2011 "
        "(DARES)."
    ),
    "absenteeism": gettext_lazy(
        "French contact centres: 8 to 10 %% in the provinces, 15 to 20 %% in Île-de-France (Relation Client "
        "Magazine); all French firms 7.5 %% (Cegos, 2009). In the sizing it is part of the time away, with "
        "paid leave and public holidays (11.9 %% of paid time): 21 %%."
    ),
}
SCOPES = {"france": gettext_lazy("French sources"), "international": gettext_lazy("international source")}

_WIDTH, _HEIGHT, _PAD = 120.0, 28.0, 2.0


def _percent_of_rate(value: float, digits: int = 1) -> str:
    return percent_text(number_format(value, decimal_pos=digits, use_l10n=True))


def _points(values: tuple[float, ...], low: float, high: float) -> str:
    span = (high - low) or 1.0
    step = (_WIDTH - 2 * _PAD) / max(len(values) - 1, 1)
    return " ".join(
        f"{_PAD + k * step:.1f},{_HEIGHT - _PAD - (v - low) / span * (_HEIGHT - 2 * _PAD):.1f}"
        for k, v in enumerate(values)
    )


def zone_sparkline(zone: ZoneReached) -> SafeString:
    """The zone's rate over its quarters (solid) and France's (dashed), on one scale, as inline SVG."""
    if not zone.rates_pct:
        return SafeString("")
    values = zone.rates_pct + zone.national_pct
    low, high = min(values), max(values)
    title = _("%(zone)s: %(first)s in %(start)s, %(last)s in %(end)s (dashed: France)") % {
        "zone": zone.label,
        "first": _percent_of_rate(zone.rates_pct[0]),
        "start": zone.quarters[0],
        "last": _percent_of_rate(zone.rates_pct[-1]),
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


def zone_tension(zone: ZoneReached) -> str:
    """The zone's rate against France's: ratio and gap in points."""
    if zone.tension is None or zone.gap_points is None:
        return _("no rate published by INSEE for this zone")
    return _("%(ratio)s × France's rate (%(gap)s points)") % {
        "ratio": number_format(zone.tension, decimal_pos=2, use_l10n=True),
        "gap": ("+" if zone.gap_points >= 0 else "−")
        + number_format(abs(zone.gap_points), decimal_pos=1, use_l10n=True),
    }


def zone_trend(zone: ZoneReached) -> str:
    if zone.trend_points is None:
        return "—"
    sign = "+" if zone.trend_points >= 0 else "−"
    return _("%(change)s points since %(start)s") % {
        "change": sign + number_format(abs(zone.trend_points), decimal_pos=1, use_l10n=True),
        "start": zone.quarters[0],
    }


def rate_pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else _percent_of_rate(value, int(digits))


def share_pct(value: float | None) -> str:
    """A share as a percentage, one decimal at most: 0.08 is 8 %, 0.135 is 13,5 %."""
    if value is None:
        return "—"
    percent = round(value * 100, 1)
    return _percent_of_rate(percent, 0 if percent.is_integer() else 1)


def verdict_word(code: str) -> str:
    return str(VERDICT_WORDS.get(code, code))


def hiring_default_rows() -> list[dict[str, Any]]:
    """The hiring defaults with their range, scope and source, phrased."""
    rows = []
    for default in hiring.HIRING_DEFAULTS:

        def shown(value: float, unit: str = default.unit) -> str:
            if unit == "share":
                percent = round(value * 100, 1)
                return _percent_of_rate(percent, 0 if percent.is_integer() else 1)
            if unit == "hours":
                return _("%(hours)s h") % {"hours": _rate(value)}
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
