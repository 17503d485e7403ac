"""The whole journey of a call for offers in a real browser, with the demo's logins, in French and English.

The agency drafts a call for the demo project, consults Besançon and Belfort only (the others left out
with a reason) and sends it; Besançon's officer reads the need on the call's page and answers with an
attachment; Belfort's officer answers and asks a question; the agency answers it for everyone (reworded)
and extends the deadline; every consulted authority having answered, the agency closes the call early with
a reason; it reads the offers side by side, moves a weight and sees the ranking follow, decides and creates
the investor's link; the investor opens the dossier and downloads its PDF and spreadsheet, and reads it
again on a 390 px phone without sideways scroll; the agency picks the investor's choice (nothing is
selected for it) and confirms the signature, which takes up the area offered. Every step leaves a
screenshot (test-artifacts/screenshots/journey-<lang>-NN-*.png).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from guichet.engine import scoring
from guichet.offers import evaluation
from guichet.offers.models import CallForOffers, CallStatus, DossierAccess
from guichet.offers.selectors import area_offered
from guichet.projects.demo import DEMO_CODE_NAME
from guichet.projects.models import Project

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "guichet-demo"
BROCHURE = b"%PDF-1.4\n1 0 obj << >> endobj\n% Plaquette du Grand Besancon\ntrailer << >>\n%%EOF\n"
WORDS = {
    "fr": {
        "open": "Ouvert aux propositions",
        "closed": "Clos",
        "decided": "Décidé",
        "sent": "Envoyé",
        "waiting": "En attente de Grand Belfort",
        "closed early": "Clos avant la date limite le",
        "reworded": "reformulée",
        "left": "restants demeurent dans l’offre publique",
        "need": "Le besoin",
        "seats": "Postes",
        "none seats": "Aucune de ces offres ne peut accueillir les",
    },
    "en": {
        "open": "Open for proposals",
        "closed": "Closed",
        "decided": "Decided",
        "sent": "Sent",
        "waiting": "Still waiting for Grand Belfort",
        "closed early": "Closed early on",
        "reworded": "reworded",
        "left": "stay on the public offer",
        "need": "The need",
        "seats": "Seats",
        "none seats": "None of these offers can seat the need's",
    },
}
KEPT_M2 = 200  # Besançon offers all of its premises but this: the signature leaves it on offer
CONSULTED = ("Grand Besançon Métropole", "Grand Belfort Communauté d'Agglomération")


@pytest.fixture
def demo(territory: None) -> Project:
    """`guichet demo` itself: the demo catalogue, the sized demo project and the four logins."""
    from guichet.commands.demo import run

    assert run(argparse.Namespace()) == 0
    return Project.objects.get(code_name=DEMO_CODE_NAME)


class Journey:
    def __init__(self, browser: Any, live_server: Any, language: str, locale: str) -> None:
        self.browser, self.server, self.language, self.locale = browser, live_server, language, locale
        self.step = 0
        self.errors: list[str] = []

    def person(self, username: str | None = None) -> Any:
        context = self.browser.new_context(viewport=DESKTOP, locale=self.locale, accept_downloads=True)
        # Generous: in the tests the dossier's renders (two languages, page, PDF and spreadsheet) run inside
        # the request that creates the link (the immediate task backend): seconds on a busy machine.
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        if username:
            sign_in(page, self.server, username, PASSWORD)
        return page

    def phone(self) -> Any:
        """Someone reading on a 390 px phone."""
        context = self.browser.new_context(
            viewport=PHONE, locale=self.locale, device_scale_factor=1, is_mobile=True, has_touch=True
        )
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def shot(self, page: Any, name: str) -> None:
        self.step += 1
        screenshot(page, f"journey-{self.language}-{self.step:02d}-{name}", full_page=True)

    def url(self, path: str) -> str:
        return f"{self.server.url}{path}"


def answer(
    page: Any, journey: Journey, call: CallForOffers, rent: str, *, attachment: bool, keep_m2: int = 0
) -> None:
    """The officer offers its first premises (``keep_m2``: that much of its area kept out of the offer)."""
    page.goto(journey.url(f"/calls/{call.public_id}/answer/"))
    first = page.locator("main form fieldset").first
    first.locator("input[id$='_offer']").check()
    if keep_m2:
        area = first.locator("input[id$='_area']")
        area.fill(str(int(area.get_attribute("max")) - keep_m2))
    first.locator("input[id$='_rent']").fill(rent)  # a number field takes a dot in any language
    first.locator("input[id$='_free']").fill("3")
    if attachment:
        page.set_input_files(
            "input[name=attachment]",
            files=[{"name": "plaquette.pdf", "mimeType": "application/pdf", "buffer": BROCHURE}],
        )
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/calls/{call.public_id}/")
    assert page.locator("main table code").count() == 1  # the receipt of version 1


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr-FR"), ("en", "en-GB")])
def test_a_call_for_offers_from_the_brief_to_the_investors_dossier(
    live_server: Any, browser: Any, demo: Project, language: str, locale: str
) -> None:
    journey = Journey(browser, live_server, language, locale)
    words = WORDS[language]

    # The agency drafts the call from the demo project and sends it.
    agency = journey.person("agence")
    agency.goto(journey.url(f"/calls/new/{demo.pk}/"))
    deadline = timezone.localtime() + dt.timedelta(days=10)
    agency.fill("input[name=deadline]", deadline.strftime("%Y-%m-%dT%H:%M"))
    journey.shot(agency, "draft")
    agency.locator("main form button[type=submit]").click()
    agency.wait_for_url(re.compile(r".*/calls/[0-9a-f-]{36}/$"))
    call = CallForOffers.objects.get(project=demo)
    consulted = agency.locator("main table").first.inner_text()
    for name in CONSULTED:
        if name not in consulted:
            agency.select_option("#include-authority", label=name)
            agency.locator("form[action$='/include/'] button").click()
            agency.wait_for_load_state("load")
    # The investor visited two sites: the other authorities are left out, each with the reason recorded.
    exclude = agency.locator("form[action$='/exclude/']")
    others = [
        label.strip()
        for label in exclude.locator("select[name=authority] option").all_inner_texts()
        if label.strip() not in CONSULTED and label.strip() != "---------"
    ]
    for name in others:
        agency.select_option("form[action$='/exclude/'] select[name=authority]", label=name)
        agency.fill("form[action$='/exclude/'] textarea[name=reason]", "Hors des deux sites visités.")
        agency.locator("form[action$='/exclude/'] button").click()
        agency.wait_for_load_state("load")
    unreachable = agency.locator("input[name=unreachable_confirmed]")
    if unreachable.count():
        unreachable.check()  # the other consulted authorities have no demo login: the agency will call them
    journey.shot(agency, "before-sending")
    agency.locator("form[action$='/open/'] button").click()
    agency.wait_for_load_state("load")
    assert words["open"] in agency.locator("main").inner_text()
    journey.shot(agency, "sent")

    # Besançon's officer reads the need on the call's page, without the investor's name, then answers with
    # its brochure; Belfort answers and asks a question.
    besancon = journey.person("besancon")
    besancon.goto(journey.url(f"/calls/{call.public_id}/"))
    need = besancon.locator("section.need-basis").inner_text()
    seats = f"{demo.seats:,}".replace(",", "\u202f" if language == "fr" else ",")
    assert words["need"] in need and words["seats"] in need and seats in need
    assert demo.company_name not in besancon.locator("main").inner_text()
    journey.shot(besancon, "besancon-reads-the-need")
    besancon.goto(journey.url(f"/calls/{call.public_id}/answer/"))
    assert words["need"] in besancon.locator("main").inner_text()
    answer(besancon, journey, call, "88.50", attachment=True, keep_m2=KEPT_M2)
    journey.shot(besancon, "besancon-receipt")
    # The call cannot close early while Belfort has not answered: the agency's page says who is awaited.
    agency.goto(journey.url(f"/calls/{call.public_id}/"))
    assert words["waiting"] in agency.locator("main").inner_text()
    assert agency.locator("form[action$='/close/']").count() == 0
    journey.shot(agency, "waiting-for-belfort")
    belfort = journey.person("belfort")
    answer(belfort, journey, call, "79", attachment=False)
    belfort.fill("textarea[name=question]", "Le parking du site est-il compris dans le loyer proposé ?")
    belfort.locator("form[action$='/questions/'] button").click()
    belfort.wait_for_load_state("load")
    journey.shot(belfort, "belfort-question")
    assert "parking" not in besancon.goto(journey.url(f"/calls/{call.public_id}/")).text()

    # The agency answers for every consulted authority, without naming who asked, and extends the deadline.
    agency.goto(journey.url(f"/calls/{call.public_id}/"))
    question = agency.locator("form[action*='/answer/']").first
    question.locator("textarea[name=published_question]").fill("Le parking est-il compris dans le loyer ?")
    question.locator("textarea[name=answer]").fill("Oui, si l'offre le précise ; sinon, indiquez son prix.")
    question.locator("button").click()
    agency.wait_for_load_state("load")
    agency.locator("details:has(form[action$='/deadline/']) summary").click()
    agency.fill("input[name=new_deadline]", (deadline + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"))
    agency.fill(
        "form[action$='/deadline/'] textarea[name=reason]", "Visite des sites reportée d'une semaine."
    )
    agency.locator("form[action$='/deadline/'] button").click()
    agency.wait_for_load_state("load")
    journey.shot(agency, "answered-and-extended")
    assert words["reworded"] in agency.locator("#questions ~ .clarification").first.inner_text()
    page_text = besancon.goto(journey.url(f"/calls/{call.public_id}/")).text()
    assert "Le parking est-il compris dans le loyer ?" in page_text and "Visite des sites" in page_text
    journey.shot(besancon, "besancon-sees-answer")
    assert words["sent"] in agency.locator("main").inner_text()  # delivery statuses of the e-mails

    # Every consulted authority has answered: the agency closes the call now, with a reason for all.
    close = agency.locator("form[action$='/close/']")
    close.locator("textarea[name=reason]").fill("Les deux collectivités consultées ont répondu.")
    journey.shot(agency, "before-closing-early")
    close.locator("button").click()
    agency.wait_for_load_state("load")
    main = agency.locator("main").inner_text()
    assert words["closed"] in main and words["closed early"] in main
    call.refresh_from_db()
    assert call.deadline_passed and call.deadline_changes.filter(closed_early=True).count() == 1
    journey.shot(agency, "closed-early")
    besancon_text = besancon.goto(journey.url(f"/calls/{call.public_id}/")).text()
    assert "Les deux collectivités consultées ont répondu." in besancon_text
    journey.shot(besancon, "besancon-sees-the-early-close")
    agency.goto(journey.url(f"/calls/{call.public_id}/offers/"))
    offers_text = agency.locator("main").inner_text()
    assert "Grand Besançon Métropole" in offers_text and "plaquette.pdf" in offers_text
    journey.shot(agency, "offers-side-by-side")

    # The comparison: a weight moves, the ranking follows; the agency decides.
    agency.goto(journey.url(f"/calls/{call.public_id}/compare/"))
    rows = agency.locator("#ranking tbody th")
    before = [rows.nth(i).inner_text().split("\n")[0].strip() for i in range(rows.count())]
    journey.shot(agency, "compare-before")
    call.refresh_from_db()
    result = evaluation.evaluate_call(call=call, weights=evaluation.call_weights(call=call))
    swap = result.swaps[0] if result.swaps else None
    if swap is not None and swap.status is scoring.SwapStatus.SINGLE_TRANSFER and swap.single is not None:
        target = swap.single.transfers[0].to_criterion.value
        needed = swap.single.weights_after.as_dict()[target] * 100
        agency.locator(f"#weights-form input[type=range][data-criterion='{target}']").fill(
            str(min(100, round(needed + 10)))
        )
        agency.wait_for_function(
            "name => document.querySelector('#ranking tbody th').firstChild.textContent.trim() !== name",
            arg=before[0],
        )
    else:  # no single move can swap the first two: the scores still follow the weights
        score = agency.locator("#ranking tbody td.num").first.inner_text()
        agency.locator("#weights-form input[type=range][data-criterion='cost']").fill("80")
        agency.wait_for_function(
            "text => document.querySelector('#ranking tbody td.num').textContent.trim() !== text", arg=score
        )
    journey.shot(agency, "compare-after-moving-a-weight")
    agency.locator("#decide-form button[type=submit]").click()
    agency.wait_for_url(f"**/calls/{call.public_id}/")
    call.refresh_from_db()
    assert call.status == CallStatus.DECIDED
    journey.shot(agency, "decided")

    # The investor's dossier: both offers, one private link.
    for box in agency.locator("form[action$='/dossier-links/'] input[name=proposal]").all():
        box.check()
    agency.locator("form[action$='/dossier-links/'] button").click()
    agency.wait_for_load_state("load")
    link = re.search(r"https?://\S+/dossier/[\w-]+/", agency.locator("main").inner_text())
    assert link is not None, "the private link is shown once"
    journey.shot(agency, "dossier-link")
    investor = journey.person()
    investor.goto(link.group(0))
    dossier = investor.locator("main").inner_text()
    assert DEMO_CODE_NAME in dossier and "Grand Besançon Métropole" in dossier
    # Both demo offers are too small for the need: the summary says so.
    assert words["none seats"] in dossier
    journey.shot(investor, "investor-dossier")
    for label, suffix, magic in (("PDF", ".pdf", b"%PDF"), ("xlsx", ".xlsx", b"PK\x03\x04")):
        with investor.expect_download() as download:
            investor.locator(".downloads a", has_text=label).click()
        saved = download.value.path()
        assert download.value.suggested_filename.endswith(suffix)
        assert Path(saved).read_bytes()[:4] == magic
    assert sorted(DossierAccess.objects.values_list("what", flat=True)) == ["page", "pdf", "xlsx"]
    # The same dossier on a 390 px phone: nothing wider than the screen, no sideways scroll.
    phone = journey.phone()
    phone.goto(link.group(0))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert DEMO_CODE_NAME in phone.locator("main").inner_text()
    journey.shot(phone, "investor-dossier-phone")
    agency.goto(journey.url(f"/calls/{call.public_id}/"))
    journey.shot(agency, "dossier-opened")

    # The investor's choice: the list selects nothing until the agency picks; the signature takes up
    # the area offered and leaves the rest of the premises on offer.
    choice = agency.locator("select[name=choice]")
    assert choice.input_value() == ""
    besancon_offer = choice.locator("option", has_text="Grand Besançon Métropole")
    choice.select_option(besancon_offer.get_attribute("value"))
    agency.locator("form[action$='/choice/'] button").click()
    agency.wait_for_load_state("load")
    agency.locator("form[action$='/signature/'] button").click()
    agency.wait_for_load_state("load")
    call.refresh_from_db()
    assert call.signed_at is not None and call.chosen_premises is not None
    premises = call.chosen_premises
    premises.refresh_from_db()
    demo.refresh_from_db()
    assert (premises.available_area_m2, premises.status) == (KEPT_M2, "available")
    offered = area_offered(call.chosen_proposal, premises.pk)
    assert offered and demo.floor_area_taken_m2 == offered  # the dashboard's "floor area taken up"
    assert words["left"] in agency.locator("main").inner_text()
    journey.shot(agency, "signed")
    assert not journey.errors, journey.errors
