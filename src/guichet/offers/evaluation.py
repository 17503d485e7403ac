"""The neutral comparison of a call's proposals: sealed proposals to the pure scoring engine and back.

One candidate per premises offered. Every figure comes from the proposal's sealed content (the offered
terms, the premises' attributes and the incentives' terms as they stood at submission), never from the
live catalogue. A candidate's key is a digest of the proposal's receipt and the premises, so the ranking
never sees an authority's name or the order in which answers came.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guichet.engine import costs as costs_engine
from guichet.engine import labour as labour_engine
from guichet.engine import scoring
from guichet.engine.need import Need
from guichet.engine.occupancy import hires_compared, occupancy_terms
from guichet.engine.scales import Scales
from guichet.labour.selectors import DEFAULT_RADIUS_KM, labour_pool_around
from guichet.offers.models import CallForOffers, Proposal
from guichet.offers.operation import OfferOperation, ShowsOperation, offer_operation
from guichet.offers.scales import CallBasis, call_basis
from guichet.offers.sealing import SealedOffer, SealedProposal
from guichet.offers.selectors import submitted_proposals
from guichet.phrasing import labour as labour_phrasing
from guichet.phrasing import numbers
from guichet.phrasing import scoring as reasons
from guichet.projects.selectors import need_for_scoring, project_preset_weights


def call_weights(*, call: CallForOffers) -> dict[str, float]:
    """The call's own weights, or the preset of its project's sector."""
    if call.weights:
        return dict(call.weights)
    return project_preset_weights(project=call.project).as_dict()


TENTHS = 1000  # 100 % in tenths of a percentage point


def weight_percentages(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights on any scale as percentages in tenths that add up to exactly 100, by the largest remainder
    (equal remainders: the method's order of the criteria): how every page, the dossier and the workbook
    show them."""
    raw = [max(float(weights.get(c.value, 0.0)), 0.0) for c in scoring.CRITERIA]
    total = math.fsum(raw)
    if total <= 0:
        raise ValidationError(_("At least one weight must be more than 0."))
    exact = [value / total * TENTHS for value in raw]
    tenths = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: -(exact[i] - tenths[i]))
    for i in by_remainder[: TENTHS - sum(tenths)]:
        tenths[i] += 1
    return {c.value: count / 10 for c, count in zip(scoring.CRITERIA, tenths, strict=True)}


def criteria_with_weights(weights: dict[str, float]) -> list[tuple[str, str, float]]:
    return [
        (c.value, str(reasons.CRITERION_LABELS[c]), float(weights.get(c.value, 0.0)))
        for c in scoring.CRITERIA
    ]


def candidate_key(*, receipt_sha256: str, premises_id: int) -> str:
    return hashlib.sha256(f"{receipt_sha256}:{premises_id}".encode()).hexdigest()


def _terms(
    offer: SealedOffer, sealed: SealedProposal, jobs: float, hires: float
) -> tuple[costs_engine.OccupancyTerms, list[str]]:
    return occupancy_terms(
        area_m2=offer.area_m2,
        rent_eur_m2_year=float(offer.rent_eur_m2_year),
        charges_eur_m2_year=float(offer.charges_eur_m2_year),
        rent_free_months=offer.rent_free_months,
        fit_out_contribution_eur=float(offer.fit_out_contribution_eur),
        incentives=sealed.incentives,
        jobs=jobs,
        hires=hires,
    )


def scoring_refusal(error: scoring.ScoringInputError) -> ValidationError:
    """The engine's refusal as a form error in the reader's language, on the weights when they are wrong."""
    message = reasons.scoring_input_message(error)
    return (
        ValidationError({"weights": message})
        if error.field.startswith("weights")
        else ValidationError(message)
    )


@dataclass(frozen=True)
class CriterionValue:
    """One criterion of one candidate: its own figure, its scaled score, the weight and the points."""

    key: str
    raw: float | None
    normalised: float
    weight: float
    points: float


