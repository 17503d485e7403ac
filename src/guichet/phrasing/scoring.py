"""The comparison's reasons in the reader's language.

The scoring engine explains with codes and figures (``reason_key`` and ``params``, see
:data:`guichet.engine.scoring.REASON_KEYS`); this module phrases them in the active language (Django i18n),
its figures written the reader's way (:mod:`guichet.phrasing.numbers`). The comparison page, the API, the
investor's dossier (page, PDF, spreadsheet) and the project's first ranking all phrase here, at read time:
the published comparison stores codes and figures, so each reader gets it in their own language.

Scores are shown as points out of 100 (the weights are percentages that sum to 100, and a criterion's
points are its weight times its scaled value), weights as percentages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from guichet.engine import scoring
from guichet.engine.scales import CeilingOrigin, CostCeiling, Scales
from guichet.engine.scoring import Criterion, CriterionState, SensitivityCase, SwapStatus, TieStep
from guichet.phrasing import scoring_legacy as legacy
from guichet.phrasing.numbers import join, labelled, money, number, percent, points, scaled, trimmed

METHOD_KEY = "method.call"
TIE_RULE_KEY = "tie_rule.published"
NORMALISATION_KEY = "method.normalisation"
PRESENTATION_KEYS = (METHOD_KEY, TIE_RULE_KEY, NORMALISATION_KEY)
"""Reasons the comparison states besides the engine's own (:data:`scoring.REASON_KEYS`)."""

CRITERION_LABELS: Mapping[Criterion, Promise] = {
    Criterion.COST: gettext_lazy("Net occupancy cost per seat"),
    Criterion.LABOUR_DEPTH: gettext_lazy("Job seekers in reach"),
    Criterion.SATURATION: gettext_lazy("Labour-market saturation"),
    Criterion.FEASIBILITY: gettext_lazy("Share of the labour pool needed"),
    Criterion.FIT: gettext_lazy("Fit (area and date)"),
    Criterion.ACCESS: gettext_lazy("Access (public transport and parking)"),
    Criterion.TELECOMS: gettext_lazy("Telecoms (fibre and power back-up)"),
}
CRITERION_SHORT_LABELS: Mapping[Criterion, Promise] = {
    Criterion.COST: pgettext_lazy("criterion, short", "Cost"),
    Criterion.LABOUR_DEPTH: pgettext_lazy("criterion, short", "Job seekers"),
    Criterion.SATURATION: pgettext_lazy("criterion, short", "Saturation"),
    Criterion.FEASIBILITY: pgettext_lazy("criterion, short", "Pool share needed"),
    Criterion.FIT: pgettext_lazy("criterion, short", "Fit"),
    Criterion.ACCESS: pgettext_lazy("criterion, short", "Access"),
    Criterion.TELECOMS: pgettext_lazy("criterion, short", "Telecoms"),
}
# One colour per criterion, the same on the page's chart (drawn by script or by matplotlib) and its legend;
# distinguishable by people with the common colour-vision deficiencies (Okabe-Ito palette).
CRITERION_COLOURS: Mapping[Criterion, str] = {
    Criterion.COST: "#0072B2",
    Criterion.LABOUR_DEPTH: "#E69F00",
    Criterion.SATURATION: "#56B4E9",
    Criterion.FEASIBILITY: "#009E73",
    Criterion.FIT: "#CC79A7",
    Criterion.ACCESS: "#D55E00",
    Criterion.TELECOMS: "#7F7F7F",
}


# --- labels ----------------------------------------------------------------------------------------


def criterion_label(key: str) -> str:
    """A criterion's name; an unknown key (an older record) is shown as it is."""
    try:
        return str(CRITERION_LABELS[Criterion(key)])
    except ValueError:
        return key


def criterion_short_label(key: str) -> str:
    try:
        return str(CRITERION_SHORT_LABELS[Criterion(key)])
    except ValueError:
        return key


def _criterion(key: Any) -> str:
    """A criterion named inside a sentence: "the cost criterion"."""
    return pgettext("a criterion named in a sentence", "the %(name)s criterion") % {
        "name": criterion_short_label(str(key)).lower()
    }


def criterion_value(key: str, value: float) -> str:
    """A criterion's raw figure in its unit."""
    criterion = Criterion(key)
    if criterion is Criterion.COST:
        return pgettext("money per seat", "%(amount)s per seat a year") % {"amount": money(value)}
    if criterion is Criterion.LABOUR_DEPTH:
        return number(value)
    if criterion in (Criterion.SATURATION, Criterion.FEASIBILITY):
        return percent(value)
    return scaled(value)


def _name(names: Mapping[str, str] | None, key: Any) -> str:
    if names and key in names:
        return names[key]
    return _("another offer")


# --- one criterion ---------------------------------------------------------------------------------


