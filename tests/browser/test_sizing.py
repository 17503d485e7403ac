"""A project's sizing in a real browser, in French: the queue's two waits, the people in the building, the
warnings with their figures; then the labour panel judging the project's plan across the range of
attrition."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.accounts.models import User
from guichet.catalogue.models import Authority
from guichet.projects import services

from ..scene import make_premises
from .conftest import DESKTOP, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_project_page_and_the_labour_panel_read_the_sizing(
    live_server: Any, browser: Any, agnes: User, grand_besancon: Authority
) -> None:
    project = services.project_create(actor=agnes, code_name="Aurore", opening_hours="lun-ven 8h-20h")
    # Issue 23's Erlang A case, with the former single 30 % of shrinkage.
    services.project_size(
        actor=agnes,
        project=project,
        calls=50,
        aht_seconds=600,
        service_level=0.9,
        answer_seconds=10,
        patience_seconds=60,
        shrinkage=0.3,
    )
    premises = make_premises(grand_besancon, "Plateau Temis", "25056", 3000, "95")

    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server, "agnes", "pw-agnes-123")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    figures = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in page.locator("table.sizing-figures tbody tr").all()
    }
    assert figures["Délai moyen de réponse (DMR) des appels répondus"] == "1,7\u00a0s"
    assert figures["Attente moyenne de tous les appelants, abandons compris"] == "2,6\u00a0s"
    assert figures["Personnes sur site sur l’intervalle le plus chargé"] == "25"
    notices = page.locator(".sizing-notice").all_inner_texts()
    said = "Le taux d’indisponibilité a été donné en un seul total, 30"
    assert any(text.startswith(said) for text in notices)
    page.locator("table.sizing-figures").scroll_into_view_if_needed()
    screenshot(page, "project-sizing")

    page.goto(f"{live_server.url}/labour/premises/{premises.pk}/?project={project.pk}")
    sentence = page.locator("p.verdict-attrition").inner_text()
    assert "du personnel qui part chaque année" in sentence
    page.locator("#recruitment").scroll_into_view_if_needed()
    screenshot(page, "labour-verdict-attrition")
    context.close()
