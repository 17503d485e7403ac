"""The leak scan: nothing of one authority's sealed offer reaches its competitor, an anonymous visitor or the
investor who was not shown it.

Alice (Grand Besançon) and Bob (Grand Belfort) answer the same call with values found nowhere else: texts,
amounts, file names and file contents. Then, before the deadline, after it (with a dossier link for the
investor that shortlists Alice's offer only) and after the decision, every page of the site and every GET
operation of the API is fetched with every combination of the scene's ids, as Bob, as Alice, as an
anonymous visitor and as the investor. Pages come from the URL configuration and operations from the
OpenAPI schema, so a new route is scanned without anyone listing it. PDFs are read as text, spreadsheets
as their XML; the e-mails sent to each authority are scanned too.

Only safe methods are fetched (a POST changes the scene the next fetch reads); Django's admin is left out
beyond its pages without ids: it admits staff only, and is covered by the authorization matrix.
"""

from __future__ import annotations

import io
import itertools
import re
import uuid
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from PIL import Image

from guichet.accounts.models import User
from guichet.api.api import api
from guichet.api.services import api_token_create
from guichet.catalogue.models import Incentive, Premises, PremisesPhoto
from guichet.offers import evaluation, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, Proposal

from ..scene import close_call

pytestmark = pytest.mark.django_db


def _pdf(marker: str) -> bytes:
    return f"%PDF-1.4\n% {marker}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".encode()


# What each authority offers, unique to it: the scan looks for every one of these strings.
OFFERS: dict[str, dict[str, Any]] = {
    "alice": {
        "rent": Decimal("97.13"),
        "fit_out": Decimal(7_654_321),
        "free_text": "Présentation-QX7-Besançon",
        "recruitment_support": "Forum-QX7-emploi",
        "file_name": "plaquette-QX7-besancon.pdf",
        "file_content": "FICHIER-QX7-CONTENU",
    },
    "bob": {
        "rent": Decimal("83.29"),
        "fit_out": Decimal(1_928_374),
        "free_text": "Présentation-ZK4-Belfort",
        "recruitment_support": "Forum-ZK4-emploi",
        "file_name": "plaquette-ZK4-belfort.pdf",
        "file_content": "FICHIER-ZK4-CONTENU",
    },
}


def number_spellings(value: float, places: int = 0) -> set[str]:
    """How a figure may be written on a page: French and English separators, with or without decimals."""
    whole = f"{value:,.{places}f}"
    spellings = {
        whole,
        whole.replace(",", "\u202f").replace(".", ","),
        whole.replace(",", "\xa0").replace(".", ","),
        whole.replace(",", " ").replace(".", ","),
    }
    return {s for s in spellings if len(s) >= 5}


def markers_of(who: str) -> set[str]:
    offer = OFFERS[who]
    found = {offer["free_text"], offer["recruitment_support"], offer["file_name"], offer["file_content"]}
    found |= {str(offer["rent"]), str(offer["rent"]).replace(".", ",")}
    found |= number_spellings(float(offer["fit_out"])) | {str(offer["fit_out"])}
    return found


SVG_GEOMETRY = re.compile(r'\b(?:d|points|transform|x|y|x1|x2|y1|y2|width|height|viewBox|style)="[^"]*"')


