"""Imported labour-market data: employment zones, job-seeker counts, contact centres, and the import log.

Every imported row points to the :class:`ImportRun` that wrote it; the run is the "source and vintage" label
shown beside the figures drawn from it. :class:`LabourDataVersion` changes with every write, so the
per-process commune table of the selectors knows when to rebuild.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.territory.models import Commune


class ImportKind(models.TextChoices):
    SIRENE = "sirene", _("SIRENE establishments (StockEtablissement)")
    ZONES = "zones", _("INSEE employment zones (zones d'emploi 2020)")
    JOB_SEEKERS = "job_seekers", _("DARES job seekers by employment zone")
    FRANCE_TRAVAIL = "france_travail", _("France Travail statistics by ROME code")
    TRAVEL_TIMES = "travel_times", _("Travel-time matrix (origin, destination, minutes)")


class ImportRun(models.Model):
    """One import of one file: what was read, kept and rejected, and why."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    kept = models.PositiveIntegerField(_("kept"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    reasons = models.JSONField(
        _("reasons"), default=dict, blank=True, help_text=_("skipped, rejected and warnings, by reason")
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    vintage = models.CharField(_("vintage"), max_length=100, blank=True, help_text=_("period of the data"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The source label of the figures drawn from this import: names, period, file and date, no sentence
        (it is stored in per-process tables and shown on pages in either language)."""
        day = self.at.date().isoformat() if self.at else "?"
        names: dict[str, str] = {
            ImportKind.SIRENE: "SIRENE",
            ImportKind.ZONES: "INSEE ZE2020",
            ImportKind.JOB_SEEKERS: "DARES",
            ImportKind.FRANCE_TRAVAIL: "France Travail",
            # No name: every page that cites the matrix already says "travel-time matrix" in its language.
            ImportKind.TRAVEL_TIMES: "",
        }
        name = names.get(str(self.kind), str(self.kind))
        parts = [name, self.vintage, self.file_name, day]
        return " · ".join(part for part in parts if part)


class EmploymentZone(models.Model):
    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="zones")

    class Meta:
        ordering = ["code"]
        verbose_name = _("employment zone")
        verbose_name_plural = _("employment zones")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommuneZone(models.Model):
    """A commune's employment zone, by INSEE code: the zoning covers all of France, loaded territory or not
    (a zone's total is shared among all of its communes)."""

    commune_code = models.CharField(_("commune code"), max_length=5, primary_key=True)
    commune_name = models.CharField(_("commune name"), max_length=100)
    zone = models.ForeignKey(EmploymentZone, on_delete=models.CASCADE, related_name="communes")
    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["commune_code"]
        verbose_name = _("commune's employment zone")
        verbose_name_plural = _("communes' employment zones")

    def __str__(self) -> str:
        return f"{self.commune_code} -> {self.zone_id}"


class TerritoryType(models.TextChoices):
    COMMUNE = "COM", _("commune")
    ZONE = "ZE", _("employment zone")
    DEPARTEMENT = "DEP", _("département")
    REGION = "REG", _("région")
    OTHER = "OTHER", _("other")


class JobSeekerCount(models.Model):
    """A count of registered job seekers in a territory: all occupations (DARES, ``rome`` blank) or one ROME
    code (France Travail statistics)."""

    territory_type = models.CharField(_("territory type"), max_length=10)
    territory_code = models.CharField(_("territory code"), max_length=10)
    period = models.CharField(_("period"), max_length=20)
    category = models.CharField(_("category"), max_length=20, blank=True)
    sex = models.CharField(_("sex"), max_length=40, blank=True)
    age_band = models.CharField(_("age band"), max_length=40, blank=True)
    rome = models.CharField(_("ROME code"), max_length=5, blank=True, help_text=_("blank: all occupations"))
    value = models.FloatField(_("job seekers"))
    is_total = models.BooleanField(_("all sexes and ages"), default=True)
    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="job_seeker_counts")

    class Meta:
        ordering = ["territory_type", "territory_code", "period", "rome", "category"]
        verbose_name = _("job-seeker count")
        verbose_name_plural = _("job-seeker counts")
        constraints = [
            models.UniqueConstraint(
                fields=["territory_type", "territory_code", "period", "category", "sex", "age_band", "rome"],
                name="labour_job_seeker_count_unique",
            )
        ]
        indexes = [models.Index(fields=["rome", "period"])]

    def __str__(self) -> str:
        return f"{self.territory_type} {self.territory_code} {self.period} {self.rome or self.category}"


class CentreOrigin(models.TextChoices):
    SIRENE = "sirene", _("SIRENE")
    MANUAL = "manual", _("recorded by the agency")


class CentreKind(models.TextChoices):
    OUTSOURCED = "outsourced", _("outsourced contact centre (NAF 82.20Z)")
    IN_HOUSE = "in_house", _("in-house contact centre of a company of another activity")


class ContactCentre(models.Model):
    """An existing contact centre: a SIRENE establishment (jobs from its headcount band) or one the agency
    recorded by hand (which wins over a SIRENE row with the same SIRET)."""

    origin = models.CharField(_("origin"), max_length=10, choices=CentreOrigin.choices)
    # NULL, not "": centres recorded by hand often have no SIRET, and NULLs never collide in the unique key.
    siret = models.CharField(_("SIRET"), max_length=14, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(_("name"), max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commune_code = models.CharField(_("commune code"), max_length=5, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True)
    kind = models.CharField(
        _("kind of centre"), max_length=12, choices=CentreKind.choices, default=CentreKind.OUTSOURCED
    )
    naf = models.CharField(_("NAF code"), max_length=6, default="82.20Z")
    band = models.CharField(_("headcount band"), max_length=2, blank=True)
    band_year = models.PositiveSmallIntegerField(_("headcount year"), null=True, blank=True)
    jobs_low = models.FloatField(_("jobs (low)"), null=True, blank=True)
    jobs_mid = models.FloatField(_("jobs (mid)"), null=True, blank=True)
    jobs_high = models.FloatField(_("jobs (high)"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    partially_masked = models.BooleanField(_("partly masked ([ND])"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, null=True, blank=True, related_name="contact_centres"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["commune_code", "name", "pk"]
        verbose_name = _("contact centre")
        verbose_name_plural = _("contact centres")
        constraints = [
            models.UniqueConstraint(fields=["origin", "siret"], name="labour_contact_centre_siret_unique"),
            models.CheckConstraint(
                condition=models.Q(jobs_low__isnull=True)
                | models.Q(jobs_mid__isnull=True)
                | models.Q(jobs_high__isnull=True)
                | (
                    models.Q(jobs_low__gte=0)
                    & models.Q(jobs_low__lte=models.F("jobs_mid"))
                    & models.Q(jobs_mid__lte=models.F("jobs_high"))
                ),
                name="labour_contact_centre_jobs_ordered",
            ),
        ]
        indexes = [models.Index(fields=["origin", "departement"])]

    def __str__(self) -> str:
        return self.name or self.siret or f"#{self.pk}"


class TravelTime(models.Model):
    """Driving minutes from an origin commune to a destination commune, from a routing engine's matrix
    (OSRM, Valhalla, a GIS). Where a pair has a value, it replaces the commute model."""

    origin = models.CharField(_("origin commune"), max_length=5)
    destination = models.CharField(_("destination commune"), max_length=5)
    minutes = models.FloatField(_("minutes"))
    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="travel_times")

    class Meta:
        ordering = ["origin", "destination"]
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="labour_travel_time_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=0), name="labour_travel_time_minutes_ge_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin} -> {self.destination}: {self.minutes:g} min"


class LabourDataVersion(models.Model):
    """One row, changed by every write of this app: the selectors' cache compares its token."""

    key = models.CharField(max_length=20, primary_key=True, default="labour")
    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("labour data version")

    def __str__(self) -> str:
        return f"{self.key}: {self.token}"

    @staticmethod
    def new_token() -> str:
        return uuid.uuid4().hex
