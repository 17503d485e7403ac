"""No English sentence on a French page.

A call is run to its decision (two offers, a question answered for all, a dossier link), then every page of
the URL configuration is fetched in French, with every combination of the scene's ids, as the agency, as
each officer, as an anonymous visitor and as the investor. The readable text of each HTML page is searched
for English: any sentence of the translation catalogue left in its English form, and the words that only
English sentences hold. Pages are found from the URL configuration, so a new page is read without anyone
listing it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from guichet.accounts.models import User
from guichet.catalogue.models import Incentive, Premises
from guichet.offers import evaluation, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, Proposal

from ..scene import close_call
from ..test_locale import entries
from .test_leak_scan import page_urls

pytestmark = pytest.mark.django_db


class VisibleText(HTMLParser):
    """What a reader sees: text nodes and the attributes a browser shows (titles, placeholders, alt texts),
    without scripts, styles and the language switcher, which names each language in its own tongue."""

    SHOWN_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style") or (tag == "option" and ("lang", "en") in attrs):
            self._hidden += 1
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "option") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdfr%]|\{[^}]*\}|<[^>]+>")


def english_sentences() -> set[str]:
    """Runs of four words or more of every catalogue entry whose French differs from its English."""
    found: set[str] = set()
    for entry in entries():
        values = entry.values
        french = values.get("msgstr") or values.get("msgstr[0]", "")
        if french == values["msgid"]:
            continue
        for fragment in PLACEHOLDER.split(values["msgid"]):
            fragment = re.sub(r"\s+", " ", fragment).strip(" .,;:()")
            if len(fragment.split()) >= 4:
                found.add(fragment)
    return found


# Words no French sentence holds; a proper name that held one would be listed here with its page.
ENGLISH_WORDS = re.compile(r"\b(?:the|which|with|this|these|those|is|are|was|were|been|has|have|should)\b")


def test_the_sentence_finder_finds_english() -> None:
    sentences = english_sentences()
    assert "The comparison is not yet available" not in visible_text("<p>La comparaison</p>")
    assert ENGLISH_WORDS.search(visible_text("<p>Offer valued with the ceiling</p>"))
    assert not ENGLISH_WORDS.search(visible_text("<p>Offre valorisée</p><script>var the = 1</script>"))
    assert len(sentences) > 500


def test_no_english_on_french_pages(
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
    for officer, address in ((alice, "alice@besancon.example"), (bob, "bob@belfort.example")):
        officer.email = address
        officer.save()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave after each commit
        services.call_open(actor=agnes, call=call)
        proposals: dict[str, Proposal] = {}
        for who, officer, premises in (("alice", alice, temis), ("bob", bob, technhom)):
            proposals[who] = services.proposal_submit(
                actor=officer,
                call=call,
                offers=[OfferTerms(premises.pk, premises.available_area_m2, Decimal(90))],
                incentive_ids=[besancon_grant.pk] if who == "alice" else [],
                free_text="Présentation de l'offre",
            )
        question = services.clarification_ask(actor=bob, call=call, question="Le parking est-il compris ?")
        services.clarification_answer(actor=agnes, clarification=question, answer="Oui, 120 places.")
        close_call(call)
        _link, token = services.dossier_link_create(
            actor=agnes, call=call, shortlist=list(proposals.values())
        )
        services.call_decide(actor=agnes, call=call, weights=evaluation.call_weights(call=call))
    scene: dict[str, Any] = {
        "ints": sorted(
            {
                temis.pk,
                technhom.pk,
                besancon_grant.pk,
                call.project_id,
                alice.authority_id,
                *Proposal.objects.values_list("pk", flat=True),
            }
        ),
        "uuids": [call.public_id, *(p.public_id for p in proposals.values())],
        "token": token,
    }
    sentences = english_sentences()
    clients = {
        "agnes": Client(),
        "alice": Client(),
        "bob": Client(),
        "anonymous": Client(),
        "investor": Client(),
    }
    for who, user in (("agnes", agnes), ("alice", alice), ("bob", bob)):
        clients[who].force_login(user)
    faults: list[str] = []
    pages = 0
    for role, client in clients.items():
        for url in page_urls(scene, role):
            if url.startswith("/admin/"):
                continue  # Django's own admin, translated by Django
            response = client.get(url, headers={"accept-language": "fr"})
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            text = visible_text(response.content.decode())
            faults += [f"{role} {url}: {s!r}" for s in sentences if s in text]
            faults += [
                f"{role} {url}: …{text[max(0, m.start() - 40) : m.end() + 40]}…"
                for m in ENGLISH_WORDS.finditer(text)
            ]
    assert pages > 60
    # The e-mails of the call (opening, question answered, receipts, decision), in French by default.
    assert len(mail.outbox) >= 5
    for message in mail.outbox:
        body = re.sub(r"\s+", " ", message.subject + " " + message.body)
        faults += [f"e-mail {message.subject!r}: {s!r}" for s in sentences if s in body]
        faults += [f"e-mail {message.subject!r}: {m.group()!r}" for m in ENGLISH_WORDS.finditer(body)]
    assert faults == [], "\n".join(faults)