@dataclass(frozen=True)
class CandidateRow(ShowsOperation):
    rank: int
    key: str
    proposal: Proposal
    sealed: SealedProposal
    offer: SealedOffer
    score: float
    net_pv_eur: float
    per_seat_eur: float
    per_seat_year_eur: float
    undersized: bool
    seats_held: int
    explanation: scoring.CandidateExplanation
    criteria: list[CriterionValue]
    labour: labour_engine.LabourPool
    feasibility: labour_engine.Feasibility
    not_valued: list[str]
    cash_flows: list[tuple[int, float]]
    # The total cost of operation (people + occupancy + fit-out - the aid within its ceiling,
    # engine/operation_cost.py), beside the criteria: information, never scored (docs/comparison.md); shown
    # to the agency in the ranking table, the side by side, the dossier and the API with the same rounding.
    operation_cost_year_eur: float | None = None
    operation: OfferOperation | None = None

    # Sentences are phrased when read, in the reader's language: the engine gives codes and figures.
    @property
    def explanations(self) -> list[str]:
        """One line per criterion, its name first."""
        return [
            numbers.labelled(
                reasons.criterion_short_label(c.criterion.value), reasons.render(c.reason_key, c.params)
            )
            for c in self.explanation.criteria
        ]

    @property
    def summary(self) -> str:
        return reasons.render(self.explanation.reason_key, self.explanation.params)

    @property
    def seats_short(self) -> int:
        return int(self.explanation.params["seats_short"] or 0)

    @property
    def area_short_m2(self) -> float:
        return float(self.explanation.params["area_short_m2"] or 0.0)

    @property
    def capacity_text(self) -> str:
        """ "Cannot seat the need: 150 seats of 250 (100 short, 900 m² short)", or empty."""
        return reasons.capacity_text(self.explanation.params) if self.undersized else ""

    @property
    def strongest(self) -> tuple[str, ...]:
        """The weighted criteria on which this offer is the best of the offers shown."""
        return self.explanation.strongest

    @property
    def weakest(self) -> tuple[str, ...]:
        """The weighted criteria on which this offer is the worst of the offers shown."""
        return self.explanation.weakest

    @property
    def contributions(self) -> list[tuple[str, float]]:
        return [(reasons.criterion_label(value.key), value.points) for value in self.criteria]

    @property
    def verdict_label(self) -> str:
        return labour_phrasing.verdict_label(self.feasibility.verdict)

    @property
    def feasibility_text(self) -> str:
        return labour_phrasing.feasibility_text(self.feasibility)

    @property
    def name(self) -> str:
        """What the agency knows the candidate by in the analyses: the premises and its commune."""
        return f"{self.premises_name} ({self.commune_name})"

    @property
    def authority_name(self) -> str:
        return self.sealed.authority_name

    @property
    def premises_name(self) -> str:
        return self.offer.name

    @property
    def commune_name(self) -> str:
        return self.offer.commune_name


def _reason(item: Any) -> dict[str, Any]:
    return {"reason_key": item.reason_key, "params": dict(item.params)}


