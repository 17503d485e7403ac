"""The reasons of a comparison published before scales were fixed with the call (evaluation format /2).

Those comparisons scaled each criterion between the best and the worst offer compared and gave an unknown
figure the median of the known ones; their stored reasons carry the figures of that method (a cost per seat
over the lease, a parking target per seat, the largest contribution). They are phrased here as they were
published, so that a decided call reads as it was decided. :mod:`guichet.phrasing.scoring` sends them here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from guichet.engine.scoring import Criterion, CriterionState
from guichet.phrasing.numbers import money, number, percent, points, scaled


def is_legacy_criterion(params: Mapping[str, Any]) -> bool:
    """A criterion's reason stored before fixed scales: it has no ``unknown_value``."""
    return "unknown_value" not in params


def is_legacy_summary(params: Mapping[str, Any]) -> bool:
    """A candidate's summary stored before fixed scales: it names the largest contribution."""
    return "strongest_points" in params


def _value(name: str, value: float, current: Callable[[str, float], str]) -> str:
    if name == Criterion.COST.value:
        return pgettext("money per seat", "%(amount)s per seat") % {"amount": money(value)}
    return current(name, value)


def cost_sentences(p: Mapping[str, Any]) -> list[str]:
    values = {
        "net": money(p["net_pv_eur"]),
        "years": p["years"],
        "rate": percent(p["discount_rate"]),
        "gross": money(p["gross_pv_eur"]),
        "incentives": money(p["incentives_pv_eur"]),
        "per_seat": money(p["per_seat_eur"]),
    }
    if p["net_pv_eur"] >= 0:
        lead = ngettext(
            "Net occupancy cost %(net)s over %(years)s year, present value at %(rate)s (gross %(gross)s, "
            "incentives %(incentives)s): %(per_seat)s per seat.",
            "Net occupancy cost %(net)s over %(years)s years, present value at %(rate)s (gross %(gross)s, "
            "incentives %(incentives)s): %(per_seat)s per seat.",
            p["years"],
        )
    else:
        values["excess"] = money(-p["net_pv_eur"])
        lead = ngettext(
            "The net occupancy cost is negative, %(net)s: the incentives exceed the costs by %(excess)s over "
            "%(years)s year, present value at %(rate)s (gross %(gross)s, incentives %(incentives)s): "
            "%(per_seat)s per seat.",
            "The net occupancy cost is negative, %(net)s: the incentives exceed the costs by %(excess)s over "
            "%(years)s years, present value at %(rate)s (gross %(gross)s, incentives %(incentives)s): "
            "%(per_seat)s per seat.",
            p["years"],
        )
    sentences = [lead % values]
    if p.get("per_job_eur") is not None:
        sentences.append(_("%(per_job)s per job at full ramp-up.") % {"per_job": money(p["per_job_eur"])})
    return sentences


def access_sentences(p: Mapping[str, Any]) -> list[str]:
    spaces = round(p["parking_spaces"])
    return [
        _("Served by public transport.") if p["public_transport"] else _("Not served by public transport."),
        ngettext(
            "%(count)s parking space, %(per_seat)s per seat for %(target)s wanted.",
            "%(count)s parking spaces, %(per_seat)s per seat for %(target)s wanted.",
            spaces,
        )
        % {
            "count": number(spaces),
            "per_seat": scaled(p["parking_per_seat"]),
            "target": scaled(p["parking_per_seat_target"]),
        },
        _("Access score %(score)s.") % {"score": scaled(p["raw"])},
    ]


def criterion_reason(
    reason_key: str,
    params: Mapping[str, Any],
    *,
    details: Callable[[Criterion, Mapping[str, Any]], list[str]],
    value: Callable[[str, float], str],
) -> str:
    """One criterion of one candidate as it was published: ``details`` and ``value`` are the current
    phrasing of the criteria whose sentences did not change."""
    name, _dot, state_code = reason_key.partition(".")
    criterion, state = Criterion(name), CriterionState(state_code)
    if state is CriterionState.NONE_KNOWN:
        sentences = [_("Unknown for every offer: the criterion does not discriminate (1 for all).")]
    elif state is CriterionState.UNKNOWN:
        sentences = [
            _("Unknown for this offer: scored neutral, at the median of the offers where it is known.")
        ]
    else:
        if criterion is Criterion.COST:
            sentences = cost_sentences(params)
        elif criterion is Criterion.ACCESS:
            sentences = access_sentences(params)
        else:
            sentences = details(criterion, params)
        if state is CriterionState.ALL_EQUAL:
            sentences.append(
                _(
                    "Every offer where it is known has the same figure: the criterion does not "
                    "discriminate (1 for all)."
                )
            )
        else:
            extremes = {
                "best": _value(name, params["best"], value),
                "worst": _value(name, params["worst"], value),
            }
            if state is CriterionState.BEST:
                sentences.append(
                    _("The strongest offer on this criterion; the weakest has %(worst)s.") % extremes
                )
            elif state is CriterionState.WORST:
                sentences.append(
                    _("The weakest offer on this criterion; the strongest has %(best)s.") % extremes
                )
            else:
                sentences.append(
                    _("Between the strongest offer (%(best)s) and the weakest (%(worst)s).") % extremes
                )
            if params.get("narrow_range"):
                sentences.append(
                    _("The whole range is narrower than %(span)s, so it is not stretched to the full scale.")
                    % {"span": _value(name, params["min_span"], value)}
                )
    sentences.append(
        _("Scaled %(scaled)s × weight %(weight)s = %(points)s points.")
        % {
            "scaled": scaled(params["normalised"]),
            "weight": percent(params["weight"]),
            "points": points(params["points"]),
        }
    )
    return " ".join(sentences)


def candidate_summary(params: Mapping[str, Any], *, label: Callable[[str], str]) -> str:
    text = _(
        "Rank %(rank)s of %(of)s with %(score)s points out of 100. Largest contribution: %(strongest)s "
        "(%(points)s points)."
    ) % {
        "rank": params["rank"],
        "of": params["of"],
        "score": points(params["score"]),
        "strongest": label(params["strongest"]),
        "points": points(params["strongest_points"]),
    }
    if params["weakest_points_lost"] > 0:
        text += " " + _("Most points lost against the strongest offer: %(weakest)s (%(lost)s points).") % {
            "weakest": label(params["weakest"]),
            "lost": points(params["weakest_points_lost"]),
        }
    return text
