"""Forms of the public portal: the premises filters (GET) and the project submission (POST)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import FitOut, Premises
from guichet.catalogue.selectors import premises_public
from guichet.inputs import StrictInputs
from guichet.portal.selectors import epcis_loaded
from guichet.projects.models import Sector
from guichet.territory.models import Departement
from guichet.territory.selectors import departements_loaded

HONEYPOT_FIELD = "website"
# The opening date of a project lies between today and this many years ahead.
MAX_YEARS_AHEAD = 10


class PremisesFilterForm(StrictInputs, forms.Form):
    """The search filters; every field is optional and an empty one is not applied."""

    departement = forms.ChoiceField(label=_("Département"), required=False)
    epci = forms.ChoiceField(label=_("Intercommunality (EPCI)"), required=False)
    min_area = forms.IntegerField(
        label=_("Floor area at least (m²)"), required=False, min_value=0, max_value=1_000_000
    )
    available_by = forms.DateField(
        label=_("Available by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Premises available on this date at the latest."),
    )
    max_rent = forms.DecimalField(
        label=_("Rent at most (EUR/m²/year)"),
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        localize=True,
    )
    fit_out = forms.ChoiceField(label=_("Fit-out state"), required=False)
    fibre = forms.BooleanField(label=_("Fibre optic"), required=False)
    public_transport = forms.BooleanField(label=_("Public transport within walking distance"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = ("", _("All"))
        self.fields["departement"].choices = [any_choice] + [  # type: ignore[attr-defined]
            (d.code, str(d)) for d in departements_loaded()
        ]
        self.fields["epci"].choices = [any_choice] + [  # type: ignore[attr-defined]
            (e.siren, e.name) for e in epcis_loaded()
        ]
        self.fields["fit_out"].choices = [("", _("Any")), *FitOut.choices]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters, as keyword arguments of :func:`guichet.portal.selectors.premises_search`.
        A field with an error is left out (and the form shows the error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", False) and name in self.fields
        }


class ProjectSubmitForm(StrictInputs, forms.Form):
    """An investor's project, submitted from the portal: it becomes a lead for the agency."""

    company_name = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Email"), max_length=254)
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ().-]{6,40}$", _("Write a phone number with digits, spaces and + only.")
            )
        ],
    )
    sector = forms.ChoiceField(label=_("Activity"), choices=Sector.choices, initial=Sector.CONTACT_CENTRE)
    seats = forms.IntegerField(label=_("Seats (workstations)"), required=False, min_value=1, max_value=10_000)
    floor_area_wanted_m2 = forms.IntegerField(
        label=_("Floor area wanted (m²)"), required=False, min_value=1, max_value=1_000_000
    )
    opening_date = forms.DateField(
        label=_("Opening date wanted"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    preferred_departements = forms.ModelMultipleChoiceField(
        label=_("Départements of interest"),
        queryset=Departement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Your project"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Activity, jobs, timetable, what you need from the premises and the territory."),
    )
    premises = forms.ModelChoiceField(
        queryset=Premises.objects.none(), required=False, widget=forms.HiddenInput
    )
    consent = forms.BooleanField(
        label=_("I agree that the agency keeps these details to answer my request and follow my project."),
    )
    # The honeypot: hidden from people (off-screen, out of the tab order, hidden from assistive technology);
    # a robot filling every field gives itself away.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_departements"].queryset = departements_loaded()  # type: ignore[attr-defined]
        self.fields["premises"].queryset = premises_public().select_related("commune")  # type: ignore[attr-defined]
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["contact_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["contact_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["contact_phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["company_name"].widget.attrs.update({"autocomplete": "organization"})

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_opening_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("opening_date")
        if value is None:
            return None
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("The opening date cannot be in the past."))
        if value > today + dt.timedelta(days=round(365.25 * MAX_YEARS_AHEAD)):
            raise forms.ValidationError(
                _("The opening date must lie within %(years)s years.") % {"years": MAX_YEARS_AHEAD}
            )
        return value

    def project_values(self) -> dict[str, Any]:
        """Keyword arguments of :func:`guichet.projects.services.project_create` (without the code name)."""
        data = self.cleaned_data
        description = data["description"]
        premises: Premises | None = data.get("premises")
        if premises is not None:
            about = _("Premises of interest: %(name)s (no. %(pk)s, %(commune)s)") % {
                "name": premises.name,
                "pk": premises.pk,
                "commune": premises.commune.name,
            }
            description = f"{about}\n\n{description}"
        return {
            "company_name": data["company_name"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
            "sector": data["sector"],
            "seats": data["seats"],
            "floor_area_wanted_m2": data["floor_area_wanted_m2"],
            "opening_date": data["opening_date"],
            "description": description,
            "preferred_departements": list(data["preferred_departements"]),
        }
