"""The agency's comparison page: weights a person can set, the ranking, and a picture of why.

Weights are percentages in tenths that always add up to 100 (presets per sector, or equal weights). The
page works without JavaScript: its form is a GET that the server recomputes, scaling weights that do not
add up to 100. With JavaScript (``offers/compare.js``, served from the site) the ranking and the chart
follow the weights as they move, from the candidates' scaled criterion values sent in a JSON data block:
score = sum of weight x scaled value, ties ordered by the published tie rule; the server recomputes the
same on submit and on the decision.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from guichet.charts import ScoreBar, score_chart, svg_data_uri
from guichet.engine import scoring
from guichet.offers.evaluation import (
    Evaluation,
    call_weights,
    criteria_with_weights,
    evaluate_call,
    weight_percentages,
)
from guichet.offers.forms import WeightsForm
from guichet.offers.models import CallForOffers
from guichet.offers.scales import CallBasis, call_basis
from guichet.phrasing import need as need_phrasing
from guichet.phrasing import numbers
from guichet.phrasing import scoring as reasons
from guichet.projects.selectors import project_need

PRESETS = ("contact_centre", "back_office", "equal", "call")


def percentages(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights on any scale as percentages in tenths that add up to exactly 100, by the largest remainder
    (:func:`guichet.offers.evaluation.weight_percentages`)."""
    return weight_percentages(weights)


def preset_percentages(name: str, *, call: CallForOffers) -> dict[str, float]:
    if name == "contact_centre":
        return percentages(scoring.CONTACT_CENTRE_WEIGHTS.as_dict())
    if name == "back_office":
        return percentages(scoring.BACK_OFFICE_WEIGHTS.as_dict())
    if name == "equal":
        return percentages({c.value: 1.0 for c in scoring.CRITERIA})
    return percentages(call_weights(call=call))


def preset_labels() -> list[tuple[str, str]]:
    return [
        ("contact_centre", _("Contact centre")),
        ("back_office", _("Back office, IT, shared services")),
        ("equal", _("Equal weights")),
        ("call", _("This call's weights")),
    ]


def _form(percent: Mapping[str, float], data: Any = None) -> WeightsForm:
    """The weights as figures in the reader's format (``12,5`` in French): text inputs, since a browser
    writes a number input's value with a decimal point whatever the page's language."""
    form = WeightsForm(data, criteria=criteria_with_weights({k: v / 100 for k, v in percent.items()}))
    for key, field in form.fields.items():
        # The chart's legend names: one line each, the full name as the input's title.
        field.label = reasons.criterion_short_label(key)
        field.localize = True
        field.widget = forms.TextInput(
            attrs={
                "class": "weight",
                "inputmode": "decimal",
                "size": "5",
                "autocomplete": "off",
                "data-criterion": key,
                "title": reasons.criterion_label(key),
            }
        )
        field.widget.is_localized = True
    return form


def chosen_weights(request: HttpRequest, call: CallForOffers) -> tuple[WeightsForm, dict[str, float] | None]:
    """The weights asked for (a preset, the form's figures scaled to 100, or the call's own) and the form
    that shows them; None when the figures given are wrong (the form says why)."""
    preset = request.GET.get("preset", "")
    keys = [c.value for c in scoring.CRITERIA]
    if preset in PRESETS:
        percent = preset_percentages(preset, call=call)
        return _form(percent), percent
    if not any(key in request.GET for key in keys):
        percent = preset_percentages("call", call=call)
        return _form(percent), percent
    form = _form(preset_percentages("call", call=call), request.GET)
    if not form.is_valid():
        return form, None
    given = {key: float(form.cleaned_data[key]) for key in keys}
    total = math.fsum(given.values())
    try:
        percent = percentages(given)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return form, None
    if abs(total - 100) > 0.05:
        messages.info(
            request,
            _("The weights added up to %(total)s; they were scaled to %(hundred)s.")
            % {"total": numbers.percent(total / 100), "hundred": numbers.percent(1.0)},
        )
    return _form(percent), percent


# --- the chart ------------------------------------------------------------------------------------


def score_chart_svg(result: Evaluation) -> str:
    """Each candidate's score split by criterion (``guichet.charts.score_chart``), named and numbered in
    the reader's language: the comparison page's chart, and the dossier's."""
    return score_chart(
        [
            ScoreBar(
                label=f"{row.rank}. {row.premises_name}",
                points=[value.points for value in row.criteria],
                score=row.score,
                score_text=numbers.points(row.score),
            )
            for row in result.rows
        ],
        criteria=[
            (reasons.criterion_short_label(c.value), reasons.CRITERION_COLOURS[c]) for c in scoring.CRITERIA
        ],
        x_label=_("Points out of 100"),
    )


