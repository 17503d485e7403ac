"""Reads of calls and proposals. The sealing rules live here, and only here.

- An officer sees the calls sent to its authority (once opened) and its own proposal, never another's.
- Before the deadline agency staff see who has answered, not what; after it, every proposal.
- After the decision every participating authority sees the method, the weights and its own scores.
- An attachment reaches the authority that sent it, and agency staff after the deadline; nobody else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from guichet.accounts.selectors import user_authority_id, user_is_agency
from guichet.accounts.types import Reader
from guichet.catalogue.models import Authority
from guichet.catalogue.selectors import officer_emails
from guichet.offers.models import (
    Addressee,
    CallForOffers,
    CallStatus,
    Clarification,
    DossierLink,
    OfferedPremises,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    ProposalVersion,
)
from guichet.offers.sealing import SealedProposal, parse_sealed
from guichet.projects.models import Project


class Lookup(Enum):
    """A selector's `own` argument when the caller has not read the user's proposal: the selector does."""

    ASK = "ask"


def calls_visible_to(*, user: Reader) -> QuerySet[CallForOffers]:
    calls = CallForOffers.objects.select_related("project")
    if user_is_agency(user):
        return calls.all()
    authority_id = user_authority_id(user)
    if authority_id is None:
        return calls.none()
    return calls.filter(addressees__authority_id=authority_id, addressees__included=True).exclude(
        status=CallStatus.DRAFT
    )


def call_lock(call: CallForOffers) -> None:
    """Lock the call's row for the rest of the transaction and read it afresh into the caller's copy, so
    that a deadline passing or a concurrent action cannot interleave, and the caller sees the result."""
    CallForOffers.objects.select_for_update().filter(pk=call.pk).exists()
    call.refresh_from_db()


def with_officers(addressees: QuerySet[Addressee]) -> QuerySet[Addressee]:
    """Addressees with their authority and its officers, for `officer_emails` without a query each."""
    return addressees.select_related("authority").prefetch_related("authority__users")


def addressees_without_address(*, call: CallForOffers) -> list[Authority]:
    """Consulted authorities that no e-mail would reach: the agency is warned before opening."""
    return [
        addressee.authority
        for addressee in with_officers(Addressee.objects.filter(call=call, included=True))
        if not officer_emails(addressee.authority)
    ]


def unanswered_addressees(*, call: CallForOffers) -> list[Authority]:
    """Consulted authorities that have sent no proposal yet, by name: a call closes early only without any.
    (Who has answered is what the agency sees before the deadline; never what.)"""
    answered = Proposal.objects.filter(call=call, status=ProposalStatus.SUBMITTED, sealed__isnull=False)
    return [
        addressee.authority
        for addressee in Addressee.objects.filter(call=call, included=True)
        .exclude(authority_id__in=answered.values("authority_id"))
        .select_related("authority")
        .order_by("authority__name")
    ]


def proposal_of(*, user: Reader, call: CallForOffers) -> Proposal | None:
    """The officer's own authority's proposal to a call, if any."""
    authority_id = user_authority_id(user)
    if authority_id is None:
        return None
    return Proposal.objects.filter(call=call, authority_id=authority_id).first()


def proposals_readable_by(*, user: Reader, call: CallForOffers) -> QuerySet[Proposal]:
    """Proposals whose content the user may read."""
    proposals = Proposal.objects.filter(call=call, status=ProposalStatus.SUBMITTED).select_related(
        "authority"
    )
    if user_is_agency(user):
        return proposals if call.deadline_passed else proposals.none()
    authority_id = user_authority_id(user)
    return proposals.filter(authority_id=authority_id) if authority_id else proposals.none()


def submitted_proposals(
    *, call: CallForOffers, only: Collection[int] | None = None
) -> list[tuple[Proposal, SealedProposal]]:
    """The call's proposals with their sealed content, in a stable order (`only`: these proposal ids)."""
    proposals = (
        Proposal.objects.filter(call=call, status=ProposalStatus.SUBMITTED, sealed__isnull=False)
        .select_related("authority", "sealed")
        .order_by("pk")
    )
    if only is not None:
        proposals = proposals.filter(pk__in=only)
    return [(proposal, parse_sealed(proposal.sealed.canonical)) for proposal in proposals if proposal.sealed]


def area_offered(proposal: Proposal, premises_id: int) -> int | None:
    """The floor area a proposal offered of one premises, as sealed; None if it did not offer it."""
    if proposal.sealed is None:
        return None
    for offer in parse_sealed(proposal.sealed.canonical).offers:
        if offer.premises_id == premises_id:
            return offer.area_m2
    return None


@dataclass(frozen=True)
class AnswerStatus:
    authority_name: str
    included: bool
    exclusion_reason: str
    answered: bool
    submitted_at: Any


