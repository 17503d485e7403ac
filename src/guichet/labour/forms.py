from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.forms import CommuneCodeField
from guichet.inputs import StrictInputs
from guichet.labour.models import CentreKind, ContactCentre, ImportKind
from guichet.uploads import LimitedFileField

DEFAULT_HIRES_PER_YEAR = 400  # the article's claim: 400 hires a year


class PanelForm(StrictInputs, forms.Form):
    """The catchment (a radius, or minutes of driving) and the hiring claim to test."""

    radius = forms.FloatField(label=_("Radius (km)"), min_value=1, max_value=100, initial=30, required=False)
    minutes = forms.FloatField(
        label=_("or driving time (minutes)"),
        min_value=5,
        max_value=120,
        required=False,
        help_text=_(
            "Estimated by a model calibrated on reference trips, or taken from the imported travel-time "
            "matrix where it has a value."
        ),
    )
    hires = forms.IntegerField(
        label=_("Hires per year"),
        min_value=0,
        max_value=100_000,
        initial=DEFAULT_HIRES_PER_YEAR,
        required=False,
    )
    project: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Project"), queryset=None, required=False
    )

    def __init__(self, *args: Any, projects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        if projects is None:
            del self.fields["project"]
        else:
            field.queryset = projects  # type: ignore[attr-defined]


_CODES = RegexValidator(r"^[0-9A-Za-z.,\s]*$", _("Codes separated by commas."))


class SireneImportForm(StrictInputs, forms.Form):
    file = LimitedFileField(
        kind="sirene",
        label=_("StockEtablissement file"),
        help_text=_("CSV, .csv.gz, .zip (as INSEE ships it) or Parquet."),
    )
    geolocation = LimitedFileField(
        kind="sirene",
        label=_("Geolocation file (optional)"),
        required=False,
        help_text=_(
            "INSEE's GeolocalisationEtablissement_Sirene_pour_etudes_statistiques (zip, CSV or Parquet): "
            "the establishments' points, joined by SIRET."
        ),
    )
    naf = forms.CharField(label=_("NAF codes"), initial="82.20Z", max_length=200, validators=[_CODES])
    departements = forms.CharField(
        label=_("Départements"),
        max_length=500,
        required=False,
        validators=[_CODES],
        help_text=_("Separated by commas; empty: the départements within reach of the territory."),
    )

    def clean_naf(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data["naf"].split(",") if c.strip()]
        if not codes:
            raise forms.ValidationError(_("Give at least one NAF code."))
        return codes

    def clean_departements(self) -> list[str]:
        return [c.strip().upper() for c in self.cleaned_data["departements"].split(",") if c.strip()]


class FileImportForm(StrictInputs, forms.Form):
    file = LimitedFileField(kind="labour", label=_("File"))


class ZoningImportForm(StrictInputs, forms.Form):
    """An AFR or FRR list by commune, as `guichet territory import-zoning` takes it (docs/aid.md)."""

    kind = forms.ChoiceField(
        label=_("List"),
        choices=[("afr", _("Regional aid zones (AFR)")), ("frr", _("France Ruralités Revitalisation (FRR)"))],
    )
    file = LimitedFileField(
        kind="labour",
        label=_("CSV file"),
        help_text=_(
            "AFR: columns insee (or codgeo), zone (c_predefined, c_non_predefined, or the decree's words), "
            "optional partial (P). FRR: insee (or codgeo) and category (frr, frr_plus) or codefrr."
        ),
    )
    source = forms.CharField(label=_("Source"), max_length=300, help_text=_("e.g. décret n° 2022-968, annex"))
    vintage = forms.CharField(label=_("Vintage"), max_length=200, help_text=_("e.g. 2022-2027"))
    departements = forms.CharField(
        label=_("Départements covered"),
        max_length=200,
        required=False,
        help_text=_("Comma-separated codes, e.g. 25, 39, 70, 90; empty: those of the communes listed."),
    )

    def clean_departements(self) -> list[str]:
        codes = [
            code.strip().upper() for code in self.cleaned_data["departements"].split(",") if code.strip()
        ]
        for code in codes:
            if not (len(code) in (2, 3) and code.isalnum()):
                raise forms.ValidationError(_("%(code)s is not a département code.") % {"code": code})
        return codes


IMPORT_FORMS: dict[str, type[forms.Form]] = {
    ImportKind.SIRENE: SireneImportForm,
    ImportKind.ZONES: FileImportForm,
    ImportKind.JOB_SEEKERS: FileImportForm,
    ImportKind.FRANCE_TRAVAIL: FileImportForm,
    ImportKind.TRAVEL_TIMES: FileImportForm,
}


class ContactCentreForm(StrictInputs, forms.ModelForm):  # type: ignore[type-arg]
    commune = CommuneCodeField()

    class Meta:
        model = ContactCentre
        fields = ["name", "kind", "siret", "commune", "jobs_low", "jobs_high", "notes"]
        labels = {"jobs_low": _("Jobs (or low estimate)"), "jobs_high": _("Jobs, high estimate")}
        help_texts = {"jobs_high": _("Empty when the headcount is known exactly.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["jobs_low"].required = True
        # The agency records mostly the in-house centres SIRENE cannot tell apart (82.20Z are imported).
        self.fields["kind"].required = False
        self.fields["kind"].initial = CentreKind.IN_HOUSE

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or CentreKind.IN_HOUSE)
