"""Calls for offers, sealed proposals, the comparison and the investor's dossier."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.files import private_name
from guichet.projects.models import Project


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")
    CANCELLED = "cancelled", _("Cancelled")


class CallForOffers(models.Model):
    # Authorities see calls, proposals, receipts and attachments by these opaque ids: a sequential id
    # would tell them how many records of others exist.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    brief = models.TextField(_("anonymised brief"))
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    years = models.PositiveSmallIntegerField(
        _("years compared"), default=9, validators=[MinValueValidator(1)]
    )
    discount_rate = models.DecimalField(
        _("discount rate"),
        max_digits=5,
        decimal_places=4,
        default=0.04,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    evaluation = models.JSONField(_("published evaluation"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("call for offers")
        verbose_name_plural = _("calls for offers")

    def __str__(self) -> str:
        return self.title

    @property
    def deadline_passed(self) -> bool:
        return timezone.now() >= self.deadline

    @property
    def accepts_proposals(self) -> bool:
        return self.status == CallStatus.OPEN and not self.deadline_passed


class Addressee(models.Model):
    """An authority the call was sent to, or one the agency left out (with the recorded reason)."""

    call = models.ForeignKey(CallForOffers, on_delete=models.CASCADE, related_name="addressees")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    included = models.BooleanField(_("consulted"), default=True)
    exclusion_reason = models.TextField(_("reason for leaving out"), blank=True)
    eligible_premises = models.PositiveIntegerField(_("eligible premises"), default=0)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        ordering = ["authority__name"]
        constraints = [
            models.UniqueConstraint(fields=["call", "authority"], name="one_addressee_per_authority")
        ]
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")

    def __str__(self) -> str:
        return f"{self.call} → {self.authority}"


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Proposal(models.Model):
    """An authority's answer to a call. What it offered is sealed in `sealed` (a ProposalVersion): the
    comparison, the dossier and every page read that snapshot, never the live catalogue."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(CallForOffers, on_delete=models.PROTECT, related_name="proposals")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    incentives = models.ManyToManyField(Incentive, verbose_name=_("incentives"), blank=True, related_name="+")
    training_places = models.PositiveIntegerField(_("training places"), default=0)
    job_centre_partnership = models.BooleanField(_("job-centre (France Travail) partnership"), default=False)
    recruitment_support = models.TextField(_("recruitment support"), blank=True)
    free_text = models.TextField(_("presentation"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    receipt_sha256 = models.CharField(_("receipt (SHA-256)"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=0)
    sealed = models.OneToOneField(
        "ProposalVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "authority"], name="one_proposal_per_authority")
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.call} — {self.authority}"


class ProposalVersion(models.Model):
    """One submission, sealed: the canonical JSON text whose SHA-256 is the receipt (docs/receipts.md).

    The text is kept byte for byte, so anyone holding it recomputes the receipt with standard tools."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    sealed_at = models.DateTimeField(_("sealed at"))
    canonical = models.TextField(_("sealed content (canonical JSON)"))
    sha256 = models.CharField(_("receipt (SHA-256)"), max_length=64)

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_sealed_version_per_number")
        ]
        verbose_name = _("sealed proposal version")
        verbose_name_plural = _("sealed proposal versions")

    def __str__(self) -> str:
        return f"{self.proposal} v{self.number} {self.sha256[:12]}"


class OfferedPremises(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="offered")
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="+")
    area_m2 = models.PositiveIntegerField(_("area offered (m²)"), validators=[MinValueValidator(1)])
    rent_eur_m2_year = models.DecimalField(
        _("rent (EUR/m²/year excl. VAT)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    charges_eur_m2_year = models.DecimalField(
        _("charges (EUR/m²/year excl. VAT)"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    rent_free_months = models.PositiveSmallIntegerField(_("rent-free months"), default=0)
    fit_out_contribution_eur = models.DecimalField(
        _("fit-out contribution (EUR)"),
        max_digits=12,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "premises"], name="premises_once_per_proposal")
        ]
        verbose_name = _("premises offered")
        verbose_name_plural = _("premises offered")

    def __str__(self) -> str:
        return f"{self.premises} ({self.area_m2} m²)"


def attachment_path(instance: ProposalAttachment, filename: str) -> str:
    return private_name("attachments")


class ProposalAttachment(models.Model):
    """A file sent with a proposal. Stored under a random name; served only by `offers:attachment`,
    to the authority that sent it, and to the agency after the deadline."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Withdrawn from later versions; kept, because an earlier sealed version lists it.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class DossierLink(models.Model):
    """The investor's private dossier: reached by an unguessable token that expires and can be revoked.

    Only the token's SHA-256 is stored, so a database leak does not leak working links."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dossier_links")
    call = models.ForeignKey(CallForOffers, on_delete=models.CASCADE, related_name="dossier_links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    shortlist = models.ManyToManyField(Proposal, verbose_name=_("shortlisted proposals"), related_name="+")
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier link")
        verbose_name_plural = _("dossier links")

    def __str__(self) -> str:
        return f"{self.project} ({self.expires_at:%Y-%m-%d})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and timezone.now() < self.expires_at
