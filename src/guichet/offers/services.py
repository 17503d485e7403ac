"""Writes of calls for offers and proposals: each one transaction, checked, recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts.models import User
from guichet.accounts.selectors import agency_recipients, require_agency, user_authority_id
from guichet.accounts.types import Actor
from guichet.audit.chain import chain_sign
from guichet.audit.models import HeadReason
from guichet.audit.services import DOSSIER_LINK_LABEL, audit_read, audit_record
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.catalogue.selectors import officer_emails, premises_for_update, require_premises_on_offer
from guichet.catalogue.services import premises_let
from guichet.concurrency import ConflictError
from guichet.files import (
    DOCUMENT_KINDS,
    CheckedUpload,
    check_upload,
    files_deleted_on_failure,
    max_upload_bytes,
)
from guichet.notifications.models import NotificationKind
from guichet.notifications.services import notification_queue
from guichet.offers import dossier, letters, receipts
from guichet.offers.chain import receipt_chain_text
from guichet.offers.drafts import OfferTerms, ProposalDraft
from guichet.offers.evaluation import evaluate_call
from guichet.offers.models import (
    Addressee,
    CallForOffers,
    CallStatus,
    Clarification,
    DeadlineChange,
    DossierAccess,
    DossierLink,
    OfferedPremises,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    ProposalVersion,
)
from guichet.offers.scales import call_basis, call_basis_fix
from guichet.offers.sealing import seal, sealed_content
from guichet.offers.selectors import (
    addressees_without_address,
    area_offered,
    call_lock,
    token_digest,
    unanswered_addressees,
    with_officers,
)
from guichet.offers.tasks import render_dossier
from guichet.phrasing.need import need_lines
from guichet.projects.models import STAGE_TRANSITIONS, Project, Stage
from guichet.projects.selectors import eligible_premises
from guichet.projects.services import project_move, project_record_outcome, project_stage_record

DOSSIER_TOKEN_BYTES = 32


@transaction.atomic
def call_create(
    *,
    actor: Actor,
    project: Project,
    title: str,
    brief: str,
    deadline: dt.datetime,
    years: int = 9,
    discount_rate: Decimal = Decimal("0.04"),
) -> CallForOffers:
    """A draft call, addressed by default to every authority owning an eligible premises."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    call = CallForOffers(
        project=project,
        title=title,
        brief=brief,
        deadline=deadline,
        years=years,
        discount_rate=discount_rate,
        created_by=actor,
    )
    call.full_clean()
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    call.save()
    counts: dict[int, int] = {}
    for owner_id in eligible_premises(project=project).values_list("owner_id", flat=True):
        counts[owner_id] = counts.get(owner_id, 0) + 1
    Addressee.objects.bulk_create(
        Addressee(call=call, authority_id=owner_id, eligible_premises=count)
        for owner_id, count in counts.items()
    )
    audit_record(
        actor=actor, action="create", target=call, summary=title, details={"addressees": len(counts)}
    )
    return call


def _require_draft(call: CallForOffers) -> None:
    if call.status != CallStatus.DRAFT:
        raise ValidationError(_("The call has been sent; its addressees can no longer change."))


