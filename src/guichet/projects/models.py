"""Investor projects and their pipeline. A project is known to authorities only by its code name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Premises, validate_siren
from guichet.engine import profiles
from guichet.engine.staffing import StaffingInputError
from guichet.territory.models import Commune, Departement


class Sector(models.TextChoices):
    CONTACT_CENTRE = "contact_centre", _("Customer-relationship (contact) centre")
    BACK_OFFICE = "back_office", _("Back office")
    IT_CENTRE = "it_centre", _("IT services centre")
    SHARED_SERVICES = "shared_services", _("Shared-service centre")
    OTHER = "other", _("Other service activity")


class CompanyKind(models.TextChoices):
    IN_HOUSE = "in_house", _("In-house customer service")
    OUTSOURCER = "outsourcer", _("Outsourcer")
    OTHER = "other", _("Other")


class FirmSize(models.TextChoices):
    """The investor's size by the EU SME definition (Commission Recommendation 2003/361/EC, GBER annex I):
    what the aid ceilings depend on. Unknown: the aid check takes ``large`` (the strictest ceiling) and says
    so. The payroll's "fewer than 50 employees" follows from it (docs/costs.md): a small enterprise has
    fewer than 50, a medium or large one 50 or more."""

    UNKNOWN = "", _("Not known")
    SMALL = "small", _("Small (fewer than 50 staff, turnover or balance sheet up to 10 M EUR)")
    MEDIUM = (
        "medium",
        _("Medium (fewer than 250 staff, turnover up to 50 M EUR or balance sheet up to 43 M EUR)"),
    )
    LARGE = "large", _("Large")


class Activity(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    MIXED = "mixed", _("Mixed")


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    QUALIFIED = "qualified", _("Qualified")
    CALL_FOR_OFFERS = "call_for_offers", _("Call for offers")
    SHORTLIST = "shortlist", _("Shortlist")
    VISITS = "visits", _("Visits")
    WON = "won", _("Decision: won")
    LOST = "lost", _("Decision: lost")
    ABANDONED = "abandoned", _("Decision: abandoned")
    INSTALLED = "installed", _("Installed")
    AFTERCARE = "aftercare", _("Aftercare")


class LeadSource(models.TextChoices):
    AGENCY = "agency", _("Agency prospection")
    PORTAL = "portal", _("Public portal")
    NATIONAL_AGENCY = "national_agency", _("National agency (Business France)")
    CONSULTANT = "consultant", _("Site-selection consultant")
    AUTHORITY = "authority", _("Local authority or partner")
    NETWORK = "network", _("Network, trade fair, other")


class LossReason(models.TextChoices):
    """Why a project was lost or abandoned: the board counts the losses to another region or abroad."""

    OTHER_REGION = "other_region", _("Lost to another French region")
    ABROAD = "abroad", _("Lost abroad")
    CANCELLED = "cancelled", _("Project cancelled")
    NO_PREMISES = "no_premises", _("No suitable premises")
    LABOUR = "labour", _("Labour pool")
    COST = "cost", _("Cost")
    OTHER = "other", _("Other")


class JobsBasis(models.TextChoices):
    SIZING = "sizing", _("From the project's sizing")
    AGENCY = "agency", _("The agency's figure")


STAGE_ORDER = [stage.value for stage in Stage]
# The decisions that end the competition for a project; the first one recorded is "the decision".
DECISION_STAGES = (Stage.WON, Stage.LOST, Stage.ABANDONED)
# A project moves along the pipeline; a decision can be taken from any open stage, and is final (a win
# leads only to the installation or an abandonment).
STAGE_TRANSITIONS: dict[str, set[str]] = {
    Stage.LEAD: {Stage.QUALIFIED, Stage.LOST, Stage.ABANDONED},
    Stage.QUALIFIED: {Stage.CALL_FOR_OFFERS, Stage.SHORTLIST, Stage.LOST, Stage.ABANDONED},
    # A competition can go round again: a call called off, a new call after a shortlist, a second round of
    # visits. The history keeps every round; the funnel counts a project once.
    # A call decided and signed is a win straight from the call (its shortlist is the investor's dossier).
    Stage.CALL_FOR_OFFERS: {Stage.SHORTLIST, Stage.WON, Stage.QUALIFIED, Stage.LOST, Stage.ABANDONED},
    Stage.SHORTLIST: {Stage.VISITS, Stage.WON, Stage.CALL_FOR_OFFERS, Stage.LOST, Stage.ABANDONED},
    Stage.VISITS: {Stage.WON, Stage.SHORTLIST, Stage.LOST, Stage.ABANDONED},
    Stage.WON: {Stage.INSTALLED, Stage.ABANDONED},
    Stage.INSTALLED: {Stage.AFTERCARE},
    Stage.LOST: set(),
    Stage.ABANDONED: set(),
    Stage.AFTERCARE: set(),
}


# A code name starting with one of these words already says it names a project.
PROJECT_WORDS = ("projet", "project")


def project_display_name(code_name: str) -> str:
    first = code_name.strip().split(maxsplit=1)[0].casefold() if code_name.strip() else ""
    if first in PROJECT_WORDS:
        return code_name.strip()
    return gettext("Project %(code_name)s") % {"code_name": code_name.strip()}


class Project(models.Model):
    code_name = models.CharField(_("code name"), max_length=80, unique=True)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.CONTACT_CENTRE
    )
    # Identity: hidden from authorities until the agency discloses it.
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    company_siren = models.CharField(
        _("company SIREN"), max_length=9, blank=True, validators=[validate_siren]
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    identity_disclosed = models.BooleanField(_("identity disclosed to the authorities"), default=False)

    company_kind = models.CharField(_("company kind"), max_length=16, choices=CompanyKind.choices, blank=True)
    activity = models.CharField(_("activity"), max_length=16, choices=Activity.choices, blank=True)
    firm_size = models.CharField(
        _("firm size (EU SME definition)"),
        max_length=8,
        choices=FirmSize.choices,
        blank=True,
        default=FirmSize.UNKNOWN,
        help_text=_("The whole group's staff and turnover. Not known: the aid check takes a large firm."),
    )
    channels = models.CharField(
        _("channels"), max_length=200, blank=True, help_text=_("phone, email, chat...")
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    description = models.TextField(_("description (anonymised)"), blank=True)

    # Seats, jobs at full ramp-up and floor area wanted hold the adopted sizing's figures unless the agency
    # set its own (the `*_overridden` flags); `projects.services` keeps them so, `projects.selectors` reads
    # them as the project's one need (`project_need`).
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    jobs_target = models.PositiveIntegerField(_("jobs at full ramp-up"), null=True, blank=True)
    seats_overridden = models.BooleanField(_("seats set by the agency"), default=False, editable=False)
    jobs_target_overridden = models.BooleanField(
        _("jobs at full ramp-up set by the agency"), default=False, editable=False
    )
    floor_area_wanted_overridden = models.BooleanField(
        _("floor area wanted set by the agency"), default=False, editable=False
    )
    # The latest sizing's result without its intervals (they are kept with the history, ProjectSizing).
    sizing = models.JSONField(_("sizing (staffing engine)"), null=True, blank=True)
    # The sizing the need's figures come from: the first sizing, then the one the agency adopts (a later
    # sizing changes nothing until adopted: `projects.services.project_adopt_sizing`).
    adopted_sizing = models.ForeignKey(
        "ProjectSizing",
        verbose_name=_("adopted sizing"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=300,
        blank=True,
        help_text=_("Days and hours, e.g. Mon-Fri 08:00-20:00; Sat 09:00-17:00"),
    )
    opening_hours_per_week = models.PositiveSmallIntegerField(
        _("opening hours per week"), null=True, blank=True, validators=[MaxValueValidator(168)]
    )
    opening_date = models.DateField(_("opening date"), null=True, blank=True)
    ramp_up = models.CharField(
        _("ramp-up (share of seats per year)"), max_length=100, blank=True, help_text=_("e.g. 0.5, 0.8, 1")
    )
    floor_area_wanted_m2 = models.PositiveIntegerField(_("floor area wanted (m²)"), null=True, blank=True)
    max_rent_eur_m2_year = models.DecimalField(
        _("maximum rent (EUR/m²/year excl. VAT)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    needs_fibre = models.BooleanField(_("needs fibre"), default=False)
    needs_public_transport = models.BooleanField(_("needs public transport"), default=False)
    needs_parking_spaces = models.PositiveIntegerField(_("parking spaces needed"), default=0)
    needs_24_7 = models.BooleanField(_("needs 24/7 access"), default=False)
    preferred_departements = models.ManyToManyField(
        Departement, verbose_name=_("preferred départements"), blank=True, related_name="+"
    )

    # The current stage, kept for lists and filters; every figure over time comes from `stage_changes`.
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    jobs_announced = models.PositiveIntegerField(_("jobs announced"), null=True, blank=True)
    jobs_announced_basis = models.CharField(
        _("basis of the jobs announced"), max_length=10, choices=JobsBasis.choices, blank=True
    )
    investment_eur = models.DecimalField(
        _("investment (EUR)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    floor_area_taken_m2 = models.PositiveIntegerField(_("floor area taken up (m²)"), null=True, blank=True)
    chosen_premises = models.ForeignKey(
        Premises,
        verbose_name=_("premises chosen"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chosen_by_projects",
    )
    site_commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune of the site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the project sets up: the chosen premises' commune, or the one the agency names."),
    )
    public_from = models.DateField(
        _("decision made public on"),
        null=True,
        blank=True,
        help_text=_("Until then, only the agency and the authority chosen see the project's figures."),
    )
    loss_reason = models.CharField(
        _("reason of the loss"), max_length=20, choices=LossReason.choices, blank=True
    )
    loss_details = models.TextField(_("details of the reason"), blank=True)
    lost_to = models.CharField(_("territory or country that won"), max_length=200, blank=True)
    source = models.CharField(
        _("lead source"), max_length=20, choices=LeadSource.choices, default=LeadSource.AGENCY
    )
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.code_name

    @property
    def display_name(self) -> str:
        """The project as a sentence or a heading names it: "Projet Aurore" for the code name "Aurore", and
        the code name alone when it already says it is a project ("Projet Horizon", never "Projet Projet
        Horizon")."""
        return project_display_name(self.code_name)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.stage in (Stage.LOST, Stage.ABANDONED) and not self.loss_reason:
            errors["loss_reason"] = _("Choose why the project was lost or abandoned.")
        if self.loss_reason == LossReason.OTHER and not self.loss_details.strip():
            errors["loss_details"] = _("Say in a few words what the other reason is.")
        if self.ramp_up:
            try:
                self.ramp_shares()
            except ValueError as error:
                errors["ramp_up"] = str(error)
        if self.opening_hours:
            try:
                hours = profiles.parse_opening_hours(self.opening_hours)
            except StaffingInputError:
                errors["opening_hours"] = _(
                    "Write the opening hours as days and hours, e.g. Mon-Fri 08:00-20:00; Sat 09:00-17:00."
                )
            else:
                # One way of writing them, and the weekly hours they make (whole hours, half up).
                self.opening_hours = hours.text()
                self.opening_hours_per_week = int(hours.hours_per_week + 0.5)
        if errors:
            raise ValidationError(errors)

    def ramp_shares(self) -> list[float]:
        """The ramp-up as shares of the target (rising, each in (0, 1])."""
        if not self.ramp_up.strip():
            return [1.0]
        try:
            shares = [float(part) for part in self.ramp_up.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise ValueError(
                _("Write the ramp-up as shares separated by commas, e.g. 0.5, 0.8, 1.")
            ) from None
        if not shares or any(not 0 < s <= 1 for s in shares) or shares != sorted(shares):
            raise ValueError(_("Ramp-up shares must rise from above 0 to at most 1."))
        return shares


class ProjectSizing(models.Model):
    """One sizing of a project, kept when the project is sized again: its inputs (defaults included, in
    ``summary["inputs"]``), its result without the intervals (``summary``, the engine's field names) and
    the agents per interval (``intervals``)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sizings")
    number = models.PositiveIntegerField(_("number"))
    summary = models.JSONField(_("result"))
    intervals = models.JSONField(_("agents per interval"), default=list, blank=True)
    created_at = models.DateTimeField(_("sized on"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_sizing_number_per_project")
        ]
        verbose_name = _("sizing")
        verbose_name_plural = _("sizings")

    def __str__(self) -> str:
        return f"{self.project} #{self.number}"


class StageChange(models.Model):
    """One move of a project along the pipeline: what it left, what it entered, on which date, who recorded
    it and why. Moves are only ever added: the dashboard's counts and durations are computed from them."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("previous stage"), max_length=20, choices=Stage.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    at = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            models.Index(fields=["project", "stage", "at"], name="stagechange_project_stage_at"),
            # Covers the dashboard's count of projects per stage over a period (an index-only scan).
            models.Index(fields=["stage", "at", "project"], name="stagechange_stage_at_project"),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.stage} ({self.at})"


class JobsCreated(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs_created")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    jobs = models.PositiveIntegerField(
        _("jobs created"), help_text=_("New jobs on the site during the year.")
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. the company's annual statement")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="one_jobs_figure_per_year")]
        verbose_name = _("jobs created")
        verbose_name_plural = _("jobs created")

    def __str__(self) -> str:
        return f"{self.project} {self.year}: {self.jobs}"


class AgencySettings(models.Model):
    """Targets the agency sets for itself (the article: about 400 jobs a year)."""

    jobs_target_per_year = models.PositiveIntegerField(_("jobs target per year"), default=400)
    follow_up_years = models.PositiveSmallIntegerField(
        _("years of jobs follow-up after opening"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("How many calendar years, from the opening year, a site reports its jobs created."),
    )

    class Meta:
        verbose_name = _("agency settings")
        verbose_name_plural = _("agency settings")

    def __str__(self) -> str:
        return str(_("Agency settings"))
