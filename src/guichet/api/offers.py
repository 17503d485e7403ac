"""Calls for offers and proposals: the agency's endpoints and an officer's own calls and proposal.

Sealing is decided by ``guichet.offers.selectors`` only: an officer reaches its own proposal through
``proposal_of``; the agency reads proposals through ``proposals_readable_by`` (nothing before the
deadline) and sees who answered through ``call_answer_status``; a company's identity shows through
``project_identity_visible``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile as NinjaUploadedFile

from guichet.accounts.selectors import user_is_agency
from guichet.accounts.types import Reader
from guichet.api.auth import AuthedRequest, agency_only, officer_only
from guichet.api.errors import invalid
from guichet.api.operation import operation_out
from guichet.api.projects import identity_out
from guichet.api.schemas import (
    CallDetail,
    CallIn,
    CallOut,
    ComparisonIn,
    ComparisonOut,
    Id,
    MyCallOut,
    Page,
    PageParams,
    ProposalIn,
    ProposalOut,
    ProposalPage,
    money,
    paginate,
    problems,
)
from guichet.api.schemas_calls import OpenIn
from guichet.engine import scoring
from guichet.offers import evaluation, selectors, services
from guichet.offers.drafts import OfferTerms, ProposalDraft
from guichet.offers.models import CallForOffers, Proposal, ProposalVersion
from guichet.offers.scales import CallBasis, call_basis
from guichet.offers.sealing import SealedAttachment, SealedIncentive, SealedOffer, parse_sealed
from guichet.phrasing import need as need_phrasing
from guichet.phrasing import scoring as reasons
from guichet.projects.selectors import projects_visible_to

agency = Router(tags=["agency: calls for offers"], auth=agency_only)
mine = Router(tags=["authority: my calls and proposals"], auth=officer_only)


# --- rendering ----------------------------------------------------------------------------------------


def call_out(call: CallForOffers, *, user: Reader) -> dict[str, Any]:
    project = call.project
    agency_reader = user_is_agency(user)
    return {
        "id": call.public_id,
        "project": {
            # An authority knows the project by its code name only: its id and reference are sequential.
            "id": project.pk if agency_reader else None,
            "code_name": project.code_name,
            "reference": project.reference if agency_reader else None,
            "sector": project.sector,
            "identity": identity_out(user=user, project=project),
        },
        "title": call.title,
        "brief": call.brief,
        "deadline": call.deadline,
        # The phase, as the pages show it: an open call past its deadline is closed.
        "status": call.phase,
        "status_label": call.phase_label,
        "accepts_proposals": call.accepts_proposals,
        "deadline_passed": call.deadline_passed,
        "opened_at": call.opened_at,
        "decided_at": call.decided_at,
        "cancelled_at": call.cancelled_at,
        "cancel_reason": call.cancel_reason,
        "deadline_changes": [
            {
                "previous_deadline": change.previous_deadline,
                "new_deadline": change.new_deadline,
                "reason": change.reason,
                "reopened": change.reopened,
                "closed_early": change.closed_early,
                "changed_at": change.changed_at,
            }
            for change in call.deadline_changes.all()
        ],
        "years": call.years,
        "discount_rate": str(call.discount_rate),
        "need": need_out(call),
    }


def need_out(call: CallForOffers, basis: CallBasis | None = None) -> dict[str, Any]:
    """The need and the scales the call publishes, with each figure in the request's language."""
    basis = basis if basis is not None else call_basis(call=call)
    return {
        "published": basis.published,
        "fixed_at": basis.fixed_at,
        "figures": basis.need.as_json(),
        "rows": [
            {"key": row.key, "label": row.label, "text": row.value, "origin_text": row.origin}
            for row in need_phrasing.need_rows(basis.need)
        ],
        "scales": None if basis.scales is None else basis.scales.as_json(),
        "cost_ceiling": basis.ceiling.as_json(),
    }