@dataclass(frozen=True)
class Evaluation:
    """A comparison as codes and figures; its sentences (``method``, ``tie_break_rule``, ``pairs``,
    ``sensitivity``) are phrased when read, in the reader's language."""

    weights: dict[str, float]
    needs: scoring.ProjectNeeds
    basis: CallBasis
    rows: list[CandidateRow]
    swaps: tuple[scoring.SwapAnalysis, ...]
    ranges: tuple[scoring.WeightRange, ...]
    years: int
    discount_rate: float
    radius_km: float

    @property
    def names(self) -> dict[str, str]:
        return {row.key: row.name for row in self.rows}

    @property
    def need(self) -> Need:
        """The need the call published (or the project's today, for a call sent before that)."""
        return self.basis.need

    @property
    def scales(self) -> Scales:
        assert self.basis.scales is not None  # an evaluation exists only on a complete need
        return self.basis.scales

    @property
    def percent(self) -> dict[str, float]:
        """The weights as shown: percentages in tenths that add up to 100 (largest remainder)."""
        return weight_percentages(self.weights)

    @property
    def method_reason(self) -> dict[str, Any]:
        return reasons.method_reason(
            years=self.years, discount_rate=self.discount_rate, radius_km=self.radius_km
        )

    @property
    def method(self) -> str:
        return reasons.render_stored(self.method_reason)

    @property
    def tie_break_rule(self) -> str:
        return reasons.render_stored(reasons.tie_rule_reason())

    @property
    def pairs(self) -> list[str]:
        names = self.names
        return [reasons.render(swap.reason_key, swap.params, names=names) for swap in self.swaps]

    @property
    def sensitivity(self) -> list[str]:
        return reasons.sensitivity_lines(
            [{"reason_key": item.reason_key, "params": item.params} for item in self.ranges], self.names
        )

    def as_json(self) -> dict[str, Any]:
        """The published form: codes and figures, never sentences, so that each reader reads it in their
        own language. Agency staff read all of it; `offers.selectors` cuts each authority's share down to
        its own rows and figures."""
        percent = self.percent
        return {
            "format": "guichet.evaluation/3",
            "method": self.method_reason,
            "tie_break_rule": reasons.tie_rule_reason(),
            "need": self.need.as_json(),
            "scales": self.scales.as_json(),
            "cost_ceiling": self.basis.ceiling.as_json(),
            "scales_published": self.basis.published,
            "criteria": [{"key": c.value, "weight_percent": percent[c.value]} for c in scoring.CRITERIA],
            "candidates": [
                {
                    "rank": row.rank,
                    "of": len(self.rows),
                    "proposal": str(row.proposal.public_id),
                    "receipt_sha256": row.proposal.receipt_sha256,
                    "key": row.key,
                    "authority_name": row.authority_name,
                    "premises_name": row.premises_name,
                    "commune_name": row.commune_name,
                    "score": row.score,
                    "net_pv_eur": row.net_pv_eur,
                    "per_seat_eur": row.per_seat_eur,
                    "per_seat_year_eur": row.per_seat_year_eur,
                    "undersized": row.undersized,
                    "seats_held": row.seats_held,
                    "seats_needed": self.needs.seats,
                    "summary": _reason(row.explanation),
                    "criteria": [
                        {
                            "key": value.key,
                            "raw": value.raw,
                            "normalised": value.normalised,
                            "weight": value.weight,
                            "points": value.points,
                            **_reason(explained),
                        }
                        for value, explained in zip(row.criteria, row.explanation.criteria, strict=True)
                    ],
                }
                for row in self.rows
            ],
            "pairs": [_reason(swap) for swap in self.swaps],
            "sensitivity": [_reason(item) for item in self.ranges],
        }


def evaluate_call(
    *,
    call: CallForOffers,
    weights: dict[str, float],
    radius_km: float = DEFAULT_RADIUS_KM,
    only: Collection[int] | None = None,
) -> Evaluation:
    """Rank the call's sealed proposals, or only those listed in `only` (the investor's shortlist), on the
    need and the scales the call published: every offer's score depends on its own figures only, so the
    shortlist keeps the order (and the scores) of the whole comparison. Best and worst, in the
    explanations, are among the offers shown, so nothing of an offer left out shows."""
    if not call.deadline_passed:
        raise ValidationError(_("Proposals stay sealed until the deadline."))
    basis = call_basis(call=call)
    needs = need_for_scoring(basis.need)
    if basis.scales is None:
        raise ValidationError(_("Size the project (seats and floor area) before comparing the proposals."))
    try:
        engine_weights = scoring.Weights.from_mapping(weights)
    except scoring.ScoringInputError as error:
        raise scoring_refusal(error) from None
    offered = _offered(call=call, needs=needs, basis=basis, radius_km=radius_km, only=only)
    if not offered:
        raise ValidationError(_("No proposal was received."))
    parameters = scoring.ScoringParameters(years=call.years, discount_rate=float(call.discount_rate))
    try:
        ranking = scoring.rank(
            [item.candidate for item in offered.values()],
            needs,
            engine_weights,
            scales=basis.scales,
            parameters=parameters,
        )
    except scoring.ScoringInputError as error:
        raise scoring_refusal(error) from None
    return Evaluation(
        weights=engine_weights.as_dict(),
        needs=needs,
        basis=basis,
        rows=[
            _row(explanation, offered[explanation.key])
            for explanation in scoring.explain_top(ranking, len(ranking))
        ],
        swaps=scoring.neighbour_swaps(ranking),
        ranges=scoring.sensitivity(ranking),
        years=call.years,
        discount_rate=float(call.discount_rate),
        radius_km=float(radius_km),
    )


