from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Premises
from guichet.concurrency import VersionField
from guichet.engine import forecast, sizing, staffing
from guichet.engine.shrinkage import split_shrinkage
from guichet.engine.sizing_fields import FIELDS, RequestField, request_field
from guichet.inputs import StrictInputs
from guichet.phrasing.sizing import (
    CHANNEL_LABELS,
    FIELD_LABELS,
    PROFILE_LABELS,
    sizing_error_message,
)
from guichet.projects.models import LeadSource, LossReason, Project, Sector, Stage
from guichet.projects.selectors import premises_offered_for
from guichet.territory.models import Commune, Departement, Epci


class ProjectForm(StrictInputs, forms.ModelForm):  # type: ignore[type-arg]
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
            "source",
            "company_name",
            "company_siren",
            "contact_name",
            "contact_email",
            "contact_phone",
            "company_kind",
            "activity",
            "firm_size",
            "channels",
            "languages",
            "description",
            "seats",
            "opening_hours",
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


def _number(
    name: str, *, bound: str | None = None, label: Any = None, help_text: Any = ""
) -> forms.FloatField:
    """An optional number bounded by the engine's ``LIMITS``; empty takes the engine's default, which is
    the field's initial value."""
    low, high, _low_ok, _high_ok = staffing.LIMITS[bound or name]
    return forms.FloatField(
        label=label or FIELD_LABELS[name],
        required=False,
        min_value=_whole(low),
        max_value=_whole(high),
        initial=_whole(sizing.DEFAULTS.get(name)),
        help_text=help_text,
    )