def call_detail_out(call: CallForOffers, *, user: Reader) -> dict[str, Any]:
    return {
        **call_out(call, user=user),
        "addressees": [
            {
                "authority": status.authority_name,
                "included": status.included,
                "exclusion_reason": status.exclusion_reason,
                "answered": status.answered,
                "submitted_at": status.submitted_at,
            }
            for status in selectors.call_answer_status(user=user, call=call)
        ],
        "unanswered": [authority.name for authority in selectors.unanswered_addressees(call=call)]
        if user_is_agency(user)
        else [],
        "weights": evaluation.call_weights(call=call),
        "evaluation": reasons.published_with_texts(selectors.published_evaluation_for(user=user, call=call)),
        "choice": _choice_out(call) if user_is_agency(user) else None,
    }


def _choice_out(call: CallForOffers) -> dict[str, Any] | None:
    proposal, premises = call.chosen_proposal, call.chosen_premises
    if proposal is None or premises is None or call.chosen_at is None:
        return None
    return {
        "proposal_id": proposal.public_id,
        "premises": {"id": premises.pk, "name": premises.name},
        "area_m2": selectors.area_offered(proposal, premises.pk) or 0,
        "chosen_at": call.chosen_at,
        "signed_at": call.signed_at,
    }


def receipt_out(version: ProposalVersion, call: CallForOffers) -> dict[str, Any]:
    args = [call.public_id, version.public_id]
    return {
        "id": version.public_id,
        "version": version.number,
        "sealed_at": version.sealed_at,
        "sha256": version.sha256,
        "receipt_url": reverse("offers:receipt_json", args=args),
        "sealed_content_url": reverse("offers:receipt_canonical", args=args),
        "pdf_url": reverse("offers:receipt_pdf", args=args),
    }


def my_call_out(call: CallForOffers, *, user: Reader) -> dict[str, Any]:
    own = selectors.proposal_of(user=user, call=call)
    return {
        **call_out(call, user=user),
        "own_proposal": None
        if own is None
        else {
            "version": own.version,
            "status": own.status,
            "submitted_at": own.submitted_at,
            "receipt_sha256": own.receipt_sha256,
            "receipts": [
                receipt_out(version, call) for version in selectors.receipts_of(user=user, call=call, own=own)
            ],
        },
        "evaluation": reasons.published_with_texts(
            selectors.published_evaluation_for(user=user, call=call, own=own)
        ),
    }


def proposal_draft(payload: ProposalIn) -> ProposalDraft:
    """The proposal as the API client drafted it (no attachment: the API sends terms only)."""
    return ProposalDraft(
        offers=tuple(
            OfferTerms(
                premises_id=offer.premises_id,
                area_m2=offer.area_m2,
                rent_eur_m2_year=Decimal(offer.rent_eur_m2_year),
                charges_eur_m2_year=Decimal(offer.charges_eur_m2_year),
                rent_free_months=offer.rent_free_months,
                fit_out_contribution_eur=Decimal(offer.fit_out_contribution_eur),
            )
            for offer in payload.offers
        ),
        incentive_ids=tuple(payload.incentive_ids),
        training_places=payload.training_places,
        job_centre_partnership=payload.job_centre_partnership,
        recruitment_support=payload.recruitment_support,
        free_text=payload.free_text,
        withdrawn_attachments=tuple(str(item) for item in payload.withdrawn_attachments),
        expected_version=payload.expected_version,
    )


def proposal_with_file(
    proposal: Proposal, *, upload: UploadedFile, expected_version: int | None
) -> ProposalDraft:
    """The proposal's current terms with one more file: what the page sends when an officer attaches a file
    and changes nothing else (incentives archived since are left out, as the page's form leaves them)."""
    return ProposalDraft(
        offers=tuple(
            OfferTerms(
                premises_id=item.premises_id,
                area_m2=item.area_m2,
                rent_eur_m2_year=item.rent_eur_m2_year,
                charges_eur_m2_year=item.charges_eur_m2_year,
                rent_free_months=item.rent_free_months,
                fit_out_contribution_eur=item.fit_out_contribution_eur,
            )
            for item in proposal.offered.order_by("pk")
        ),
        incentive_ids=tuple(
            proposal.incentives.filter(archived_at__isnull=True).order_by("pk").values_list("pk", flat=True)
        ),
        training_places=proposal.training_places,
        job_centre_partnership=proposal.job_centre_partnership,
        recruitment_support=proposal.recruitment_support,
        free_text=proposal.free_text,
        attachments=(upload,),
        expected_version=expected_version,
    )


