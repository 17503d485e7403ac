"""The board's dashboard in a real browser, in French and in English: its figures, its three charts (SVG
drawn on the server) and a download with the same numbers; then an officer's own results."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from guichet.accounts.models import User
from guichet.catalogue.demo import demo_catalogue_load
from guichet.catalogue.models import Authority
from guichet.projects.dashboard import DashboardFilters, dashboard_figures
from guichet.projects.demo import demo_portfolio_load
from guichet.projects.formatting import format_cell

from .conftest import DESKTOP, SCREENSHOTS, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = ("jobs", "funnel", "map")


@pytest.fixture
def portfolio(territory: None, agnes: User) -> int:
    """The demo catalogue and the demo pipeline: five years of dated moves, wins located in the premises."""
    demo_catalogue_load(actor=agnes)
    return demo_portfolio_load(actor=agnes)


def _context(browser: Any, locale: str) -> Any:
    context = browser.new_context(viewport=DESKTOP, locale=locale, accept_downloads=True)
    context.set_default_timeout(15_000)
    return context


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr-FR"), ("en", "en-GB")])
def test_the_board_reads_the_dashboard_with_its_charts(
    live_server: Any, browser: Any, portfolio: int, language: str, locale: str
) -> None:
    this_year = timezone.localdate().year
    filters = DashboardFilters(year_from=this_year - 4, year_to=this_year)
    with translation.override(language):
        figures = dashboard_figures(filters=filters)
        expected_won = format_cell(figures.totals["won"], "int")
        expected_jobs = format_cell(figures.totals["jobs_announced"], "int")
    assert figures.totals["won"] > 0 and figures.totals["jobs_announced"] > 0

    context = _context(browser, locale)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Every resource of the page loads (the browser's own favicon request aside).
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    sign_in(page, live_server, "agnes", "pw-agnes-123")
    page.goto(f"{live_server.url}/projects/dashboard/")
    assert page.locator("html").get_attribute("lang") == language

    # The three charts arrive as images drawn on the server.
    for name in CHARTS:
        image = page.locator(f"#chart-{name} img")
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    headline = page.locator("#headline").inner_text()
    assert expected_won in headline and expected_jobs in headline
    # Years are written as years, in both languages.
    years = page.locator("#table-years tbody tr td:first-child").all_inner_texts()
    assert years == [str(year) for year in filters.years]
    title = "Emplois et décisions par an" if language == "fr" else "Jobs and decisions per year"
    assert title in page.locator("#table-years h2").inner_text()
    # The chart as the browser gets it (its cookies and its language); a request with a timeout.
    source = page.locator("#chart-jobs img").get_attribute("src")
    svg = page.request.get(live_server.url + source, headers={"Accept-Language": locale}).text()
    jobs_label = "Emplois créés" if language == "fr" else "Jobs created"
    assert jobs_label in svg
    screenshot(page, f"dashboard-{language}", full_page=True)
    for name in CHARTS:
        page.locator(f"#chart-{name}").screenshot(
            path=str(SCREENSHOTS / f"dashboard-chart-{name}-{language}.png")
        )

    # The chart's numbers, downloaded: the same rows as the table on the page.
    with page.expect_download() as download:
        page.locator("#chart-jobs figcaption a", has_text="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if language == "fr" else ","))
    table = figures["years"]
    assert [int(row[0]) for row in rows[1:]] == table.column("year")
    assert [int(row[5]) for row in rows[1:]] == table.column("jobs_announced")
    assert [int(row[6]) for row in rows[1:]] == table.column("jobs_created")
    context.close()
    assert not errors, errors


def test_an_officer_sees_the_projects_that_chose_its_premises(
    live_server: Any, browser: Any, grand_besancon: Authority, alice: User, portfolio: int
) -> None:
    """Alice is an officer of Grand Besançon (the demo refreshes that authority, it does not duplicate it)."""
    context = _context(browser, "fr-FR")
    page = context.new_page()
    sign_in(page, live_server, "alice", "pw-alice-123")
    page.goto(f"{live_server.url}/projects/results/")
    heading = page.locator("h1").inner_text()
    assert "Grand Besançon Métropole" in heading
    own = page.locator("#own-results tbody tr").all_inner_texts()
    assert own and all("DÉMO" in row or "Aucun projet" in row for row in own)
    assert not re.search(r"\b2 0\d\d\b", page.locator("main").inner_text())  # no year written "2 026"
    screenshot(page, "results-officer-fr", full_page=True)
    # The dashboard itself is the agency's.
    response = page.goto(f"{live_server.url}/projects/dashboard/")
    assert response is not None and response.status == 403
    context.close()
