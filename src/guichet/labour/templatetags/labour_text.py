"""The labour engine's codes and values phrased in the reader's language (French or English).

The engine labels each figure with a method code and its parameters (``Figure.method``, ``LabourRates``), each
catchment with its commute model and time sources, each saturation with a status. These filters turn them into
sentences through Django's translation machinery, with numbers in the reader's format.
"""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.engine import catchment as catchment_engine
from guichet.engine import labour as labour_engine
from guichet.formats import percent_text

register = template.Library()


def _number(value: float, digits: int = 0) -> str:
    return number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


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


@register.filter
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


@register.filter
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


@register.filter
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


@register.filter
def saturation_bands(saturation: labour_engine.Saturation) -> str:
    thresholds = saturation.thresholds
    return _(
        "Rules of thumb of site selection for all contact-centre jobs (Site Selection Group; ACCP / "
        "Expansion Management): under %(tight)s %% comfortable, %(tight)s to %(saturated)s %% tight, "
        "%(saturated)s %% and over saturated."
    ) % {"tight": _rate(thresholds.tight * 100), "saturated": _rate(thresholds.saturated * 100)}


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else percent_text(_number(value * 100, int(digits)))
