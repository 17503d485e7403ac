"""Inputs as a lawyer reads them: ASCII digits, no blank names, dates within 1900..2100, versions as
integers; each refusal names its field. Alice edits her catalogue and answers a call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from guichet.accounts.models import User
from guichet.catalogue.models import Premises
from guichet.inputs import DATE_MAX, DATE_MIN, ascii_number
from guichet.offers.forms import CallForm, ProposalForm

from .api.conftest import Api, assert_problem
from .api.conftest import as_alice as as_alice  # the fixture, shared with tests/api

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("95", True),
        ("95,50", True),
        ("1 000,5", True),
        ("1\u202f000", True),
        ("-3.5e2", True),
        ("٩٥", False),
        ("９５", False),
        ("9\u0665", False),
        ("95\u2212", False),
        ("๙๕", False),
    ],
)
def test_a_number_is_written_with_ascii_digits(text: str, accepted: bool) -> None:
    assert ascii_number(text) is accepted
    assert int(Decimal("95")) == 95  # what Python alone would make of "٩٥": Decimal("٩٥") == 95
    if not accepted and text.strip("\u2212"):
        assert not text.isascii()


def proposal_form(premises: Premises, **values: str) -> ProposalForm:
    prefix = f"p{premises.pk}"
    data = {
        f"{prefix}_offer": "on",
        f"{prefix}_area": "2500",
        f"{prefix}_rent": "95",
        f"{prefix}_charges": "0",
        f"{prefix}_free": "0",
        f"{prefix}_fitout": "0",
        "training_places": "0",
    }
    data.update({key.replace("PREFIX", prefix): value for key, value in values.items()})
    return ProposalForm(data, premises=[premises], incentives=premises.owner.incentives.none())


@pytest.mark.parametrize("rent", ["٩٥", "９５", "9٥"])
def test_the_proposal_form_refuses_other_digits_naming_the_field(temis: Premises, rent: str) -> None:
    form = proposal_form(temis, PREFIX_rent=rent)
    assert not form.is_valid()
    assert form.errors[f"p{temis.pk}_rent"][0] == (
        "Loyer (€ HT/m²/an)\u00a0: écrivez le nombre avec les chiffres de 0 à 9."
    )


def test_the_proposal_form_keeps_the_french_decimal_comma(temis: Premises) -> None:
    form = proposal_form(temis, PREFIX_rent="95,50")
    assert form.is_valid(), form.errors
    assert form.cleaned_data[f"p{temis.pk}_rent"] == Decimal("95.50")


@pytest.mark.parametrize("deadline", ["0001-01-01T10:00", "9999-12-31T10:00", "1899-12-31T23:00"])
def test_a_date_outside_1900_to_2100_is_refused(deadline: str) -> None:
    form = CallForm(
        {"title": "Appel", "brief": "B", "deadline": deadline, "years": "9", "discount_rate": "0,04"}
    )
    assert not form.is_valid()
    assert form.errors["deadline"] == [
        f"Date limite\u00a0: donnez une date entre le {DATE_MIN} et le {DATE_MAX}."
    ]


def test_a_blank_title_is_refused() -> None:
    form = CallForm(
        {"title": "   ", "brief": "B", "deadline": "2027-01-01T10:00", "years": "9", "discount_rate": "0"}
    )
    assert not form.is_valid() and "title" in form.errors


NEW_PREMISES = {
    "name": "Plateau neuf",
    "commune": "25056",
    "total_area_m2": 1500,
    "available_area_m2": 1500,
    "available_from": "2027-01-01",
    "rent_eur_m2_year": "99.5",
    "is_public": False,
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "this cannot be blank"),
        ({"name": "\u00a0\t"}, "name", "this cannot be blank"),
        ({"rent_eur_m2_year": "٩٥"}, "rent_eur_m2_year", "write the number with the digits 0 to 9"),
        ({"rent_eur_m2_year": "９５.５"}, "rent_eur_m2_year", "write the number with the digits 0 to 9"),
        ({"total_area_m2": True}, "total_area_m2", "a number is expected, not true or false"),
        ({"available_from": "0001-01-01"}, "available_from", "give a date between 1900-01-01 and 2100-12-31"),
        ({"available_from": "9999-12-31"}, "available_from", "give a date between 1900-01-01 and 2100-12-31"),
    ],
)
def test_the_api_refuses_hostile_inputs_naming_the_field(
    as_alice: Api, changes: dict[str, Any], field: str, message: str
) -> None:
    problem = assert_problem(as_alice.post("/my/premises", {**NEW_PREMISES, **changes}), 422)
    assert field in str(problem) and message in str(problem)
    assert not Premises.objects.exists()


@pytest.mark.parametrize("version", [True, "1", 1.0])
def test_expected_version_is_an_integer_only(as_alice: Api, version: Any) -> None:
    created = as_alice.post("/my/premises", NEW_PREMISES).json()
    problem = assert_problem(
        as_alice.patch(f"/my/premises/{created['id']}", {"floors": 3, "expected_version": version}), 422
    )
    assert "expected_version" in str(problem) and "an integer is expected" in str(problem)
    assert Premises.objects.get().floors == 1
    ok = as_alice.patch(
        f"/my/premises/{created['id']}", {"floors": 3, "expected_version": created["version"]}
    )
    assert ok.status_code == 200


def test_the_rules_reach_every_form(alice: User) -> None:
    """Every form class of the product lists StrictInputs among its bases."""
    import inspect

    from django import forms

    from guichet.catalogue import forms as catalogue_forms
    from guichet.inputs import StrictInputs
    from guichet.labour import forms as labour_forms
    from guichet.offers import forms as offers_forms
    from guichet.portal import forms as portal_forms
    from guichet.projects import forms as projects_forms

    found = [
        cls
        for module in (catalogue_forms, labour_forms, offers_forms, portal_forms, projects_forms)
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]
    assert len(found) >= 20
    assert [cls.__name__ for cls in found if not issubclass(cls, StrictInputs)] == []
