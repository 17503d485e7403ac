"""Sealed means sealed: the offered terms are frozen and provable, attachments are private files, and no
authority reads a competitor's figures. Alice answers for Grand Besançon, Bob for Grand Belfort."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.audit.models import AuditEvent
from guichet.catalogue.models import Incentive, Premises
from guichet.cli import main
from guichet.engine.scales import Scales
from guichet.offers import evaluation, selectors, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, Proposal
from guichet.phrasing import numbers

from ..api.conftest import Api
from ..scene import close_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n% Besancon brochure\ntrailer << >>\n%%EOF\n"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer(user: User, call: CallForOffers, premises: Premises, rent: str, **extra: Any) -> Proposal:
    return services.proposal_submit(
        actor=user,
        call=call,
        offers=[OfferTerms(premises.pk, premises.available_area_m2 - 500, Decimal(rent))],
        **extra,
    )


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def answered(
    agnes: User,
    alice: User,
    bob: User,
    call: CallForOffers,
    temis: Premises,
    technhom: Premises,
    besancon_grant: Incentive,
    media: Path,
) -> dict[str, Proposal]:
    services.call_open(actor=agnes, call=call)
    brochure = SimpleUploadedFile("plaquette Temis.pdf", PDF, content_type="application/pdf")
    return {
        "alice": answer(
            alice,
            call,
            temis,
            "95",
            incentive_ids=[besancon_grant.pk],
            attachments=[brochure],
            free_text="Temis",
        ),
        "bob": answer(bob, call, technhom, "85"),
    }


def ranking(call: CallForOffers) -> list[tuple[str, int, float, float]]:
    result = evaluation.evaluate_call(call=call, weights=evaluation.call_weights(call=call))
    return [
        (row.premises_name, row.rank, round(row.score, 9), round(row.net_pv_eur, 2)) for row in result.rows
    ]


def test_catalogue_edits_after_the_deadline_change_neither_comparison_nor_dossier_nor_receipt(
    agnes: User,
    alice: User,
    call: CallForOffers,
    answered: dict[str, Proposal],
    temis: Premises,
    besancon_grant: Incentive,
    client: Client,
) -> None:
    close_call(call)
    before = ranking(call)
    receipt = answered["alice"].receipt_sha256
    _link, token = services.dossier_link_create(actor=agnes, call=call, shortlist=list(answered.values()))
    dossier_before = client.get(reverse("offers:dossier", args=[token])).content.decode()
    # Alice inflates her incentive in the page and rewrites her premises through the API: the catalogue
    # accepts both (it is hers), but the sealed proposal does not move.
    page = logged_in(alice).post(
        reverse("catalogue:incentive_edit", args=[besancon_grant.pk]),
        {
            "owner": besancon_grant.owner_id,
            "name": besancon_grant.name,
            "kind": "grant_per_job",
            "amount": "9999999",
            "unit": "eur_per_job",
            "version": besancon_grant.version,
        },
    )
    assert page.status_code == 302
    besancon_grant.refresh_from_db()
    assert besancon_grant.amount == Decimal("9999999")
    patched = Api(api_token_create(user=alice)).patch(
        f"/my/premises/{temis.pk}", {"rent_eur_m2_year": "1.00", "parking_spaces": 5000, "fibre": False}
    )
    assert patched.status_code == 200, patched.content
    assert ranking(call) == before
    answered["alice"].refresh_from_db()
    assert answered["alice"].receipt_sha256 == receipt
    sealed = json.loads(answered["alice"].sealed.canonical)  # type: ignore[union-attr]
    assert sealed["incentives"][0]["amount"] == "2000.00"
    assert sealed["premises"][0]["parking_spaces"] == 150 and sealed["premises"][0]["fibre"] is True
    dossier_after = client.get(reverse("offers:dossier", args=[token])).content.decode()
    figures = [line for line in dossier_before.splitlines() if "EUR" in line or "m²" in line]
    assert figures and figures == [
        line for line in dossier_after.splitlines() if "EUR" in line or "m²" in line
    ]
    assert main(["receipt", "verify", "--stored"]) == 0


def test_the_sealed_content_holds_what_the_comparison_reads(
    call: CallForOffers, answered: dict[str, Proposal], temis: Premises
) -> None:
    sealed = json.loads(answered["alice"].sealed.canonical)  # type: ignore[union-attr]
    offer = sealed["premises"][0]
    assert offer["area_offered_m2"] == 2500 and offer["building_area_m2"] == 3000
    assert (offer["rent_eur_m2_year"], offer["charges_eur_m2_year"]) == ("95.00", "0.00")
    assert offer["commune"] == {"insee": "25056", "name": "Besançon", "departement": "25"}
    assert offer["latitude"] is not None and offer["available_from"] == "2027-01-01"
    assert (offer["fibre"], offer["power_backup"], offer["public_transport"]) == (True, True, True)
    assert offer["catalogue"] == {
        "available_area_m2": 3000,
        "rent_eur_m2_year": "95.00",
        "charges_eur_m2_year": "18.00",
    }
    assert sealed["incentives"][0] | {"incentive_id": 0} == {
        "incentive_id": 0,
        "name": "Aide à l'emploi",
        "kind": "grant_per_job",
        "unit": "eur_per_job",
        "amount": "2000.00",
        "cap_eur": None,
        "conditions": "",
        "rule": "",
        "valid_until": None,
    }
    attachment = sealed["attachments"][0]
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachment["name"] == "plaquette Temis.pdf" and attachment["content_type"] == "application/pdf"
    assert sealed["call"]["id"] == str(call.public_id) and sealed["version"] == 1
    assert sealed["sealed_at"].endswith("Z")


def test_guichet_receipt_verify_accepts_a_true_receipt_and_refuses_a_changed_byte(
    alice: User, call: CallForOffers, answered: dict[str, Proposal], tmp_path: Path, capsys: Any
) -> None:
    version = answered["alice"].versions.get()
    client = logged_in(alice)
    receipt = client.get(reverse("offers:receipt_json", args=[call.public_id, version.public_id]))
    canonical = client.get(reverse("offers:receipt_canonical", args=[call.public_id, version.public_id]))
    pdf = client.get(reverse("offers:receipt_pdf", args=[call.public_id, version.public_id]))
    assert receipt.status_code == canonical.status_code == pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    # The canonical file hashes to the receipt with any standard tool.
    assert hashlib.sha256(canonical.content).hexdigest() == answered["alice"].receipt_sha256
    assert json.loads(receipt.content)["receipt"]["sha256"] == answered["alice"].receipt_sha256

    true_receipt = tmp_path / "receipt.json"
    true_receipt.write_bytes(receipt.content)
    assert main(["receipt", "verify", str(true_receipt)]) == 0
    assert "valid" in capsys.readouterr().out
    forged = tmp_path / "forged.json"
    forged.write_bytes(receipt.content.replace(b'"95.00"', b'"96.00"', 1))
    assert forged.read_bytes() != receipt.content
    assert main(["receipt", "verify", str(forged)]) == 1
    assert "INVALID" in capsys.readouterr().out

    sealed = tmp_path / "sealed.json"
    sealed.write_bytes(canonical.content)
    assert main(["receipt", "verify", str(sealed), "--sha256", answered["alice"].receipt_sha256]) == 0
    one_byte = bytearray(canonical.content)
    one_byte[canonical.content.index(b"95.00")] = ord("8")
    sealed.write_bytes(bytes(one_byte))
    assert main(["receipt", "verify", str(sealed), "--sha256", answered["alice"].receipt_sha256]) == 1
    sealed.write_bytes(canonical.content.replace(b",", b", ", 1))  # same data, not canonical any more
    assert main(["receipt", "verify", str(sealed)]) == 1


def test_receipts_of_every_version_are_kept_and_only_the_sender_downloads_them(
    alice: User, bob: User, agnes: User, call: CallForOffers, answered: dict[str, Proposal], temis: Premises
) -> None:
    second = answer(alice, call, temis, "93", expected_version=1)
    versions = list(second.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2] and versions[1].sha256 == second.receipt_sha256
    assert versions[0].sha256 != versions[1].sha256
    url = reverse("offers:receipt_json", args=[call.public_id, versions[0].public_id])
    assert logged_in(alice).get(url).status_code == 200
    assert logged_in(bob).get(url).status_code == 404
    assert logged_in(agnes).get(url).status_code == 404


def test_attachments_reach_the_sender_always_the_agency_after_the_deadline_and_nobody_else(
    alice: User, bob: User, agnes: User, call: CallForOffers, answered: dict[str, Proposal], client: Client
) -> None:
    attachment = answered["alice"].attachments.get()
    # A random storage name: neither the client's file name, nor the proposal's id.
    assert attachment.file.name.startswith("private/attachments/")
    assert "plaquette" not in attachment.file.name and len(Path(attachment.file.name).name) == 32
    url = reverse("offers:attachment", args=[attachment.public_id])
    for reader in (client, logged_in(bob), logged_in(agnes)):
        assert reader.get(url).status_code == 404
    own = logged_in(alice).get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF  # type: ignore[attr-defined]
    assert own["Content-Disposition"].startswith("attachment;")
    assert own["X-Content-Type-Options"] == "nosniff" and own["Content-Type"] == "application/pdf"
    assert "sandbox" in own["Content-Security-Policy"]
    close_call(call)
    assert logged_in(agnes).get(url).status_code == 200
    for reader in (client, logged_in(bob)):
        assert reader.get(url).status_code == 404
    reads = AuditEvent.objects.filter(action="attachment_read", object_id=str(attachment.pk)).order_by("pk")
    assert [(e.actor_label, e.details) for e in reads] == [
        (alice.username, {"read": True, "sha256": attachment.sha256}),
        (agnes.username, {"read": True, "sha256": attachment.sha256}),
    ]
    # Read before the deadline by its own sender, the attachment is named in the trail by digest only.
    assert all(attachment.name not in f"{e.summary} {e.details}" for e in reads)
    assert reads[0].summary == f"sha256 {attachment.sha256[:16]}"
    # An unknown id answers exactly as a forbidden one.
    assert logged_in(bob).get(reverse("offers:attachment", args=[uuid.uuid4()])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<!doctype html><script>alert(1)</script>"),
        ("script.js", b"fetch('/api/my/calls').then(r => r.text())"),
        ("picture.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("disguised.pdf", b"<html><body onload=alert(1)>"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 40),
    ],
)
def test_an_upload_that_a_browser_could_run_is_refused(
    alice: User,
    call: CallForOffers,
    answered: dict[str, Proposal],
    temis: Premises,
    name: str,
    content: bytes,
) -> None:
    form = {
        "version": "1",
        f"p{temis.pk}_offer": "on",
        f"p{temis.pk}_area": "2500",
        f"p{temis.pk}_rent": "95",
        "training_places": "0",
        "attachment": SimpleUploadedFile(name, content, content_type="application/pdf"),
    }
    response = logged_in(alice).post(reverse("offers:call_answer", args=[call.public_id]), form)
    assert response.status_code == 200
    assert "pas un fichier accepté" in response.content.decode()
    answered["alice"].refresh_from_db()
    assert answered["alice"].version == 1 and answered["alice"].attachments.count() == 1


def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    alice: User, call: CallForOffers, answered: dict[str, Proposal], temis: Premises, settings: Any
) -> None:
    settings.GUICHET_MAX_FILE_MB = 1
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * (2 * 2**20), content_type="application/pdf")
    form = {
        "version": "1",
        f"p{temis.pk}_offer": "on",
        f"p{temis.pk}_area": "2500",
        f"p{temis.pk}_rent": "95",
        "training_places": "0",
        "attachment": big,
    }
    page = logged_in(alice).post(reverse("offers:call_answer", args=[call.public_id]), form).content.decode()
    assert "gros.pdf pèse 2,0 Mo\u00a0; la limite est de 1 Mo." in page
    assert Proposal.objects.get(pk=answered["alice"].pk).version == 1


def test_a_submission_that_fails_after_storing_its_attachment_leaves_no_file_behind(
    alice: User,
    call: CallForOffers,
    answered: dict[str, Proposal],
    temis: Premises,
    media: Path,
    monkeypatch: Any,
) -> None:
    def stored() -> set[Path]:
        return {path for path in media.rglob("*") if path.is_file()}

    before = stored()
    assert len(before) == 1  # the brochure of the first version

    def broken_seal(content: Any) -> str:
        raise RuntimeError("the sealing fails after the files were written")

    monkeypatch.setattr(services, "seal", broken_seal)
    leaflet = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    with pytest.raises(RuntimeError):
        answer(alice, call, temis, "94", attachments=[leaflet], expected_version=1)
    assert stored() == before  # the new file is gone, the first version's stays
    assert answered["alice"].attachments.count() == 1
    monkeypatch.undo()
    again = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    assert answer(alice, call, temis, "94", attachments=[again], expected_version=1).version == 2
    assert len(stored()) == 2


def test_a_withdrawn_attachment_leaves_later_versions_and_stays_in_the_earlier_one(
    alice: User, agnes: User, call: CallForOffers, answered: dict[str, Proposal], temis: Premises
) -> None:
    first = answered["alice"].attachments.get()
    second = answer(
        alice, call, temis, "95", withdrawn_attachments=[str(first.public_id)], expected_version=1
    )
    assert json.loads(second.sealed.canonical)["attachments"] == []  # type: ignore[union-attr]
    assert json.loads(second.versions.get(number=1).canonical)["attachments"][0]["id"] == str(first.public_id)
    close_call(call)
    assert logged_in(agnes).get(reverse("offers:attachment", args=[first.public_id])).status_code == 404
    assert logged_in(alice).get(reverse("offers:attachment", args=[first.public_id])).status_code == 200


def test_after_the_decision_each_authority_reads_only_its_own_figures(
    agnes: User, alice: User, bob: User, call: CallForOffers, answered: dict[str, Proposal]
) -> None:
    close_call(call)
    result = evaluation.evaluate_call(call=call, weights=evaluation.call_weights(call=call))
    figures = {row.authority_name: row for row in result.rows}
    services.call_decide(actor=agnes, call=call, weights=evaluation.call_weights(call=call))
    call.refresh_from_db()
    for officer, own, other in (
        (alice, "Grand Besançon Métropole", "Grand Belfort"),
        (bob, "Grand Belfort", "Grand Besançon Métropole"),
    ):
        published = selectors.published_evaluation_for(user=officer, call=call)
        text = json.dumps(published)
        mine = figures[own]
        theirs = figures[other]
        assert published is not None and published["candidates"][0]["rank"] == mine.rank
        assert published["candidates"][0]["per_seat_eur"] == mine.per_seat_eur
        for value in (theirs.per_seat_eur, theirs.net_pv_eur, theirs.score):
            assert repr(value) not in text
        assert '"best"' not in text and '"worst"' not in text and "Best " not in text and other not in text
        page = logged_in(officer).get(reverse("offers:call_detail", args=[call.public_id])).content.decode()
        api = Api(api_token_create(user=officer)).get(f"/my/calls/{call.public_id}").content.decode()
        for body in (page, api):
            assert other not in body and "Best" not in body and "Meilleur" not in body
            assert f"{round(theirs.per_seat_eur):,}".replace(",", "\u202f") not in body
            assert str(round(theirs.per_seat_eur)) not in body


def _keys(value: Any) -> set[str]:
    """Every key of every mapping in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def test_an_authority_cannot_work_back_to_a_competitor_figure_from_its_points(
    agnes: User, alice: User, bob: User, call: CallForOffers, answered: dict[str, Proposal]
) -> None:
    """On scales fixed with the call, a criterion's points are weight x scale(own figure): an authority reads
    them, and they give nothing of its competitor away. It never reads a best, a worst or another
    candidate's figure, and its score and points no finer than the page shows them."""
    close_call(call)
    result = evaluation.evaluate_call(call=call, weights=evaluation.call_weights(call=call))
    figures = {row.authority_name: row for row in result.rows}
    services.call_decide(actor=agnes, call=call, weights=evaluation.call_weights(call=call))
    call.refresh_from_db()
    for officer, own, other in (
        (alice, "Grand Besançon Métropole", "Grand Belfort"),
        (bob, "Grand Belfort", "Grand Besançon Métropole"),
    ):
        mine, theirs = figures[own], figures[other]
        api = Api(api_token_create(user=officer)).get(f"/my/calls/{call.public_id}")
        assert api.status_code == 200
        published = api.json()["evaluation"]
        [row] = published["candidates"]
        assert {"best", "worst", "span"}.isdisjoint(_keys(published))
        assert [item["raw"] for item in row["criteria"]] == [c.raw for c in mine.criteria]
        assert row["rank"] == mine.rank and row["score"] == round(mine.score, 3) and row["score_band"] is None
        # Its points follow from its own figure and the published scale alone.
        scales = Scales.from_json(published["scales"])
        for item, value in zip(row["criteria"], mine.criteria, strict=True):
            scaled = scales.unknown if item["raw"] is None else scales.of(item["key"]).value(item["raw"])
            if item["key"] == "cost" and row["undersized"]:
                scaled = 0.0
            assert item["normalised"] == round(scaled, 3) == round(value.normalised, 3)
            assert item["points"] == round(value.points, 3)
        text = api.content.decode()
        own_raw = {c.raw for c in mine.criteria}
        competitor = [theirs.score, theirs.net_pv_eur, theirs.per_seat_eur, theirs.per_seat_year_eur]
        competitor += [c.points for c in theirs.criteria] + [c.raw for c in theirs.criteria]
        # Neither the competitor's figures nor the exact score or any exact points of its own (short values
        # such as 0.0 or 1.0 say nothing and would match anywhere).
        hidden = [*competitor, mine.score, *(c.points for c in mine.criteria)]
        for value in hidden:
            if value is not None and value not in own_raw and len(repr(value)) > 5:
                assert repr(value) not in text
        client = logged_in(officer)
        page = client.get(
            reverse("offers:call_detail", args=[call.public_id]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        assert "Your figure" in page and ">Points<" in page
        assert other not in page and theirs.premises_name not in page
        assert f"score {numbers.points(mine.score)} / 100" in page and "score between" not in page


def test_an_authority_sees_opaque_ids_only(
    alice: User, call: CallForOffers, answered: dict[str, Proposal]
) -> None:
    api = Api(api_token_create(user=alice))
    mine = api.get(f"/my/calls/{call.public_id}").json()
    assert mine["id"] == str(call.public_id)
    assert mine["project"]["id"] is None and mine["project"]["reference"] is None
    proposal = api.get(f"/my/calls/{call.public_id}/proposal").json()
    assert uuid.UUID(proposal["id"]) == answered["alice"].public_id
    assert uuid.UUID(proposal["attachments"][0]["id"])
    receipts = mine["own_proposal"]["receipts"]
    assert [uuid.UUID(r["id"]) for r in receipts] == [answered["alice"].sealed.public_id]  # type: ignore[union-attr]
    # No sequential id of a call, a proposal or an attachment reaches the authority's pages or answers.
    assert f"/calls/{call.pk}/" not in logged_in(alice).get(reverse("offers:call_list")).content.decode()


def test_the_dossier_spreadsheet_keeps_formulas_as_text(
    agnes: User,
    bob: User,
    call: CallForOffers,
    answered: dict[str, Proposal],
    technhom: Premises,
    client: Client,
) -> None:
    from openpyxl import load_workbook

    Premises.objects.filter(pk=technhom.pk).update(name='=HYPERLINK("http://evil.example","$x$ $y$")')
    resubmitted = answer(bob, call, technhom, "85", expected_version=1)
    close_call(call)
    _link, token = services.dossier_link_create(actor=agnes, call=call, shortlist=[resubmitted])
    for name in ("offers:dossier", "offers:dossier_pdf"):
        assert client.get(reverse(name, args=[token])).status_code == 200
    workbook = load_workbook(io.BytesIO(client.get(reverse("offers:dossier_xlsx", args=[token])).content))
    cells = [cell for row in workbook.worksheets[0].iter_rows() for cell in row if cell.value]
    hyperlink = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert hyperlink and all(cell.data_type == "s" for cell in hyperlink)