# --- the page -------------------------------------------------------------------------------------


def script_data(result: Evaluation, percent: Mapping[str, float], *, call: CallForOffers) -> dict[str, Any]:
    """What the page's script needs to rank again as the weights move: each candidate's scaled values
    and the figures of the tie rule; the presets; the words it shows, in the reader's language."""
    labour = scoring.CRITERIA.index(scoring.Criterion.LABOUR_DEPTH)
    return {
        "language": get_language() or "fr",
        "criteria": [
            {
                "key": c.value,
                "label": reasons.criterion_short_label(c.value),
                "colour": reasons.CRITERION_COLOURS[c],
            }
            for c in scoring.CRITERIA
        ],
        "weights": [percent[c.value] for c in scoring.CRITERIA],
        "presets": {name: list(preset_percentages(name, call=call).values()) for name in PRESETS},
        # Scores are compared on a grid: floor(score x grid + 0.5), as scoring.score_key does.
        "grid": 1e12,
        "candidates": [
            {
                "key": row.key,
                "name": row.premises_name,
                "rank": row.rank,
                "normalised": [value.normalised for value in row.criteria],
                # The tie rule's figures: net cost to the cent, job seekers (None: unknown), availability.
                "cents": round(row.net_pv_eur * 100),
                "seekers": row.criteria[labour].raw,
                "available": row.offer.available_from.toordinal(),
            }
            for row in result.rows
        ],
        "text": {
            "percent": numbers.percent(0.5).replace(numbers.number(50), "{n}"),
            "tied": pgettext("equal scores", "tied"),
            "points_out_of_100": _("Points out of 100"),
            "chart_label": _("Score of each offer, split by criterion (points out of 100)"),
            "first": _("%(name)s now comes first.") % {"name": "{name}"},
        },
    }


def basis_context(*, call: CallForOffers, basis: CallBasis | None = None) -> dict[str, Any]:
    """The need and the scales a call is scored on, as the pages show them: the need figure by figure with
    its origin, each criterion's scale with its source, whether they were published with the call, and the
    figures the project's need has changed since."""
    basis = basis if basis is not None else call_basis(call=call)
    need = basis.need
    context: dict[str, Any] = {
        "basis": basis,
        "need": need,
        "need_rows": need_phrasing.need_rows(need),
        "scales_lines": [],
        "need_changed": "",
    }
    if basis.scales is not None and need.area_per_seat_m2 is not None:
        context["scales_lines"] = reasons.scales_lines(
            basis.scales, basis.ceiling, area_per_seat_m2=need.area_per_seat_m2, peak_hires=need.hires_peak
        )
    if basis.published:
        now = project_need(project=call.project)
        changed = need.changed_figures(now)
        if changed:
            context["need_changed"] = need_phrasing.changed_text(changed)
    return context


def compare_context(*, request: HttpRequest, call: CallForOffers) -> dict[str, Any]:
    form, percent = chosen_weights(request, call)
    result = None
    if percent is not None:
        try:
            result = evaluate_call(call=call, weights={k: v / 100 for k, v in percent.items()})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    context: dict[str, Any] = {
        "call": call,
        "form": form,
        "percent": percent,
        "presets": preset_labels(),
        "result": result,
        "total_text": "—" if percent is None else numbers.percent(math.fsum(percent.values()) / 100),
    }
    if result is not None and percent is not None:
        tied = {swap.upper_rank for swap in result.swaps if swap.status is scoring.SwapStatus.TIED}
        context.update(
            chart=svg_data_uri(score_chart_svg(result)),
            chart_alt=_chart_alt(result),
            data=script_data(result, percent, call=call),
            tied_ranks=tied | {rank + 1 for rank in tied},
            weight_rows=[
                (
                    c.value,
                    reasons.criterion_label(c.value),
                    numbers.percent(percent[c.value] / 100),
                    percent[c.value],
                )
                for c in scoring.CRITERIA
            ],
            assumptions=[reasons.assumption(code) for code in scoring.ASSUMPTIONS],
            normalisation=reasons.normalisation(),
        )
    context.update(basis_context(call=call, basis=result.basis if result is not None else None))
    return context


def _chart_alt(result: Evaluation) -> str:
    return " ".join(
        _("%(rank)s. %(name)s: %(score)s points.")
        % {"rank": row.rank, "name": row.premises_name, "score": numbers.points(row.score)}
        for row in result.rows
    )
