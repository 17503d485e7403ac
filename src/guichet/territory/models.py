"""Real territory data from public open data (Etalab, IGN, INSEE). Loaded, never edited by hand."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """An intercommunality (EPCI à fiscalité propre), identified by its SIREN."""

    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, help_text=_("CU, CA, CC, METRO or MET69"))
    member_count = models.PositiveIntegerField(_("member communes (all of France)"))
    population_municipal = models.PositiveIntegerField(_("municipal population"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    insee = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, related_name="communes", null=True, blank=True)
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("municipal population"))
    population_20_64 = models.PositiveIntegerField(_("population aged 20-64"), null=True, blank=True)
    # A handful of communes re-created recently have no geometry in the source package yet.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["name", "insee"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return f"{self.name} ({self.insee})"

    @property
    def postal_code_list(self) -> list[str]:
        return [code for code in self.postal_codes.split("|") if code]


class CommuneContour(models.Model):
    """A commune's simplified contour, kept apart so that loading communes never drags their geometry."""

    commune = models.OneToOneField(
        Commune, on_delete=models.CASCADE, primary_key=True, related_name="contour"
    )
    geojson = models.JSONField(_("simplified contour (GeoJSON)"))

    class Meta:
        verbose_name = _("commune contour")
        verbose_name_plural = _("commune contours")

    def __str__(self) -> str:
        return str(self.commune_id)


class FormerCommune(models.Model):
    """A commune that merged into a current one; its code still appears in older files."""

    insee = models.CharField(_("former INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    current = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="former_communes")

    class Meta:
        ordering = ["insee"]
        verbose_name = _("former commune")
        verbose_name_plural = _("former communes")

    def __str__(self) -> str:
        return f"{self.insee} -> {self.current_id}"


class DatasetSource(models.Model):
    """Where a loaded territory file comes from: shown beside every figure drawn from it."""

    key = models.CharField(_("file"), max_length=50, primary_key=True)
    source = models.CharField(_("source"), max_length=300)
    package = models.CharField(_("package"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    vintage = models.CharField(_("vintage"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("dataset source")
        verbose_name_plural = _("dataset sources")

    def __str__(self) -> str:
        return f"{self.source} ({self.vintage})"


class NationalCommune(models.Model):
    """A commune of the national table (all of France, whatever the territory loaded): its point, population
    and people aged 20-64. Labour pools are summed on this table, so a catchment crosses the borders of the
    agency's départements. ``contour`` is kept for the communes within reach of the territory (the maps of
    the catchments), empty elsewhere."""

    insee = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    departement = models.CharField(_("département"), max_length=3, db_index=True)
    population = models.PositiveIntegerField(_("municipal population"), null=True, blank=True)
    population_20_64 = models.PositiveIntegerField(_("population aged 20-64"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    contour = models.JSONField(_("simplified contour (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["insee"]
        verbose_name = _("commune of France")
        verbose_name_plural = _("communes of France")

    def __str__(self) -> str:
        return f"{self.name} ({self.insee})"


class TerritoryDataVersion(models.Model):
    """One row, changed whenever a load changes the territory data: caches built from it compare its token."""

    key = models.CharField(max_length=20, primary_key=True, default="territory")
    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("territory data version")

    def __str__(self) -> str:
        return f"{self.key}: {self.token}"


class ZoningKind(models.TextChoices):
    QPV = "qpv", _("Priority urban district (QPV 2024)")
    AFR = "afr", _("Regional aid zone (AFR 2022-2027)")
    FRR = "frr", _("France Ruralités Revitalisation (FRR)")


class ZoningList(models.Model):
    """A published zoning as loaded: where it comes from and which départements it covers. A commune of a
    département it does not cover is "not known", never "not classified"."""

    kind = models.CharField(_("zoning"), max_length=3, choices=ZoningKind.choices, primary_key=True)
    source = models.CharField(_("source"), max_length=300)
    vintage = models.CharField(_("vintage"), max_length=200)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    departements = models.CharField(
        _("départements covered"), max_length=2000, help_text=_("'|' between codes; '*' for all of France")
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("zoning list")
        verbose_name_plural = _("zoning lists")

    def __str__(self) -> str:
        return f"{self.kind}: {self.source} ({self.vintage})"

    def covers(self, departement: str) -> bool:
        codes = self.departements.split("|")
        return "*" in codes or departement in codes


class PriorityDistrict(models.Model):
    """A quartier prioritaire de la politique de la ville (QPV 2024) and its published contour."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    label = models.CharField(_("name"), max_length=200)
    communes = models.CharField(_("communes (INSEE codes)"), max_length=200, help_text=_("'|' between codes"))
    contour = models.JSONField(_("contour (GeoJSON MultiPolygon coordinates)"))
    west = models.FloatField()
    south = models.FloatField()
    east = models.FloatField()
    north = models.FloatField()

    class Meta:
        ordering = ["code"]
        verbose_name = _("priority urban district (QPV)")
        verbose_name_plural = _("priority urban districts (QPV)")

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


class CommuneZoning(models.Model):
    """A commune listed in a zoning by commune (AFR, FRR): its category as published."""

    kind = models.CharField(_("zoning"), max_length=3, choices=ZoningKind.choices)
    insee = models.CharField(_("INSEE code"), max_length=5)
    category = models.CharField(_("category"), max_length=40)
    partial = models.BooleanField(_("part of the commune only"), default=False)

    class Meta:
        ordering = ["kind", "insee"]
        constraints = [models.UniqueConstraint(fields=["kind", "insee"], name="commune_zoning_unique")]
        verbose_name = _("commune zoning")
        verbose_name_plural = _("commune zonings")

    def __str__(self) -> str:
        return f"{self.kind} {self.insee}: {self.category}"
