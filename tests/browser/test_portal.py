"""The public portal in a real browser: a search with filters and its map, a project submitted."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from guichet.catalogue.models import Authority, FitOut, Premises
from guichet.projects.models import Project
from guichet.territory.models import Commune

from ..scene import make_premises
from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def offer(grand_besancon: Authority, grand_belfort: Authority) -> dict[str, Premises]:
    return {
        "temis": make_premises(grand_besancon, "Temis Center", "25056", 3000, "95", power_backup=True),
        "valentin": make_premises(
            grand_besancon, "Espace Valentin", "25212", 1600, "105", fibre=False, fit_out=FitOut.OFFICES
        ),
        # Its own coordinates, in Besançon's Planoise district, rather than the commune's point.
        "planoise": make_premises(
            grand_besancon, "Plateau Planoise", "25056", 2400, "88", latitude=47.2195, longitude=5.9822
        ),
        "technhom": make_premises(
            grand_belfort, "Techn'hom 7", "90010", 3500, "85", fit_out=FitOut.CONTACT_CENTRE
        ),
    }


def wait_for_map(page: Any, markers: int) -> None:
    page.wait_for_selector("#map[data-contours-loaded]")
    page.wait_for_function(
        "n => document.querySelectorAll('#map .leaflet-marker-icon').length === n", arg=markers
    )


def test_a_visitor_filters_the_premises_and_sees_them_on_the_map(
    live_server: Any, page: Any, phone: Any, offer: dict[str, Premises], settings: Any
) -> None:
    settings.GUICHET_TILE_URL = ""  # offline: contours and markers only, whatever the environment says
    page.goto(f"{live_server.url}/")
    assert page.locator(".figures li").count() == 4
    screenshot(page, "home")

    page.goto(f"{live_server.url}/premises/")
    wait_for_map(page, markers=4)
    # Every commune of the two départements is drawn, without any tile server.
    both = Commune.objects.filter(departement__in=["25", "90"], contour__isnull=False).count()
    assert page.locator("#map path.commune-contour").count() == both
    assert page.locator("#map .leaflet-tile").count() == 0
    screenshot(page, "search-all")

    page.select_option("#id_departement", "25")
    page.fill("#id_min_area", "2000")
    page.check("#id_fibre")
    page.locator("form.search-filters button[type=submit]").click()
    page.wait_for_url("**/premises/?*")
    wait_for_map(page, markers=2)
    rows = page.locator("table.results tbody tr th[scope=row] a")
    assert sorted(rows.all_inner_texts()) == ["Plateau Planoise", "Temis Center"]
    assert sorted(page.locator("#map .leaflet-marker-icon").evaluate_all("els => els.map(e => e.alt)")) == [
        "Plateau Planoise",
        "Temis Center",
    ]
    # Only the filtered département's communes are drawn now.
    doubs = Commune.objects.filter(departement="25", contour__isnull=False).count()
    assert page.locator("#map path.commune-contour").count() == doubs
    assert page.input_value("#id_min_area") == "2000" and page.is_checked("#id_fibre")

    # A marker opens a popup that leads to the premises page.
    page.locator("#map .leaflet-marker-icon[alt='Temis Center']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Temis Center" in popup.inner_text() and "m²" in popup.inner_text()
    page.wait_for_timeout(400)  # the popup's fade-in and the map's pan to show it
    screenshot(page, "search-filtered")

    # The CSV carries the same two premises.
    with page.expect_download() as download:
        page.locator("a[href*='/premises/export.csv']").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows_csv = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert sorted(row[0] for row in rows_csv[1:]) == ["Plateau Planoise", "Temis Center"]

    popup.locator("a").click()
    page.wait_for_url(f"**/premises/{offer['temis'].pk}/")
    page.wait_for_selector("#map[data-contours-loaded]")
    assert page.locator("#map .leaflet-marker-icon").count() == 1
    assert page.locator("section[aria-labelledby=labour] table tbody tr").count() == 8
    screenshot(page, "premises-page")
    screenshot(page, "premises-page-full", full_page=True)

    page.goto(f"{live_server.url}/authorities/{offer['temis'].owner_id}/")
    assert sorted(page.locator("table.results tbody th a").all_inner_texts()) == [
        "Espace Valentin",
        "Plateau Planoise",
        "Temis Center",
    ]
    screenshot(page, "authority-page")

    # On a phone: the filters fold into one column, the map and the results fit the width.
    phone.goto(f"{live_server.url}/premises/?departement=25")
    wait_for_map(phone, markers=3)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "search-phone-filters")
    phone.locator(".result-count").scroll_into_view_if_needed()
    phone.evaluate("document.querySelector('.result-count').scrollIntoView()")
    screenshot(phone, "search-phone")
    screenshot(phone, "search-phone-full", full_page=True)


def test_an_investor_submits_a_project_and_gets_a_reference(
    live_server: Any, page: Any, offer: dict[str, Premises]
) -> None:
    temis = offer["temis"]
    page.goto(f"{live_server.url}/premises/{temis.pk}/")
    # The keyboard reaches the skip link first, and its focus is visible.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.locator(f"a[href$='submit-your-project/?premises={temis.pk}']").click()
    page.wait_for_url("**/submit-your-project/?premises=*")
    assert page.is_checked("input[name=preferred_departements][value='25']")
    assert page.input_value("#id_floor_area_wanted_m2") == "3000"

    page.fill("#id_company_name", "Acme Relation Client SAS")
    page.fill("#id_contact_name", "Claire Martin")
    page.fill("#id_contact_email", "claire.martin@acme.example")
    page.fill("#id_contact_phone", "+33 3 81 00 00 00")
    page.fill("#id_seats", "0")
    page.fill("#id_opening_date", (dt.date.today() + dt.timedelta(days=300)).isoformat())
    page.fill("#id_description", "Centre de relation client entrant, 150 emplois en trois ans.")
    page.check("#id_consent")
    page.locator("form.project-form button[type=submit]").click()
    # Zero seats is refused, with the field named; nothing is recorded.
    page.wait_for_selector(".field.invalid #id_seats")
    assert not Project.objects.exists()
    screenshot(page, "project-form-error", full_page=True)

    page.fill("#id_seats", "120")
    page.check("#id_consent")
    page.locator("form.project-form button[type=submit]").click()
    page.wait_for_url("**/submit-your-project/received/")
    project = Project.objects.get()
    assert project.source == "portal" and project.company_name == "Acme Relation Client SAS"
    assert page.locator(".reference strong").inner_text() == project.reference
    assert project.reference.startswith("GU-")
    assert "Temis Center" in project.description
    screenshot(page, "project-received")


def test_the_labour_page_and_the_error_pages_read_well_in_french(
    live_server: Any, browser: Any, offer: dict[str, Premises], settings: Any
) -> None:
    """The labour page's map is a labelled region holding Leaflet's controls (no interactive element nested
    in an image), and the site's 403 and 404 pages speak French and name the agency's contact; axe-core
    checks each page (see conftest)."""
    settings.GUICHET_TILE_URL = ""
    settings.GUICHET_AGENCY_NAME = "Agence régionale (DEMO)"
    settings.GUICHET_AGENCY_EMAIL = "guichet@agence.example"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()

    page.goto(f"{live_server.url}/labour/premises/{offer['temis'].pk}/")
    page.wait_for_selector("#labour-map path.leaflet-interactive")
    assert page.get_attribute("#labour-map", "role") == "region"
    screenshot(page, "labour-page", full_page=True)

    missing = page.goto(f"{live_server.url}/premises/99999999/")
    assert missing is not None and missing.status == 404
    assert page.locator("h1").inner_text() == "Cette page ne peut pas être affichée"
    assert page.locator("a[href='mailto:guichet@agence.example']").count() == 2  # the page and its footer
    screenshot(page, "error-404")
    context.close()