@transaction.atomic
def call_exclude_authority(
    *, actor: Actor, call: CallForOffers, authority: Authority, reason: str
) -> Addressee:
    """Leave an authority out of a call: only with a recorded reason."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    _require_draft(call)
    if not reason.strip():
        raise ValidationError({"exclusion_reason": _("Leaving an authority out needs a reason.")})
    addressee = Addressee.objects.get(call=call, authority=authority)
    addressee.included = False
    addressee.exclusion_reason = reason.strip()
    addressee.save()
    audit_record(
        actor=actor, action="exclude", target=call, summary=authority.name, details={"reason": reason}
    )
    return addressee


@transaction.atomic
def call_include_authority(*, actor: Actor, call: CallForOffers, authority: Authority) -> Addressee:
    require_agency(actor, _("Only agency staff run calls for offers."))
    _require_draft(call)
    addressee, _created = Addressee.objects.get_or_create(call=call, authority=authority)
    addressee.included = True
    addressee.exclusion_reason = ""
    addressee.save()
    audit_record(actor=actor, action="include", target=call, summary=authority.name)
    return addressee


def _tell_authority(
    *, call: CallForOffers, authority: Authority, kind: str, subject: str, body: str, actor: Actor | None
) -> None:
    """One e-mail to an authority's officers (in the interface's first language), queued after commit."""
    notification_queue(
        kind=kind,
        recipients=officer_emails(authority),
        subject=subject,
        body=body,
        call=call,
        authority=authority,
        actor=actor,
    )


def _tell_consulted(*, call: CallForOffers, kind: str, compose: Any, actor: Actor) -> int:
    """`compose(authority) -> (subject, body)` for each consulted authority, phrased in French."""
    addressees = with_officers(Addressee.objects.filter(call=call, included=True))
    with translation.override(settings.LANGUAGE_CODE):
        for addressee in addressees:
            subject, body = compose(addressee.authority)
            _tell_authority(
                call=call, authority=addressee.authority, kind=kind, subject=subject, body=body, actor=actor
            )
    return len(addressees)


@transaction.atomic
def call_open(*, actor: Actor, call: CallForOffers, unreachable_confirmed: bool = False) -> CallForOffers:
    """Send the anonymised brief to every consulted authority and open the call until its deadline.

    If some consulted authority has no e-mail address, the agency must say it knows (and will reach it
    otherwise): the call does not silently open for an authority nobody told."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    call_lock(call)
    _require_draft(call)
    if call.deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline has passed; set a new one before sending.")})
    addressees = list(Addressee.objects.filter(call=call, included=True).select_related("authority"))
    if not addressees:
        raise ValidationError(_("The call has no addressee."))
    unreachable = addressees_without_address(call=call)
    if unreachable and not unreachable_confirmed:
        raise ValidationError(
            {
                "unreachable_confirmed": _(
                    "No e-mail address reaches %(names)s: add one to their officers or their contact "
                    "address, "
                    "or confirm that you will tell them yourself."
                )
                % {"names": ", ".join(sorted(authority.name for authority in unreachable))}
            }
        )
    now = timezone.now()
    call.status = CallStatus.OPEN
    call.opened_at = now
    # The need and the scales every offer will be scored on are fixed, and published, now.
    call_basis_fix(call=call)
    call.save(update_fields=["status", "opened_at", "scales"])
    project = call.project
    if project.stage in (Stage.LEAD, Stage.QUALIFIED):
        # Kept in the project's history like any other move: the funnel counts it.
        project_stage_record(
            actor=actor, project=project, stage=Stage.CALL_FOR_OFFERS, note=_("Call for offers sent")
        )
    Addressee.objects.filter(call=call, included=True).update(notified_at=now)
    need = _need_paragraph(call)
    _tell_consulted(
        call=call,
        kind=NotificationKind.CALL_OPENED,
        compose=lambda authority: letters.invitation(call, authority, need=need),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="open",
        target=call,
        summary=call.title,
        details={"addressees": len(addressees), "unreachable": [a.name for a in unreachable]},
    )
    return call


def _need_paragraph(call: CallForOffers) -> str:
    """The need the call published, line by line with each figure's origin, for the invitation."""
    need = call_basis(call=call).need
    return _("The need:") + "\n" + "\n".join(f"- {line}" for line in need_lines(need))


