"""The site's own 403, 404 and 500 pages: in the reader's language, saying what happened and whom to contact,
never Django's bare English pages, and never telling whether a hidden record exists."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import User
from guichet.offers.models import CallForOffers
from guichet.web.views import server_error

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def agency_contact(settings: Any) -> None:
    settings.GUICHET_AGENCY_NAME = "Agence régionale de test"
    settings.GUICHET_AGENCY_EMAIL = "guichet@agence.example"
    settings.GUICHET_AGENCY_PHONE = "03 81 00 00 00"


@pytest.mark.django_db
def test_a_missing_page_is_the_sites_own_in_french_with_the_agency_contact(
    client: Client, agency_contact: None
) -> None:
    response = client.get("/nulle-part/", **FRENCH)

    assert response.status_code == 404
    html = response.content.decode()
    assert "Cette page ne peut pas être affichée" in html
    assert "Erreur 404" in html
    assert 'href="mailto:guichet@agence.example"' in html
    assert "03 81 00 00 00" in html
    assert "Agence régionale de test" in html
    assert "Not Found" not in html


@pytest.mark.django_db
def test_a_missing_page_in_english(client: Client, agency_contact: None) -> None:
    html = client.get("/nowhere/", **ENGLISH).content.decode()

    assert "This page cannot be shown" in html
    assert "Whom to contact" in html


@pytest.mark.django_db
def test_another_authoritys_call_reads_exactly_as_a_call_that_does_not_exist(
    client: Client, bob: User, call: CallForOffers
) -> None:
    """Bob's authority was never sent this call: the page must not tell him it exists."""
    client.force_login(bob)

    hidden = client.get(reverse("offers:call_detail", args=[call.public_id]), **FRENCH)
    absent = client.get(reverse("offers:call_detail", args=[uuid.uuid4()]), **FRENCH)

    assert hidden.status_code == absent.status_code == 404
    assert _without_path_and_token(hidden) == _without_path_and_token(absent)


def _without_path_and_token(response: Any) -> str:
    """The page as a reader compares it: the address asked for (echoed by the language switch) and the
    per-response CSRF token set aside."""
    html = response.content.decode()
    html = re.sub(r"/calls/[0-9a-f-]{36}/", "/calls/ID/", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)


@pytest.mark.django_db
def test_an_action_refused_to_the_agency_is_the_sites_own_403(
    client: Client, agnes: User, call: CallForOffers, agency_contact: None
) -> None:
    """Agency staff cannot ask an authority's clarification question."""
    client.force_login(agnes)

    response = client.post(
        reverse("offers:clarification_ask", args=[call.public_id]), {"question": "?"}, **FRENCH
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "Vous ne pouvez pas effectuer cette action" in html
    assert "Revenir à votre espace" in html
    assert "guichet@agence.example" in html


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_says_nothing_was_saved(agency_contact: None) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"}, **FRENCH)

    assert response.status_code == 403
    html = response.content.decode()
    assert "Ce formulaire n’a pas pu être accepté" in html
    assert "Rien n’a été enregistré" in html
    assert "guichet@agence.example" in html


def test_the_server_error_page_needs_neither_the_database_nor_the_session(agency_contact: None) -> None:
    """No database mark: any query the 500 page made would fail this test."""
    request = RequestFactory().get("/")
    with translation.override("fr"):
        response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Un problème est survenu de notre côté" in html
    assert "guichet@agence.example" in html


@pytest.mark.django_db
def test_without_a_configured_agency_the_pages_name_no_invented_one(client: Client, settings: Any) -> None:
    settings.GUICHET_AGENCY_NAME = ""
    settings.GUICHET_AGENCY_EMAIL = ""

    html = client.get("/nulle-part/", **FRENCH).content.decode()

    assert "l’agence régionale de développement" in html
