"""Calls for offers through the API: the sealing rules of offers.selectors hold for every caller.

Bob (Grand Belfort) never reads Grand Besançon's proposal; before the deadline Agnès (agency) sees who
answered, not what; the company behind the code name shows to authorities only once disclosed.
"""

from __future__ import annotations

import json

import pytest
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.catalogue.models import Incentive, Premises
from guichet.offers import services
from guichet.offers.models import CallForOffers, CallStatus

from ..scene import close_call
from .conftest import Api, assert_problem, offer

SECRET = "Secret de Besançon"


@pytest.fixture
def answered(as_alice: Api, open_call: CallForOffers, temis: Premises, besancon_grant: Incentive) -> dict:
    response = as_alice.put(
        f"/my/calls/{open_call.public_id}/proposal",
        {
            "offers": [offer(temis, "87.5", rent_free_months=6)],
            "incentive_ids": [besancon_grant.pk],
            "free_text": SECRET,
            "training_places": 40,
        },
    )
    assert response.status_code == 200
    return response.json()


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(response.json(), ensure_ascii=False)


def test_alice_answers_and_gets_her_receipt(as_alice: Api, open_call: CallForOffers, answered: dict) -> None:
    assert len(answered["receipt_sha256"]) == 64 and answered["version"] == 1
    assert answered["offers"][0]["rent_eur_m2_year"] == "87.50"
    assert answered["offers"][0]["rent_free_months"] == 6
    again = as_alice.get(f"/my/calls/{open_call.public_id}/proposal").json()
    assert again["receipt_sha256"] == answered["receipt_sha256"] and again["free_text"] == SECRET
    mine = as_alice.get(f"/my/calls/{open_call.public_id}").json()
    assert mine["own_proposal"]["receipt_sha256"] == answered["receipt_sha256"]
    # A stale version is refused, not merged.
    stale = as_alice.put(
        f"/my/calls/{open_call.public_id}/proposal", {"offers": [offer_of(answered)], "expected_version": 0}
    )
    assert assert_problem(stale, 409)["type"] == "urn:guichet:problem:conflict"
    fresh = as_alice.put(
        f"/my/calls/{open_call.public_id}/proposal", {"offers": [offer_of(answered)], "expected_version": 1}
    )
    assert fresh.status_code == 200 and fresh.json()["version"] == 2


def offer_of(proposal: dict) -> dict:
    first = proposal["offers"][0]
    return {"premises_id": first["premises"]["id"], "area_m2": first["area_m2"], "rent_eur_m2_year": "80"}


def test_bob_never_reads_alices_proposal(as_bob: Api, open_call: CallForOffers, answered: dict) -> None:
    assert_problem(as_bob.get(f"/my/calls/{open_call.public_id}/proposal"), 404)
    for response in (as_bob.get("/my/calls"), as_bob.get(f"/my/calls/{open_call.public_id}")):
        assert response.status_code == 200
        assert SECRET not in _text(response) and answered["receipt_sha256"] not in _text(response)
        assert "87.5" not in _text(response)
    assert as_bob.get(f"/my/calls/{open_call.public_id}").json()["own_proposal"] is None
    assert_problem(as_bob.get(f"/calls/{open_call.public_id}/proposals"), 403)
    assert_problem(as_bob.get(f"/calls/{open_call.public_id}"), 403)
    # Still nothing after the deadline, nor after the decision (his own rows only, and he has none).
    close_call(open_call)
    assert_problem(as_bob.get(f"/my/calls/{open_call.public_id}/proposal"), 404)
    assert SECRET not in _text(as_bob.get(f"/my/calls/{open_call.public_id}"))


def test_before_the_deadline_the_agency_sees_who_answered_not_what(
    as_agnes: Api, open_call: CallForOffers, answered: dict
) -> None:
    page = as_agnes.get(f"/calls/{open_call.public_id}/proposals").json()
    assert page == {"count": 0, "limit": 20, "offset": 0, "items": [], "sealed": True}
    detail = as_agnes.get(f"/calls/{open_call.public_id}")
    answers = {a["authority"]: a["answered"] for a in detail.json()["addressees"]}
    assert answers == {"Grand Besançon Métropole": True, "Grand Belfort": False}
    assert SECRET not in _text(detail) and "87.5" not in _text(detail)
    sealed = assert_problem(as_agnes.post(f"/calls/{open_call.public_id}/comparison", {}), 409)
    assert sealed["detail"] == str(_("Proposals stay sealed until the deadline."))


