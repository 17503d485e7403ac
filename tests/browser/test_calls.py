"""A call for offers in a real browser: an authority officer answers it; after the deadline the agency
compares the proposals and decides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Premises
from guichet.offers import services as offer_services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, CallStatus, Proposal
from guichet.projects import services as project_services

from ..scene import make_premises
from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def premises(grand_besancon: Authority, grand_belfort: Authority) -> dict[str, Premises]:
    return {
        "temis": make_premises(grand_besancon, "Temis Center", "25056", 3000, "95", power_backup=True),
        "technhom": make_premises(grand_belfort, "Techn'hom 7", "90010", 3500, "85"),
    }


@pytest.fixture
def open_call(agnes: User, premises: dict[str, Premises]) -> CallForOffers:
    """The agency's project, sized, and its call for offers sent to the owners of eligible premises."""
    project = project_services.project_create(
        actor=agnes,
        code_name="Projet Aurore",
        company_name="Acme Relation Client SAS",
        description="Centre de relation client entrant, 250 postes.",
        opening_date=dt.date(2027, 9, 1),
        max_rent_eur_m2_year=Decimal(120),
        needs_fibre=True,
    )
    project_services.project_size(
        actor=agnes, project=project, calls=900, aht_seconds=240, interval_minutes=30, shrinkage=0.3
    )
    call = offer_services.call_create(
        actor=agnes,
        project=project,
        title="Aurore — appel à offres",
        brief="Centre de relation client, environ 250 postes, ouverture en septembre 2027.",
        deadline=timezone.now() + dt.timedelta(days=14),
    )
    return offer_services.call_open(actor=agnes, call=call)


def test_an_officer_answers_the_call_and_gets_a_receipt(
    live_server: Any,
    page: Any,
    alice: User,
    grand_besancon: Authority,
    premises: dict[str, Premises],
    open_call: CallForOffers,
) -> None:
    sign_in(page, live_server, "alice", "pw-alice-123")
    page.goto(f"{live_server.url}/calls/")
    page.locator(f"a[href='/calls/{open_call.public_id}/']").click()
    page.wait_for_url(f"**/calls/{open_call.public_id}/")
    assert "Acme" not in page.content()  # the officer knows the project by its code name only
    screenshot(page, "call-officer")

    page.locator(f"a[href='/calls/{open_call.public_id}/answer/']").click()
    page.wait_for_url(f"**/calls/{open_call.public_id}/answer/")
    temis = premises["temis"]
    # Only Alice's own premises can be offered.
    assert page.locator(f"#id_p{temis.pk}_offer").count() == 1
    assert page.locator(f"#id_p{premises['technhom'].pk}_offer").count() == 0
    page.check(f"#id_p{temis.pk}_offer")
    page.fill(f"#id_p{temis.pk}_rent", "90")
    page.fill(f"#id_p{temis.pk}_free", "6")
    page.fill("#id_training_places", "40")
    screenshot(page, "proposal-form")
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_url(f"**/calls/{open_call.public_id}/")

    proposal = Proposal.objects.get(call=open_call, authority=grand_besancon)
    offered = proposal.offered.get()
    assert (offered.premises_id, offered.rent_eur_m2_year, offered.rent_free_months) == (
        temis.pk,
        Decimal(90),
        6,
    )
    assert proposal.training_places == 40
    # The receipt is on the page: the SHA-256 of what was sent.
    assert page.locator("main code", has_text=proposal.receipt_sha256).count() == 1
    screenshot(page, "proposal-receipt")


def test_the_agency_compares_the_proposals_after_the_deadline_and_decides(
    live_server: Any,
    page: Any,
    agnes: User,
    alice: User,
    bob: User,
    premises: dict[str, Premises],
    open_call: CallForOffers,
) -> None:
    for officer, item, rent in ((alice, premises["temis"], "90"), (bob, premises["technhom"], "85")):
        offer_services.proposal_submit(
            actor=officer,
            call=open_call,
            offers=[
                OfferTerms(
                    premises_id=item.pk, area_m2=item.available_area_m2, rent_eur_m2_year=Decimal(rent)
                )
            ],
        )
    CallForOffers.objects.filter(pk=open_call.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))

    sign_in(page, live_server, "agnes", "pw-agnes-123")
    page.goto(f"{live_server.url}/calls/{open_call.public_id}/")
    screenshot(page, "call-agency-closed")
    page.locator(f"a[href='/calls/{open_call.public_id}/compare/']").click()
    page.wait_for_url(f"**/calls/{open_call.public_id}/compare/")
    ranked = page.locator("#ranking tbody th[scope=row]").all_inner_texts()
    ranked_names = [text for text in ranked if "Temis Center" in text or "Techn'hom 7" in text]
    assert len(ranked_names) == 2
    screenshot(page, "comparison")

    page.locator(f"form[action='/calls/{open_call.public_id}/decide/'] button[type=submit]").click()
    page.wait_for_url(f"**/calls/{open_call.public_id}/")
    open_call.refresh_from_db()
    assert open_call.status == CallStatus.DECIDED
    published = [row["premises_name"] for row in open_call.evaluation["candidates"]]
    assert sorted(published) == ["Techn'hom 7", "Temis Center"]
    for name in published:
        assert page.locator("main table", has_text=name).count() >= 1
    screenshot(page, "decision")