def call_answer_status(*, user: Reader, call: CallForOffers) -> list[AnswerStatus]:
    """For agency staff: who was consulted and who has answered; nothing about what they answered."""
    if not user_is_agency(user):
        return []
    answered = dict(
        Proposal.objects.filter(call=call, status=ProposalStatus.SUBMITTED).values_list(
            "authority_id", "submitted_at"
        )
    )
    return [
        AnswerStatus(
            authority_name=addressee.authority.name,
            included=addressee.included,
            exclusion_reason=addressee.exclusion_reason,
            answered=addressee.authority_id in answered,
            submitted_at=answered.get(addressee.authority_id),
        )
        for addressee in Addressee.objects.filter(call=call).select_related("authority")
    ]


# What an authority reads of its own rows in the published comparison: its own figures, nothing that
# is computed from another candidate's (best, worst, explanations phrased against them, rank swaps,
# sensitivity). With two bidders, a "best" is the competitor's figure. Since scores are read on scales
# fixed with the call (format /3), a criterion's scaled value and points, and the total score, follow from
# the authority's own figures and the published scales alone: they are its own, published at the precision
# the page shows (a tenth of a point out of 100). In a comparison published before (format /2, each
# criterion rescaled between the offers) a scaled value was ``1 - |raw - best| / span`` and would give the
# competitor's figure away: neither is shown then, and the total score only as a band of ten points out of
# 100 (60 to 70), from which nobody can work back a competitor's cost (docs/comparison.md).
OWN_ROW_FIELDS = (
    "rank",
    "of",
    "proposal",
    "receipt_sha256",
    "premises_name",
    "commune_name",
    "net_pv_eur",
    "per_seat_eur",
    "per_seat_year_eur",
    "undersized",
    "seats_held",
    "seats_needed",
)
OWN_CRITERION_FIELDS = ("key", "raw", "weight")
OWN_CRITERION_FIELDS_ON_FIXED_SCALES = (*OWN_CRITERION_FIELDS, "normalised", "points")
SCORE_DIGITS = 3  # 0.7253 is published as 0.725: 72,5 points out of 100, as the page shows it
SCORE_BAND_POINTS = 10  # in a min-max comparison (format /2), 0.7253 is published as {"from": 70, "to": 80}


def _is_own_row(row: dict[str, Any], own: Proposal) -> bool:
    """A published row of the authority's proposal: by its public id, or, in evaluations published before
    public ids existed, by the proposal's database id (``proposal_id``)."""
    if row.get("proposal"):
        return bool(row["proposal"] == str(own.public_id))
    return bool(row.get("proposal_id") == own.pk)


def published_evaluation_for(
    *, user: Reader, call: CallForOffers, own: Proposal | Lookup | None = Lookup.ASK
) -> dict[str, Any] | None:
    """After the decision: the agency sees everything; an authority sees the method, the weights and its
    own rows with its own figures only. Before it, nothing. `own`: the user's proposal when the caller has
    it already (`proposal_of`), so that it is read once."""
    if call.status != CallStatus.DECIDED or not call.evaluation:
        return None
    if user_is_agency(user):
        return call.evaluation  # type: ignore[no-any-return]
    if own is Lookup.ASK:
        own = proposal_of(user=user, call=call)
    if own is None:
        return None
    evaluation = call.evaluation
    fixed = evaluation.get("format") == "guichet.evaluation/3"
    criterion_fields = OWN_CRITERION_FIELDS_ON_FIXED_SCALES if fixed else OWN_CRITERION_FIELDS
    return {
        "method": evaluation.get("method", ""),
        "tie_break_rule": evaluation.get("tie_break_rule", ""),
        "criteria": evaluation.get("criteria", []),
        **({"need": evaluation["need"], "scales": evaluation["scales"]} if fixed else {}),
        "candidates": [
            {
                **{field: row.get(field) for field in OWN_ROW_FIELDS},
                "score": _published_score(row.get("score")) if fixed else None,
                "score_band": None if fixed else score_band(row.get("score")),
                "criteria": [
                    {field: _published(field, item.get(field)) for field in criterion_fields}
                    for item in row.get("criteria", [])
                ],
            }
            for row in evaluation.get("candidates", [])
            if _is_own_row(row, own)
        ],
    }