def proposal_out(proposal: Proposal) -> dict[str, Any]:
    """A proposal as sealed: the terms and attributes the comparison reads, not the live catalogue."""
    assert proposal.sealed is not None
    sealed = parse_sealed(proposal.sealed.canonical)
    return {
        "id": proposal.public_id,
        "call_id": proposal.call.public_id,
        "authority": {"id": proposal.authority_id, "name": sealed.authority_name},
        "status": proposal.status,
        "version": sealed.version,
        "submitted_at": sealed.sealed_at,
        "receipt_sha256": proposal.receipt_sha256,
        "offers": [offer_out(offer) for offer in sealed.offers],
        "incentives": [sealed_incentive_out(item) for item in sealed.incentives],
        "training_places": sealed.training_places,
        "job_centre_partnership": sealed.job_centre_partnership,
        "recruitment_support": sealed.recruitment_support,
        "free_text": sealed.free_text,
        "attachments": [attachment_out(item) for item in sealed.attachments],
    }


def offer_out(offer: SealedOffer) -> dict[str, Any]:
    return {
        "premises": {"id": offer.premises_id, "name": offer.name},
        "commune": offer.commune_name,
        "area_m2": offer.area_m2,
        "building_area_m2": offer.building_area_m2,
        "rent_eur_m2_year": money(offer.rent_eur_m2_year),
        "charges_eur_m2_year": money(offer.charges_eur_m2_year),
        "rent_free_months": offer.rent_free_months,
        "fit_out_contribution_eur": money(offer.fit_out_contribution_eur),
        "available_from": offer.available_from,
        "fibre": offer.fibre,
        "power_backup": offer.power_backup,
        "parking_spaces": offer.parking_spaces,
        "public_transport": offer.public_transport,
    }


def sealed_incentive_out(item: SealedIncentive) -> dict[str, Any]:
    return {
        "id": item.incentive_id,
        "name": item.name,
        "kind": item.kind,
        "unit": item.unit,
        "amount": money(item.amount),
        "cap_eur": money(item.cap_eur),
        "conditions": item.conditions,
    }


def attachment_out(item: SealedAttachment) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "sha256": item.sha256,
        "size_bytes": item.size_bytes,
        "content_type": item.content_type,
        "url": reverse("offers:attachment", args=[item.id]),
    }


# --- agency -------------------------------------------------------------------------------------------


def _call(user: Reader, id: uuid.UUID) -> CallForOffers:
    return get_object_or_404(selectors.calls_visible_to(user=user), public_id=id)


@agency.get("/calls", response={200: Page[CallOut], **problems(401, 403, 422)}, summary="Calls for offers")
def calls_list(
    request: AuthedRequest, page: Query[PageParams], project_id: Id | None = None
) -> dict[str, Any]:
    calls = selectors.calls_visible_to(user=request.auth).prefetch_related("deadline_changes")
    if project_id is not None:
        calls = calls.filter(project_id=project_id)
    return paginate(calls.order_by("-created_at", "-pk"), page, lambda c: call_out(c, user=request.auth))


