"""A service's refusal on the form that called it: on the field it names, else on top; or as one message."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from guichet.form_errors import add_service_errors, form_problems, service_error_text


class RentForm(forms.Form):
    rent = forms.DecimalField(label="Rent")
    area = forms.IntegerField(label="Area")


def bound() -> RentForm:
    form = RentForm({"rent": "95", "area": "300"})
    assert form.is_valid()
    return form


def test_errors_by_field_land_on_their_field_or_on_top() -> None:
    form = bound()
    add_service_errors(
        form,
        ValidationError(
            {"rent": ValidationError("Too high.", code="high"), "owner": "Not yours."},
        ),
    )
    assert form.errors == {"rent": ["Too high."], "__all__": ["Not yours."]}
    assert form.errors.as_data()["rent"][0].code == "high"


def test_an_error_without_a_field_goes_on_top_and_a_mapping_chooses_the_field() -> None:
    form = bound()
    add_service_errors(form, ValidationError("Closed call."))
    assert form.non_field_errors() == ["Closed call."]
    mapped = bound()
    add_service_errors(
        mapped,
        ValidationError({"calls_per_day": "Enter a number.", "channels.0.x": "Bad."}),
        field_for=lambda name: "area" if name == "calls_per_day" else None,
    )
    assert mapped.errors == {"area": ["Enter a number."], "__all__": ["Bad."]}


def test_one_message_for_a_redirect() -> None:
    assert service_error_text(ValidationError(["First.", "Second."])) == "First. Second."
    form = RentForm({"rent": "x", "area": ""})
    assert not form.is_valid()
    # In French (the default language), with the no-break space before the colon.
    assert form_problems(form) == "Rent\u00a0: Saisissez un nombre. Area\u00a0: Ce champ est obligatoire."