def _cost(p: Mapping[str, Any]) -> list[str]:
    values = {
        "net": money(p["net_pv_eur"]),
        "years": p["years"],
        "rate": percent(p["discount_rate"]),
        "gross": money(p["gross_pv_eur"]),
        "incentives": money(p["incentives_pv_eur"]),
        "per_seat": money(p["per_seat_year_eur"]),
        "seats": number(p["seats_counted"]),
    }
    if p["net_pv_eur"] >= 0:
        lead = ngettext(
            "Net occupancy cost %(net)s over %(years)s year, present value at %(rate)s (gross %(gross)s, "
            "incentives %(incentives)s): %(per_seat)s per seat a year over %(seats)s seats.",
            "Net occupancy cost %(net)s over %(years)s years, present value at %(rate)s (gross %(gross)s, "
            "incentives %(incentives)s): %(per_seat)s per seat a year over %(seats)s seats.",
            p["years"],
        )
    else:
        values["excess"] = money(-p["net_pv_eur"])
        lead = ngettext(
            "The net occupancy cost is negative, %(net)s: the incentives exceed the costs by %(excess)s over "
            "%(years)s year, present value at %(rate)s (gross %(gross)s, incentives %(incentives)s): "
            "%(per_seat)s per seat a year over %(seats)s seats.",
            "The net occupancy cost is negative, %(net)s: the incentives exceed the costs by %(excess)s over "
            "%(years)s years, present value at %(rate)s (gross %(gross)s, incentives %(incentives)s): "
            "%(per_seat)s per seat a year over %(seats)s seats.",
            p["years"],
        )
    sentences = [lead % values]
    if p.get("per_job_eur") is not None:
        sentences.append(
            _("%(per_job)s per job at full ramp-up over the lease.") % {"per_job": money(p["per_job_eur"])}
        )
    return sentences


def _saturation(p: Mapping[str, Any]) -> list[str]:
    values = {
        "value": percent(p["raw"]),
        "desirable": percent(p["desirable"]),
        "saturated": percent(p["saturated"]),
    }
    band = p["band"]
    if band == scoring.SATURATION_BANDS[0]:
        text = _(
            "%(value)s of the labour force in contact-centre jobs, under the %(desirable)s held desirable."
        )
    elif band == scoring.SATURATION_BANDS[1]:
        text = _(
            "%(value)s of the labour force in contact-centre jobs, between the %(desirable)s held desirable "
            "and the %(saturated)s mark of a saturated market."
        )
    else:
        text = _(
            "%(value)s of the labour force in contact-centre jobs, at or above the %(saturated)s mark of a "
            "saturated market."
        )
    return [text % values]


def _fit(p: Mapping[str, Any]) -> list[str]:
    sentences = [
        _("%(area)s m² offered for %(wanted)s m² wanted (%(ratio)s, area score %(area_score)s).")
        % {
            "area": number(p["area_m2"]),
            "wanted": number(p["area_wanted_m2"]),
            "ratio": percent(p["area_m2"] / p["area_wanted_m2"], 0),
            "area_score": scaled(p["area_score"]),
        }
    ]
    if p.get("seats_held") is not None and p["seats_held"] < p["seats_needed"]:
        sentences.append(capacity_text(p))
    days = p["days_late"]
    date_score = scaled(p["date_score"])
    if days is None:
        sentences.append(_("No opening date set: the date is not scored."))
    elif days > 0:
        sentences.append(
            ngettext(
                "Available %(days)s day after the opening date (date score %(score)s).",
                "Available %(days)s days after the opening date (date score %(score)s).",
                days,
            )
            % {"days": number(days), "score": date_score}
        )
    elif days < 0:
        sentences.append(
            ngettext(
                "Available %(days)s day before the opening date (date score %(score)s).",
                "Available %(days)s days before the opening date (date score %(score)s).",
                -days,
            )
            % {"days": number(-days), "score": date_score}
        )
    else:
        sentences.append(_("Available on the opening date (date score %(score)s).") % {"score": date_score})
    sentences.append(_("Fit score %(score)s.") % {"score": scaled(p["raw"])})
    return sentences


def _access(p: Mapping[str, Any]) -> list[str]:
    spaces = round(p["parking_spaces"])
    needed = round(p["parking_needed"])
    parking = ngettext(
        "%(count)s parking space for %(needed)s needed",
        "%(count)s parking spaces for %(needed)s needed",
        spaces,
    ) % {"count": number(spaces), "needed": number(needed)}
    if p["parking_stated"]:
        parking += " " + _("(the project's own need)")
    else:
        parking += " " + _("(not stated by the project: %(target)s per seat)") % {
            "target": trimmed(p["parking_per_seat_target"], 2)
        }
    return [
        _("Served by public transport.") if p["public_transport"] else _("Not served by public transport."),
        parking + ".",
        _("Access score %(score)s.") % {"score": scaled(p["raw"])},
    ]