def test_after_the_deadline_the_agency_reads_and_compares(
    as_agnes: Api, as_alice: Api, open_call: CallForOffers, answered: dict, technhom: Premises, bob: User
) -> None:
    services.proposal_submit(
        actor=bob,
        call=open_call,
        offers=[services.OfferTerms(premises_id=technhom.pk, area_m2=3000, rent_eur_m2_year=80)],  # type: ignore[arg-type]
    )
    close_call(open_call)
    page = as_agnes.get(f"/calls/{open_call.public_id}/proposals").json()
    assert page["sealed"] is False and page["count"] == 2
    assert SECRET in [p["free_text"] for p in page["items"]]
    # Proposals are frozen for the authorities.
    late = as_alice.put(f"/my/calls/{open_call.public_id}/proposal", {"offers": [offer_of(answered)]})
    assert assert_problem(late, 409)["type"] == "urn:guichet:problem:conflict"
    # The comparison: weights in, ranking out.
    ranking = as_agnes.post(f"/calls/{open_call.public_id}/comparison", {"weights": {"cost": 1}}).json()
    assert ranking["weights"]["cost"] == 1.0 and [c["rank"] for c in ranking["candidates"]] == [1, 2]
    cheapest = min(ranking["candidates"], key=lambda c: c["per_seat_eur"])
    assert cheapest["rank"] == 1
    assert ranking["method"] and ranking["tie_break_rule"]
    body = assert_problem(
        as_agnes.post(f"/calls/{open_call.public_id}/comparison", {"weights": {"beauty": 1}}), 422
    )
    assert [e["field"] for e in body["errors"]] == ["weights"]
    body = assert_problem(
        as_agnes.post(f"/calls/{open_call.public_id}/comparison", {"weights": {"cost": 0}}), 422
    )
    assert [e["field"] for e in body["errors"]] == ["weights"]


def test_the_company_shows_to_authorities_only_once_disclosed(
    as_bob: Api, as_agnes: Api, open_call: CallForOffers
) -> None:
    company = "Acme Relation Client SAS"
    page = as_bob.get("/my/calls")
    assert page.json()["items"][0]["project"]["identity"] is None
    assert company not in _text(page) and "dg@acme.example" not in _text(page)
    assert (
        as_agnes.get(f"/calls/{open_call.public_id}").json()["project"]["identity"]["company_name"] == company
    )
    disclosed = as_agnes.patch(f"/projects/{open_call.project_id}", {"identity_disclosed": True})
    assert disclosed.status_code == 200 and disclosed.json()["identity_disclosed"] is True
    assert (
        as_bob.get(f"/my/calls/{open_call.public_id}").json()["project"]["identity"]["company_name"]
        == company
    )


def test_the_agency_drafts_and_opens_a_call(as_agnes: Api, as_bob: Api, open_call: CallForOffers) -> None:
    project_id = open_call.project_id
    draft = {
        "project_id": project_id,
        "title": "Tour 2",
        "brief": "Brief.",
        "deadline": "2099-06-30T18:00:00+02:00",
    }
    created = as_agnes.post("/calls", draft)
    assert created.status_code == 201
    call = created.json()
    assert call["status"] == "draft" and {a["authority"] for a in call["addressees"]} == {
        "Grand Besançon Métropole",
        "Grand Belfort",
    }
    # A draft is not sent: Bob does not see it.
    assert_problem(as_bob.get(f"/my/calls/{call['id']}"), 404)
    opened = as_agnes.post(f"/calls/{call['id']}/open")
    assert opened.status_code == 200 and opened.json()["status"] == CallStatus.OPEN
    assert as_bob.get(f"/my/calls/{call['id']}").status_code == 200
    assert_problem(as_agnes.post(f"/calls/{call['id']}/open"), 409)
    assert as_agnes.get(f"/calls?project_id={project_id}").json()["count"] == 2
    # Field errors: a naive date-time, a past deadline, an unknown project.
    naive = assert_problem(as_agnes.post("/calls", {**draft, "deadline": "2099-06-30T18:00:00"}), 422)
    assert [e["field"] for e in naive["errors"]] == ["deadline"]
    past = assert_problem(as_agnes.post("/calls", {**draft, "deadline": "2001-01-01T00:00:00Z"}), 422)
    assert [e["field"] for e in past["errors"]] == ["deadline"]
    unknown = assert_problem(as_agnes.post("/calls", {**draft, "project_id": 999999}), 422)
    assert [e["field"] for e in unknown["errors"]] == ["project_id"]


def test_an_authority_left_out_does_not_see_the_call(
    agnes: User, as_bob: Api, call: CallForOffers, grand_belfort
) -> None:  # type: ignore[no-untyped-def]
    services.call_exclude_authority(actor=agnes, call=call, authority=grand_belfort, reason="Hors zone")
    services.call_open(actor=agnes, call=call)
    assert as_bob.get("/my/calls").json()["count"] == 0
    assert_problem(as_bob.get(f"/my/calls/{call.public_id}"), 404)
    assert_problem(
        as_bob.put(
            f"/my/calls/{call.public_id}/proposal",
            {"offers": [{"premises_id": 1, "area_m2": 1, "rent_eur_m2_year": 1}]},
        ),
        404,
    )