@agency.post(
    "/calls",
    response={201: CallDetail, **problems(401, 403, 422)},
    summary="Draft a call, addressed to every owner of an eligible premises",
)
def calls_create(request: AuthedRequest, payload: CallIn) -> Status[dict[str, Any]]:
    project = projects_visible_to(user=request.auth).filter(pk=payload.project_id).first()
    if project is None:
        raise invalid("project_id", "No such project.")
    call = services.call_create(
        actor=request.auth,
        project=project,
        title=payload.title,
        brief=payload.brief,
        deadline=payload.deadline,
        years=payload.years,
        discount_rate=payload.discount_rate,
    )
    return Status(201, call_detail_out(_call(request.auth, call.public_id), user=request.auth))


@agency.get(
    "/calls/{id}",
    response={200: CallDetail, **problems(401, 403, 404, 422)},
    summary="A call, who was consulted and who answered (not what)",
)
def calls_detail(request: AuthedRequest, id: uuid.UUID) -> dict[str, Any]:
    return call_detail_out(_call(request.auth, id), user=request.auth)


@agency.post(
    "/calls/{id}/open",
    response={200: CallDetail, **problems(401, 403, 404, 409, 422)},
    summary="Send the brief to the consulted authorities and open the call until its deadline",
    description=(
        "If no e-mail address reaches some consulted authority, the answer is a 422 on "
        '`unreachable_confirmed` naming them, as the page asks: send `{"unreachable_confirmed": true}` '
        "to open the call anyway (the agency tells them itself). The body may be left out."
    ),
)
def calls_open(request: AuthedRequest, id: uuid.UUID, payload: OpenIn | None = None) -> dict[str, Any]:
    confirmed = payload.unreachable_confirmed if payload is not None else False
    services.call_open(actor=request.auth, call=_call(request.auth, id), unreachable_confirmed=confirmed)
    return call_detail_out(_call(request.auth, id), user=request.auth)


@agency.get(
    "/calls/{id}/proposals",
    response={200: ProposalPage, **problems(401, 403, 404, 422)},
    summary="The proposals received: empty (sealed) until the deadline",
)
def calls_proposals(request: AuthedRequest, id: uuid.UUID, page: Query[PageParams]) -> dict[str, Any]:
    call = _call(request.auth, id)
    proposals = (
        selectors.proposals_readable_by(user=request.auth, call=call)
        .select_related("call", "sealed")
        .order_by("authority__name", "pk")
    )
    return {**paginate(proposals, page, proposal_out), "sealed": not call.deadline_passed}


@agency.post(
    "/calls/{id}/comparison",
    response={200: ComparisonOut, **problems(401, 403, 404, 409, 422)},
    summary="Rank the proposals with the weights given (after the deadline)",
)
def calls_compare(request: AuthedRequest, id: uuid.UUID, payload: ComparisonIn) -> dict[str, Any]:
    call = _call(request.auth, id)
    weights = payload.weights if payload.weights is not None else evaluation.call_weights(call=call)
    scoring.Weights.from_mapping(weights)  # a ScoringInputError names the wrong weight (422)
    result = evaluation.evaluate_call(call=call, weights=weights)
    names = result.names

    def reason(item: Any) -> dict[str, Any]:
        params = dict(item["params"] if isinstance(item, dict) else item.params)
        key = item["reason_key"] if isinstance(item, dict) else item.reason_key
        return {"reason_key": key, "params": params, "text": reasons.render(key, params, names=names)}

    return {
        "weights": result.weights,
        "weights_percent": result.percent,
        "need": need_out(call, result.basis),
        "method": reason(result.method_reason),
        "tie_break_rule": reason(reasons.tie_rule_reason()),
        "years": result.years,
        "discount_rate": result.discount_rate,
        "candidates": [
            {
                "rank": row.rank,
                "key": row.key,
                "proposal_id": row.proposal.public_id,
                "authority": row.authority_name,
                "premises": row.premises_name,
                "commune": row.commune_name,
                "score": row.score,
                "net_pv_eur": row.net_pv_eur,
                "per_seat_eur": row.per_seat_eur,
                "per_seat_year_eur": row.per_seat_year_eur,
                "undersized": row.undersized,
                "seats_held": row.seats_held,
                "seats_needed": result.needs.seats,
                "capacity_text": row.capacity_text,
                "summary": reason(row.explanation),
                "explanations": [
                    {
                        **reason(explained),
                        "criterion": explained.criterion.value,
                        "label": reasons.criterion_label(explained.criterion.value),
                        "raw": explained.raw,
                        "normalised": explained.normalised,
                        "weight": explained.weight,
                        "points": explained.points,
                    }
                    for explained in row.explanation.criteria
                ],
                "contributions": row.contributions,
                "not_valued": row.not_valued,
                "operation": operation_out(row.operation),
            }
            for row in result.rows
        ],
        "pairs": [reason(swap) for swap in result.swaps],
        "sensitivity": [reason(item) for item in result.ranges],
    }