def _telecoms(p: Mapping[str, Any]) -> list[str]:
    fibre, backup = bool(p["fibre"]), bool(p["power_backup"])
    if fibre and backup:
        detail = _("Fibre and power back-up.")
    elif fibre:
        detail = _("Fibre, no power back-up.")
    elif backup:
        detail = _("Power back-up, no fibre.")
    else:
        detail = _("Neither fibre nor power back-up.")
    return [detail, _("Telecoms score %(score)s.") % {"score": scaled(p["raw"])}]


def _details(criterion: Criterion, p: Mapping[str, Any]) -> list[str]:
    """The criterion's own sentences, with its figures."""
    if criterion is Criterion.COST:
        return _cost(p)
    if criterion is Criterion.LABOUR_DEPTH:
        count = round(p["raw"])
        return [
            ngettext("%(count)s job seeker in reach.", "%(count)s job seekers in reach.", count)
            % {"count": number(p["raw"])}
        ]
    if criterion is Criterion.SATURATION:
        return _saturation(p)
    if criterion is Criterion.FEASIBILITY:
        values = {"share": percent(p["raw"])}
        if p["raw"] > 1:
            return [
                _(
                    "The project needs %(share)s of the labour pool in its peak year, more than the whole "
                    "pool."
                )
                % values
            ]
        return [_("The project needs %(share)s of the labour pool in its peak year.") % values]
    if criterion is Criterion.FIT:
        return _fit(p)
    if criterion is Criterion.ACCESS:
        return _access(p)
    return _telecoms(p)


def scale_text(criterion: Criterion, p: Mapping[str, Any]) -> str:
    """The fixed scale a criterion's figure is read on, with its anchors."""
    name = criterion.value
    if criterion in (Criterion.FIT, Criterion.ACCESS, Criterion.TELECOMS):
        return _("The sub-score is the value (0 to 1).")
    if p.get("full_at") is None or p.get("zero_at") is None:
        return ""
    values = {"full": criterion_value(name, p["full_at"]), "zero": criterion_value(name, p["zero_at"])}
    if criterion is Criterion.COST:
        return (
            _("Scale fixed with the call: full points at %(full)s or less, none at %(zero)s or more.")
            % values
        )
    if criterion is Criterion.LABOUR_DEPTH:
        return (
            _(
                "Scale fixed with the call: none at %(zero)s or fewer (the candidates the peak year needs), "
                "full "
                "points at %(full)s or more, each tenfold counting the same."
            )
            % values
        )
    if criterion is Criterion.FEASIBILITY and p.get("half_at") is not None:
        return _(
            "Scale fixed with the call: full points at %(full)s, half at %(half)s, none at %(zero)s or more."
        ) % {**values, "half": criterion_value(name, p["half_at"])}
    return _("Scale fixed with the call: full points at %(full)s or less, none at %(zero)s or more.") % values


def criterion_reason(reason_key: str, params: Mapping[str, Any]) -> str:
    """One criterion of one candidate: its figures, where it stands among the offers shown, the scale it is
    read on, and the points it brings."""
    name, _dot, state_code = reason_key.partition(".")
    criterion, state = Criterion(name), CriterionState(state_code)
    unknown = {"value": scaled(params.get("unknown_value", 0.5))}
    if state is CriterionState.NONE_KNOWN:
        sentences = [_("Unknown for every offer: each gets the fixed value %(value)s.") % unknown]
    elif state is CriterionState.UNKNOWN:
        sentences = [
            _("Unknown for this offer: it gets the fixed value %(value)s, the middle of the scale.") % unknown
        ]
    else:
        sentences = _details(criterion, params)
        if state is CriterionState.UNDERSIZED:
            sentences.append(
                _(
                    "It cannot seat the need, so it is not ranked on cost (0 points): the project would "
                    "need a second site for the missing seats, whose cost no offer states."
                )
            )
        elif state is CriterionState.ALL_EQUAL:
            sentences.append(_("No offer shown does better or worse on this criterion."))
        else:
            extremes = {
                "best": criterion_value(name, params["best"]),
                "worst": criterion_value(name, params["worst"]),
            }
            if state is CriterionState.BEST:
                sentences.append(
                    _("The best of the offers shown on this criterion; the worst has %(worst)s.") % extremes
                )
            elif state is CriterionState.WORST:
                sentences.append(
                    _("The worst of the offers shown on this criterion; the best has %(best)s.") % extremes
                )
            else:
                sentences.append(
                    _("Between the best of the offers shown (%(best)s) and the worst (%(worst)s).") % extremes
                )
        scale = scale_text(criterion, params)
        if scale and state is not CriterionState.UNDERSIZED:
            sentences.append(scale)
    sentences.append(
        _("Value %(scaled)s × weight %(weight)s = %(points)s points.")
        % {
            "scaled": scaled(params["normalised"]),
            "weight": percent(params["weight"]),
            "points": points(params["points"]),
        }
    )
    return " ".join(sentences)