def text_of(response: Any) -> str:
    """The readable content of a response: HTML, JSON, CSV, a PDF's text or a spreadsheet's XML."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        from pypdf import PdfReader

        try:
            text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
        except Exception:  # a tiny uploaded "PDF" is not a full document: its bytes are the text
            text = ""
        return text + body.decode("latin-1")
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    del content_type
    # Drawing coordinates in charts and maps are numbers that mean nothing: they are dropped, not scanned.
    return SVG_GEOMETRY.sub("", body.decode("utf-8", "replace"))


def page_routes() -> Iterator[tuple[str, dict[str, type]]]:
    """Every named page with the converter type of each of its parameters, from the URL configuration."""

    def walk(patterns: list[Any], namespace: str | None, converters: dict[str, Any]) -> Iterator[Any]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else namespace
                inner = inner or pattern.namespace
                yield from walk(pattern.url_patterns, inner, {**converters, **pattern.pattern.converters})
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, {k: type(v) for k, v in {**converters, **pattern.pattern.converters}.items()}

    for name, params in walk(get_resolver().url_patterns, None, {}):
        if name.startswith("api:"):
            continue  # scanned from the OpenAPI schema
        if name.startswith("admin:") and params:
            continue
        yield name, params


def candidate_values(kind: type, scene: dict[str, Any], role: str) -> list[Any]:
    if kind is UUIDConverter:
        return scene["uuids"]
    if kind is IntConverter:
        return scene["ints"]
    strings = ["25", "90", "site-eco", "terrain-eco", "sirene", "zones", "dares", "france-travail"]
    return strings + ([scene["token"]] if role == "investor" and scene.get("token") else [])


def page_urls(scene: dict[str, Any], role: str) -> Iterator[str]:
    for name, params in page_routes():
        if name == "set_language" or name == "accounts:logout":
            continue
        names = sorted(params)
        choices = [candidate_values(params[param], scene, role) for param in names]
        for values in itertools.product(*choices):
            try:
                yield reverse(name, kwargs=dict(zip(names, values, strict=True)))
            except Exception:  # a value the route's converter refuses
                continue


def api_urls(scene: dict[str, Any]) -> Iterator[str]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        if "{id}" not in path:
            yield path
            continue
        for value in [*scene["ints"], *scene["uuids"]]:
            yield path.replace("{id}", str(value))


def fetch_all(
    client: Client, scene: dict[str, Any], role: str, headers: dict[str, str]
) -> Iterator[tuple[str, str]]:
    for url in page_urls(scene, role):
        response = client.get(url)
        if response.status_code == 200:
            yield url, text_of(response)
    if role in ("alice", "bob", "anonymous"):
        for url in api_urls(scene):
            response = client.get(url, headers=headers)
            if response.status_code == 200:
                yield url, text_of(response)


def assert_no_marker(
    client: Client, scene: dict[str, Any], role: str, forbidden: set[str], headers: dict[str, str]
) -> int:
    fetched = 0
    for url, text in fetch_all(client, scene, role, headers):
        fetched += 1
        leaked = sorted(marker for marker in forbidden if marker in text)
        assert not leaked, f"{role} reads {leaked} at {url}"
    return fetched


def _photo(premises: Premises) -> PremisesPhoto:
    image = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(image, format="PNG")
    photo = PremisesPhoto(premises=premises, caption=f"Photo {premises.name}")
    photo.image.save("p.png", ContentFile(image.getvalue()), save=True)
    return photo


def test_no_marker_of_an_authority_reaches_its_competitor_a_visitor_or_an_investor_not_shown_it(
    agnes: User,
    alice: User,
    bob: User,
    call: CallForOffers,
    temis: Premises,
    technhom: Premises,
    besancon_grant: Incentive,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    alice.email, bob.email = "alice@besancon.example", "bob@belfort.example"
    alice.save()
    bob.save()
    photos = [_photo(temis), _photo(technhom)]
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave after each commit
        services.call_open(actor=agnes, call=call)
        proposals: dict[str, Proposal] = {}
        for who, officer, premises in (("alice", alice, temis), ("bob", bob, technhom)):
            offer = OFFERS[who]
            proposals[who] = services.proposal_submit(
                actor=officer,
                call=call,
                offers=[
                    OfferTerms(
                        premises.pk,
                        premises.available_area_m2,
                        offer["rent"],
                        fit_out_contribution_eur=offer["fit_out"],
                    )
                ],
                incentive_ids=[besancon_grant.pk] if who == "alice" else [],
                recruitment_support=offer["recruitment_support"],
                free_text=offer["free_text"],
                attachments=[
                    SimpleUploadedFile(offer["file_name"], _pdf(offer["file_content"]), "application/pdf")
                ],
            )
    scene: dict[str, Any] = {
        "ints": sorted(
            {
                *Premises.objects.values_list("pk", flat=True),
                *Incentive.objects.values_list("pk", flat=True),
                call.project_id,
                alice.authority_id,
                bob.authority_id,
                *Proposal.objects.values_list("pk", flat=True),
            }
        ),
        "uuids": [
            call.public_id,
            *(p.public_id for p in proposals.values()),
            *(v.public_id for p in proposals.values() for v in p.versions.all()),
            *(a.public_id for p in proposals.values() for a in p.attachments.all()),
            *(photo.public_id for photo in photos),
            uuid.uuid4(),
        ],
    }
    tokens = {
        who: {"Authorization": f"Bearer {api_token_create(user=user)}"}
        for who, user in (("alice", alice), ("bob", bob))
    }
    clients = {"alice": Client(), "bob": Client(), "anonymous": Client(), "investor": Client()}
    clients["alice"].force_login(alice)
    clients["bob"].force_login(bob)

    def scan(phase: str) -> None:
        figures: dict[str, set[str]] = {"alice": set(), "bob": set()}
        if call.deadline_passed:
            result = evaluation.evaluate_call(call=call, weights=evaluation.call_weights(call=call))
            for row in result.rows:
                who = "alice" if row.proposal.pk == proposals["alice"].pk else "bob"
                figures[who] = number_spellings(row.per_seat_eur) | number_spellings(row.net_pv_eur)
        secret = {who: markers_of(who) | figures[who] for who in ("alice", "bob")}
        counts = {
            "bob": assert_no_marker(clients["bob"], scene, "bob", secret["alice"], tokens["bob"]),
            "alice": assert_no_marker(clients["alice"], scene, "alice", secret["bob"], tokens["alice"]),
            "anonymous": assert_no_marker(
                clients["anonymous"], scene, "anonymous", secret["alice"] | secret["bob"], {}
            ),
            "investor": assert_no_marker(clients["investor"], scene, "investor", secret["bob"], {}),
        }
        # The scan reached real pages: the officers their call, their own receipts and files.
        assert counts["bob"] > 20 and counts["alice"] > 20 and counts["anonymous"] > 5, (phase, counts)
        # The e-mails were sent (the call's opening and each receipt at least): their scan is not blind.
        assert {address for m in mail.outbox for address in m.to} >= {alice.email, bob.email}
        for message in mail.outbox:
            body = message.subject + message.body + "".join(str(a) for a in message.alternatives)
            for who, own_address in (("alice", alice.email), ("bob", bob.email)):
                if own_address in message.to:
                    other = "bob" if who == "alice" else "alice"
                    leaked = sorted(m for m in secret[other] if m in body)
                    assert not leaked, f"e-mail to {who} holds {leaked}"

    scan("before the deadline")
    close_call(call)
    _link, token = services.dossier_link_create(actor=agnes, call=call, shortlist=[proposals["alice"]])
    scene["token"] = token
    scan("after the deadline")
    with django_capture_on_commit_callbacks(execute=True):
        services.call_decide(actor=agnes, call=call, weights=evaluation.call_weights(call=call))
    call.refresh_from_db()
    scan("after the decision")
    # The investor did read Alice's shortlisted offer: the scan is not blind.
    dossier = text_of(clients["investor"].get(reverse("offers:dossier", args=[token])))
    assert "Temis Center" in dossier
