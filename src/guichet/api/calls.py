"""What the agency does on a call through the API, as on the call's page: the addressees of a draft, the
deadline, the early close, cancelling, the decision, the investor's choice and signature, the offers side
by side, the e-mails and their delivery, the investor's dossier links. Each operation calls the service
the page calls (``guichet.offers.services``); the sealing rules are the selectors' (``offers.selectors``).

Answers: the call as ``GET /api/calls/{id}`` gives it, so a client sees the state the action left; a state
that forbids the action (a call already sent, proposals still sealed, a decided call) is a 409 problem.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from guichet.accounts.types import Reader
from guichet.api.auth import AuthedRequest, agency_only
from guichet.api.errors import invalid
from guichet.api.offers import attachment_out, call_detail_out, offer_out, sealed_incentive_out
from guichet.api.operation import operation_out
from guichet.api.schemas import CallDetail, ComparisonIn, Id, PageParams, money, paginate, problems
from guichet.api.schemas_calls import (
    ChoiceIn,
    DeadlineIn,
    DossierLinkIn,
    DossierLinkOut,
    DossierLinkPage,
    ExcludeIn,
    IncludeIn,
    NotificationPage,
    OffersOut,
    ReasonIn,
    ResendOut,
)
from guichet.catalogue.models import Authority
from guichet.engine import scoring
from guichet.notifications.models import Notification
from guichet.notifications.selectors import call_notifications_visible_to
from guichet.notifications.services import notifications_resend_failed
from guichet.offers import evaluation, selectors, services
from guichet.offers.models import Addressee, CallForOffers, CallStatus, DossierLink
from guichet.offers.side_by_side import OfferColumn, call_side_by_side

router = Router(tags=["agency: calls for offers"], auth=agency_only)

CALL = {200: CallDetail, **problems(401, 403, 404, 409, 422)}


def _call(user: Reader, id: uuid.UUID) -> CallForOffers:
    return get_object_or_404(selectors.calls_visible_to(user=user), public_id=id)


def _detail(request: AuthedRequest, id: uuid.UUID) -> dict[str, Any]:
    return call_detail_out(_call(request.auth, id), user=request.auth)


# --- a draft's addressees -------------------------------------------------------------------------------


@router.post(
    "/calls/{id}/exclude",
    response=CALL,
    summary="Leave a consulted authority out of a draft call, with the reason recorded",
)
def calls_exclude(request: AuthedRequest, id: uuid.UUID, payload: ExcludeIn) -> dict[str, Any]:
    call = _call(request.auth, id)
    addressee = Addressee.objects.filter(call=call, authority_id=payload.authority_id, included=True).first()
    if addressee is None:
        raise invalid("authority_id", "Not one of the call's consulted authorities.")
    services.call_exclude_authority(
        actor=request.auth, call=call, authority=addressee.authority, reason=payload.reason
    )
    return _detail(request, id)


@router.post("/calls/{id}/include", response=CALL, summary="Add an authority to a draft call's addressees")
def calls_include(request: AuthedRequest, id: uuid.UUID, payload: IncludeIn) -> dict[str, Any]:
    call = _call(request.auth, id)
    authority = Authority.objects.filter(pk=payload.authority_id).first()
    if authority is None:
        raise invalid("authority_id", "No such authority.")
    services.call_include_authority(actor=request.auth, call=call, authority=authority)
    return _detail(request, id)


# --- the deadline, the early close, cancelling ----------------------------------------------------------


@router.post(
    "/calls/{id}/deadline",
    response=CALL,
    summary="Extend an open call's deadline, or reopen a closed one; every consulted authority is told why",
)
def calls_deadline(request: AuthedRequest, id: uuid.UUID, payload: DeadlineIn) -> dict[str, Any]:
    services.call_change_deadline(
        actor=request.auth,
        call=_call(request.auth, id),
        new_deadline=payload.new_deadline,
        reason=payload.reason,
    )
    return _detail(request, id)


@router.post(
    "/calls/{id}/close",
    response=CALL,
    summary="Close an open call before its deadline, once every consulted authority has answered",
    description=(
        "The deadline becomes now: the call is `closed` and its proposals readable, as after a deadline. "
        "Every consulted authority is told, with the reason. 409 while an authority has not answered "
        "(`unanswered` in GET /api/calls/{id} names them)."
    ),
)
def calls_close(request: AuthedRequest, id: uuid.UUID, payload: ReasonIn) -> dict[str, Any]:
    services.call_close_early(actor=request.auth, call=_call(request.auth, id), reason=payload.reason)
    return _detail(request, id)


@router.post(
    "/calls/{id}/cancel",
    response=CALL,
    summary="Cancel a call not yet decided; the consulted authorities are told why",
)
def calls_cancel(request: AuthedRequest, id: uuid.UUID, payload: ReasonIn) -> dict[str, Any]:
    services.call_cancel(actor=request.auth, call=_call(request.auth, id), reason=payload.reason)
    return _detail(request, id)


# --- the offers, the decision, the choice and the signature ---------------------------------------------


def _column_out(column: OfferColumn) -> dict[str, Any]:
    catalogue = column.offer.catalogue
    return {
        "proposal_id": column.proposal.public_id,
        "authority": column.sealed.authority_name,
        "version": column.sealed.version,
        "sealed_at": column.sealed.sealed_at,
        "receipt_sha256": column.proposal.receipt_sha256,
        "offer": offer_out(column.offer),
        "catalogue": {
            "available_area_m2": catalogue.available_area_m2,
            "rent_eur_m2_year": money(catalogue.rent_eur_m2_year),
            "charges_eur_m2_year": money(catalogue.charges_eur_m2_year),
        },
        "yearly_rent_eur": money(column.yearly_rent_eur),
        "access_24_7": column.offer.access_24_7,
        "incentives": [
            {
                "incentive": sealed_incentive_out(valued.incentive),
                "value_eur": money(valued.value_eur),
                "basis": valued.basis,
                "capped": valued.capped,
            }
            for valued in column.incentives
        ],
        "incentives_total_eur": money(column.incentives_total_eur),
        "training_places": column.sealed.training_places,
        "job_centre_partnership": column.sealed.job_centre_partnership,
        "recruitment_support": column.sealed.recruitment_support,
        "free_text": column.sealed.free_text,
        "attachments": [attachment_out(item) for item in column.attachments],
        "operation": operation_out(column.operation),
    }


@router.get(
    "/calls/{id}/offers",
    response={200: OffersOut, **problems(401, 403, 404, 409, 422)},
    summary="The offers received, side by side, as sealed (409 until the deadline)",
)
def calls_offers(request: AuthedRequest, id: uuid.UUID) -> dict[str, Any]:
    offers = call_side_by_side(user=request.auth, call=_call(request.auth, id))
    return {
        "sized": offers.sized,
        "jobs": offers.jobs,
        "hires": offers.hires,
        "columns": [_column_out(column) for column in offers.columns],
    }


@router.post(
    "/calls/{id}/decision",
    response=CALL,
    summary="Decide: freeze the comparison with these weights and publish it to the participants",
    description=(
        "The weights as for POST …/comparison (omitted: the call's or the sector's preset). Each "
        "participating authority is told and reads its own rows (`evaluation` in GET /api/my/calls/{id})."
    ),
)
def calls_decide(request: AuthedRequest, id: uuid.UUID, payload: ComparisonIn) -> dict[str, Any]:
    call = _call(request.auth, id)
    weights = payload.weights if payload.weights is not None else evaluation.call_weights(call=call)
    scoring.Weights.from_mapping(weights)  # a ScoringInputError names the wrong weight (422)
    services.call_decide(actor=request.auth, call=call, weights=weights)
    return _detail(request, id)


@router.post(
    "/calls/{id}/choice",
    response=CALL,
    summary="Record the investor's choice: the premises is reserved on this call until the signature",
)
def calls_choose(request: AuthedRequest, id: uuid.UUID, payload: ChoiceIn) -> dict[str, Any]:
    call = _call(request.auth, id)
    proposal = selectors.proposals_readable_by(user=request.auth, call=call).filter(
        public_id=payload.proposal_id
    )
    found = proposal.select_related("sealed").first()
    if found is None and call.status != CallStatus.DECIDED:
        raise ValidationError(
            _("Record the investor's choice once the call is decided.")
        )  # 409, as the service
    if found is None:
        raise invalid("proposal_id", "Not one of this call's proposals.")
    services.call_choose_offer(actor=request.auth, call=call, proposal=found, premises_id=payload.premises_id)
    return _detail(request, id)


@router.post(
    "/calls/{id}/signature",
    response=CALL,
    summary="Confirm the signature: the area offered is taken up; the rest of the premises stays on offer",
)
def calls_sign(request: AuthedRequest, id: uuid.UUID) -> dict[str, Any]:
    services.call_confirm_signature(actor=request.auth, call=_call(request.auth, id))
    return _detail(request, id)


# --- the e-mails ----------------------------------------------------------------------------------------


def _notification_out(item: Notification) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "authority": {"id": item.authority.pk, "name": item.authority.name} if item.authority else None,
        "recipient": item.recipient,
        "status": item.status,
        "status_label": item.get_status_display(),
        "error": item.error,
        "created_at": item.created_at,
        "sent_at": item.sent_at,
    }


@router.get(
    "/calls/{id}/notifications",
    response={200: NotificationPage, **problems(401, 403, 404, 422)},
    summary="The call's e-mails, one per addressee, with what became of each",
)
def calls_notifications(request: AuthedRequest, id: uuid.UUID, page: Query[PageParams]) -> dict[str, Any]:
    items = call_notifications_visible_to(user=request.auth, call=_call(request.auth, id))
    return paginate(items, page, _notification_out)


@router.post(
    "/calls/{id}/notifications/resend",
    response={200: ResendOut, **problems(401, 403, 404, 422)},
    summary="Send the call's failed e-mails again",
)
def calls_resend(request: AuthedRequest, id: uuid.UUID) -> dict[str, Any]:
    return {"queued": notifications_resend_failed(actor=request.auth, call=_call(request.auth, id))}


# --- the investor's dossier links -----------------------------------------------------------------------


def _link_out(link: DossierLink, *, url: str | None = None) -> dict[str, Any]:
    return {
        "id": link.pk,
        "created_at": link.created_at,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
        "live": link.is_live,
        "shortlist": [
            {"proposal_id": proposal.public_id, "authority": proposal.authority.name}
            for proposal in link.shortlist.all()
        ],
        "accesses": [{"what": access.what, "at": access.at} for access in link.accesses.all()],
        "url": url,
    }


@router.get(
    "/calls/{id}/dossier-links",
    response={200: DossierLinkPage, **problems(401, 403, 404, 422)},
    summary="The investor's dossier links of a call, newest first, with when each was opened",
)
def calls_dossier_links(request: AuthedRequest, id: uuid.UUID, page: Query[PageParams]) -> dict[str, Any]:
    return paginate(selectors.dossier_links_of(call=_call(request.auth, id)), page, _link_out)


@router.post(
    "/calls/{id}/dossier-links",
    response={201: DossierLinkOut, **problems(401, 403, 404, 409, 422)},
    summary="Create the investor's private dossier link (after the deadline); its URL is given once",
)
def calls_dossier_link_create(
    request: AuthedRequest, id: uuid.UUID, payload: DossierLinkIn
) -> Status[dict[str, Any]]:
    call = _call(request.auth, id)
    wanted = set(payload.proposal_ids)
    shortlist = list(
        selectors.proposals_readable_by(user=request.auth, call=call).filter(public_id__in=wanted)
    )
    if call.deadline_passed and len(shortlist) != len(wanted):
        raise invalid("proposal_ids", "Not all of these are proposals of this call.")
    link, token = services.dossier_link_create(
        actor=request.auth, call=call, shortlist=shortlist, valid_days=payload.valid_days
    )
    url = request.build_absolute_uri(reverse("offers:dossier", args=[token]))
    return Status(201, _link_out(selectors.dossier_links_of(call=call).get(pk=link.pk), url=url))


@router.post(
    "/dossier-links/{id}/revoke",
    response={200: DossierLinkOut, **problems(401, 403, 404, 422)},
    summary="Revoke an investor's dossier link: it answers 404 from now on",
)
def dossier_links_revoke(request: AuthedRequest, id: Id) -> dict[str, Any]:
    link = get_object_or_404(DossierLink, pk=id)
    services.dossier_link_revoke(actor=request.auth, link=link)
    return _link_out(selectors.dossier_links_of(call=link.call).get(pk=link.pk))
