from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Premises
from guichet.engine import staffing
from guichet.projects.models import LeadSource, LossReason, Project, Sector, Stage
from guichet.projects.selectors import premises_offered_for
from guichet.territory.models import Commune, Departement, Epci


class ProjectForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Project
        fields = [
            "code_name",
            "sector",
            "source",
            "company_name",
            "company_siren",
            "contact_name",
            "contact_email",
            "contact_phone",
            "company_kind",
            "activity",
            "channels",
            "languages",
            "description",
            "seats",
            "opening_hours_per_week",
            "opening_date",
            "ramp_up",
            "floor_area_wanted_m2",
            "max_rent_eur_m2_year",
            "needs_fibre",
            "needs_public_transport",
            "needs_parking_spaces",
            "needs_24_7",
            "preferred_departements",
            "jobs_announced",
        ]
        widgets = {
            "opening_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "preferred_departements": forms.CheckboxSelectMultiple,
        }


class SizingForm(forms.Form):
    calls = forms.FloatField(label=_("Calls in the busiest interval"), min_value=0)
    interval_minutes = forms.TypedChoiceField(
        label=_("Interval (minutes)"), choices=[(15, "15"), (30, "30"), (60, "60")], coerce=int, initial=30
    )
    aht_seconds = forms.FloatField(label=_("Average handle time (seconds)"), min_value=1, initial=180)
    service_level = forms.FloatField(
        label=_("Service level (share answered in time)"), min_value=0.01, max_value=0.99, initial=0.8
    )
    answer_seconds = forms.FloatField(label=_("Answer time (seconds)"), min_value=0, initial=20)
    shrinkage = forms.FloatField(label=_("Shrinkage"), min_value=0, max_value=0.95, initial=0.3)
    open_hours_per_week = forms.FloatField(
        label=_("Opening hours per week"),
        min_value=1,
        max_value=168,
        initial=staffing.DEFAULT_OPEN_HOURS_PER_WEEK,
    )
    area_per_seat_m2 = forms.FloatField(
        label=_("Floor area per seat (m²)"), min_value=1, initial=staffing.DEFAULT_AREA_PER_SEAT_M2
    )
    annual_attrition = forms.FloatField(
        label=_("Annual attrition"), min_value=0, max_value=2, initial=staffing.DEFAULT_ANNUAL_ATTRITION
    )
    candidates_per_hire = forms.FloatField(
        label=_("Candidates per hire"), min_value=1, initial=staffing.DEFAULT_CANDIDATES_PER_HIRE
    )


# --- the pipeline: decisions, outcomes, jobs, the dashboard's filters -------------------------------------


class CommuneCodeField(forms.CharField):
    """A commune given by its INSEE code, e.g. 25056 for Besançon."""

    def clean(self, value: Any) -> Commune | None:
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        commune = Commune.objects.filter(insee=code).first()
        if commune is None:
            raise forms.ValidationError(_("No commune has the INSEE code %(code)s.") % {"code": code})
        return commune


def _premises_choices() -> Any:
    return (
        Premises.objects.filter(archived_at__isnull=True)
        .select_related("owner")
        .order_by("owner__name", "name")
    )


class PremisesChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Premises) -> str:
        return f"{obj.owner.name} — {obj.name}"


class DecisionFields(forms.Form):
    """What a win records (and what can be completed after it)."""

    jobs_announced = forms.IntegerField(
        label=_("Jobs announced"),
        min_value=0,
        required=False,
        help_text=_("Empty: the jobs at full ramp-up of the project's sizing."),
    )
    investment_eur = forms.DecimalField(
        label=_("Investment (EUR)"), min_value=0, max_digits=14, decimal_places=0, required=False
    )
    floor_area_taken_m2 = forms.IntegerField(label=_("Floor area taken up (m²)"), min_value=0, required=False)
    chosen_premises = PremisesChoiceField(
        label=_("Premises chosen"),
        queryset=Premises.objects.none(),
        required=False,
        help_text=_("The premises offered in the project's calls for offers; otherwise give the commune."),
    )
    site_commune = CommuneCodeField(
        label=_("Commune of the site (INSEE code)"),
        required=False,
        max_length=5,
        help_text=_("Empty: the commune of the premises chosen."),
    )

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # On the page, the premises offered to this project; when checking a POST, any live premises.
        choices = premises_offered_for(project=project) if project is not None else _premises_choices()
        self.fields["chosen_premises"].queryset = choices  # type: ignore[attr-defined]


class MoveForm(DecisionFields):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    at = forms.DateField(
        label=_("Date of the move (the decision or signature date for a decision)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
    note = forms.CharField(label=_("Why (note)"), required=False, max_length=300)
    loss_reason = forms.ChoiceField(
        label=_("Reason of the loss or abandonment"),
        choices=[("", "—"), *LossReason.choices],
        required=False,
    )
    loss_details = forms.CharField(
        label=_("Details of the reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lost_to = forms.CharField(label=_("Territory or country that won"), required=False, max_length=200)

    field_order = ["stage", "at", "note", "loss_reason", "loss_details", "lost_to"]


class OutcomeForm(DecisionFields):
    """Completes or corrects a decision: an empty field leaves the recorded value as it is."""

    public_from = forms.DateField(
        label=_("Decision made public on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    loss_reason = forms.ChoiceField(
        label=_("Reason of the loss or abandonment"),
        choices=[("", "—"), *LossReason.choices],
        required=False,
    )
    loss_details = forms.CharField(
        label=_("Details of the reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lost_to = forms.CharField(label=_("Territory or country that won"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Empty means "unchanged" for the service.
        return {name: (None if value in ("", None) else value) for name, value in data.items()}


class JobsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    jobs = forms.IntegerField(label=_("Jobs created during the year"), min_value=0)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("e.g. the company's annual statement"),
    )


class DashboardFilterForm(forms.Form):
    year_from = forms.IntegerField(label=_("From"), min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label=_("To"), min_value=1990, max_value=2100)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    epci = forms.ChoiceField(label=_("EPCI"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    source = forms.ChoiceField(label=_("Lead source"), required=False)

    MAX_YEARS = 30

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["departement"].choices = everything + [  # type: ignore[attr-defined]
            (d.code, f"{d.name} ({d.code})") for d in Departement.objects.order_by("code")
        ]
        self.fields["epci"].choices = everything + [  # type: ignore[attr-defined]
            (e.siren, e.name) for e in Epci.objects.filter(communes__isnull=False).distinct().order_by("name")
        ]
        self.fields["sector"].choices = everything + list(Sector.choices)  # type: ignore[attr-defined]
        self.fields["source"].choices = everything + list(LeadSource.choices)  # type: ignore[attr-defined]
        for name in ("year_from", "year_to"):
            # A year is typed as a year: no thousands separator in the box.
            self.fields[name].localize = False
            self.fields[name].widget = forms.NumberInput(attrs={"min": 1990, "max": 2100, "step": 1})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None:
            if start > end:
                self.add_error("year_to", _("The period ends before it starts."))
            elif end - start >= self.MAX_YEARS:
                self.add_error("year_to", _("Choose at most %(n)s years.") % {"n": self.MAX_YEARS})
        return data
