"""The authorization matrix: every API operation, for anonymous, Alice (officer of Grand Besançon), Bob
(officer of Grand Belfort, her competitor) and Agnès (agency), with the exact status expected.

The scene: an open call sent to both authorities, Alice has answered it; Temis is Alice's premises,
"Bureaux confidentiels" is Bob's and not public. The list of operations is read from the API's OpenAPI
schema, so a new endpoint without a row here fails `test_every_operation_has_a_rule`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from guichet.accounts.models import User
from guichet.api.api import api
from guichet.api.services import api_token_create
from guichet.catalogue.models import Authority, Premises
from guichet.offers.models import CallForOffers

from .conftest import Api, assert_problem, offer

ROLES = ("anonymous", "alice", "bob", "agnes")
NEW_PREMISES = {
    "name": "Plateau neuf",
    "commune": "25056",
    "total_area_m2": 1500,
    "available_area_m2": 1500,
    "available_from": "2027-01-01",
    "rent_eur_m2_year": "99.50",
}

# (method, path, body, {role: status}); {call}, {project}, {temis}, {hidden}, {besancon} are filled in.
MATRIX: list[tuple[str, str, Any, tuple[int, int, int, int]]] = [
    ("POST", "/tokens", {"username": "alice", "password": "pw-alice-123"}, (201, 201, 201, 201)),
    ("GET", "/premises", None, (200, 200, 200, 200)),
    ("GET", "/premises/{temis}", None, (200, 200, 200, 200)),
    ("GET", "/premises/{hidden}", None, (404, 404, 200, 200)),
    ("GET", "/authorities", None, (200, 200, 200, 200)),
    ("GET", "/authorities/{besancon}", None, (200, 200, 200, 200)),
    ("GET", "/incentives", None, (200, 200, 200, 200)),
    ("POST", "/staffing", {"calls": 100, "aht_seconds": 180}, (200, 200, 200, 200)),
    ("POST", "/costs", {"on": "2026-03-01", "smic_multiple": "1.2"}, (200, 200, 200, 200)),
    ("GET", "/my/premises", None, (401, 200, 200, 403)),
    ("POST", "/my/premises", NEW_PREMISES, (401, 201, 201, 403)),
    ("GET", "/my/premises/{temis}", None, (401, 200, 404, 403)),
    ("PATCH", "/my/premises/{temis}", {"floors": 3}, (401, 200, 404, 403)),
    ("GET", "/my/incentives", None, (401, 200, 200, 403)),
    ("GET", "/my/calls", None, (401, 200, 200, 403)),
    ("GET", "/my/calls/{call}", None, (401, 200, 200, 403)),
    ("GET", "/my/calls/{call}/proposal", None, (401, 200, 404, 403)),
    # Bob cannot offer Alice's premises (403 from the service); Agnès is not an authority.
    ("PUT", "/my/calls/{call}/proposal", "alice's offer", (401, 200, 403, 403)),
    ("GET", "/projects", None, (401, 403, 403, 200)),
    ("POST", "/projects", {"code_name": "Projet Zéphyr"}, (401, 403, 403, 201)),
    ("GET", "/projects/{project}", None, (401, 403, 403, 200)),
    ("PATCH", "/projects/{project}", {"seats": 260}, (401, 403, 403, 200)),
    ("POST", "/projects/{project}/sizing", {"calls": 900, "aht_seconds": 240}, (401, 403, 403, 200)),
    ("GET", "/projects/{project}/eligible", None, (401, 403, 403, 200)),
    ("GET", "/dashboard", None, (401, 403, 403, 200)),
    ("GET", "/my/results", None, (401, 200, 200, 403)),
    ("GET", "/calls", None, (401, 403, 403, 200)),
    ("POST", "/calls", "new call", (401, 403, 403, 201)),
    ("GET", "/calls/{call}", None, (401, 403, 403, 200)),
    ("POST", "/calls/{call}/open", None, (401, 403, 403, 409)),  # already open
    ("GET", "/calls/{call}/proposals", None, (401, 403, 403, 200)),
    ("POST", "/calls/{call}/comparison", {}, (401, 403, 403, 409)),  # sealed until the deadline
]


def _operations_in_matrix() -> set[tuple[str, str]]:
    return {(method, "/api" + _template(path)) for method, path, _body, _statuses in MATRIX}


def _template(path: str) -> str:
    for name in ("call", "project", "temis", "hidden", "besancon"):
        path = path.replace("{" + name + "}", "{id}")
    return path


def test_every_operation_has_a_rule() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/")
    operations = {(method.upper(), path) for path, methods in schema["paths"].items() for method in methods}
    assert operations == _operations_in_matrix()


@pytest.fixture
def clients(alice: User, bob: User, agnes: User, as_alice: Api, as_bob: Api, as_agnes: Api) -> dict[str, Api]:
    root = User.objects.create_superuser("root", password="pw-root-123", role="agency")
    # The investor holds a dossier link, which opens pages, not the API: to the API it is anonymous.
    return {
        "anonymous": Api(),
        "investor": Api(),
        "alice": as_alice,
        "bob": as_bob,
        "agnes": as_agnes,
        "root": Api(api_token_create(user=root)),
    }


@pytest.fixture
def scene(
    as_alice: Api,
    open_call: CallForOffers,
    temis: Premises,
    hidden_belfort: Premises,
    grand_besancon: Authority,
) -> dict[str, Any]:
    response = as_alice.put(f"/my/calls/{open_call.public_id}/proposal", {"offers": [offer(temis)]})
    assert response.status_code == 200
    return {
        "call": open_call.public_id,
        "project": open_call.project_id,
        "temis": temis.pk,
        "hidden": hidden_belfort.pk,
        "besancon": grand_besancon.pk,
        "temis_obj": temis,
    }


def _body(body: Any, scene: dict[str, Any]) -> Any:
    if body == "alice's offer":
        return {"offers": [offer(scene["temis_obj"])]}
    if body == "new call":
        return {
            "project_id": scene["project"],
            "title": "Second tour",
            "brief": "Centre de relation client.",
            "deadline": "2099-01-01T12:00:00+01:00",
        }
    return body


@pytest.mark.parametrize(
    ("method", "path", "body", "statuses"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _s in MATRIX]
)
def test_access(
    clients: dict[str, Api],
    scene: dict[str, Any],
    method: str,
    path: str,
    body: Any,
    statuses: tuple[int, ...],
) -> None:
    url = path.format(**scene)
    got = {}
    for role, client in clients.items():
        cache.clear()  # each role gets the rate limits' full allowance
        payload = _body(body, scene)
        if isinstance(payload, dict) and "code_name" in payload:
            payload = {**payload, "code_name": f"{payload['code_name']} ({role})"}  # code names are unique
        got[role] = client.request(method, url, payload).status_code
    expected = dict(zip(ROLES, statuses, strict=True))
    # The administrator is answered as agency staff; the investor's link gives no API access.
    expected.update(investor=expected["anonymous"], root=expected["agnes"])
    assert got == expected


def test_refusals_are_problems_that_reveal_nothing(clients: dict[str, Api], scene: dict[str, Any]) -> None:
    unauthenticated = assert_problem(clients["anonymous"].get("/my/premises"), 401)
    assert "Bearer" in clients["anonymous"].get("/my/premises")["WWW-Authenticate"]
    assert unauthenticated["instance"] == "/api/my/premises"
    assert_problem(clients["alice"].get("/projects"), 403)
    # Bob's answer about Alice's premises is the same as about one that does not exist.
    mine = assert_problem(clients["bob"].get(f"/my/premises/{scene['temis']}"), 404)
    missing = assert_problem(clients["bob"].get("/my/premises/999999"), 404)
    assert {k: v for k, v in mine.items() if k != "instance"} == {
        k: v for k, v in missing.items() if k != "instance"
    }
