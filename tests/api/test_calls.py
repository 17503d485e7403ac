"""A call for offers run from its draft to the signature through the API alone, as the pages run it: the
same services, the same refusals, the same statuses, the same e-mails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Premises
from guichet.offers.models import CallForOffers

from ..scene import close_call
from .conftest import Api, assert_problem, offer


@pytest.fixture
def draft(as_agnes: Api, call: CallForOffers) -> str:
    return str(call.public_id)


def test_a_call_from_its_draft_to_the_signature(
    as_agnes: Api,
    as_alice: Api,
    as_bob: Api,
    draft: str,
    grand_belfort: Authority,
    temis: Premises,
    technhom: Premises,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.GUICHET_SITE_URL = "https://guichet.example.org"
    # The draft's addressees: Belfort left out with a reason, then added back.
    assert_problem(as_agnes.post(f"/calls/{draft}/exclude", {"authority_id": grand_belfort.pk}), 422)
    unknown = assert_problem(
        as_agnes.post(f"/calls/{draft}/exclude", {"authority_id": 999999, "reason": "x"}), 422
    )
    assert [e["field"] for e in unknown["errors"]] == ["authority_id"]
    left = as_agnes.post(
        f"/calls/{draft}/exclude", {"authority_id": grand_belfort.pk, "reason": "Hors zone"}
    ).json()
    belfort = next(a for a in left["addressees"] if a["authority"] == "Grand Belfort")
    assert belfort == {**belfort, "included": False, "exclusion_reason": "Hors zone"}
    back = as_agnes.post(f"/calls/{draft}/include", {"authority_id": grand_belfort.pk}).json()
    assert all(a["included"] for a in back["addressees"]) and back["status"] == "draft"
    # No e-mail reaches Grand Belfort: the call opens only once the agency says it will tell them.
    Authority.objects.filter(pk=grand_belfort.pk).update(contact_email="")
    refused = assert_problem(as_agnes.post(f"/calls/{draft}/open"), 422)
    assert [e["field"] for e in refused["errors"]] == ["unreachable_confirmed"]
    assert "Grand Belfort" in refused["detail"]
    opened = as_agnes.post(f"/calls/{draft}/open", {"unreachable_confirmed": True}).json()
    assert (opened["status"], opened["accepts_proposals"]) == ("open", True)
    assert_problem(as_agnes.post(f"/calls/{draft}/include", {"authority_id": grand_belfort.pk}), 409)

    # Alice answers; the call cannot close early before Bob has answered.
    assert as_alice.put(f"/my/calls/{draft}/proposal", {"offers": [offer(temis)]}).status_code == 200
    assert as_agnes.get(f"/calls/{draft}").json()["unanswered"] == ["Grand Belfort"]
    early = assert_problem(as_agnes.post(f"/calls/{draft}/close", {"reason": "Pressés"}), 409)
    assert "Grand Belfort" in early["detail"]
    assert_problem(as_agnes.get(f"/calls/{draft}/offers"), 409)  # sealed
    assert as_bob.put(f"/my/calls/{draft}/proposal", {"offers": [offer(technhom, "85")]}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        closed = as_agnes.post(f"/calls/{draft}/close", {"reason": "Toutes les collectivités ont répondu."})
    closed_call = closed.json()
    assert (closed_call["status"], closed_call["deadline_passed"], closed_call["unanswered"]) == (
        "closed",
        True,
        [],
    )
    assert closed_call["deadline_changes"][-1]["closed_early"] is True
    assert closed_call["status_label"] == "Clos\u00a0: propositions en cours d'examen"
    assert {m.to[0] for m in mail.outbox} == {"eco@besancon.example"}  # Belfort has no address: recorded
    kinds = [n["kind"] for n in as_agnes.get(f"/calls/{draft}/notifications").json()["items"]]
    assert kinds.count("call_closed_early") == 2  # one sent, one "no address"
    assert as_alice.get(f"/my/calls/{draft}").json()["status"] == "closed"

    # The offers side by side, the decision, the investor's choice and the signature.
    offers = as_agnes.get(f"/calls/{draft}/offers").json()
    assert sorted(c["authority"] for c in offers["columns"]) == ["Grand Belfort", "Grand Besançon Métropole"]
    assert offers["sized"] is True and offers["columns"][0]["offer"]["area_m2"] == 2800
    decided = as_agnes.post(f"/calls/{draft}/decision", {}).json()
    assert decided["status"] == "decided" and decided["evaluation"]["candidates"]
    alice_proposal = next(
        c["proposal_id"] for c in offers["columns"] if c["authority"].startswith("Grand Bes")
    )
    bogus = as_agnes.post(f"/calls/{draft}/choice", {"proposal_id": str(draft), "premises_id": temis.pk})
    assert [e["field"] for e in assert_problem(bogus, 422)["errors"]] == ["proposal_id"]
    not_offered = as_agnes.post(
        f"/calls/{draft}/choice", {"proposal_id": alice_proposal, "premises_id": technhom.pk}
    )
    assert [e["field"] for e in assert_problem(not_offered, 422)["errors"]] == ["premises"]
    chosen = as_agnes.post(f"/calls/{draft}/choice", {"proposal_id": alice_proposal, "premises_id": temis.pk})
    assert chosen.json()["choice"] == {
        **chosen.json()["choice"],
        "premises": {"id": temis.pk, "name": "Temis Center"},
        "area_m2": 2800,
        "signed_at": None,
    }
    signed = as_agnes.post(f"/calls/{draft}/signature").json()
    assert signed["choice"]["signed_at"] is not None
    temis.refresh_from_db()
    assert (temis.available_area_m2, temis.status) == (200, "available")
    project = as_agnes.get(f"/projects/{signed['project']['id']}").json()
    assert project["stage"] == "won" and project["decision"]["floor_area_taken_m2"] == 2800
    assert project["decision"]["chosen_premises"] == {"id": temis.pk, "name": "Temis Center"}
    assert_problem(as_agnes.post(f"/calls/{draft}/signature"), 409)  # once


def test_the_status_the_api_reports_is_the_one_the_pages_show(
    as_agnes: Api, as_alice: Api, agnes: User, open_call: CallForOffers
) -> None:
    url = f"/calls/{open_call.public_id}"
    assert as_agnes.get(url).json()["status"] == "open"
    close_call(open_call)
    api_call = as_agnes.get(url, headers={"Accept-Language": "en"}).json()
    assert (api_call["status"], api_call["status_label"]) == ("closed", "Closed: proposals under review")
    assert as_alice.get(f"/my{url}").json()["status"] == "closed"
    client = Client()
    client.force_login(agnes)
    page = client.get(f"{url}/", headers={"Accept-Language": "en"}).content.decode()
    assert '<span class="badge phase-closed">Closed: proposals under review</span>' in page


def test_the_deadline_and_cancelling(as_agnes: Api, open_call: CallForOffers) -> None:
    url = f"/calls/{open_call.public_id}"
    later = (open_call.deadline + dt.timedelta(days=7)).isoformat()
    earlier = (open_call.deadline - dt.timedelta(days=1)).isoformat()
    too_early = assert_problem(
        as_agnes.post(f"{url}/deadline", {"new_deadline": earlier, "reason": "x"}), 422
    )
    assert [e["field"] for e in too_early["errors"]] == ["new_deadline"]
    blank = assert_problem(as_agnes.post(f"{url}/deadline", {"new_deadline": later, "reason": " "}), 422)
    assert [e["field"] for e in blank["errors"]] == ["reason"]
    moved = as_agnes.post(f"{url}/deadline", {"new_deadline": later, "reason": "Visites reportées"}).json()
    assert moved["deadline_changes"] == [{**moved["deadline_changes"][0], "reason": "Visites reportées"}]
    cancelled = as_agnes.post(f"{url}/cancel", {"reason": "L'investisseur renonce."}).json()
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "L'investisseur renonce.")
    assert_problem(as_agnes.post(f"{url}/cancel", {"reason": "Encore"}), 409)


def test_the_investors_dossier_links(
    as_agnes: Api, as_alice: Api, open_call: CallForOffers, temis: Premises
) -> None:
    url = f"/calls/{open_call.public_id}"
    proposal = as_alice.put(f"/my{url}/proposal", {"offers": [offer(temis)]}).json()["id"]
    assert_problem(as_agnes.post(f"{url}/dossier-links", {"proposal_ids": [proposal]}), 409)  # sealed
    close_call(open_call)
    unknown = as_agnes.post(f"{url}/dossier-links", {"proposal_ids": [str(open_call.public_id)]})
    assert [e["field"] for e in assert_problem(unknown, 422)["errors"]] == ["proposal_ids"]
    created = as_agnes.post(f"{url}/dossier-links", {"proposal_ids": [proposal], "valid_days": 10})
    assert created.status_code == 201
    link = created.json()
    assert link["live"] is True and link["shortlist"] == [
        {"proposal_id": proposal, "authority": "Grand Besançon Métropole"}
    ]
    investor = Client()
    path = link["url"].removeprefix("http://testserver")
    assert link["url"].startswith("http://testserver/dossier/") and investor.get(path).status_code == 200
    listed = as_agnes.get(f"{url}/dossier-links").json()["items"]
    assert [(item["id"], item["url"], [a["what"] for a in item["accesses"]]) for item in listed] == [
        (link["id"], None, ["page"])
    ]
    revoked = as_agnes.post(f"/dossier-links/{link['id']}/revoke").json()
    assert revoked["live"] is False and revoked["revoked_at"] is not None
    assert investor.get(path).status_code == 404


def test_questions_asked_and_answered_for_every_consulted_authority(
    as_agnes: Api, as_alice: Api, as_bob: Api, open_call: CallForOffers
) -> None:
    url = f"/calls/{open_call.public_id}/questions"
    asked = as_alice.post(f"/my{url}", {"question": "Grand Besançon : le parking est-il compris ?"})
    assert asked.status_code == 201 and asked.json()["asked_by_own_authority"] is True
    assert as_bob.get(f"/my{url}").json() == []  # not before the answer
    [seen] = as_agnes.get(url).json()
    assert seen["asked_by_authority"] == "Grand Besançon Métropole" and seen["published_question"] == ""
    answered = as_agnes.post(
        f"/questions/{seen['id']}/answer",
        {"answer": "Oui, 150 places.", "published_question": "Le parking est-il compris ?"},
    ).json()
    assert answered["published_question"] == "Le parking est-il compris ?"
    assert answered["question"] == "Grand Besançon : le parking est-il compris ?"
    [bobs] = as_bob.get(f"/my{url}").json()
    assert (bobs["question"], bobs["answer"], bobs["asked_by_authority"]) == (
        "Le parking est-il compris ?",
        "Oui, 150 places.",
        None,
    )
    assert_problem(as_agnes.post(f"/questions/{seen['id']}/answer", {"answer": "Encore"}), 409)
    close_call(open_call)
    assert_problem(as_alice.post(f"/my{url}", {"question": "Trop tard ?"}), 409)


def test_a_file_is_attached_and_withdrawn_with_a_new_receipt_each_time(
    as_alice: Api, open_call: CallForOffers, temis: Premises, settings: Any
) -> None:
    url = f"/my/calls/{open_call.public_id}/proposal"
    brochure = SimpleUploadedFile("plaquette.pdf", b"%PDF-1.4\n% plaquette\n", content_type="application/pdf")
    assert_problem(as_alice.multipart(f"{url}/attachments", {"file": brochure}), 409)  # no terms yet
    first = as_alice.put(url, {"offers": [offer(temis, "90")], "training_places": 12}).json()
    brochure.seek(0)
    attached = as_alice.multipart(f"{url}/attachments", {"file": brochure, "expected_version": 1})
    assert attached.status_code == 200
    second = attached.json()
    assert second["version"] == 2 and second["receipt_sha256"] != first["receipt_sha256"]
    assert [a["name"] for a in second["attachments"]] == ["plaquette.pdf"]
    assert second["offers"] == first["offers"] and second["training_places"] == 12  # the terms kept
    brochure.seek(0)
    stale = as_alice.multipart(f"{url}/attachments", {"file": brochure, "expected_version": 1})
    assert assert_problem(stale, 409)["type"] == "urn:guichet:problem:conflict"
    script = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    refused = assert_problem(as_alice.multipart(f"{url}/attachments", {"file": script}), 422)
    assert [e["field"] for e in refused["errors"]] == ["attachment"]
    withdrawn = as_alice.put(
        url,
        {
            "offers": [offer(temis, "90")],
            "withdrawn_attachments": [second["attachments"][0]["id"]],
            "expected_version": 2,
        },
    ).json()
    assert withdrawn["version"] == 3 and withdrawn["attachments"] == []


def test_the_e_mails_and_sending_the_failed_ones_again(
    as_agnes: Api, agnes: User, call: CallForOffers, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.offers.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        as_agnes.post(f"/calls/{call.public_id}/open")
    statuses = {n["status"] for n in as_agnes.get(f"/calls/{call.public_id}/notifications").json()["items"]}
    assert statuses == {"failed"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        resent = as_agnes.post(f"/calls/{call.public_id}/notifications/resend").json()
    assert resent == {"queued": 2} and len(mail.outbox) == 2
    assert {n["status"] for n in as_agnes.get(f"/calls/{call.public_id}/notifications").json()["items"]} == {
        "sent"
    }
