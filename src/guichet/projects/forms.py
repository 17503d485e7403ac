from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.concurrency import VersionField
from guichet.engine import staffing
from guichet.projects.models import Project, Stage


class ProjectForm(forms.ModelForm):  # type: ignore[type-arg]
    """A project's form carries the version it showed: a save over someone else's newer one is refused."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    class Meta:
        model = Project
        fields = [
            "code_name",
            "sector",
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


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    at = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    loss_reason = forms.CharField(
        label=_("Reason of the loss"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lost_to = forms.CharField(label=_("Territory it went to"), required=False, max_length=200)


class JobsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    jobs = forms.IntegerField(label=_("Jobs created"), min_value=0)
