"""Writes of calls for offers and proposals: each one transaction, checked, recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.accounts.selectors import require_agency, user_authority_id
from guichet.audit.services import audit_record
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.concurrency import ConflictError
from guichet.files import DOCUMENT_KINDS, check_upload, max_upload_bytes
from guichet.offers import receipts
from guichet.offers.models import (
    Addressee,
    CallForOffers,
    CallStatus,
    DossierLink,
    OfferedPremises,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    ProposalVersion,
)
from guichet.offers.sealing import OfferTerms, seal, sealed_content
from guichet.projects.models import Project, Stage
from guichet.projects.selectors import eligible_premises
from guichet.projects.services import project_stage_record

DOSSIER_TOKEN_BYTES = 32


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def call_create(
    *,
    actor: Any,
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
    *, actor: Any, call: CallForOffers, authority: Authority, reason: str
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
def call_include_authority(*, actor: Any, call: CallForOffers, authority: Authority) -> Addressee:
    require_agency(actor, _("Only agency staff run calls for offers."))
    _require_draft(call)
    addressee, _created = Addressee.objects.get_or_create(call=call, authority=authority)
    addressee.included = True
    addressee.exclusion_reason = ""
    addressee.save()
    audit_record(actor=actor, action="include", target=call, summary=authority.name)
    return addressee


def _officer_emails(authority: Authority) -> list[str]:
    emails = [user.email for user in authority.users.filter(is_active=True) if user.email]
    if authority.contact_email:
        emails.append(authority.contact_email)
    return sorted(set(emails))


@transaction.atomic
def call_open(*, actor: Any, call: CallForOffers) -> CallForOffers:
    """Send the anonymised brief to every consulted authority and open the call until its deadline."""
    require_agency(actor, _("Only agency staff run calls for offers."))
    _require_draft(call)
    if call.deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline has passed; set a new one before sending.")})
    addressees = list(Addressee.objects.filter(call=call, included=True).select_related("authority"))
    if not addressees:
        raise ValidationError(_("The call has no addressee."))
    now = timezone.now()
    call.status = CallStatus.OPEN
    call.opened_at = now
    call.save(update_fields=["status", "opened_at"])
    project = call.project
    if project.stage in (Stage.LEAD, Stage.QUALIFIED):
        # Kept in the project's history like any other move: the funnel counts it.
        project_stage_record(
            actor=actor, project=project, stage=Stage.CALL_FOR_OFFERS, note=_("Call for offers sent")
        )
    for addressee in addressees:
        recipients = _officer_emails(addressee.authority)
        if recipients:
            send_mail(
                subject=_("Call for offers: %(title)s") % {"title": call.title},
                message=_(
                    'The one-stop shop invites %(authority)s to answer the call for offers "%(title)s" '
                    "(project %(code)s) before %(deadline)s. Sign in to Guichet to read the brief and answer."
                )
                % {
                    "authority": addressee.authority.name,
                    "title": call.title,
                    "code": project.code_name,
                    "deadline": timezone.localtime(call.deadline).strftime("%d/%m/%Y %H:%M"),
                },
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
        addressee.notified_at = now
        addressee.save(update_fields=["notified_at"])
    audit_record(
        actor=actor, action="open", target=call, summary=call.title, details={"addressees": len(addressees)}
    )
    return call


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


@transaction.atomic
def proposal_submit(
    *,
    actor: User | None,
    call: CallForOffers,
    offers: Sequence[OfferTerms],
    incentive_ids: Iterable[int] = (),
    training_places: int = 0,
    job_centre_partnership: bool = False,
    recruitment_support: str = "",
    free_text: str = "",
    attachments: Iterable[UploadedFile] = (),
    withdrawn_attachments: Iterable[str] = (),
    expected_version: int | None = None,
) -> Proposal:
    """Create or replace the authority's proposal, until the deadline, and seal it.

    The sealed content (offered terms, the premises' attributes and the incentives' terms as they stand
    now, the attachments' digests) is what the comparison and the dossier will read; its SHA-256 is the
    new receipt. Editing the catalogue afterwards changes the catalogue only."""
    # Lock the call row so that a deadline passing or a concurrent save cannot interleave.
    call = CallForOffers.objects.select_for_update().get(pk=call.pk)
    authority = _answering_authority(actor, call)
    if not offers:
        raise ValidationError({"offers": _("Offer at least one premises.")})
    _text_fields_valid(recruitment_support=recruitment_support, free_text=free_text)
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
    incentive_ids = sorted(set(incentive_ids))
    incentives = list(
        Incentive.objects.filter(pk__in=incentive_ids, owner=authority, archived_at__isnull=True)
    )
    if {incentive.pk for incentive in incentives} != set(incentive_ids):
        raise PermissionDenied(_("A proposal can only include the authority's own incentives."))
    checked_uploads = [
        (
            upload,
            check_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=max_upload_bytes(), field="attachment"),
        )
        for upload in attachments
    ]

    proposal, created = Proposal.objects.select_for_update().get_or_create(call=call, authority=authority)
    if expected_version is not None and proposal.version != expected_version:
        raise ConflictError(
            _("This proposal was changed by someone else meanwhile; reload it and try again."),
            code="conflict",
        )
    now = timezone.now()
    proposal.training_places = training_places
    proposal.job_centre_partnership = job_centre_partnership
    proposal.recruitment_support = recruitment_support
    proposal.free_text = free_text
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
        for offer in offers
    )
    proposal.incentives.set(incentive_ids)
    withdrawn = set(withdrawn_attachments)
    if withdrawn:
        proposal.attachments.filter(public_id__in=_uuids(withdrawn), withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
    for upload, checked in checked_uploads:
        ProposalAttachment.objects.create(
            proposal=proposal,
            file=upload,
            name=checked.name,
            sha256=checked.sha256,
            content_type=checked.kind.content_type,
            size_bytes=checked.size,
        )
    content = sealed_content(
        call=call,
        authority=authority,
        version=proposal.version,
        sealed_at=now,
        offers=[(premises[offer.premises_id], offer) for offer in offers],
        incentives=incentives,
        training_places=training_places,
        job_centre_partnership=job_centre_partnership,
        recruitment_support=recruitment_support,
        free_text=free_text,
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
    # The trail records that a proposal was sent and its digest, not its content: the trail is not sealed.
    audit_record(
        actor=actor,
        action="submit" if created else "resubmit",
        target=proposal,
        summary=authority.name,
        details={"receipt_sha256": proposal.receipt_sha256, "version": proposal.version},
    )
    return proposal


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
    *, actor: Any, call: CallForOffers, shortlist: Iterable[Proposal], valid_days: int = 30
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
    return link, token


@transaction.atomic
def dossier_link_revoke(*, actor: Any, link: DossierLink) -> DossierLink:
    require_agency(actor, _("Only agency staff run calls for offers."))
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="revoke", target=link)
    return link