def capacity_text(params: Mapping[str, Any]) -> str:
    """ "Cannot seat the need: it holds 150 of the 250 seats (100 short)"."""
    return ngettext(
        "Cannot seat the need: it holds %(held)s of the %(needed)s seats (%(short)s short).",
        "Cannot seat the need: it holds %(held)s of the %(needed)s seats (%(short)s short).",
        int(params["seats_needed"]),
    ) % {
        "held": number(params["seats_held"]),
        "needed": number(params["seats_needed"]),
        "short": number(int(params["seats_needed"]) - int(params["seats_held"])),
    }


def criteria_list(codes: Iterable[str]) -> str:
    """Criteria named in a list, in the reader's language: "cost and fit"."""
    return join(criterion_short_label(code).lower() for code in codes)


# --- a candidate, a pair, a range ------------------------------------------------------------------


def candidate_summary(params: Mapping[str, Any]) -> str:
    text = _("Rank %(rank)s of %(of)s with %(score)s points out of 100.") % {
        "rank": params["rank"],
        "of": params["of"],
        "score": points(params["score"]),
    }
    strongest = [code for code in str(params.get("strongest") or "").split(",") if code]
    weakest = [code for code in str(params.get("weakest") or "").split(",") if code]
    if strongest:
        text += " " + _("Best of the offers shown on %(criteria)s.") % {"criteria": criteria_list(strongest)}
    if weakest:
        text += " " + _("Worst of the offers shown on %(criteria)s.") % {"criteria": criteria_list(weakest)}
    if params.get("undersized"):
        text += " " + capacity_text(params)
    return text


def _weight_clauses(params: Mapping[str, Any], prefix: str) -> str:
    """The weights past which the lower candidate moves ahead: "the cost criterion weighed less than 18 %
    (now 30 %) and the fit criterion more than 22 % (now 10 %)"."""
    clauses = []
    moved = 0.0
    for index in range(int(params[f"{prefix}_count"])):
        before = float(params[f"{prefix}_from_weight_{index}"])
        amount = float(params[f"{prefix}_amount_{index}"])
        moved += amount
        after = max(before - amount, 0.0)
        values = {"criterion": _criterion(params[f"{prefix}_from_{index}"]), "now": percent(before)}
        if after <= 1e-9:
            clauses.append(_("%(criterion)s weighed nothing (now %(now)s)") % values)
        else:
            clauses.append(
                _("%(criterion)s weighed less than %(after)s (now %(now)s)")
                % {**values, "after": percent(after)}
            )
    before = float(params[f"{prefix}_to_weight"])
    clauses.append(
        _("%(criterion)s more than %(after)s (now %(now)s)")
        % {
            "criterion": _criterion(params[f"{prefix}_to"]),
            "after": percent(before + moved),
            "now": percent(before),
        }
    )
    return join(clauses)