def score_band(score: Any) -> dict[str, int] | None:
    """A score (0..1) as the band of SCORE_BAND_POINTS points out of 100 that holds it: 0.7253 -> 70 to
    80; a perfect score is in the top band (90 to 100)."""
    if score is None:
        return None
    low = min(int(float(score) * 100 // SCORE_BAND_POINTS) * SCORE_BAND_POINTS, 100 - SCORE_BAND_POINTS)
    return {"from": max(low, 0), "to": max(low, 0) + SCORE_BAND_POINTS}


def _published_score(score: Any) -> float | None:
    return None if score is None else round(float(score), SCORE_DIGITS)


def _published(field: str, value: Any) -> Any:
    """A criterion's figure as an authority reads it: its value on the scale and its points at the
    precision the page shows (a tenth of a point), its own figure and the weight as they are."""
    return _published_score(value) if field in ("normalised", "points") else value


def attachment_readable_by(*, user: Reader, public_id: Any) -> ProposalAttachment | None:
    """An attachment the user may download: the sending authority's officers at any time; agency staff
    once the deadline has passed, and only what the proposal's sealed version lists; nobody else."""
    attachment = (
        ProposalAttachment.objects.select_related("proposal__call", "proposal__sealed")
        .filter(public_id=public_id)
        .first()
    )
    if attachment is None:
        return None
    proposal = attachment.proposal
    authority_id = user_authority_id(user)
    if authority_id is not None and authority_id == proposal.authority_id:
        return attachment
    if (
        user_is_agency(user)
        and proposal.call.deadline_passed
        and proposal.status == ProposalStatus.SUBMITTED
        and attachment.withdrawn_at is None
    ):
        return attachment
    return None


def receipts_of(
    *, user: Reader, call: CallForOffers, own: Proposal | Lookup | None = Lookup.ASK
) -> QuerySet[ProposalVersion]:
    """The sealed versions of the officer's own proposal to a call, newest first (`own`: as for
    `published_evaluation_for`)."""
    if own is Lookup.ASK:
        own = proposal_of(user=user, call=call)
    if own is None:
        return ProposalVersion.objects.none()
    return own.versions.order_by("-number")


@dataclass(frozen=True)
class ClarificationView:
    """A question as a reader may see it: the asker's name for the agency only. ``question`` is the
    wording the reader is shown first: as asked for the agency and the asker before the answer, as
    published for the authorities after it; the agency also reads ``published_question``, the wording
    every consulted authority read (empty until the answer)."""

    public_id: Any
    question: str
    answer: str
    asked_at: Any
    answered_at: Any
    asked_by_own_authority: bool
    asked_by_authority: str  # empty for authorities
    published_question: str = ""


def clarifications_visible_to(*, user: Reader, call: CallForOffers) -> list[ClarificationView]:
    """The agency sees every question and who asked; a consulted authority sees the published answers
    (worded by the agency, naming nobody) and its own questions still waiting; nobody else anything."""
    items = Clarification.objects.filter(call=call).select_related("asked_by_authority")
    if user_is_agency(user):
        return [
            ClarificationView(
                item.public_id,
                item.question,
                item.answer,
                item.asked_at,
                item.answered_at,
                False,
                item.asked_by_authority.name,
                item.published_question if item.answered_at is not None else "",
            )
            for item in items
        ]
    authority_id = user_authority_id(user)
    if (
        authority_id is None
        or not Addressee.objects.filter(call=call, authority_id=authority_id, included=True).exists()
    ):
        return []
    views = []
    for item in items:
        own = item.asked_by_authority_id == authority_id
        if item.answered_at is not None:
            views.append(
                ClarificationView(
                    item.public_id,
                    item.published_question,
                    item.answer,
                    item.asked_at,
                    item.answered_at,
                    own,
                    "",
                )
            )
        elif own:
            views.append(ClarificationView(item.public_id, item.question, "", item.asked_at, None, True, ""))
    return views


def reservations_visible_to(*, user: Reader) -> dict[int, CallForOffers]:
    """Premises an investor chose in a decided call, until the signature, by premises id: reserved on the
    call only (the public portal still shows them available). The agency sees every one; an officer those
    of its own authority's premises; nobody else any."""
    calls = CallForOffers.objects.filter(
        status=CallStatus.DECIDED, chosen_premises__isnull=False, signed_at__isnull=True
    )
    if not user_is_agency(user):
        authority_id = user_authority_id(user)
        if authority_id is None:
            return {}
        calls = calls.filter(chosen_premises__owner_id=authority_id)
    return {call.chosen_premises_id: call for call in calls.order_by("chosen_at") if call.chosen_premises_id}


def dossier_links_of(*, call: CallForOffers) -> QuerySet[DossierLink]:
    """The call's dossier links, newest first, with what the page shows of each (shortlist, accesses)."""
    return call.dossier_links.prefetch_related("shortlist__authority", "accesses").order_by("-created_at")


def token_digest(token: str) -> str:
    """What is kept of a dossier link's token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def dossier_link_by_token(*, token: str) -> DossierLink | None:
    """A live link for a token; an expired, revoked or unknown token gives nothing."""
    link = (
        DossierLink.objects.select_related("project", "call").filter(token_sha256=token_digest(token)).first()
    )
    return link if link is not None and link.is_live else None


def premises_offered_to(project: Project) -> QuerySet[Any]:
    """The ids of the premises offered in a project's calls, in proposals submitted and no longer sealed
    (for `projects.selectors.premises_offered_for`). Proposals stay sealed until their call's deadline, from
    the agency too: an open call's offers are not listed (nor can they be chosen) before it."""
    return OfferedPremises.objects.filter(
        proposal__call__project=project,
        proposal__status=ProposalStatus.SUBMITTED,
        proposal__call__deadline__lte=timezone.now(),
    ).values("premises_id")