@transaction.atomic
def call_change_deadline(
    *, actor: Actor, call: CallForOffers, new_deadline: dt.datetime, reason: str
) -> DeadlineChange:
    """Extend an open call's deadline, or reopen a closed (undecided) call with a new one. Every consulted
    authority is told, with the reason."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    call_lock(call)
    if call.status != CallStatus.OPEN:
        raise ValidationError(
            _("Only a call that was sent and not decided or cancelled can get a new deadline.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the deadline changes: the authorities will read it.")})
    now = timezone.now()
    if new_deadline <= now:
        raise ValidationError({"new_deadline": _("The new deadline must be in the future.")})
    if new_deadline <= call.deadline:
        raise ValidationError({"new_deadline": _("The new deadline must come after the current one.")})
    reopened = call.deadline <= now
    if reopened:
        # The investor's dossier reads the proposals as sealed now; reopening would let them change under a
        # link already sent. The agency revokes the links first (and sends new ones after the deadline).
        live = DossierLink.objects.filter(call=call, revoked_at__isnull=True, expires_at__gt=now).count()
        if live:
            raise ValidationError(
                ngettext(
                    "A private dossier link sent to the investor is still live: revoke it before reopening "
                    "the call, since reopened proposals may change.",
                    "%(count)d private dossier links sent to the investor are still live: revoke them before "
                    "reopening the call, since reopened proposals may change.",
                    live,
                )
                % {"count": live}
            )
    change = DeadlineChange.objects.create(
        call=call,
        previous_deadline=call.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        reopened=reopened,
        changed_by=actor,
    )
    call.deadline = new_deadline
    call.save(update_fields=["deadline"])
    kind = NotificationKind.CALL_REOPENED if reopened else NotificationKind.DEADLINE_EXTENDED
    _tell_consulted(
        call=call, kind=kind, compose=lambda authority: letters.deadline_moved(call, change), actor=actor
    )
    audit_record(
        actor=actor,
        action="reopen" if reopened else "extend",
        target=call,
        summary=change.reason,
        details={"from": change.previous_deadline.isoformat(), "to": new_deadline.isoformat()},
    )
    return change


@transaction.atomic
def call_close_early(*, actor: Actor, call: CallForOffers, reason: str) -> DeadlineChange:
    """Close an open call before its deadline, once every consulted authority has answered: the deadline
    becomes now, so that every page and the API treat the call as past its deadline (proposals frozen and
    readable by the agency). Every consulted authority is told, with the reason."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    call_lock(call)
    if call.status != CallStatus.OPEN or call.deadline_passed:
        raise ValidationError(_("Only a call open for proposals can be closed early."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the call closes early: the authorities will read it.")})
    waiting = unanswered_addressees(call=call)
    if waiting:
        raise ValidationError(
            ngettext(
                "%(names)s has not answered yet: the call closes early only once every consulted authority "
                "has answered.",
                "%(names)s have not answered yet: the call closes early only once every consulted "
                "authority has answered.",
                len(waiting),
            )
            % {"names": ", ".join(authority.name for authority in waiting)}
        )
    now = timezone.now()
    change = DeadlineChange.objects.create(
        call=call,
        previous_deadline=call.deadline,
        new_deadline=now,
        reason=reason.strip(),
        closed_early=True,
        changed_by=actor,
    )
    call.deadline = now
    call.save(update_fields=["deadline"])
    _tell_consulted(
        call=call,
        kind=NotificationKind.CALL_CLOSED_EARLY,
        compose=lambda authority: letters.closed_early(call, change),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="close_early",
        target=call,
        summary=change.reason,
        details={"from": change.previous_deadline.isoformat(), "to": now.isoformat()},
    )
    return change


@transaction.atomic
def call_cancel(*, actor: Actor, call: CallForOffers, reason: str) -> CallForOffers:
    """Cancel a call not yet decided. The consulted authorities are told why; proposals stay sealed."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    call_lock(call)
    if call.status not in (CallStatus.DRAFT, CallStatus.OPEN):
        raise ValidationError(_("A decided or cancelled call cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the call is cancelled.")})
    was_sent = call.status == CallStatus.OPEN
    call.status = CallStatus.CANCELLED
    call.cancelled_at = timezone.now()
    call.cancel_reason = reason.strip()
    call.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    if was_sent:
        _tell_consulted(
            call=call,
            kind=NotificationKind.CALL_CANCELLED,
            compose=lambda authority: letters.cancelled(call),
            actor=actor,
        )
    audit_record(actor=actor, action="cancel", target=call, summary=call.cancel_reason)
    return call


@transaction.atomic
def call_decide(*, actor: Actor, call: CallForOffers, weights: dict[str, float]) -> CallForOffers:
    """Freeze the comparison with the agency's weights and publish it to the participating authorities."""
    require_agency(actor, _("Only agency staff decide calls for offers."))
    call_lock(call)
    if call.status != CallStatus.OPEN:
        raise ValidationError(_("Only an open call whose deadline has passed can be decided."))
    result = evaluate_call(call=call, weights=weights)
    call.weights = result.weights
    call.evaluation = result.as_json()
    call.status = CallStatus.DECIDED
    call.decided_at = timezone.now()
    call.save(update_fields=["weights", "evaluation", "status", "decided_at"])
    audit_record(
        actor=actor, action="decide", target=call, summary=call.title, details={"weights": result.weights}
    )
    # Each participant learns that the decision is published; its own figures wait behind its sign-in.
    with translation.override(settings.LANGUAGE_CODE):
        participants = Proposal.objects.filter(call=call, sealed__isnull=False).select_related("authority")
        for proposal in participants.prefetch_related("authority__users"):
            subject, body = letters.decision(call)
            _tell_authority(
                call=call,
                authority=proposal.authority,
                kind=NotificationKind.DECISION,
                subject=subject,
                body=body,
                actor=actor,
            )
    return call


@transaction.atomic
def clarification_ask(*, actor: User, call: CallForOffers, question: str) -> Clarification:
    """An officer of a consulted authority asks about the brief while the call is open."""
    authority = _answering_authority(actor, call)
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Write your question.")})
    if len(question) > 5000:
        raise ValidationError({"question": _("A question holds at most 5,000 characters.")})
    _text_fields_valid(question=question)
    item = Clarification.objects.create(
        call=call, asked_by_authority=authority, asked_by=actor, question=question
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = letters.question_asked(call, authority, question)
        notification_queue(
            kind=NotificationKind.QUESTION_ASKED,
            recipients=agency_recipients(),
            subject=subject,
            body=body,
            call=call,
            actor=actor,
        )
    audit_record(actor=actor, action="ask", target=item, summary=call.title)
    return item


@transaction.atomic
def clarification_answer(
    *, actor: Actor, clarification: Clarification, answer: str, published_question: str = ""
) -> Clarification:
    """The agency answers once, for every consulted authority, without naming who asked."""
    require_agency(actor, _("Only agency staff answer questions on a call."))
    item = Clarification.objects.select_for_update().select_related("call").get(pk=clarification.pk)
    call = item.call
    if call.status not in (CallStatus.OPEN,):
        raise ValidationError(_("Questions are answered while the call is open."))
    if item.answered_at is not None:
        raise ValidationError(_("This question has been answered already."))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    _text_fields_valid(answer=answer, published_question=published_question)
    item.published_question = published_question.strip() or item.question
    item.answer = answer
    item.answered_at = timezone.now()
    item.answered_by = actor
    item.save(update_fields=["published_question", "answer", "answered_at", "answered_by"])
    _tell_consulted(
        call=call,
        kind=NotificationKind.QUESTION_ANSWERED,
        compose=lambda authority: letters.question_answered(call, item),
        actor=actor,
    )
    audit_record(actor=actor, action="answer", target=item, summary=call.title)
    return item


def _text_fields_valid(**texts: str) -> None:
    """Text that is not valid Unicode (a lone surrogate from a JSON escape) cannot be sealed."""
    for field, text in texts.items():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                {field: _("This text holds characters that are not valid Unicode.")}
            ) from None


def _answering_authority(actor: User | None, call: CallForOffers) -> Authority:
    authority_id = user_authority_id(actor)
    if authority_id is None:
        raise PermissionDenied(_("Only an officer of a consulted authority answers a call."))
    if not Addressee.objects.filter(call=call, authority_id=authority_id, included=True).exists():
        raise PermissionDenied(_("This call was not sent to your authority."))
    if not call.accepts_proposals:
        raise ValidationError(_("The call is closed: its deadline has passed and proposals are frozen."))
    return Authority.objects.get(pk=authority_id)


def proposal_submit(
    *, actor: User | None, call: CallForOffers, draft: ProposalDraft | None = None, **fields: Any
) -> Proposal:
    """Create or replace the authority's proposal, until the deadline, and seal it.

    `draft`: the proposal as the form or the API built it; a script may give the draft's fields as keywords
    instead (those of :class:`ProposalDraft`). The sealed content (offered terms, the premises' attributes
    and the incentives' terms as they stand now, the attachments' digests) is what the comparison and the
    dossier will read; its SHA-256 is the new receipt. Editing the catalogue afterwards changes the catalogue
    only. Attachments are stored as the transaction goes; if it fails, they are deleted again
    (`files_deleted_on_failure`)."""
    if draft is None:
        draft = ProposalDraft(**fields)
    elif fields:
        raise TypeError("proposal_submit takes a draft or its fields, not both")
    with files_deleted_on_failure() as stored, transaction.atomic():
        # Lock the call row so that a deadline passing or a concurrent save cannot interleave.
        call_lock(call)
        authority = _answering_authority(actor, call)
        checked = _draft_checked(draft, authority=authority)
        proposal, created = _proposal_for_update(call=call, authority=authority, draft=draft)
        now = timezone.now()
        _proposal_write(proposal, draft=draft, now=now)
        _attachments_write(proposal, draft=draft, checked=checked, now=now, stored=stored)
        _proposal_seal(proposal, call=call, authority=authority, draft=draft, checked=checked, now=now)
        # The trail records that a proposal was sent and its digest, not its content: the trail is not sealed.
        audit_record(
            actor=actor,
            action="submit" if created else "resubmit",
            target=proposal,
            summary=authority.name,
            details={"receipt_sha256": proposal.receipt_sha256, "version": proposal.version},
        )
        _receipt_send(proposal, call=call, authority=authority, actor=actor, now=now)
        return proposal


@dataclass(frozen=True)
class _CheckedDraft:
    """What a draft names, found and checked: the premises offered (by id), the incentives, the uploads."""

    premises: dict[int, Premises]
    incentives: list[Incentive]
    uploads: list[tuple[UploadedFile, CheckedUpload]]


def _draft_checked(draft: ProposalDraft, *, authority: Authority) -> _CheckedDraft:
    """The draft against the authority's live catalogue: its own premises and incentives only, terms within
    bounds, texts that can be sealed, files of the kinds and sizes allowed."""
    if not draft.offers:
        raise ValidationError({"offers": _("Offer at least one premises.")})
    _text_fields_valid(recruitment_support=draft.recruitment_support, free_text=draft.free_text)
    premises = _offered_premises(draft.offers, authority=authority)
    incentive_ids = set(draft.incentive_ids)
    incentives = list(
        Incentive.objects.filter(pk__in=sorted(incentive_ids), owner=authority, archived_at__isnull=True)
    )
    if {incentive.pk for incentive in incentives} != incentive_ids:
        raise PermissionDenied(_("A proposal can only include the authority's own incentives."))
    uploads = [
        (
            upload,
            check_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=max_upload_bytes(), field="attachment"),
        )
        for upload in draft.attachments
    ]
    return _CheckedDraft(premises=premises, incentives=incentives, uploads=uploads)


def _offered_premises(offers: Sequence[OfferTerms], *, authority: Authority) -> dict[int, Premises]:
    """The premises offered, by id: each one of the authority's live premises, once, on terms it allows."""
    premises = {
        p.pk: p
        for p in Premises.objects.filter(pk__in=[o.premises_id for o in offers])
        .select_related("commune")
        .prefetch_related("photos")
    }
    if len({offer.premises_id for offer in offers}) != len(offers):
        raise ValidationError({"offers": _("Offer each premises once.")})
    for index, offer in enumerate(offers, start=1):
        item = premises.get(offer.premises_id)
        if item is None or item.owner_id != authority.pk or item.archived_at is not None:
            raise PermissionDenied(
                _("Premises %(n)d is not one of your authority's live premises.") % {"n": index}
            )
        if offer.area_m2 <= 0 or offer.area_m2 > item.available_area_m2:
            raise ValidationError(
                {
                    "offers": _("Premises %(name)s: offer between 1 and %(max)d m².")
                    % {"name": item.name, "max": item.available_area_m2}
                }
            )
        if offer.rent_eur_m2_year < 0 or offer.charges_eur_m2_year < 0 or offer.fit_out_contribution_eur < 0:
            raise ValidationError(
                {"offers": _("Premises %(name)s: amounts cannot be negative.") % {"name": item.name}}
            )
        if not 0 <= offer.rent_free_months <= 120:
            raise ValidationError({"offers": _("Rent-free months must lie between 0 and 120.")})
    return premises


def _proposal_for_update(
    *, call: CallForOffers, authority: Authority, draft: ProposalDraft
) -> tuple[Proposal, bool]:
    """The authority's proposal to the call, locked (created if it has none), unless the draft was read at
    another version than the stored one."""
    proposal, created = Proposal.objects.select_for_update().get_or_create(call=call, authority=authority)
    if draft.expected_version is not None and proposal.version != draft.expected_version:
        raise ConflictError(
            _("This proposal was changed by someone else meanwhile; reload it and try again."),
            code="conflict",
        )
    return proposal, created


def _proposal_write(proposal: Proposal, *, draft: ProposalDraft, now: dt.datetime) -> None:
    """The draft's terms on the proposal's live records, as a new version (saved when sealed)."""
    proposal.training_places = draft.training_places
    proposal.job_centre_partnership = draft.job_centre_partnership
    proposal.recruitment_support = draft.recruitment_support
    proposal.free_text = draft.free_text
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = now
    proposal.version += 1
    proposal.offered.all().delete()
    OfferedPremises.objects.bulk_create(
        OfferedPremises(
            proposal=proposal,
            premises_id=offer.premises_id,
            area_m2=offer.area_m2,
            rent_eur_m2_year=offer.rent_eur_m2_year,
            charges_eur_m2_year=offer.charges_eur_m2_year,
            rent_free_months=offer.rent_free_months,
            fit_out_contribution_eur=offer.fit_out_contribution_eur,
        )
        for offer in draft.offers
    )
    proposal.incentives.set(sorted(set(draft.incentive_ids)))


def _attachments_write(
    proposal: Proposal, *, draft: ProposalDraft, checked: _CheckedDraft, now: dt.datetime, stored: list[Any]
) -> None:
    """Withdraw the attachments the draft lets go and store its new files (listed in `stored`, to be
    deleted again if the transaction fails)."""
    withdrawn = set(draft.withdrawn_attachments)
    if withdrawn:
        proposal.attachments.filter(public_id__in=_uuids(withdrawn), withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
    for upload, upload_checked in checked.uploads:
        attachment = ProposalAttachment(
            proposal=proposal,
            name=upload_checked.name,
            sha256=upload_checked.sha256,
            content_type=upload_checked.kind.content_type,
            size_bytes=upload_checked.size,
        )
        attachment.file.save(upload_checked.name, upload, save=False)  # named by the field's upload_to
        stored.append(attachment.file)
        attachment.save()


def _proposal_seal(
    proposal: Proposal,
    *,
    call: CallForOffers,
    authority: Authority,
    draft: ProposalDraft,
    checked: _CheckedDraft,
    now: dt.datetime,
) -> ProposalVersion:
    """Seal the new version: its canonical content, stored with its digest, which becomes the receipt."""
    content = sealed_content(
        call=call,
        authority=authority,
        version=proposal.version,
        sealed_at=now,
        draft=draft,
        premises=checked.premises,
        incentives=checked.incentives,
        attachments=list(proposal.attachments.filter(withdrawn_at__isnull=True)),
    )
    canonical = seal(content)
    sealed = ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.version,
        sealed_at=now,
        canonical=canonical,
        sha256=receipts.digest(canonical.encode("utf-8")),
    )
    proposal.sealed = sealed
    proposal.receipt_sha256 = sealed.sha256
    proposal.save()
    return sealed


def _receipt_send(
    proposal: Proposal, *, call: CallForOffers, authority: Authority, actor: User | None, now: dt.datetime
) -> None:
    """The receipt, e-mailed to the authority's officers (in the interface's first language)."""
    sealed = proposal.sealed
    assert sealed is not None  # sealed just before, in the same transaction
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = letters.receipt(call, proposal, at=now, chain=receipt_chain_text(sealed))
        _tell_authority(
            call=call,
            authority=authority,
            kind=NotificationKind.RECEIPT,
            subject=subject,
            body=body,
            actor=actor,
        )


def _uuids(values: Iterable[str]) -> list[uuid.UUID]:
    parsed = []
    for value in values:
        try:
            parsed.append(uuid.UUID(str(value)))
        except ValueError:
            raise ValidationError({"withdrawn_attachments": _("Unknown attachment.")}) from None
    return parsed


@transaction.atomic
def dossier_link_create(
    *, actor: Actor, call: CallForOffers, shortlist: Iterable[Proposal], valid_days: int = 30
) -> tuple[DossierLink, str]:
    """A private link for the investor. The token is returned once and only its digest is kept."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    if not call.deadline_passed:
        raise ValidationError(_("Proposals stay sealed until the deadline."))
    proposals = list(shortlist)
    if not proposals:
        raise ValidationError({"shortlist": _("Tick at least one offer for the investor's dossier.")})
    if any(p.call_id != call.pk or p.sealed_id is None for p in proposals):
        raise ValidationError(_("The shortlist must come from this call."))
    if not 1 <= valid_days <= 365:
        raise ValidationError({"valid_days": _("A link lasts from 1 to 365 days.")})
    token = secrets.token_urlsafe(DOSSIER_TOKEN_BYTES)
    link = DossierLink.objects.create(
        project=call.project,
        call=call,
        token_sha256=token_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=valid_days),
        created_by=actor,
    )
    link.shortlist.set(proposals)
    audit_record(actor=actor, action="dossier_link", target=link, summary=f"{len(proposals)} proposals")
    dossier_render_ahead(link=link)
    return link, token


def dossier_render_ahead(*, link: DossierLink) -> None:
    """Queue the rendering of a new link's dossier in each language, once its transaction commits, so that
    the investor never waits for it."""

    def enqueue() -> None:
        for language in dossier.LANGUAGES:
            render_dossier.enqueue(link.pk, language)

    transaction.on_commit(enqueue)


def dossier_render(*, link_id: int, language: str, kinds: Sequence[str] = ("html", "pdf")) -> str:
    """Render a dossier's page and PDF (or only those of ``kinds``) in one language into the shared cache
    (the background task's work)."""
    link = DossierLink.objects.select_related("call", "project").filter(pk=link_id).first()
    if link is None or not link.is_live:
        return "gone"
    with translation.override(language):
        dossier.render_into_cache(link=link, kinds=kinds)
    return "rendered"


def dossier_pdf(*, link: DossierLink) -> bytes | None:
    """The printable dossier from the render cache; on a miss its rendering is queued (a PDF takes
    seconds: never inside the request) and None tells the page to come back. With no worker (the
    immediate backend of tests and small installs) the queued rendering has already run."""
    pdf = dossier.cached_pdf(link=link)
    if pdf is None and dossier.pdf_render_claimed(link=link):
        render_dossier.enqueue(link.pk, translation.get_language() or settings.LANGUAGE_CODE, ["pdf"])
        pdf = dossier.cached_pdf(link=link)
    return pdf


@transaction.atomic
def dossier_link_revoke(*, actor: Actor, link: DossierLink) -> DossierLink:
    require_agency(actor, _("Only agency staff run calls for offers."))
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="revoke", target=link)
    return link


def _check_still_free(premises: Premises, *, call: CallForOffers, area_m2: int | None) -> None:
    """A premises can be chosen, and signed for, only while it is still on offer (the catalogue's rule),
    with the area offered still available (another signature may have taken part of it meanwhile), and
    no other call holds it."""
    require_premises_on_offer(premises)
    if area_m2 is not None and area_m2 > premises.available_area_m2:
        raise ValidationError(
            {
                "premises": _(
                    "%(name)s has %(available)s m² available now, less than the %(area)s m² offered."
                )
                % {"name": premises.name, "available": premises.available_area_m2, "area": area_m2}
            }
        )
    elsewhere = (
        # A signed call let the premises (refused above); once its owner offers it again, it is free.
        CallForOffers.objects.filter(chosen_premises_id=premises.pk, signed_at__isnull=True)
        .exclude(pk=call.pk)
        .exclude(status=CallStatus.CANCELLED)
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            {
                "premises": _('%(name)s is already reserved by the call for offers "%(title)s".')
                % {"name": premises.name, "title": elsewhere.title}
            }
        )


@transaction.atomic
def call_choose_offer(
    *, actor: Actor, call: CallForOffers, proposal: Proposal, premises_id: int
) -> CallForOffers:
    """Record the investor's choice after the decision. The premises is reserved on the call only (the
    agency and the owning authority see it); the public offer changes at the signature, so the portal says
    nothing of a decision the investor has not made public."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    call_lock(call)
    if call.status != CallStatus.DECIDED:
        raise ValidationError(_("Record the investor's choice once the call is decided."))
    if call.signed_at is not None:
        raise ValidationError(_("The signature is confirmed; the choice can no longer change."))
    if proposal.call_id != call.pk or proposal.sealed is None:
        raise ValidationError(_("Choose one of this call's proposals."))
    if area_offered(proposal, premises_id) is None:
        raise ValidationError({"premises": _("Choose a premises this proposal offered.")})
    premises = premises_for_update(pk=premises_id)
    _check_still_free(premises, call=call, area_m2=area_offered(proposal, premises_id))
    call.chosen_proposal = proposal
    call.chosen_premises = premises
    call.chosen_at = timezone.now()
    call.save(update_fields=["chosen_proposal", "chosen_premises", "chosen_at"])
    audit_record(
        actor=actor, action="choose", target=call, summary=premises.name, details={"premises": premises.pk}
    )
    return call


@transaction.atomic
def call_confirm_signature(*, actor: Actor, call: CallForOffers) -> CallForOffers:
    """The investor signed for the chosen premises: the floor area offered is taken up (recorded on the
    project, for the dashboard) and leaves the premises' available area; the rest of the premises stays
    on offer, and a premises taken whole leaves the public offer (let)."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    call_lock(call)
    if call.chosen_premises_id is None or call.chosen_proposal is None:
        raise ValidationError(_("Record the investor's choice first."))
    if call.signed_at is not None:
        raise ValidationError(_("The signature is already confirmed."))
    area = area_offered(call.chosen_proposal, call.chosen_premises_id)
    # The premises may have been let, withdrawn or partly taken since the choice: checked again, under its
    # row lock.
    premises = premises_for_update(pk=call.chosen_premises_id)
    _check_still_free(premises, call=call, area_m2=area)
    assert area is not None  # the choice checked that the proposal offered this premises
    call.signed_at = timezone.now()
    call.save(update_fields=["signed_at"])
    remaining = premises_let(premises=premises, area_m2=area)
    audit_record(
        actor=actor,
        action="signature",
        target=call,
        summary=str(premises),
        details={"premises": premises.pk, "area_m2": area, "area_left_m2": remaining},
    )
    chain_sign(reason=HeadReason.SIGNATURE)  # the head log an authority or the board keeps (docs/audit.md)
    _project_won_by_signature(actor=actor, call=call, premises=premises, area_m2=area)
    return call


def _project_won_by_signature(*, actor: Actor, call: CallForOffers, premises: Premises, area_m2: int) -> None:
    """The signature is the decision: the project is won today, for the premises chosen and the floor area
    taken up, with the jobs of its sizing unless the agency gave its own figure (project_move's rule). A
    project the agency already marked won without a floor area gets the premises and the area on its
    decision (one it recorded is the agency's figure, left as it is)."""
    project = call.project
    if Stage.WON in STAGE_TRANSITIONS.get(project.stage, set()):
        project_move(
            actor=actor,
            project=project,
            stage=Stage.WON,
            chosen_premises=premises,
            floor_area_taken_m2=area_m2,
            note=_("Signature confirmed: %(call)s") % {"call": call.title},
        )
    elif project.stage == Stage.WON and project.floor_area_taken_m2 is None:
        project_record_outcome(
            actor=actor, project=project, chosen_premises=premises, floor_area_taken_m2=area_m2
        )


@transaction.atomic
def dossier_access_record(*, link: DossierLink, what: str) -> DossierAccess:
    """The investor opened the dossier or downloaded it: the agency sees when, and the trail keeps it."""
    access = DossierAccess.objects.create(link=link, what=what)
    audit_read(
        actor=None,
        action=f"dossier_{what}",
        target=link,
        summary=link.project.code_name,
        actor_label=DOSSIER_LINK_LABEL,
        what=what,
    )
    return access
