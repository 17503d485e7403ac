"""The comparison in a real browser, in French and in English: the agency moves a weight, the total stays
at 100 and the ranking and the chart follow; "Recompute" gives the same order from the server."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from guichet.accounts.models import User
from guichet.catalogue.models import Authority
from guichet.engine import scoring
from guichet.offers import evaluation
from guichet.offers import services as offer_services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers
from guichet.projects import services as project_services

from ..scene import make_premises
from .conftest import DESKTOP, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NNBSP = "\u202f"
first_place = {"fr": "reste en tête", "en": "stays first"}


@pytest.fixture
def closed_call(
    agnes: User, alice: User, bob: User, grand_besancon: Authority, grand_belfort: Authority
) -> Any:
    temis = make_premises(grand_besancon, "Temis Center", "25056", 3000, "95", power_backup=True)
    technhom = make_premises(grand_belfort, "Techn'hom 7", "90010", 3500, "85")
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
        brief="Centre de relation client, environ 250 postes.",
        deadline=timezone.now() + dt.timedelta(days=14),
    )
    offer_services.call_open(actor=agnes, call=call)
    for officer, item, rent in ((alice, temis, "90"), (bob, technhom, "85")):
        offer_services.proposal_submit(
            actor=officer,
            call=call,
            offers=[
                OfferTerms(
                    premises_id=item.pk, area_m2=item.available_area_m2, rent_eur_m2_year=Decimal(rent)
                )
            ],
        )
    CallForOffers.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    call.refresh_from_db()
    return call


def ranked_names(page: Any) -> list[str]:
    """The premises' names in the order the ranking table shows them (each row's heading starts with it)."""
    names: list[str] = page.eval_on_selector_all(
        "#ranking tbody th[scope=row]", "cells => cells.map(cell => cell.firstChild.textContent.trim())"
    )
    return names


def weights_on_page(page: Any) -> dict[str, float]:
    return {
        key: float(
            page.locator(f"#weights-form input.weight[data-criterion='{key}']")
            .input_value()
            .replace(",", ".")
        )
        for key in (c.value for c in scoring.CRITERIA)
    }


@pytest.mark.parametrize(
    ("language", "locale", "hundred", "heading", "recompute"),
    [
        ("fr", "fr-FR", f"100{NNBSP}%", "Classement", "Recalculer"),
        ("en", "en-GB", "100%", "Ranking", "Recompute"),
    ],
)
def test_the_agency_moves_a_weight_and_the_ranking_follows(
    live_server: Any,
    browser: Any,
    closed_call: CallForOffers,
    language: str,
    locale: str,
    hundred: str,
    heading: str,
    recompute: str,
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale=locale)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def console(message: Any) -> None:
        # Chromium asks for /favicon.ico, which the site does not serve: not an error of the page.
        if message.type == "error" and "favicon" not in (message.location or {}).get("url", ""):
            errors.append(message.text)

    page.on("console", console)
    try:
        sign_in(page, live_server, "agnes", "pw-agnes-123")
        page.goto(f"{live_server.url}/calls/{closed_call.public_id}/compare/")
        assert page.locator("h2#ranking-title").inner_text() == heading
        assert page.locator("#weights-total").inner_text() == hundred
        assert page.locator("#score-chart svg.chart-svg").count() == 1  # the script drew the chart
        before = ranked_names(page)
        assert sorted(before) == ["Techn'hom 7", "Temis Center"]
        # The server's own view of the pair: which criterion would put the second ahead.
        result = evaluation.evaluate_call(call=closed_call, weights=evaluation.call_weights(call=closed_call))
        swap = result.swaps[0]
        assert swap.status is scoring.SwapStatus.SINGLE_TRANSFER and swap.single is not None
        target = swap.single.transfers[0].to_criterion.value
        needed = swap.single.weights_after.as_dict()[target] * 100
        screenshot(page, f"compare-{language}-before", full_page=True)

        slider = page.locator(f"#weights-form input[type=range][data-criterion='{target}']")
        slider.fill(str(min(100, round(needed + 15))))
        page.wait_for_function(
            "name => document.querySelector('#ranking tbody th').firstChild.textContent.trim() !== name",
            arg=before[0],
        )
        assert page.locator("#weights-total").inner_text() == hundred
        shown = weights_on_page(page)
        assert round(sum(shown.values()) * 10) == 1000
        after = ranked_names(page)
        assert after == list(reversed(before)), "the second offer should now come first"
        assert page.locator("p.stale").first.is_visible()
        assert page.locator("#ranking-live").inner_text().startswith(after[0])
        # The server ranks the same with the weights the page shows.
        server = evaluation.evaluate_call(call=closed_call, weights={k: v / 100 for k, v in shown.items()})
        assert [row.premises_name for row in server.rows] == after
        page.locator("#ranking tbody details summary").first.click()
        screenshot(page, f"compare-{language}-after", full_page=True)
        page.locator("#weights-title").scroll_into_view_if_needed()
        screenshot(page, f"compare-{language}-after-viewport")

        # A figure typed in: the others make room for it once it is entered.
        cost = page.locator("#weights-form input.weight[data-criterion='cost']")
        cost.fill("50,5" if language == "fr" else "50.5")
        cost.press("Tab")
        assert page.locator("#weights-total").inner_text() == hundred
        assert weights_on_page(page)["cost"] == 50.5
        assert cost.input_value() == ("50,5" if language == "fr" else "50.5")

        # Without the script's help: "Recompute" asks the server, which ranks the same.
        page.get_by_role("button", name=recompute, exact=True).click()
        page.wait_for_load_state("load")
        assert page.locator("#weights-total").inner_text() == hundred
        assert ranked_names(page) == [
            row.premises_name
            for row in evaluation.evaluate_call(
                call=closed_call, weights={k: v / 100 for k, v in weights_on_page(page).items()}
            ).rows
        ]
        assert not page.locator("p.stale").first.is_visible()
        screenshot(page, f"compare-{language}-recomputed", full_page=True)

        # The decision publishes the comparison, phrased for each reader in their language.
        page.locator("#decide-form button[type=submit]").click()
        page.wait_for_url(f"**/calls/{closed_call.public_id}/")
        closed_call.refresh_from_db()
        assert closed_call.weights["cost"] == pytest.approx(0.505)
        published = page.locator("section.published")
        assert published.locator("li", has_text=first_place[language]).count() >= 1
        published.scroll_into_view_if_needed()
        screenshot(page, f"compare-{language}-published", full_page=True)
    finally:
        context.close()
    assert not errors, f"JavaScript or console errors: {errors}"


def test_without_javascript_the_form_recomputes_on_the_server(
    live_server: Any, browser: Any, closed_call: CallForOffers
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "agnes", "pw-agnes-123")
        page.goto(f"{live_server.url}/calls/{closed_call.public_id}/compare/")
        # The server's chart (matplotlib's SVG as a picture); no slider without the script.
        assert page.locator("#score-chart img.chart-image").count() == 1
        assert page.locator("#weights-form input[type=range]").first.is_hidden()
        page.get_by_role("button", name="Poids égaux").click()
        page.wait_for_load_state("load")
        shown = weights_on_page(page)
        assert list(shown.values()) == [14.3] * 6 + [14.2]
        assert page.locator("#weights-total").inner_text() == f"100{NNBSP}%"
        page.locator("#ranking tbody details summary").first.click()
        screenshot(page, "compare-fr-no-script", full_page=True)
        # Figures that do not add up to 100 are scaled, and the page says so.
        page.locator("#weights-form input.weight[data-criterion='cost']").fill("50")
        page.get_by_role("button", name="Recalculer", exact=True).click()
        page.wait_for_load_state("load")
        assert "ramenés à 100" in page.locator("ul.messages").inner_text()
        assert round(sum(weights_on_page(page).values()) * 10) == 1000
    finally:
        context.close()
