"""The authorities' catalogue: premises, business parks (CNIG sites and plots) and incentives.

Each record belongs to one authority. Demo records carry `is_demo` so that nothing invented passes for real.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.files import private_name
from guichet.sources.identifiers import siren_is_valid
from guichet.territory.models import Commune, Departement, Epci, Region


def validate_siren(value: str) -> None:
    if value and not siren_is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid SIREN (9 digits with a valid check digit)."),
            params={"value": value},
            code="invalid_siren",
        )


# Real bounds, checked by full_clean on every path (forms, API, CNIG import, admin), so that SQLite never
# stores what PostgreSQL would refuse (its `integer` stops at 2,147,483,647) nor what no real record has.
MAX_FLOOR_AREA_M2 = 1_000_000  # the largest office buildings in Europe are about half this
MAX_FLOORS = 200
MAX_PARKING_SPACES = 100_000
MAX_RENT_EUR_M2_YEAR = 10_000  # Paris prime offices are about 1,000 EUR/m²/year
MAX_SALE_PRICE_EUR = 10_000_000_000
MAX_SITE_AREA_HA = 100_000  # 1,000 km²: larger than any business park
MAX_PLOT_PRICE_EUR_M2 = 100_000
MAX_INCENTIVE_EUR = 10_000_000_000
MAX_TEXT = 20_000  # characters of a free text (description, rule, conditions)
MAX_CNIG_CELL = 20_000  # characters of one kept CNIG cell; geometries may be longer
MAX_CNIG_GEOMETRY = 1_000_000


def validate_cnig_attributes(value: Any) -> None:
    """The CNIG cells kept as read: text only, each of a sane length (a 10 MB cell is not a record)."""
    if not isinstance(value, dict):
        raise ValidationError(_("The CNIG attributes must be a mapping of column to text."), code="invalid")
    cells = value.values()
    if all(type(cell) is str for cell in cells) and max(map(len, cells), default=0) <= MAX_CNIG_CELL:
        return  # the common case, checked in one pass
    for name, cell in value.items():
        if isinstance(cell, str) and len(cell) <= MAX_CNIG_CELL:
            continue
        limit = MAX_CNIG_GEOMETRY if str(name).endswith(("geomsurf", "geompoint")) else MAX_CNIG_CELL
        if not isinstance(cell, str) or len(cell) > limit or len(str(name)) > 100:
            raise ValidationError(
                _("Column %(column)s: a cell of at most %(limit)s characters."),
                code="cnig_cell",
                params={"column": str(name)[:100], "limit": limit},
            )


def bounded(low: float | int, high: float | int) -> list[Any]:
    return [MinValueValidator(low), MaxValueValidator(high)]


class AuthorityKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunality (EPCI)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    CCI = "cci", _("Chamber of commerce (CCI)")
    DEVELOPER = "developer", _("Public developer")


class Authority(models.Model):
    """A local authority (or public body) that offers premises and incentives and answers calls for offers."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AuthorityKind.choices)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    description_fr = models.TextField(
        _("description (French)"), blank=True, validators=[MaxLengthValidator(MAX_TEXT)]
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[MaxLengthValidator(MAX_TEXT)]
    )
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")

    def __str__(self) -> str:
        return self.name

    @property
    def territory_label(self) -> str:
        place = self.commune or self.epci or self.departement or self.region
        return str(place) if place else ""


class Tenure(models.TextChoices):
    RENT = "rent", _("To rent")
    SALE = "sale", _("For sale")
    BOTH = "both", _("To rent or for sale")


class FitOut(models.TextChoices):
    SHELL = "shell", _("Shell (to fit out)")
    OFFICES = "offices", _("Fitted offices")
    CONTACT_CENTRE = "contact_centre", _("Ready contact-centre floor")


class PremisesStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    UNDER_OPTION = "under_option", _("Under option")
    LET = "let", _("Let or sold")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Premises(models.Model):
    """Office buildings or floor space that could host a contact centre or another service activity."""

    owner = models.ForeignKey(
        Authority, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="premises"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="premises"
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        help_text=_("Empty: the commune's point."),
        validators=bounded(-90, 90),
    )
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=bounded(-180, 180))
    total_area_m2 = models.PositiveIntegerField(
        _("total floor area (m²)"), validators=bounded(1, MAX_FLOOR_AREA_M2)
    )
    available_area_m2 = models.PositiveIntegerField(
        _("available floor area (m²)"), validators=bounded(0, MAX_FLOOR_AREA_M2)
    )
    smallest_lot_m2 = models.PositiveIntegerField(
        _("smallest divisible lot (m²)"), null=True, blank=True, validators=bounded(0, MAX_FLOOR_AREA_M2)
    )
    floors = models.PositiveSmallIntegerField(_("floors"), default=1, validators=bounded(0, MAX_FLOORS))
    available_from = models.DateField(_("available from"))
    tenure = models.CharField(_("tenure"), max_length=8, choices=Tenure.choices, default=Tenure.RENT)
    rent_eur_m2_year = models.DecimalField(
        _("rent (EUR/m²/year excl. VAT)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounded(0, MAX_RENT_EUR_M2_YEAR),
    )
    charges_eur_m2_year = models.DecimalField(
        _("charges (EUR/m²/year excl. VAT)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounded(0, MAX_RENT_EUR_M2_YEAR),
    )
    sale_price_eur = models.DecimalField(
        _("sale price (EUR excl. VAT)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=bounded(0, MAX_SALE_PRICE_EUR),
    )
    fit_out = models.CharField(
        _("fit-out state"), max_length=16, choices=FitOut.choices, default=FitOut.SHELL
    )
    fibre = models.BooleanField(_("fibre optic"), default=False)
    fibre_operators = models.CharField(_("fibre operators"), max_length=200, blank=True)
    power_backup = models.BooleanField(_("power back-up"), default=False)
    parking_spaces = models.PositiveIntegerField(
        _("parking spaces"), default=0, validators=bounded(0, MAX_PARKING_SPACES)
    )
    public_transport = models.BooleanField(_("public transport within walking distance"), default=False)
    public_transport_details = models.CharField(_("public transport details"), max_length=200, blank=True)
    access_24_7 = models.BooleanField(_("24/7 access"), default=False)
    accessible = models.BooleanField(_("accessible to people with reduced mobility"), default=False)
    description_fr = models.TextField(
        _("description (French)"), blank=True, validators=[MaxLengthValidator(MAX_TEXT)]
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[MaxLengthValidator(MAX_TEXT)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PremisesStatus.choices, default=PremisesStatus.AVAILABLE
    )
    is_public = models.BooleanField(_("shown on the public portal"), default=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_area_m2__lte=models.F("total_area_m2")),
                name="premises_available_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(smallest_lot_m2__isnull=True)
                | models.Q(smallest_lot_m2__lte=models.F("available_area_m2")),
                name="premises_lot_within_available",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        total, available, lot = self.total_area_m2, self.available_area_m2, self.smallest_lot_m2
        if total is not None and available is not None and available > total:
            errors["available_area_m2"] = _("The available area cannot exceed the total area.")
        if lot is not None and available is not None and lot > available:
            errors["smallest_lot_m2"] = _("The smallest lot cannot exceed the available area.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both latitude and longitude, or neither."
            )
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Latitude must lie between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Longitude must lie between -180 and 180.")
        if self.tenure in (Tenure.RENT, Tenure.BOTH) and self.rent_eur_m2_year is None:
            errors["rent_eur_m2_year"] = _("Premises to rent need a rent.")
        if self.tenure in (Tenure.SALE, Tenure.BOTH) and self.sale_price_eur is None:
            errors["sale_price_eur"] = _("Premises for sale need a price.")
        if errors:
            raise ValidationError(errors)

    @property
    def point(self) -> tuple[float, float] | None:
        """(latitude, longitude): the premises' own, or else its commune's representative point."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.commune.latitude is not None and self.commune.longitude is not None:
            return (self.commune.latitude, self.commune.longitude)
        return None

    @property
    def located_by_commune(self) -> bool:
        return self.latitude is None or self.longitude is None


def premises_photo_path(instance: PremisesPhoto, filename: str) -> str:
    return private_name("photos")


class PremisesPhoto(models.Model):
    """A photo of premises, served by `catalogue:photo` to whoever may see the premises."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=premises_photo_path, max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name

    @property
    def download_name(self) -> str:
        return f"photo-{self.public_id}"

    @property
    def file_uri(self) -> str:
        """The photo as a file: URL, for documents made on the server without network access (the PDF)."""
        return Path(self.image.path).as_uri()


class Site(models.Model):
    """A business park (CNIG class SITE-ECO). Fields the product uses are columns; the rest of the
    standard's attributes are kept as read so that an export gives back what was imported."""

    owner = models.ForeignKey(
        Authority, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="sites"
    )
    # Unique per owner, not nationally: an import naming another authority's identifier creates the
    # importer's own site, exactly as for one nobody has, so an import never tells who holds which site.
    site_id = models.CharField(_("CNIG identifier"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    site_type = models.CharField(_("type"), max_length=100, blank=True)
    commune_insee = models.CharField(_("commune INSEE code"), max_length=5)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="sites"
    )
    gross_area_ha = models.DecimalField(
        _("gross area (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        validators=bounded(0, MAX_SITE_AREA_HA),
    )
    usable_area_ha = models.DecimalField(
        _("usable area (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        validators=bounded(0, MAX_SITE_AREA_HA),
    )
    available_area_ha = models.DecimalField(
        _("area for sale (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounded(0, MAX_SITE_AREA_HA),
    )
    tertiary = models.BooleanField(_("tertiary vocation"), null=True)
    fibre = models.BooleanField(_("fibre optic network"), null=True)
    latitude = models.FloatField(null=True, blank=True, validators=bounded(-90, 90))
    longitude = models.FloatField(null=True, blank=True, validators=bounded(-180, 180))
    attributes = models.JSONField(_("CNIG attributes"), default=dict, validators=[validate_cnig_attributes])
    is_demo = models.BooleanField(_("demo record"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site (business park)")
        verbose_name_plural = _("sites (business parks)")
        constraints = [models.UniqueConstraint(fields=["owner", "site_id"], name="site_id_once_per_owner")]

    def __str__(self) -> str:
        return self.name


class Plot(models.Model):
    """A plot of land in a business park (CNIG class TERRAIN-ECO)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="plots")
    terr_id = models.CharField(_("CNIG identifier"), max_length=40)
    gross_area_ha = models.DecimalField(
        _("gross area (ha)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        validators=bounded(0, MAX_SITE_AREA_HA),
    )
    sale_status = models.CharField(_("marketing stage"), max_length=100, blank=True)
    price_eur_m2 = models.DecimalField(
        _("price (EUR/m²)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        validators=bounded(0, MAX_PLOT_PRICE_EUR_M2),
    )
    attributes = models.JSONField(_("CNIG attributes"), default=dict, validators=[validate_cnig_attributes])

    class Meta:
        ordering = ["terr_id"]
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        constraints = [models.UniqueConstraint(fields=["site", "terr_id"], name="terr_id_once_per_site")]

    def __str__(self) -> str:
        return self.terr_id


class IncentiveKind(models.TextChoices):
    GRANT_PER_JOB = "grant_per_job", _("Grant per job created")
    RENT_FREE = "rent_free", _("Rent-free months")
    FIT_OUT = "fit_out", _("Fit-out contribution")
    TRAINING = "training", _("Training per hire")
    TAX_EXEMPTION = "tax_exemption", _("Tax exemption")
    OTHER = "other", _("Other")


class IncentiveUnit(models.TextChoices):
    EUR_PER_JOB = "eur_per_job", _("EUR per job created")
    EUR_PER_HIRE = "eur_per_hire", _("EUR per hire trained")
    EUR = "eur", _("EUR (lump sum)")
    EUR_PER_M2 = "eur_per_m2", _("EUR per m²")
    MONTHS = "months", _("months")
    PERCENT = "percent", _("% of the tax")
    NONE = "none", _("rule in text")


class Incentive(models.Model):
    owner = models.ForeignKey(
        Authority, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="incentives"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=IncentiveKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounded(0, MAX_INCENTIVE_EUR),
    )
    unit = models.CharField(
        _("unit"), max_length=16, choices=IncentiveUnit.choices, default=IncentiveUnit.NONE
    )
    cap_eur = models.DecimalField(
        _("cap (EUR)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=bounded(0, MAX_INCENTIVE_EUR),
    )
    rule = models.TextField(_("rule"), blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    conditions = models.TextField(_("conditions"), blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("incentive")
        verbose_name_plural = _("incentives")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="incentive_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end of validity comes before its start.")})
        if self.unit != IncentiveUnit.NONE and self.amount is None:
            raise ValidationError({"amount": _("Give the amount for this unit, or choose 'rule in text'.")})
        if self.unit == IncentiveUnit.NONE and not self.rule:
            raise ValidationError({"rule": _("Describe the rule when there is no amount.")})