def _whole(value: Any) -> Any:
    """A whole float as an int, so that forms show 30, not 30.0 (and a select finds its option)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# The request's fields a project's sizing form offers as they are (the volume is given as a kind and an
# amount, the forecast as pasted text and other channels by name; the project gives its opening hours and
# ramp-up), and what the page shows differently from the table's kind.
_CHOICE_LABELS = {"channel": CHANNEL_LABELS, "profile": PROFILE_LABELS}
_FORM_ONLY: dict[str, dict[str, Any]] = {
    "profile": {
        "initial": "inbound",
        "help_text": _(
            "Typical shapes are assumptions (see the documentation); give your own weights below."
        ),
    },
    "agents_per_seat": {"help_text": _("Empty: seats for the busiest interval's scheduled agents.")},
    # Empty unless chats are sized: one at a time is what every other channel does.
    "concurrency": {"initial": None},
}


def _offered(field: RequestField) -> bool:
    return field.door == "all" and field.kind not in ("volume", "forecast", "channels")


def _form_field(field: RequestField) -> forms.Field:
    """The form field of a request field: its label and bounds, its default as the initial value."""
    extra = _FORM_ONLY.get(field.name, {})
    if field.name == "interval_minutes":  # the intervals a page offers: a day divides into them
        return forms.TypedChoiceField(
            label=FIELD_LABELS[field.name],
            choices=[(15, "15"), (30, "30"), (60, "60")],
            coerce=int,
            initial=sizing.DEFAULTS["interval_minutes"],
        )
    if field.kind in ("number", "share"):
        return _number(field.name, help_text=extra.get("help_text", ""))
    if field.kind == "whole":
        low, high, _low_ok, _high_ok = staffing.LIMITS[field.name]
        return forms.IntegerField(
            label=FIELD_LABELS[field.name],
            required=False,
            min_value=int(low),
            max_value=int(high),
            initial=extra.get("initial", field.default),
        )
    if field.kind == "choice":
        labels = _CHOICE_LABELS[field.name]
        return forms.ChoiceField(
            label=FIELD_LABELS[field.name],
            choices=[(code, labels[code]) for code in field.choices],
            initial=extra.get("initial", field.default),
            help_text=extra.get("help_text", ""),
        )
    assert field.kind == "weights", field
    return forms.CharField(label=FIELD_LABELS[field.name], required=False, max_length=2_000)


class SizingForm(StrictInputs, forms.Form):
    """The engine's one sizing request as a form: the same field names as the command line and the API,
    the request's own fields made from its one table (:mod:`guichet.engine.sizing_fields`).

    The opening hours and the ramp-up are the project's own (edited on the project). A value the engine
    refuses comes back from :func:`guichet.projects.services.project_size` as an error on its field."""

    volume_kind = forms.ChoiceField(
        label=_("The volume is given as"),
        choices=[
            ("calls_per_day", _("calls per open day")),
            ("calls_per_week", _("calls per week")),
            ("calls", _("calls in the busiest interval")),
            ("forecast", _("a forecast per interval")),
        ],
        initial="calls_per_day",
        widget=forms.RadioSelect,
    )
    volume = _number("calls_per_day", label=_("Calls"))
    forecast = forms.CharField(
        label=FIELD_LABELS["forecast"],
        required=False,
        max_length=2_000_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pasted CSV: start,calls,aht,open — one row per interval, e.g. mon 08:00,120,185,1"),
    )
    emails_per_day = _number("calls_per_day", label=_("E-mails per open day"))
    emails_aht_seconds = _number("aht_seconds", label=_("E-mail handling time (seconds)"))
    chats_per_day = _number("calls_per_day", label=_("Chats per open day"))
    chats_aht_seconds = _number("aht_seconds", label=_("Chat handling time (seconds)"))
    chats_concurrency = forms.IntegerField(
        label=_("Chats handled at once"), required=False, min_value=1, max_value=20, initial=2
    )

    # The table's groups as the page titles them; the volume's own fields lead, other channels close.
    _GROUP_TITLES = {
        "volume": _("Volume"),
        "arrival": _("Arrival"),
        "targets": _("Targets"),
        "staff": _("Staff and seats"),
        "hiring": _("Hiring"),
    }
    GROUPS = (
        *(
            (
                title,
                (
                    *(("volume_kind", "volume", "forecast") if group == "volume" else ()),
                    *(f.name for f in FIELDS if f.group == group and _offered(f)),
                ),
            )
            for group, title in _GROUP_TITLES.items()
        ),
        (
            _("Other channels"),
            (
                "emails_per_day",
                "emails_aht_seconds",
                "chats_per_day",
                "chats_aht_seconds",
                "chats_concurrency",
            ),
        ),
    )
    # The request's fields the form offers under their own name.
    _SAME = tuple(f.name for f in FIELDS if _offered(f))

    def __init__(self, *args: Any, inputs: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        """``inputs``: a previous sizing's, so that sizing again starts from them."""
        super().__init__(*args, **kwargs)
        self._extra_channels: list[str] = []
        if inputs:
            for name in self._SAME:
                value = inputs.get(name)
                if name in ("hourly_profile", "daily_profile") and isinstance(value, list):
                    value = " ; ".join(f"{w:g}" for w in value)
                if value is not None:
                    self.initial[name] = _whole(value)
            if inputs.get("shrinkage") is not None and inputs.get("absence_shrinkage") is None:
                # A sizing stored with the former single total: its parts as the engine splits it (the
                # on-site default, time away the rest), to four decimals.
                split = split_shrinkage(total=inputs["shrinkage"])
                self.initial["absence_shrinkage"] = round(split.absence, 4)
                self.initial["on_site_shrinkage"] = _whole(split.on_site)
            for kind in ("calls_per_day", "calls_per_week", "calls"):
                if inputs.get(kind) is not None:
                    self.initial["volume_kind"], self.initial["volume"] = kind, _whole(inputs[kind])
            for extra in inputs.get("channels") or []:
                prefix = {"emails": "emails", "chats": "chats"}.get(extra.get("channel"))
                if prefix and extra.get("calls_per_day") is not None:
                    self.initial[f"{prefix}_per_day"] = _whole(extra["calls_per_day"])
                    self.initial[f"{prefix}_aht_seconds"] = _whole(extra.get("aht_seconds"))
                    if prefix == "chats":
                        self.initial["chats_concurrency"] = extra.get("concurrency")

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("volume_kind") == "forecast":
            text = data.get("forecast") or ""
            try:
                data["forecast_intervals"] = forecast.parse_forecast_csv(
                    text.splitlines(), default_aht_seconds=data.get("aht_seconds")
                )
            except staffing.StaffingInputError as error:
                self.add_error("forecast", sizing_error_message(error))
        return data

    def request_fields(self) -> dict[str, Any]:
        """The engine's named values (None: its default), as the command line and the API give them."""
        data = self.cleaned_data
        fields: dict[str, Any] = {name: data.get(name) for name in self._SAME}
        for name in ("hourly_profile", "daily_profile"):
            fields[name] = fields[name] or None
        kind = data["volume_kind"]
        if kind == "forecast":
            fields["forecast"] = data.get("forecast_intervals")
        else:
            fields[kind] = data.get("volume")
            fields["days_per_week"] = None
        if fields["profile"] == "custom" or fields["hourly_profile"] or fields["daily_profile"]:
            fields["profile"] = "custom" if fields["profile"] == "custom" else fields["profile"]
        channels = []
        self._extra_channels = []
        if data.get("emails_per_day") is not None:
            channels.append(
                {
                    "channel": "emails",
                    "calls_per_day": data["emails_per_day"],
                    "aht_seconds": data.get("emails_aht_seconds"),
                }
            )
            self._extra_channels.append("emails")
        if data.get("chats_per_day") is not None:
            channels.append(
                {
                    "channel": "chats",
                    "calls_per_day": data["chats_per_day"],
                    "aht_seconds": data.get("chats_aht_seconds"),
                    "concurrency": data.get("chats_concurrency") or 1,
                }
            )
            self._extra_channels.append("chats")
        fields["channels"] = channels
        return fields

    def field_for(self, engine_field: str) -> str | None:
        """The form field showing an engine error on ``engine_field`` (None: the form as a whole)."""
        head, _dot, rest = engine_field.partition(".")
        if head in ("calls", "calls_per_day", "calls_per_week"):
            return "volume"
        if head == "forecast":
            return "forecast"
        if head == "channels" and rest:
            index, _dot, name = rest.partition(".")
            if not index.isdigit() or int(index) >= len(self._extra_channels):
                return None
            prefix = self._extra_channels[int(index)]
            candidate = {"aht_seconds": f"{prefix}_aht_seconds", "concurrency": "chats_concurrency"}.get(
                name, f"{prefix}_per_day"
            )
            return candidate if candidate in self.fields else None
        return head if head in self.fields else None


# The request's own fields, made from its one table, as if declared in the class body.
SizingForm.base_fields.update({name: _form_field(request_field(name)) for name in SizingForm._SAME})


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


class DecisionFields(StrictInputs, forms.Form):
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


class JobsForm(StrictInputs, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    jobs = forms.IntegerField(label=_("Jobs created during the year"), min_value=0)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("e.g. the company's annual statement"),
    )


class DashboardFilterForm(StrictInputs, forms.Form):
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
