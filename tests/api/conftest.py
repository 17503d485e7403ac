"""API fixtures: tokens for Alice, Bob and Agnès, a JSON client, and the call-for-offers scene of
tests/offers (two competing authorities, a sized project, a draft call)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.offers import services
from guichet.offers.models import CallForOffers
from guichet.projects import services as project_services
from guichet.projects.models import Project

from ..offers.conftest import make_premises


class Api:
    """A JSON client for /api/, as anonymous or with a bearer token."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def request(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra.pop("headers", {}))
        data = json.dumps(body) if body is not None else None
        return self.client.generic(
            method, "/api" + path, data=data or "", content_type="application/json", headers=headers, **extra
        )

    def get(self, path: str, **extra: Any) -> Any:
        return self.request("GET", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.request("POST", path, body, **extra)

    def put(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.request("PUT", path, body, **extra)

    def patch(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.request("PATCH", path, body, **extra)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def anonymous(db: Any) -> Api:
    return Api()


@pytest.fixture
def as_alice(alice: User) -> Api:
    return Api(api_token_create(user=alice))


@pytest.fixture
def as_bob(bob: User) -> Api:
    return Api(api_token_create(user=bob))


@pytest.fixture
def as_agnes(agnes: User) -> Api:
    return Api(api_token_create(user=agnes))


# The scene of tests/offers/conftest.py (fixtures in a sibling conftest are not visible here).


@pytest.fixture
def temis(grand_besancon: Authority) -> Premises:
    return make_premises(grand_besancon, "Temis Center", "25056", 3000, "95", power_backup=True)


@pytest.fixture
def technhom(grand_belfort: Authority) -> Premises:
    return make_premises(grand_belfort, "Techn'hom 7", "90010", 3500, "85")


@pytest.fixture
def tiny_belfort(grand_belfort: Authority) -> Premises:
    return make_premises(grand_belfort, "Petit bureau", "90010", 300, "70")


@pytest.fixture
def hidden_belfort(grand_belfort: Authority) -> Premises:
    """Not on the public portal: only Grand Belfort and the agency see it."""
    return make_premises(grand_belfort, "Bureaux confidentiels", "90010", 1200, "80", is_public=False)


@pytest.fixture
def besancon_grant(grand_besancon: Authority) -> Incentive:
    return Incentive.objects.create(
        owner=grand_besancon,
        name="Aide à l'emploi",
        kind="grant_per_job",
        amount=Decimal(2000),
        unit="eur_per_job",
    )


@pytest.fixture
def project(agnes: User) -> Project:
    project = project_services.project_create(
        actor=agnes,
        code_name="Projet Aurore",
        company_name="Acme Relation Client SAS",
        contact_email="dg@acme.example",
        description="Centre de relation client entrant, 250 postes.",
        opening_date=dt.date(2027, 9, 1),
        max_rent_eur_m2_year=Decimal(120),
        needs_fibre=True,
    )
    return project_services.project_size(
        actor=agnes, project=project, calls=900, aht_seconds=240, interval_minutes=30, shrinkage=0.3
    )


@pytest.fixture
def call(
    agnes: User, project: Project, temis: Premises, technhom: Premises, tiny_belfort: Premises
) -> CallForOffers:
    return services.call_create(
        actor=agnes,
        project=project,
        title="Aurore — appel à offres",
        brief="Centre de relation client, environ 250 postes, ouverture en septembre 2027.",
        deadline=timezone.now() + dt.timedelta(days=14),
    )


@pytest.fixture
def open_call(agnes: User, call: CallForOffers) -> CallForOffers:
    return services.call_open(actor=agnes, call=call)


def offer(premises: Premises, rent: str = "90", **extra: Any) -> dict[str, Any]:
    return {"premises_id": premises.pk, "area_m2": 2800, "rent_eur_m2_year": rent, **extra}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with the given status."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str)
    return body
