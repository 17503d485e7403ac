"""API fixtures: tokens for Alice, Bob and Agnès, a JSON client, and the call-for-offers scene of
tests/offers (two competing authorities, a sized project, a draft call)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.catalogue.models import Authority, Premises
from guichet.offers import services
from guichet.offers.models import CallForOffers

from ..scene import make_premises


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

    def multipart(self, path: str, data: dict[str, Any], **extra: Any) -> Any:
        """A POST of multipart/form-data (files), as a browser's form sends it."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.client.post("/api" + path, data=data, headers=headers, **extra)

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


@pytest.fixture
def hidden_belfort(grand_belfort: Authority) -> Premises:
    """Not on the public portal: only Grand Belfort and the agency see it."""
    return make_premises(grand_belfort, "Bureaux confidentiels", "90010", 1200, "80", is_public=False)


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