# --- an officer's calls and proposal -------------------------------------------------------------------


@mine.get("/calls", response={200: Page[MyCallOut], **problems(401, 403, 422)}, summary="Calls sent to me")
def my_calls_list(request: AuthedRequest, page: Query[PageParams]) -> dict[str, Any]:
    calls = (
        selectors.calls_visible_to(user=request.auth)
        .prefetch_related("deadline_changes")
        .order_by("-created_at", "-pk")
    )
    return paginate(calls, page, lambda c: my_call_out(c, user=request.auth))


@mine.get(
    "/calls/{id}", response={200: MyCallOut, **problems(401, 403, 404, 422)}, summary="A call sent to me"
)
def my_calls_detail(request: AuthedRequest, id: uuid.UUID) -> dict[str, Any]:
    return my_call_out(_call(request.auth, id), user=request.auth)


@mine.get(
    "/calls/{id}/proposal",
    response={200: ProposalOut, **problems(401, 403, 404, 422)},
    summary="My authority's proposal to a call (404 until there is one)",
)
def my_proposal(request: AuthedRequest, id: uuid.UUID) -> dict[str, Any]:
    proposal = selectors.proposal_of(user=request.auth, call=_call(request.auth, id))
    if proposal is None or proposal.sealed is None:
        raise Http404("No proposal yet.")
    return proposal_out(proposal)


@mine.put(
    "/calls/{id}/proposal",
    response={200: ProposalOut, **problems(401, 403, 404, 409, 422)},
    summary="Send (or replace, until the deadline) my authority's proposal; returns its receipt",
)
def my_proposal_submit(request: AuthedRequest, id: uuid.UUID, payload: ProposalIn) -> dict[str, Any]:
    call = _call(request.auth, id)
    proposal = services.proposal_submit(actor=request.auth, call=call, draft=proposal_draft(payload))
    return proposal_out(Proposal.objects.select_related("authority", "call", "sealed").get(pk=proposal.pk))


@mine.post(
    "/calls/{id}/proposal/attachments",
    response={200: ProposalOut, **problems(401, 403, 404, 409, 422)},
    summary="Attach a file to my authority's proposal (until the deadline): a new sealed version and receipt",
    description=(
        "multipart/form-data with `file` (PDF, pictures, office documents; the size limit of the pages) and "
        "optionally `expected_version`. The proposal's terms stay as they are; only the agency reads the "
        "file, after the deadline. 409 before the proposal's terms are sent (PUT …/proposal)."
    ),
)
def my_proposal_attach(
    request: AuthedRequest,
    id: uuid.UUID,
    file: File[NinjaUploadedFile],
    expected_version: Form[int | None] = None,
) -> dict[str, Any]:
    call = _call(request.auth, id)
    proposal = selectors.proposal_of(user=request.auth, call=call)
    if proposal is None or proposal.sealed is None:
        raise ValidationError(_("Send the proposal's terms first, then attach files to it."))
    draft = proposal_with_file(proposal, upload=file, expected_version=expected_version)
    proposal = services.proposal_submit(actor=request.auth, call=call, draft=draft)
    return proposal_out(Proposal.objects.select_related("authority", "call", "sealed").get(pk=proposal.pk))
