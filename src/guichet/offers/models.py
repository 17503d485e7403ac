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
    """What the agency decided. Whether an open call still takes proposals follows from its deadline
    (`CallForOffers.phase`), so no status goes stale when the deadline passes."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")
    CANCELLED = "cancelled", _("Cancelled")


class CallPhase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for proposals")
    CLOSED = "closed", _("Closed: proposals under review")
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
    # The need and the criteria's scales, fixed and published when the call is sent: the officers answer,
    # and the comparison scores, against them (`offers.scales`). Empty for a call sent before scales were
    # published: its scales are then computed when read, and the pages say so.
    scales = models.JSONField(_("need and scales published with the call"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # The investor's choice after the decision, and the signature that takes the premises off the market.
    chosen_proposal = models.ForeignKey(
        "Proposal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_premises = models.ForeignKey(
        Premises, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(_("offer chosen at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signature confirmed at"), null=True, blank=True)
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

    @property
    def phase(self) -> CallPhase:
        """Where the call stands now, derived from its status and the clock."""
        if self.status == CallStatus.OPEN:
            return CallPhase.CLOSED if self.deadline_passed else CallPhase.OPEN
        return CallPhase(self.status)

    @property
    def phase_label(self) -> str:
        return str(self.phase.label)


class DeadlineChange(models.Model):
    """A deadline moved by the agency: extended while open, set anew to reopen a closed call, or brought
    forward to now to close the call early once every consulted authority has answered."""

    call = models.ForeignKey(CallForOffers, on_delete=models.CASCADE, related_name="deadline_changes")
    previous_deadline = models.DateTimeField(_("previous deadline"))
    new_deadline = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"))
    reopened = models.BooleanField(_("reopened a closed call"), default=False)
    closed_early = models.BooleanField(_("closed early"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")

    def __str__(self) -> str:
        return f"{self.call}: {self.previous_deadline:%Y-%m-%d %H:%M} → {self.new_deadline:%Y-%m-%d %H:%M}"


class Clarification(models.Model):
    """A question an authority asks about the brief. The agency answers it once, for every consulted
    authority, without saying who asked (as in public procurement); only the asker sees its own question
    before then."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(CallForOffers, on_delete=models.CASCADE, related_name="clarifications")
    asked_by_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    published_question = models.TextField(
        _("question as published"), blank=True, help_text=_("Reworded if needed so that it names nobody.")
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")

    def __str__(self) -> str:
        return self.question[:60]


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


class DossierAccessKind(models.TextChoices):
    PAGE = "page", _("page opened")
    PDF = "pdf", _("PDF downloaded")
    XLSX = "xlsx", _("spreadsheet downloaded")


class DossierAccess(models.Model):
    """When the investor opened the dossier and what was downloaded: the agency sees it beside the link."""

    link = models.ForeignKey(DossierLink, on_delete=models.CASCADE, related_name="accesses")
    what = models.CharField(_("what"), max_length=8, choices=DossierAccessKind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("dossier access")
        verbose_name_plural = _("dossier accesses")

    def __str__(self) -> str:
        return f"{self.link} {self.what} {self.at:%Y-%m-%d %H:%M}"