def swap_reason(reason_key: str, params: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """What it would take for one candidate to overtake the one ranked just above it."""
    status = SwapStatus(reason_key.partition(".")[2])
    pair = {"upper": _name(names, params["upper_key"]), "lower": _name(names, params["lower_key"])}
    if status is SwapStatus.TIED:
        return _("%(upper)s and %(lower)s have equal scores; the tie rule put %(upper)s first: %(step)s.") % {
            **pair,
            "step": tie_step_label(params["tie_step"]),
        }
    if status is SwapStatus.DOMINATED:
        return (
            _("%(lower)s does better than %(upper)s on no criterion: no change of weights alters this order.")
            % pair
        )
    if status is SwapStatus.SEVERAL_TRANSFERS:
        return _(
            "No single criterion holds enough weight: %(lower)s would overtake %(upper)s only if %(clauses)s."
        ) % {**pair, "clauses": _weight_clauses(params, "smallest")}
    text = _("%(lower)s would overtake %(upper)s if %(clauses)s.") % {
        **pair,
        "clauses": _weight_clauses(params, "single"),
    }
    if params["smallest_moved"] < params["single_moved"] - 1e-12:
        text += " " + _(
            "A smaller change spread over several criteria would do the same: if %(clauses)s."
        ) % {"clauses": _weight_clauses(params, "smallest")}
    return text


def sensitivity_reason(
    reason_key: str, params: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> str:
    """How far one weight can move, the others rescaled in proportion, before the first place changes."""
    case = SensitivityCase(reason_key.partition(".")[2])
    values = {
        "first": _name(names, params["first_key"]),
        "criterion": _criterion(params["criterion"]),
        "now": percent(params["weight"]),
        "low": percent(params["low"]),
        "high": percent(params["high"]),
        "below": _name(names, params["below_key"]),
        "above": _name(names, params["above_key"]),
    }
    if case is SensitivityCase.ANY_WEIGHT:
        text = _("%(first)s stays first whatever %(criterion)s weighs (now %(now)s).")
    elif case is SensitivityCase.AT_MOST:
        text = _(
            "%(first)s stays first while %(criterion)s weighs at most %(high)s (now %(now)s); above, "
            "%(above)s would come first."
        )
    elif case is SensitivityCase.AT_LEAST:
        text = _(
            "%(first)s stays first while %(criterion)s weighs at least %(low)s (now %(now)s); below, "
            "%(below)s would come first."
        )
    else:
        text = _(
            "%(first)s stays first while %(criterion)s weighs between %(low)s and %(high)s (now %(now)s); "
            "below, %(below)s would come first; above, %(above)s."
        )
    return text % values


def sensitivity_lines(
    items: Iterable[Mapping[str, Any]], names: Mapping[str, str] | None = None
) -> list[str]:
    """The sensitivity findings for a reader: one line per criterion whose weight can change the first
    place, then one line for all those whose weight cannot (each item: ``reason_key`` and ``params``)."""
    lines, steady, first = [], [], None
    for item in items:
        if item["reason_key"] == f"sensitivity.{SensitivityCase.ANY_WEIGHT.value}":
            steady.append(item["params"]["criterion"])
            first = item["params"]["first_key"]
        else:
            lines.append(render(item["reason_key"], item["params"], names=names))
    if len(steady) == 1:
        lines.append(
            render(f"sensitivity.{SensitivityCase.ANY_WEIGHT.value}", _steady_params(items), names=names)
        )
    elif steady:
        lines.append(
            _("%(first)s stays first whatever the weights of the %(criteria)s criteria.")
            % {
                "first": _name(names, first),
                "criteria": join(
                    pgettext("a criterion's name in a list", "%(name)s")
                    % {"name": criterion_short_label(code).lower()}
                    for code in steady
                ),
            }
        )
    return lines


def _steady_params(items: Iterable[Mapping[str, Any]]) -> Mapping[str, Any]:
    return next(
        item["params"]
        for item in items
        if item["reason_key"] == f"sensitivity.{SensitivityCase.ANY_WEIGHT.value}"
    )


# --- the method and the tie rule -------------------------------------------------------------------


def tie_step_label(code: str) -> str:
    """One step of the published tie rule."""
    step = TieStep(code)
    if step is TieStep.SCORE:
        return _("the higher score")
    if step is TieStep.NET_COST:
        return _("the lower net occupancy cost (present value, to the cent)")
    if step is TieStep.LABOUR_POOL:
        return _("the more job seekers in reach (an unknown figure counts as fewer than any known one)")
    if step is TieStep.AVAILABILITY:
        return _("the earlier availability date")
    return _("the offer's key, a digest of the proposal's content, in ascending order")


def _power_of_ten(value: float) -> str:
    exponent = math.log10(value)
    if exponent == round(exponent):
        digits = str(round(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        return f"10{digits}"
    return number(value, 15).rstrip("0")


def tie_rule(params: Mapping[str, Any]) -> str:
    steps = [tie_step_label(code) for code in params["steps"] if code != TieStep.SCORE.value]
    return _(
        "Offers are ranked by score, highest first, scores being compared to the nearest %(tolerance)s; "
        "equal scores are ordered by %(steps)s. Each step reads the two offers' own figures: neither an "
        "authority's name, nor the order in which the answers arrived, nor any other offer plays any part."
    ) % {
        "tolerance": _power_of_ten(float(params["tolerance"])),
        "steps": pgettext("between steps of the tie rule", "; then ").join(steps),
    }


def tie_rule_reason() -> dict[str, Any]:
    """The published tie rule, as a code with its figures (for storing and for the API)."""
    return {
        "reason_key": TIE_RULE_KEY,
        "params": {
            "tolerance": scoring.SCORE_TIE_TOLERANCE,
            "steps": [step.value for step in scoring.TIE_BREAK_STEPS],
        },
    }


def method(params: Mapping[str, Any]) -> str:
    return ngettext(
        "Each premises offered is a candidate. Criteria: net occupancy cost per seat a year over %(years)s "
        "year discounted at %(rate)s (rent and charges less rent-free months, fit-out contributions and "
        "incentives), category A job seekers within %(radius)s km, contact-centre saturation, the share of "
        "those job seekers the hiring plan needs, fit (area and date), access and telecoms. Each criterion "
        "is read on a scale fixed with the call, from 0 to 1, anchored on the project's need or a sourced "
        "reference, never on the other offers; the score is the sum of each value times its weight, out of "
        "100 points. An offer that cannot seat the need is not ranked on cost.",
        "Each premises offered is a candidate. Criteria: net occupancy cost per seat a year over %(years)s "
        "years discounted at %(rate)s (rent and charges less rent-free months, fit-out contributions and "
        "incentives), category A job seekers within %(radius)s km, contact-centre saturation, the share of "
        "those job seekers the hiring plan needs, fit (area and date), access and telecoms. Each criterion "
        "is read on a scale fixed with the call, from 0 to 1, anchored on the project's need or a sourced "
        "reference, never on the other offers; the score is the sum of each value times its weight, out of "
        "100 points. An offer that cannot seat the need is not ranked on cost.",
        int(params["years"]),
    ) % {
        "years": params["years"],
        "rate": percent(params["discount_rate"]),
        "radius": number(params["radius_km"]),
    }


def ceiling_text(ceiling: CostCeiling) -> str:
    """Where the cost scale's ceiling comes from, with its figures and source."""
    values = {
        "ceiling": money(ceiling.eur_m2_year),
        "rent": money(ceiling.max_rent_eur_m2_year or 0),
        "charges": money(ceiling.charges_eur_m2_year),
        "count": number(ceiling.band_count or 0),
        "low": money(ceiling.band_low or 0),
        "median": money(ceiling.band_median or 0),
        "high": money(ceiling.band_high or 0),
        "on": "" if ceiling.band_on is None else date_format(ceiling.band_on, "DATE_FORMAT"),
    }
    if ceiling.origin is CeilingOrigin.MAX_RENT:
        if ceiling.band_count:
            return (
                _(
                    "Budget ceiling: %(ceiling)s per m² a year, the project's maximum rent (%(rent)s) plus "
                    "the "
                    "median charges listed in the region's catalogue (%(charges)s, %(count)s premises to "
                    "rent, "
                    "read on %(on)s)."
                )
                % values
            )
        return (
            _(
                "Budget ceiling: %(ceiling)s per m² a year, the project's maximum rent; the catalogue lists "
                "too "
                "few premises to add the region's typical charges."
            )
            % values
        )
    if ceiling.origin is CeilingOrigin.BAND:
        return (
            _(
                "Budget ceiling: %(ceiling)s per m² a year, rent and charges: the project states no maximum "
                "rent, "
                "so the ceiling is the ninetieth percentile of the rents and charges listed in the region's "
                "catalogue (%(count)s premises to rent, read on %(on)s: tenth percentile %(low)s, median "
                "%(median)s, ninetieth %(high)s)."
            )
            % values
        )
    return (
        _(
            "Budget ceiling: %(ceiling)s per m² a year, rent and charges, a house figure within the 129 to "
            "180 EUR "
            "per m² a year (charges excluded) of the asking office rents of France's regional cities "
            "(BureauxLocaux barometer, July 2019): the project states no maximum rent and the catalogue "
            "lists too "
            "few rents for a band."
        )
        % values
    )


def scales_lines(
    scales: Scales, ceiling: CostCeiling, *, area_per_seat_m2: float, peak_hires: int
) -> list[str]:
    """The scales a call published, one line per criterion, each anchor with its source."""
    cost, depth = scales.cost, scales.labour_depth
    candidates = depth.points[0][0]
    return [
        labelled(
            criterion_short_label("cost"),
            _(
                "full points at %(full)s or less (half the budget), none at %(zero)s or more: the budget "
                "ceiling times %(area)s m² a seat, the need's."
            )
            % {
                "full": criterion_value("cost", cost.points[0][0]),
                "zero": criterion_value("cost", cost.points[-1][0]),
                "area": number(area_per_seat_m2, 1),
            }
            + " "
            + ceiling_text(ceiling),
        ),
        labelled(
            criterion_short_label("labour_depth"),
            _(
                "none at %(zero)s job seekers or fewer, the candidates the hiring plan's peak year needs "
                "(%(hires)s hires × %(per_hire)s candidates per hire, NACSMA), full points at %(full)s or "
                "more (the peak year would need 1 %% of them), each tenfold counting the same."
            )
            % {
                "zero": number(candidates),
                "full": number(depth.points[-1][0]),
                "hires": number(peak_hires),
                "per_hire": trimmed(candidates / peak_hires if peak_hires else 0, 1),
            },
        ),
        labelled(
            criterion_short_label("saturation"),
            _(
                "full points at %(full)s or less (the bottom of the 1 to 3 %% typical range), none at "
                "%(zero)s "
                "or more (where wage pressure starts): Site Selection Group; ACCP / Expansion Management."
            )
            % {
                "full": percent(scales.saturation.points[0][0]),
                "zero": percent(scales.saturation.points[-1][0]),
            },
        ),
        labelled(
            criterion_short_label("feasibility"),
            _(
                "full points at 0 %%, half at %(half)s (where recruitment turns demanding), none at %(zero)s "
                "or more (where it turns unrealistic): the labour engine's verdict thresholds."
            )
            % {
                "half": percent(scales.feasibility.points[1][0]),
                "zero": percent(scales.feasibility.points[-1][0]),
            },
        ),
        labelled(
            pgettext("criteria named together", "Fit, access, telecoms"),
            _("their sub-scores from 0 to 1 are the values: absolute functions of the offer's own figures."),
        ),
        labelled(
            _("Unknown figure"),
            _("a labour figure nobody knows gets %(value)s, the middle of the scale, and says so.")
            % {"value": scaled(scales.unknown)},
        ),
    ]


def method_reason(*, years: int, discount_rate: float, radius_km: float) -> dict[str, Any]:
    return {
        "reason_key": METHOD_KEY,
        "params": {"years": years, "discount_rate": discount_rate, "radius_km": radius_km},
    }


def normalisation() -> str:
    return _(
        "Each criterion's figure is read on a scale fixed before the offers were read and published with "
        "the call: an offer's value depends on its own figure only, so two offers keep their order whatever "
        "other offers are compared or shown with them. An unknown labour figure gets a fixed value, the "
        "middle of the scale, and its explanation says so."
    )


def assumption(code: str) -> str:
    """Where a house assumption of the method comes from (:data:`scoring.ASSUMPTIONS`), with the figures
    the engine uses by default."""
    defaults = scoring.ScoringParameters()
    centre, office = scoring.CONTACT_CENTRE_WEIGHTS, scoring.BACK_OFFICE_WEIGHTS
    if code == "contact_centre_weights":
        return _(
            "Contact-centre weights: a house assumption built on Site Selection Group: labour is %(low)s to "
            "%(high)s of a contact centre's operating cost, so the three labour criteria together "
            "(%(labour)s) outweigh the premises cost (%(cost)s)."
        ) % {
            "low": percent(0.70),
            "high": percent(0.80),
            "labour": percent(centre.labour_depth + centre.saturation + centre.feasibility),
            "cost": percent(centre.cost),
        }
    if code == "back_office_weights":
        return _(
            "Back-office weights: a house assumption: smaller, steadier hiring than a contact centre (whose "
            "%(low)s to %(high)s yearly attrition, ContactBabel, keeps it recruiting), so premises cost "
            "(%(cost)s) and fit (%(fit)s) weigh more and saturation (%(saturation)s) less."
        ) % {
            "low": percent(0.30),
            "high": percent(0.50),
            "cost": percent(office.cost),
            "fit": percent(office.fit),
            "saturation": percent(office.saturation),
        }
    if code == "saturation_bands":
        return _(
            "Saturation bands: Site Selection Group; ACCP / Expansion Management: under %(desirable)s "
            "desirable, %(saturated)s or more saturated, wage pressure from %(pressure)s."
        ) % {
            "desirable": percent(scoring.SATURATION_DESIRABLE),
            "saturated": percent(scoring.SATURATION_SATURATED),
            "pressure": percent(scoring.SATURATION_WAGE_PRESSURE),
        }
    if code == "fit":
        return _(
            "Fit: a house assumption: the area score loses %(short)s per %(step)s short and %(over)s per "
            "%(step)s over; the date score loses 1 per %(days)s days late; fit is the mean of the two."
        ) % {
            "short": trimmed(defaults.area_shortfall_penalty / 10, 3),
            "over": trimmed(defaults.area_excess_penalty / 10, 3),
            "step": percent(0.10),
            "days": number(defaults.late_days_to_zero),
        }
    if code == "access":
        return _(
            "Access: a house assumption: %(transport)s public transport, %(parking)s parking against the "
            "project's own need (%(target)s spaces per seat when it states none)."
        ) % {
            "transport": percent(defaults.public_transport_share),
            "parking": percent(1 - defaults.public_transport_share),
            "target": trimmed(defaults.parking_spaces_per_seat_target, 2),
        }
    if code == "telecoms":
        return _("Telecoms: a house assumption: fibre %(fibre)s, power back-up %(backup)s.") % {
            "fibre": percent(defaults.fibre_share),
            "backup": percent(1 - defaults.fibre_share),
        }
    if code == "capacity":
        return _(
            "Capacity: an offer holds its area divided by the need's floor area per seat; one that holds "
            "fewer seats than the need is marked with its shortfall, its cost per seat is computed on the "
            "seats it holds, and it is not ranked on cost."
        )
    raise KeyError(code)


# --- one entry point -------------------------------------------------------------------------------


def render(reason_key: str, params: Mapping[str, Any], *, names: Mapping[str, str] | None = None) -> str:
    """Any reason the comparison states, in the active language; ``names`` turns candidates' keys into
    what the reader knows them by. An unknown key raises KeyError: every key must have its sentence."""
    family = reason_key.partition(".")[0]
    if family in {c.value for c in scoring.CRITERIA}:
        if legacy.is_legacy_criterion(params):
            return legacy.criterion_reason(reason_key, params, details=_details, value=criterion_value)
        return criterion_reason(reason_key, params)
    if reason_key == "candidate.summary":
        if legacy.is_legacy_summary(params):
            return legacy.candidate_summary(params, label=criterion_short_label)
        return candidate_summary(params)
    if family == "swap":
        return swap_reason(reason_key, params, names)
    if family == "sensitivity":
        return sensitivity_reason(reason_key, params, names)
    if reason_key == METHOD_KEY:
        return method(params)
    if reason_key == TIE_RULE_KEY:
        return tie_rule(params)
    if reason_key == NORMALISATION_KEY:
        return normalisation()
    raise KeyError(reason_key)


def render_stored(item: Any, *, names: Mapping[str, str] | None = None) -> str:
    """A reason as stored (``{"reason_key": ..., "params": ...}``); a comparison published before reasons
    were stored as codes holds a sentence, shown as it is."""
    if isinstance(item, Mapping) and "reason_key" in item:
        return render(str(item["reason_key"]), item.get("params") or {}, names=names)
    return str(item or "")


# --- a published comparison, for the API ----------------------------------------------------------


def published_with_texts(published: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A published comparison (the whole of it, or an authority's share) with each reason's sentence and
    each criterion's name added in the reader's language, beside the codes and figures."""
    if published is None:
        return None
    candidates = [dict(row) for row in published.get("candidates", [])]
    names = {
        row["key"]: f"{row.get('premises_name', '')} ({row.get('commune_name', '')})"
        for row in candidates
        if row.get("key")
    }

    def with_text(item: Any) -> Any:
        if isinstance(item, Mapping) and "reason_key" in item:
            return {**item, "text": render_stored(item, names=names)}
        return item

    result = dict(published)
    for field in ("method", "tie_break_rule"):
        if field in result:
            result[field] = with_text(result[field])
    result["criteria"] = [
        {**item, "label": criterion_label(str(item.get("key", "")))} for item in published.get("criteria", [])
    ]
    result["weights_text"] = labelled(
        _("Weights"),
        pgettext("between items of a list", ", ").join(
            f"{item['label']} {percent(float(item.get('weight_percent', 0)) / 100)}"
            for item in result["criteria"]
        ),
    )
    for row in candidates:
        if "summary" in row:
            row["summary"] = with_text(row["summary"])
        row["criteria"] = [
            {**with_text(item), "label": criterion_label(str(item.get("key", "")))}
            for item in row.get("criteria", [])
        ]
    result["candidates"] = candidates
    for field in ("pairs", "sensitivity"):
        if field in result:
            result[field] = [with_text(item) for item in result[field]]
    stored = [item for item in published.get("sensitivity", []) if isinstance(item, Mapping)]
    if stored:
        result["sensitivity_lines"] = sensitivity_lines(stored, names)
    return result


# What the scoring engine refuses, by the field it names (its own message is English, for developers).
SCORING_FIELD_LABELS: Mapping[str, Promise] = {
    "seats": gettext_lazy("the project's seats"),
    "area_wanted_m2": gettext_lazy("the floor area wanted"),
    "jobs_per_year": gettext_lazy("the jobs per year of the project's sizing"),
    "hires_per_year": gettext_lazy("the hires per year of the project's sizing"),
    "opening": gettext_lazy("the project's opening date"),
    "terms.area_m2": gettext_lazy("an offer's area"),
    "terms.rent_eur_m2_year": gettext_lazy("an offer's rent"),
    "terms.charges_eur_m2_year": gettext_lazy("an offer's charges"),
    "terms.rent_free_months": gettext_lazy("an offer's rent-free months"),
    "terms.fit_out_contribution_eur": gettext_lazy("an offer's fit-out contribution"),
    "parking_spaces": gettext_lazy("an offer's parking spaces"),
}


def scoring_input_message(error: scoring.ScoringInputError) -> str:
    """A refusal of the scoring engine in the reader's language, naming the field that is wrong."""
    field = error.field
    if field.startswith("weights."):
        return _("The weight of %(criterion)s must be a number, 0 or more.") % {
            "criterion": criterion_label(field.removeprefix("weights."))
        }
    if field == "weights":
        return _(
            "The weights must name the comparison's criteria only (%(criteria)s), and at least one must be "
            "more than 0."
        ) % {
            "criteria": pgettext("between items of a list", ", ").join(
                criterion_label(c.value) for c in Criterion
            )
        }
    label = SCORING_FIELD_LABELS.get(field)
    if label is None and field.startswith("terms."):
        label = gettext_lazy("an offer's terms")
    return _("The comparison cannot use %(field)s as it stands: check it and try again.") % {
        "field": label if label is not None else field
    }
