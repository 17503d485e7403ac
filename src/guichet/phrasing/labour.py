"""The labour engine's codes and values phrased in the reader's language (French or English).

The engine labels each figure with a method code and its parameters (``Figure.method``, ``LabourRates``), each
catchment with its commute model and time sources, each saturation with a status, each recruitment claim with
a verdict. These functions turn them into sentences through Django's translation machinery, with numbers in
the reader's format; the pages reach them as template filters (``labour/templatetags/labour_text.py``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from guichet.engine import catchment as catchment_engine
from guichet.engine import labour as labour_engine
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
    return number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


def _rate(value: float) -> str:
    rounded = round(value, 6)
    return _number(rounded, 0) if float(rounded).is_integer() else number_format(rounded, use_l10n=True)


def method_text(method: str, rates: labour_engine.LabourRates) -> str:
    if method == labour_engine.METHOD_LABOUR_FORCE:
        return _(
            "people aged 20-64 × %(rate)s, the activity rate of the 20-64 in France (Eurostat employment "
            "rate 2023, 74.4 %%, over 1 − INSEE's unemployment rate 2023, 7.3 %%)"
        ) % {"rate": _rate(rates.activity_rate)}
    if method == labour_engine.METHOD_CATEGORY_A:
        return _(
            "labour force × %(rate)s, the share of the labour force registered in category A in France "
            "(DARES, 4th quarter 2023: 3,032,000 over INSEE's labour force of 30,575,000)"
        ) % {"rate": _rate(rates.category_a_rate)}
    if method == labour_engine.METHOD_CATEGORY_ABC:
        return _(
            "labour force × %(rate)s, the share of the labour force registered in categories A, B, C in "
            "France (DARES, 4th quarter 2023: 5,406,000 over INSEE's labour force of 30,575,000)"
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


def catchment_method(catchment: catchment_engine.Catchment) -> str:
    """How the catchment was drawn, in the reader's language."""
    if catchment.commute is None:
        return _("great-circle distance from the premises")
    calibrated = catchment.commute.key == "calibrated"
    text = (
        _(
            "driving time estimated from the straight-line distance, calibrated on 14 reference trips "
            "(mean error 5 minutes): %(bands)s"
        )
        if calibrated
        else _("driving time estimated from the straight-line distance: %(bands)s")
    ) % {"bands": _bands(catchment.commute)}
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
        "share": numbers.percent(year.share or 0.0, 0),
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
            % {"bound": numbers.number(bound.value), "share": numbers.percent(upper_share, 0)}
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