@dataclass(frozen=True)
class _Offered:
    """One premises offered in one proposal: the engine's candidate and what the rows show beside it."""

    candidate: scoring.Candidate
    proposal: Proposal
    sealed: SealedProposal
    offer: SealedOffer
    pool: labour_engine.LabourPool
    feasibility: labour_engine.Feasibility
    not_valued: list[str]
    operation: OfferOperation


def _offered(
    *,
    call: CallForOffers,
    needs: scoring.ProjectNeeds,
    basis: CallBasis,
    radius_km: float,
    only: Collection[int] | None,
) -> dict[str, _Offered]:
    """Every located premises of the call's sealed proposals, by candidate key, with the labour pool around
    it (computed once per point)."""
    offered: dict[str, _Offered] = {}
    pools: dict[tuple[float, float], tuple[labour_engine.LabourPool, labour_engine.Feasibility]] = {}
    hires = [int(h) for h in needs.hires_per_year]
    hires_counted = hires_compared(needs, years=call.years)
    per_hire = basis.candidates_per_hire
    for proposal, sealed in submitted_proposals(call=call, only=only):
        for offer in sealed.offers:
            point = offer.point
            if point is None:
                continue
            if point not in pools:
                panel = labour_pool_around(latitude=point[0], longitude=point[1], radius_km=radius_km)
                feasibility = labour_engine.recruitment_feasibility_for_pool(
                    panel.pool, hires, candidates_per_hire=per_hire
                )
                pools[point] = (panel.pool, feasibility)
            pool, feasibility = pools[point]
            worst = max((y.share for y in feasibility.years if y.share is not None), default=None)
            terms, not_valued = _terms(offer, sealed, needs.jobs_at_full_ramp, hires_counted)
            key = candidate_key(receipt_sha256=proposal.receipt_sha256, premises_id=offer.premises_id)
            candidate = scoring.Candidate(
                key=key,
                terms=terms,
                available_from=offer.available_from,
                job_seekers=pool.job_seekers_in_reach[0].value,
                saturation=pool.saturation.ratio_mid,
                pool_share_needed=worst,
                public_transport=offer.public_transport,
                parking_spaces=float(offer.parking_spaces),
                fibre=offer.fibre,
                power_backup=offer.power_backup,
            )
            operation = offer_operation(
                offer=offer,
                incentives=sealed.incentives,
                needs=needs,
                firm_size=call.project.firm_size,
                years=call.years,
                discount_rate=call.discount_rate,
                opening_fallback=call.deadline.date(),
            )
            offered[key] = _Offered(
                candidate, proposal, sealed, offer, pool, feasibility, not_valued, operation
            )
    return offered


def _row(explanation: scoring.CandidateExplanation, offered: _Offered) -> CandidateRow:
    return CandidateRow(
        rank=explanation.rank,
        key=explanation.key,
        proposal=offered.proposal,
        sealed=offered.sealed,
        offer=offered.offer,
        score=explanation.score,
        net_pv_eur=explanation.cost.net_pv_eur,
        per_seat_eur=explanation.per_seat_eur,
        per_seat_year_eur=explanation.per_seat_year_eur,
        undersized=explanation.undersized,
        seats_held=explanation.seats_held,
        explanation=explanation,
        criteria=[
            CriterionValue(
                key=c.criterion.value,
                raw=c.raw,
                normalised=c.normalised,
                weight=c.weight,
                points=c.points,
            )
            for c in explanation.criteria
        ],
        labour=offered.pool,
        feasibility=offered.feasibility,
        not_valued=offered.not_valued,
        cash_flows=[(flow.year, flow.net_eur) for flow in explanation.cost.cash_flows],
        operation_cost_year_eur=None
        if offered.operation.cost is None
        else float(offered.operation.cost.total_year_eur),
        operation=offered.operation,
    )
