"""The authorization matrix: every API operation, for anonymous, Alice (officer of Grand Besançon), Bob
(officer of Grand Belfort, her competitor) and Agnès (agency), with the exact status expected.

The scene: an open call sent to both authorities, Alice has answered it and asked a question; a second
call, closed (its deadline has passed), that Alice answered, with an investor's dossier link; Temis is
Alice's premises, "Bureaux confidentiels" is Bob's and not public; Alice's authority has a grant; the agency
recorded a contact centre by hand. Each role's request is rolled back, so every role meets the same scene
(an action one role takes does not change what the next finds). The list of operations is read from the
API's OpenAPI schema, so a new endpoint without a row here fails `test_every_operation_has_a_rule`.

The statuses are the pages' (tests/web/test_authorization_matrix.py): what a role may not do on a page it
may not do here; an action the call's state forbids is a 409, as the page refuses it with a message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import User
from guichet.api.api import api
from guichet.api.services import api_token_create
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.labour.models import CentreOrigin, ContactCentre
from guichet.offers import services
from guichet.offers.models import CallForOffers
from guichet.projects.models import Project
from guichet.territory.models import Commune

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

# (method, path, body, {role: status}); {call}, {project}, {sizing}, {temis}, {hidden}, {besancon}
# are filled in.
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
    # Bob has no proposal to attach a file to (409), as his page would say.
    ("POST", "/my/calls/{call}/proposal/attachments", "brochure", (401, 200, 409, 403)),
    ("GET", "/projects", None, (401, 403, 403, 200)),
    ("POST", "/projects", {"code_name": "Projet Zéphyr"}, (401, 403, 403, 201)),
    ("GET", "/projects/{project}", None, (401, 403, 403, 200)),
    ("PATCH", "/projects/{project}", {"seats": 260}, (401, 403, 403, 200)),
    ("POST", "/projects/{project}/sizing", {"calls": 900, "aht_seconds": 240}, (401, 403, 403, 200)),
    ("POST", "/projects/{project}/sizings/{sizing}/adoption", None, (401, 403, 403, 200)),
    ("GET", "/projects/{project}/eligible", None, (401, 403, 403, 200)),
    ("GET", "/dashboard", None, (401, 403, 403, 200)),
    ("GET", "/my/results", None, (401, 200, 200, 403)),
    ("GET", "/calls", None, (401, 403, 403, 200)),
    ("POST", "/calls", "new call", (401, 403, 403, 201)),
    ("GET", "/calls/{call}", None, (401, 403, 403, 200)),
    ("POST", "/calls/{call}/open", None, (401, 403, 403, 409)),  # already open
    ("GET", "/calls/{call}/proposals", None, (401, 403, 403, 200)),
    ("POST", "/calls/{call}/comparison", {}, (401, 403, 403, 409)),  # sealed until the deadline
    # The life of a call: the open call is sent (its addressees no longer change), Bob has not answered
    # (no early close), nothing is decided; the closed call's proposals are readable.
    ("POST", "/calls/{call}/open", {"unreachable_confirmed": True}, (401, 403, 403, 409)),
    ("POST", "/calls/{call}/exclude", "exclude bob", (401, 403, 403, 409)),
    ("POST", "/calls/{call}/include", "include bob", (401, 403, 403, 409)),
    ("POST", "/calls/{call}/deadline", "later deadline", (401, 403, 403, 200)),
    ("POST", "/calls/{call}/close", {"reason": "Tout le monde a répondu"}, (401, 403, 403, 409)),
    ("POST", "/calls/{closed}/close", {"reason": "Déjà clos"}, (401, 403, 403, 409)),
    ("POST", "/calls/{call}/cancel", {"reason": "Projet abandonné"}, (401, 403, 403, 200)),
    ("GET", "/calls/{call}/offers", None, (401, 403, 403, 409)),  # sealed
    ("GET", "/calls/{closed}/offers", None, (401, 403, 403, 200)),
    ("POST", "/calls/{call}/decision", {}, (401, 403, 403, 409)),  # sealed
    ("POST", "/calls/{closed}/decision", {}, (401, 403, 403, 200)),
    ("POST", "/calls/{closed}/choice", "alice's closed proposal", (401, 403, 403, 409)),  # not decided
    ("POST", "/calls/{closed}/signature", None, (401, 403, 403, 409)),  # no choice yet
    ("GET", "/calls/{call}/notifications", None, (401, 403, 403, 200)),
    ("POST", "/calls/{call}/notifications/resend", None, (401, 403, 403, 200)),
    ("GET", "/calls/{closed}/dossier-links", None, (401, 403, 403, 200)),
    ("POST", "/calls/{call}/dossier-links", "alice's proposal", (401, 403, 403, 409)),  # sealed
    ("POST", "/calls/{closed}/dossier-links", "alice's closed proposal", (401, 403, 403, 201)),
    ("POST", "/dossier-links/{link}/revoke", None, (401, 403, 403, 200)),
    # Questions: officers of a consulted authority ask, the agency answers.
    ("GET", "/calls/{call}/questions", None, (401, 403, 403, 200)),
    ("POST", "/questions/{question}/answer", {"answer": "Oui."}, (401, 403, 403, 200)),
    ("GET", "/my/calls/{call}/questions", None, (401, 200, 200, 403)),
    ("POST", "/my/calls/{call}/questions", {"question": "Le site est-il fibré ?"}, (401, 201, 201, 403)),
    # The pipeline: the project is at "call for offers"; a loss needs its reason; jobs only once won.
    ("POST", "/projects/{project}/moves", "lost abroad", (401, 403, 403, 200)),
    ("POST", "/projects/{project}/outcome", {"investment_eur": "1000000"}, (401, 403, 403, 409)),
    ("POST", "/projects/{project}/jobs", {"year": 2026, "jobs": 10}, (401, 403, 403, 422)),
    # An officer's own catalogue: Bob is told Alice's records do not exist; the agency is not an authority.
    ("POST", "/my/premises/{temis}/archive", None, (401, 200, 404, 403)),
    ("POST", "/my/incentives", "new grant", (401, 201, 201, 403)),
    ("PATCH", "/my/incentives/{grant}", {"cap_eur": "500000"}, (401, 200, 404, 403)),
    ("POST", "/my/incentives/{grant}/archive", None, (401, 200, 404, 403)),
    # The contact centres the agency records by hand.
    ("GET", "/contact-centres", None, (401, 403, 403, 200)),
    ("POST", "/contact-centres", "new centre", (401, 403, 403, 201)),
    ("PATCH", "/contact-centres/{centre}", {"jobs_low": 90}, (401, 403, 403, 200)),
    ("DELETE", "/contact-centres/{centre}", None, (401, 403, 403, 204)),
    # The AFR and FRR lists by commune.
    ("POST", "/zoning-lists/{kind}", "afr list", (401, 403, 403, 200)),
    # Any token holder ends its own token.
    ("DELETE", "/tokens/current", None, (401, 204, 204, 204)),
]
SCENE_IDS = (
    "call",
    "closed",
    "project",
    "temis",
    "hidden",
    "besancon",
    "question",
    "link",
    "grant",
    "centre",
)


def _operations_in_matrix() -> set[tuple[str, str]]:
    return {(method, "/api" + _template(path)) for method, path, _body, _statuses in MATRIX}


def _template(path: str) -> str:
    for name in SCENE_IDS:
        path = path.replace("{" + name + "}", "{id}")
    return path.replace("{sizing}", "{number}")


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
    alice: User,
    agnes: User,
    open_call: CallForOffers,
    temis: Premises,
    hidden_belfort: Premises,
    grand_besancon: Authority,
    grand_belfort: Authority,
    besancon_grant: Incentive,
) -> dict[str, Any]:
    response = as_alice.put(f"/my/calls/{open_call.public_id}/proposal", {"offers": [offer(temis)]})
    assert response.status_code == 200
    question = services.clarification_ask(actor=alice, call=open_call, question="Parking compris ?")
    closed = services.call_create(
        actor=agnes,
        project=Project.objects.get(pk=open_call.project_id),
        title="Tour clos",
        brief="Brief.",
        deadline=timezone.now() + dt.timedelta(days=1),
    )
    services.call_open(actor=agnes, call=closed)
    answered = as_alice.put(f"/my/calls/{closed.public_id}/proposal", {"offers": [offer(temis)]}).json()
    CallForOffers.objects.filter(pk=closed.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    closed.refresh_from_db()
    link, _token = services.dossier_link_create(actor=agnes, call=closed, shortlist=closed.proposals.all())
    centre = ContactCentre.objects.create(
        origin=CentreOrigin.MANUAL, name="Centre connu", commune=Commune.objects.get(insee="25056")
    )
    return {
        "call": open_call.public_id,
        "closed": closed.public_id,
        "project": open_call.project_id,
        "sizing": 1,  # the project fixture's first sizing
        "temis": temis.pk,
        "hidden": hidden_belfort.pk,
        "besancon": grand_besancon.pk,
        "belfort": grand_belfort.pk,
        "question": question.public_id,
        "link": link.pk,
        "grant": besancon_grant.pk,
        "kind": "afr",
        "centre": centre.pk,
        "temis_obj": temis,
        "alice_proposal": response.json()["id"],
        "alice_closed_proposal": answered["id"],
    }


BODIES: dict[str, Any] = {
    "alice's offer": lambda scene: {"offers": [offer(scene["temis_obj"])]},
    "new call": lambda scene: {
        "project_id": scene["project"],
        "title": "Second tour",
        "brief": "Centre de relation client.",
        "deadline": "2099-01-01T12:00:00+01:00",
    },
    "exclude bob": lambda scene: {"authority_id": scene["belfort"], "reason": "Hors zone"},
    "include bob": lambda scene: {"authority_id": scene["belfort"]},
    "later deadline": lambda scene: {"new_deadline": "2099-02-01T12:00:00+01:00", "reason": "Visites"},
    "alice's proposal": lambda scene: {"proposal_ids": [scene["alice_proposal"]]},
    "alice's closed proposal": lambda scene: {
        "proposal_ids": [scene["alice_closed_proposal"]],
        "proposal_id": scene["alice_closed_proposal"],
        "premises_id": scene["temis"],
    },
    "lost abroad": lambda scene: {
        "stage": "lost",
        "loss_reason": "abroad",
        "note": "Porto",
        "lost_to": "Porto",
    },
    "new grant": lambda scene: {
        "name": "Aide nouvelle",
        "kind": "grant_per_job",
        "amount": "1500",
        "unit": "eur_per_job",
    },
    "new centre": lambda scene: {"name": "Centre neuf", "commune": "25056", "jobs_low": 40},
}


def brochure() -> SimpleUploadedFile:
    return SimpleUploadedFile("plaquette.pdf", b"%PDF-1.4\n% plaquette\n", content_type="application/pdf")


def afr_list() -> dict[str, Any]:
    content = b"insee;zone\n25056;c_predefined\n"
    return {
        "file": SimpleUploadedFile("afr.csv", content, content_type="text/csv"),
        "source": "décret n° 2022-968",
        "vintage": "2022-2027",
    }


def _body(body: Any, scene: dict[str, Any]) -> Any:
    return BODIES[body](scene) if isinstance(body, str) else body


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
        with transaction.atomic():  # each role meets the same scene
            if body == "brochure":
                got[role] = client.multipart(url, {"file": brochure()}).status_code
            elif body == "afr list":
                got[role] = client.multipart(url, afr_list()).status_code
            else:
                got[role] = client.request(method, url, _body(body, scene)).status_code
            transaction.set_rollback(True)
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
