"""Officers answer knowing the need: their call page, answer form and invitation e-mail state it (never the
investor's identity), and the form warns, without refusing, when an offer falls short of it. The call fixes
the need and the scales when it is sent: what the project does afterwards changes neither."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.catalogue.models import Authority
from guichet.engine.scales import CeilingOrigin
from guichet.notifications.models import Notification, NotificationKind
from guichet.offers import evaluation, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, Proposal
from guichet.offers.scales import call_basis
from guichet.projects import services as project_services
from guichet.projects.models import Project

from ..api.conftest import Api
from ..scene import close_call, make_premises

pytestmark = pytest.mark.django_db


@pytest.fixture
def horizon(agnes: User) -> Project:
    project = project_services.project_create(
        actor=agnes,
        code_name="Projet Horizon",
        company_name="Horizon Relation Client SAS",
        opening_date=dt.date(2027, 9, 1),
        max_rent_eur_m2_year=Decimal(120),
        needs_parking_spaces=80,
        needs_fibre=True,
        jobs_announced=300,
    )
    project_services.project_size(actor=agnes, project=project, calls_per_day=14_000, aht_seconds=300)
    project_services.project_update(actor=agnes, project=project, seats=250, floor_area_wanted_m2=2_500)
    return project


@pytest.fixture
def sent(agnes: User, horizon: Project, grand_besancon: Authority, alice: User) -> CallForOffers:
    make_premises(grand_besancon, "Temis Center", "25056", 2_600, "95")
    make_premises(grand_besancon, "Espace Valentin", "25056", 1_600, "70")
    make_premises(
        grand_besancon, "Bâtiment Lumière", "25056", 2_800, "90", available_from=dt.date(2028, 1, 15)
    )
    call = services.call_create(
        actor=agnes,
        project=horizon,
        title="Horizon — appel à offres",
        brief="Centre de relation client entrant.",
        deadline=timezone.now() + dt.timedelta(days=14),
    )
    services.call_open(actor=agnes, call=call)
    return call


def officer_client(user: User, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_call_page_and_the_api_state_the_need_without_the_investor(
    alice: User, sent: CallForOffers
) -> None:
    page = officer_client(alice).get(reverse("offers:call_detail", args=[sent.public_id])).content.decode()
    page = html.unescape(page).replace("\u00a0", " ").replace("\u202f", " ")
    for expected in (
        "<dt>Postes</dt><dd>250",
        "<dt>Surface de plancher</dt><dd>2 500 m² (10,0 m² par poste)",
        "<dt>Emplois annoncés par l’investisseur</dt><dd>300",
        "<dt>Date d'ouverture</dt><dd>1 septembre 2027",
        "<dt>Stationnement</dt><dd>80 places",
        "<dt>Fibre optique</dt><dd>exigé",
        "<dt>Loyer maximal</dt><dd>120 EUR par m² et par an, hors TVA",
        "Tel que publié avec l’appel le",
        "Comment chaque critère est noté : les échelles fixées avec l’appel",
    ):
        assert expected in page, expected
    assert "Horizon Relation Client SAS" not in page
    body = Api(api_token_create(user=alice)).get(f"/my/calls/{sent.public_id}").json()
    need = body["need"]
    assert need["published"] is True and need["figures"]["seats"] == {
        "value": 250,
        "origin": "agency",
        "method": "",
    }
    assert {row["key"]: row["text"] for row in need["rows"]}["announced_jobs"] == "300"
    assert need["cost_ceiling"]["origin"] == CeilingOrigin.MAX_RENT.value
    assert "Horizon Relation Client SAS" not in str(body)


def test_the_invitation_states_the_need(sent: CallForOffers, grand_besancon: Authority) -> None:
    [invitation] = Notification.objects.filter(call=sent, kind=NotificationKind.CALL_OPENED)
    body = invitation.body.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Le besoin :" in body
    assert "- Postes : 250 (chiffre de l’agence)" in body
    assert "- Surface de plancher : 2 500 m² (10,0 m² par poste) (chiffre de l’agence)" in body
    assert "- Emplois annoncés par l’investisseur : 300 (à la création du projet)" in body
    assert "- Stationnement : 80 places (indiqué sur le projet)" in body
    assert "Horizon Relation Client SAS" not in body


def test_the_answer_form_warns_without_refusing(alice: User, sent: CallForOffers) -> None:
    client = officer_client(alice)
    url = reverse("offers:call_answer", args=[sent.public_id])
    form = html.unescape(client.get(url).content.decode()).replace("\u00a0", " ").replace("\u202f", " ")
    assert "<dt>Postes</dt><dd>250" in form
    assert (
        "Espace Valentin offre au plus 1 600 m², moins que les 2 500 m² du besoin : il accueillerait 160 des "
        "250 postes, et la comparaison le signalerait comme trop petit." in form
    )
    assert (
        "Bâtiment Lumière est disponible à partir du 15 janvier 2028, après la date d’ouverture, le 1 "
        in form
    )
    assert "Temis Center offre au plus" not in form
    valentin = sent.addressees.get().authority.premises.get(name="Espace Valentin")
    response = client.post(
        url,
        {
            f"p{valentin.pk}_offer": "on",
            f"p{valentin.pk}_area": "1600",
            f"p{valentin.pk}_rent": "68",
            f"p{valentin.pk}_charges": "0",
            f"p{valentin.pk}_free": "0",
            f"p{valentin.pk}_fitout": "0",
            "training_places": "0",
        },
        follow=True,
    )
    assert Proposal.objects.filter(call=sent, status="submitted").count() == 1  # sent, not refused
    text = html.unescape(response.content.decode()).replace("\u00a0", " ").replace("\u202f", " ")
    assert "Espace Valentin : 1 600 m² proposés, moins que les 2 500 m² du besoin" in text


def test_the_call_keeps_the_need_and_scales_it_published(
    agnes: User, alice: User, sent: CallForOffers
) -> None:
    published = call_basis(call=sent)
    assert published.published and published.need.seats.value == 250
    project_services.project_update(
        actor=agnes, project=sent.project, seats=300, max_rent_eur_m2_year=Decimal(200)
    )
    sent.refresh_from_db()
    again = call_basis(call=sent)
    assert again.need == published.need and again.scales == published.scales
    temis = sent.addressees.get().authority.premises.get(name="Temis Center")
    services.proposal_submit(
        actor=alice,
        call=sent,
        offers=[OfferTerms(premises_id=temis.pk, area_m2=2_600, rent_eur_m2_year=Decimal(92))],
    )
    close_call(sent)
    result = evaluation.evaluate_call(call=sent, weights=evaluation.call_weights(call=sent))
    assert result.needs.seats == 250 and result.scales == published.scales
    agency = officer_client(agnes, "en")
    page = html.unescape(agency.get(reverse("offers:call_compare", args=[sent.public_id])).content.decode())
    assert "The project's need has changed since the call was sent (seats and maximum rent)" in page, (
        re.findall(r"need has changed[^<]*", page)
    )
