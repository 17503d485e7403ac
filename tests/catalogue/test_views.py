"""Catalogue pages for each role: anonymous visitor, Alice (Grand Besançon), Bob (Grand Belfort), agency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Premises
from guichet.territory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def besancon_premises(grand_besancon: Authority) -> Premises:
    return Premises.objects.create(
        owner=grand_besancon,
        name="Plateau Temis",
        commune=Commune.objects.get(insee="25056"),
        total_area_m2=3000,
        available_area_m2=3000,
        available_from=dt.date(2027, 1, 1),
        rent_eur_m2_year=Decimal(95),
    )


@pytest.fixture
def private_premises(grand_besancon: Authority) -> Premises:
    return Premises.objects.create(
        owner=grand_besancon,
        name="Réserve confidentielle",
        commune=Commune.objects.get(insee="25056"),
        total_area_m2=800,
        available_area_m2=800,
        available_from=dt.date(2027, 1, 1),
        rent_eur_m2_year=Decimal(80),
        is_public=False,
    )


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_home_page_shows_public_premises_and_real_territory_figures(
    client: Client, besancon_premises: Premises, private_premises: Premises
) -> None:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Plateau Temis" in content
    assert "Réserve confidentielle" not in content
    # 1,692 communes and 644,301 people aged 20-64, in French number format, each with its source.
    assert "<strong>1\u202f692</strong>" in content
    assert "<strong>644\u202f301</strong>" in content
    assert "recensement de la population 2021 par IRIS" in content


def test_private_premises_are_hidden_from_visitors_and_competitors(
    client: Client, bob: User, alice: User, agnes: User, private_premises: Premises
) -> None:
    url = reverse("portal:premises_detail", args=[private_premises.pk])
    assert client.get(url).status_code == 404
    assert logged_in(bob).get(url).status_code == 404
    assert logged_in(alice).get(url).status_code == 200
    assert logged_in(agnes).get(url).status_code == 200


def test_bob_cannot_open_or_archive_alice_premises(bob: User, besancon_premises: Premises) -> None:
    client = logged_in(bob)
    assert client.get(reverse("catalogue:premises_edit", args=[besancon_premises.pk])).status_code == 404
    response = client.post(reverse("catalogue:premises_archive", args=[besancon_premises.pk]))
    assert response.status_code == 404
    besancon_premises.refresh_from_db()
    assert besancon_premises.archived_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, besancon_premises: Premises) -> None:
    response = client.get(reverse("catalogue:premises_edit", args=[besancon_premises.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_alice_creates_premises_through_the_form(alice: User, grand_besancon: Authority) -> None:
    response = logged_in(alice).post(
        reverse("catalogue:premises_create"),
        {
            "owner": grand_besancon.pk,
            "name": "Espace Valentin",
            "commune": "25212",
            "total_area_m2": "1600",
            "available_area_m2": "1600",
            "floors": "2",
            "available_from": "2027-03-01",
            "tenure": "rent",
            "rent_eur_m2_year": "105",
            "fit_out": "offices",
            "parking_spaces": "120",
            "status": "available",
            "is_public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    premises = Premises.objects.get(name="Espace Valentin")
    assert (premises.owner, premises.commune_id) == (grand_besancon, "25212")


def test_the_form_names_the_unknown_insee_code_and_the_inconsistent_area(
    alice: User, grand_besancon: Authority, grand_belfort: Authority
) -> None:
    response = logged_in(alice).post(
        reverse("catalogue:premises_create"),
        {
            "owner": grand_belfort.pk,
            "name": "Wrong",
            "commune": "25999",
            "total_area_m2": "1000",
            "available_area_m2": "1200",
            "floors": "1",
            "available_from": "2027-03-01",
            "tenure": "rent",
            "rent_eur_m2_year": "90",
            "fit_out": "shell",
            "parking_spaces": "0",
            "status": "available",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "owner" in form.errors  # Bob's authority is not Alice's to choose
    assert "25999" in form.errors["commune"][0]
    assert not Premises.objects.filter(name="Wrong").exists()


def test_a_former_commune_code_is_accepted_and_stored_as_the_current_commune(
    alice: User, grand_besancon: Authority
) -> None:
    response = logged_in(alice).post(
        reverse("catalogue:premises_create"),
        {
            "owner": grand_besancon.pk,
            "name": "Ancienne commune",
            "commune": "25010",
            "total_area_m2": "500",
            "available_area_m2": "500",
            "floors": "1",
            "available_from": "2027-03-01",
            "tenure": "rent",
            "rent_eur_m2_year": "70",
            "fit_out": "shell",
            "parking_spaces": "10",
            "status": "available",
        },
    )
    assert response.status_code == 302
    assert Premises.objects.get(name="Ancienne commune").commune_id == "25223"


def test_each_user_space_lists_only_what_they_may_edit(
    alice: User, bob: User, agnes: User, besancon_premises: Premises
) -> None:
    assert "Plateau Temis" in logged_in(alice).get(reverse("catalogue:space")).content.decode()
    assert "Plateau Temis" not in logged_in(bob).get(reverse("catalogue:space")).content.decode()
    assert "Plateau Temis" in logged_in(agnes).get(reverse("catalogue:space")).content.decode()


def test_archived_premises_leave_the_public_offer(
    alice: User, client: Client, besancon_premises: Premises
) -> None:
    response = logged_in(alice).post(reverse("catalogue:premises_archive", args=[besancon_premises.pk]))
    assert response.status_code == 302
    assert "Plateau Temis" not in client.get(reverse("portal:home")).content.decode()
