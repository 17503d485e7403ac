"""Authorities see their own results: the projects that chose their premises and their jobs, and of the
others only the decisions the agency has made public. Alice is an officer of Grand Besançon, Bob of Grand
Belfort, her competitor; Agnès works at the agency."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.catalogue.models import Authority, Premises
from guichet.projects import selectors, services
from guichet.projects.models import Project, Stage

from ..scene import make_premises

pytestmark = pytest.mark.django_db

D = dt.date


def _won(
    agnes: User, name: str, premises: Premises, jobs: int, public_from: dt.date | None = None
) -> Project:
    project = services.project_create(actor=agnes, code_name=name, entered_on=D(2025, 1, 6))
    for stage in (Stage.QUALIFIED, Stage.SHORTLIST):
        project = services.project_move(actor=agnes, project=project, stage=stage, at=D(2025, 2, 1))
    project = services.project_move(
        actor=agnes,
        project=project,
        stage=Stage.WON,
        at=D(2025, 3, 3),
        jobs_announced=jobs,
        chosen_premises=premises,
    )
    services.project_record_jobs(actor=agnes, project=project, year=2025, jobs=jobs // 2)
    if public_from:
        project = services.project_record_outcome(actor=agnes, project=project, public_from=public_from)
    return project


@pytest.fixture
def scene(
    agnes: User, alice: User, bob: User, grand_besancon: Authority, grand_belfort: Authority
) -> dict[str, Any]:
    temis = make_premises(grand_besancon, "Temis Center", "25056", 3000, "95")
    technhom = make_premises(grand_belfort, "Techn'hom 7", "90010", 3500, "85")
    aurore = _won(agnes, "Aurore", temis, 250)  # Alice's, not public
    boreal = _won(agnes, "Boréal", technhom, 180, public_from=D(2025, 8, 1))  # Bob's, public
    cirrus = _won(agnes, "Cirrus", technhom, 77)  # Bob's, not public
    lost = services.project_create(actor=agnes, code_name="Dune", entered_on=D(2025, 1, 6))
    services.project_move(actor=agnes, project=lost, stage=Stage.LOST, at=D(2025, 4, 1), loss_reason="cost")
    return {"aurore": aurore, "boreal": boreal, "cirrus": cirrus, "temis": temis, "technhom": technhom}


def names(projects: list[Project]) -> list[str]:
    return [project.code_name for project in projects]


def test_each_officer_reads_its_own_projects_and_only_the_public_ones_of_others(
    alice: User, bob: User, grand_belfort: Authority, scene: dict[str, Any]
) -> None:
    alices = selectors.results_authority(user=alice, authority_id=grand_belfort.pk)  # asks for Bob's: no
    assert alices == alice.authority
    seen_by_alice = selectors.results_visible_to(authority=alices)
    assert (names(seen_by_alice["own"]), names(seen_by_alice["public"])) == (["Aurore"], ["Boréal"])
    seen_by_bob = selectors.results_visible_to(authority=selectors.results_authority(user=bob))
    assert (names(seen_by_bob["own"]), names(seen_by_bob["public"])) == (["Boréal", "Cirrus"], [])


def _without_tokens(html: str) -> str:
    """The page without its random CSRF tokens, in which a figure looked for could appear by chance."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)


def test_the_results_page_never_shows_another_authority_figures_before_they_are_public(
    alice: User, bob: User, grand_belfort: Authority, scene: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("projects:results"), {"authority": grand_belfort.pk}, HTTP_ACCEPT_LANGUAGE="en")
    text = _without_tokens(page.content.decode())
    assert page.status_code == 200
    assert "Aurore" in text and "Temis Center" in text and "2025: 125" in text  # her own, with its jobs
    assert (
        "Boréal" in text and "1 public decision: 180 jobs announced, 90 jobs created so far." in text
    )  # public: totals of it only
    assert "Cirrus" not in text and "77" not in text and "Techn&#x27;hom" not in text
    client.force_login(bob)
    text = _without_tokens(
        client.get(reverse("projects:results"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "Aurore" not in text and "250" not in text
    assert "Cirrus" in text and "Boréal" in text


def test_a_decision_dated_public_in_the_future_stays_private(alice: User, scene: dict[str, Any]) -> None:
    Project.objects.filter(pk=scene["cirrus"].pk).update(
        public_from=timezone.localdate() + dt.timedelta(days=3)
    )
    assert names(selectors.results_visible_to(authority=alice.authority)["public"]) == ["Boréal"]
    Project.objects.filter(pk=scene["cirrus"].pk).update(public_from=timezone.localdate())
    assert names(selectors.results_visible_to(authority=alice.authority)["public"]) == ["Boréal", "Cirrus"]


def test_agency_staff_choose_whose_results_they_read(
    agnes: User, grand_belfort: Authority, scene: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(agnes)
    text = client.get(reverse("projects:results"), {"authority": grand_belfort.pk}).content.decode()
    assert "Cirrus" in text and "Boréal" in text
    unchosen = client.get(reverse("projects:results")).content.decode()
    assert "Cirrus" not in unchosen and "Boréal" in unchosen  # no authority chosen: the public decisions


def test_anonymous_visitors_are_sent_to_sign_in(scene: dict[str, Any]) -> None:
    response = Client().get(reverse("projects:results"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_gives_an_officer_the_same_results(alice: User, bob: User, scene: dict[str, Any]) -> None:
    token = api_token_create(user=alice)
    answer = Client().get("/api/my/results", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [item["code_name"] for item in answer["own"]] == ["Aurore"]
    # No sequential database id of the agency's projects reaches an officer.
    assert all("id" not in item for item in answer["own"] + answer["public"])
    assert answer["own"][0]["premises_id"] == scene["temis"].pk
    assert answer["own"][0]["jobs_created"] == [{"year": 2025, "jobs": 125, "source": ""}]
    assert [(item["code_name"], item["premises_id"]) for item in answer["public"]] == [("Boréal", None)]


def test_the_api_dashboard_is_the_agency_dashboard(agnes: User, alice: User, scene: dict[str, Any]) -> None:
    token = api_token_create(user=agnes)
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    answer = client.get("/api/dashboard", {"year_from": 2025, "year_to": 2025}, **auth).json()
    years = next(table for table in answer["tables"] if table["key"] == "years")
    assert years["rows"] == [[2025, 4, 3, 1, 0, 507, 253, 400, 253 / 400, 0, 0]]
    assert answer["totals"]["won"] == 3
    bad = client.get("/api/dashboard", {"year_from": 2026, "year_to": 2025}, **auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "year_to"
    officer_token = api_token_create(user=alice)
    assert client.get("/api/dashboard", HTTP_AUTHORIZATION=f"Bearer {officer_token}").status_code == 403
