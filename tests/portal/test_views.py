"""The public portal seen by a visitor: search filters, map data, CSV export, figures with sources, the
premises and authority pages, and the project form with its honeypot and rate limit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, FitOut, Incentive, Premises, PremisesStatus, Tenure
from guichet.projects.models import Project
from guichet.territory.models import Commune, DatasetSource

from ..scene import make_premises

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The rate limit counts in the cache; each test starts from zero."""
    cache.clear()


@pytest.fixture
def offer(grand_besancon: Authority, grand_belfort: Authority) -> dict[str, Premises]:
    """Five public premises that differ by one criterion at a time, and three that the public never sees."""
    public = {
        # Besançon (25), Grand Besançon: fibre, public transport, shell, 95 EUR, available 1 Jan 2027.
        "temis": make_premises(grand_besancon, "Temis Center", "25056", 3000, "95"),
        # École-Valentin (25), Grand Besançon: no fibre, fitted offices, 105 EUR, available 1 Sep 2026.
        "valentin": make_premises(
            grand_besancon,
            "Espace Valentin",
            "25212",
            1600,
            "105",
            fibre=False,
            fit_out=FitOut.OFFICES,
            available_from=dt.date(2026, 9, 1),
        ),
        # Belfort (90), Grand Belfort: no public transport, ready contact-centre floor, 85 EUR, June 2027.
        "technhom": make_premises(
            grand_belfort,
            "Techn'hom 7",
            "90010",
            3500,
            "85",
            public_transport=False,
            fit_out=FitOut.CONTACT_CENTRE,
            available_from=dt.date(2027, 6, 1),
        ),
        # Belfort, for sale only: no rent, so no rent ceiling keeps it.
        "sale": make_premises(
            grand_belfort,
            "Ancienne banque",
            "90010",
            900,
            "0",
            rent_eur_m2_year=None,
            tenure=Tenure.SALE,
            sale_price_eur=Decimal(750000),
        ),
        # Besançon, under option: still on offer.
        "option": make_premises(
            grand_besancon, "Plateau Saint-Jacques", "25056", 1200, "99.5", status=PremisesStatus.UNDER_OPTION
        ),
    }
    make_premises(grand_besancon, "Réserve confidentielle", "25056", 5000, "60", is_public=False)
    make_premises(grand_belfort, "Déjà loué", "90010", 5000, "60", status=PremisesStatus.LET)
    make_premises(grand_belfort, "Archivé", "90010", 5000, "60", archived_at=timezone.now())
    return public


def names(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.name for p in response.context["premises_list"]}


def search(client: Client, **params: str) -> set[str]:
    response = client.get(reverse("portal:premises_search"), params)
    assert response.status_code == 200
    return names(response)


# --- search ------------------------------------------------------------------------------------------------


def test_without_filters_the_search_lists_the_whole_public_offer_and_nothing_else(
    client: Client, offer: dict[str, Premises]
) -> None:
    assert search(client) == {p.name for p in offer.values()}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"departement": "25"}, {"temis", "valentin", "option"}),
        ({"departement": "90"}, {"technhom", "sale"}),
        ({"min_area": "3000"}, {"temis", "technhom"}),
        ({"available_by": "2026-12-31"}, {"valentin"}),
        ({"available_by": "2027-01-01"}, {"valentin", "temis", "sale", "option"}),
        ({"max_rent": "95"}, {"temis", "technhom"}),
        ({"max_rent": "99,5"}, {"temis", "technhom", "option"}),  # French decimal comma
        ({"fibre": "on"}, {"temis", "technhom", "sale", "option"}),
        ({"public_transport": "on"}, {"temis", "valentin", "sale", "option"}),
        ({"fit_out": "contact_centre"}, {"technhom"}),
        ({"fit_out": "offices"}, {"valentin"}),
        ({"departement": "25", "fibre": "on", "min_area": "2000"}, {"temis"}),
        ({"departement": "90", "max_rent": "100"}, {"technhom"}),
    ],
)
def test_each_filter_gives_exactly_the_matching_premises(
    client: Client, offer: dict[str, Premises], params: dict[str, str], expected: set[str]
) -> None:
    assert search(client, **params) == {offer[key].name for key in expected}


def test_the_epci_filter_keeps_the_premises_of_its_communes(
    client: Client, offer: dict[str, Premises], grand_belfort: Authority
) -> None:
    assert grand_belfort.epci_id
    assert search(client, epci=grand_belfort.epci_id) == {"Techn'hom 7", "Ancienne banque"}


def test_a_wrong_filter_is_reported_and_the_others_still_apply(
    client: Client, offer: dict[str, Premises]
) -> None:
    response = client.get(reverse("portal:premises_search"), {"min_area": "lots", "departement": "90"})
    assert names(response) == {"Techn'hom 7", "Ancienne banque"}
    assert "min_area" in response.context["form"].errors


def test_the_map_shows_one_marker_per_result_and_the_contours_of_their_departements(
    client: Client, offer: dict[str, Premises]
) -> None:
    response = client.get(reverse("portal:premises_search"), {"fibre": "on", "min_area": "1000"})
    config = response.context["map_config"]
    expected = {offer[key].pk for key in ("temis", "technhom", "option")}
    assert {marker["id"] for marker in config["markers"]} == expected
    besancon = Commune.objects.get(insee="25056")
    temis = next(m for m in config["markers"] if m["id"] == offer["temis"].pk)
    # No own coordinates: the marker stands at the commune's representative point.
    assert (temis["lat"], temis["lng"]) == (besancon.latitude, besancon.longitude)
    assert temis["url"] == reverse("portal:premises_detail", args=[offer["temis"].pk])
    assert config["contours"] == [
        reverse("portal:communes_geojson", args=["25"]),
        reverse("portal:communes_geojson", args=["90"]),
    ]
    assert config["tileUrl"] == ""
    # The same configuration is in the page, for the script (no inline JavaScript).
    content = response.content.decode()
    assert '<script id="map-config" type="application/json">' in content
    assert "vendor/leaflet/leaflet.js" in content and "portal/map.js" in content


def test_with_no_result_the_map_falls_back_to_the_filtered_departement(
    client: Client, offer: dict[str, Premises]
) -> None:
    response = client.get(reverse("portal:premises_search"), {"departement": "39"})
    assert names(response) == set()
    assert response.context["map_config"]["markers"] == []
    assert response.context["map_config"]["contours"] == [reverse("portal:communes_geojson", args=["39"])]


@override_settings(GUICHET_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
def test_a_configured_tile_url_adds_a_background_map(client: Client, offer: dict[str, Premises]) -> None:
    response = client.get(reverse("portal:premises_search"))
    assert response.context["map_config"]["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"


def test_the_commune_contours_of_a_departement_are_geojson(client: Client) -> None:
    response = client.get(reverse("portal:communes_geojson", args=["90"]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    with_contour = Commune.objects.filter(departement="90", contour__isnull=False)
    assert len(data["features"]) == with_contour.count() > 90
    belfort = next(f for f in data["features"] if f["properties"]["insee"] == "90010")
    assert belfort["properties"]["name"] == "Belfort"
    assert belfort["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert data["source"].startswith("IGN Admin Express")
    assert "max-age" in response["Cache-Control"]
    assert client.get(reverse("portal:communes_geojson", args=["75"])).status_code == 404


def test_the_results_table_uses_french_number_and_date_formats(
    client: Client, offer: dict[str, Premises]
) -> None:
    content = client.get(reverse("portal:premises_search"), {"departement": "25"}).content.decode()
    assert ">3\u202f000<" in content  # 3,000 m²
    assert ">99,50<" in content  # rent of the premises under option
    assert "01/09/2026" in content  # Espace Valentin's availability


# --- CSV export --------------------------------------------------------------------------------------------


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_follows_the_filters_with_excel_friendly_french_formats(
    client: Client, offer: dict[str, Premises]
) -> None:
    response = client.get(reverse("portal:premises_export_csv"), {"departement": "25"}, **ENGLISH)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="guichet-premises-')
    rows = read_csv(response.content)
    assert rows[0] == [
        "Premises",
        "Commune",
        "INSEE code",
        "Département",
        "EPCI",
        "Owner",
        "Available floor area (m²)",
        "Total floor area (m²)",
        "Rent (EUR/m²/year excl. VAT)",
        "Charges (EUR/m²/year excl. VAT)",
        "Available from",
        "Fit-out state",
        "Fibre optic",
        "Public transport within walking distance",
        "Latitude",
        "Longitude",
        "Demo record",
        "Page",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Temis Center", "Espace Valentin", "Plateau Saint-Jacques"}
    temis = by_name["Temis Center"]
    besancon = Commune.objects.get(insee="25056")
    assert temis[1:4] == ["Besançon", "25056", "25"]
    assert temis[4] == besancon.epci.name  # type: ignore[union-attr]
    assert temis[5] == "Grand Besançon Métropole"
    assert temis[6:12] == ["3000", "3000", "95,00", "18,00", "01/01/2027", "Shell (to fit out)"]
    assert temis[12:14] == ["yes", "yes"]
    assert temis[14] == f"{besancon.latitude:.5f}".replace(".", ",")
    assert temis[17] == "http://testserver" + reverse("portal:premises_detail", args=[offer["temis"].pk])
    assert by_name["Plateau Saint-Jacques"][8] == "99,50"
    assert by_name["Espace Valentin"][12] == "no"


def test_the_csv_export_without_filters_has_one_row_per_public_premises(
    client: Client, offer: dict[str, Premises]
) -> None:
    rows = read_csv(client.get(reverse("portal:premises_export_csv")).content)
    assert len(rows) == 1 + len(offer)
    assert {row[0] for row in rows[1:]} == {p.name for p in offer.values()}
    sale = next(row for row in rows if row[0] == "Ancienne banque")
    assert sale[8] == ""  # no rent, an empty cell rather than a made-up number
    assert len(rows[0]) == 18  # French headers, same columns


def test_a_name_that_looks_like_a_formula_is_exported_as_text(
    client: Client, grand_besancon: Authority
) -> None:
    make_premises(grand_besancon, '=HYPERLINK("http://evil.example","Temis")', "25056", 1000, "90")
    rows = read_csv(client.get(reverse("portal:premises_export_csv")).content)
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","Temis")'


def test_the_search_page_links_to_the_csv_with_the_same_filters(
    client: Client, offer: dict[str, Premises]
) -> None:
    content = client.get(
        reverse("portal:premises_search"), {"departement": "90", "fibre": "on"}
    ).content.decode()
    assert f'href="{reverse("portal:premises_export_csv")}?departement=90&amp;fibre=on"' in content


# --- home: figures with their sources ----------------------------------------------------------------------


def test_the_home_figures_are_live_counts_and_real_data_each_with_its_source_and_date(
    client: Client, offer: dict[str, Premises]
) -> None:
    response = client.get(reverse("portal:home"), **ENGLISH)
    content = response.content.decode()
    figures = response.context["figures"]
    assert figures.premises == 5
    assert figures.available_area_m2 == 3000 + 1600 + 3500 + 900 + 1200
    assert "<strong>5</strong> premises available" in content
    assert "<strong>10,200 m²</strong> floor space available" in content
    with translation.override("en"):
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")  # e.g. "Nov. 26, 2026"
    live = f"Source: catalogue kept by the authorities, live count, {today}"
    assert content.count(live) == 2
    communes = DatasetSource.objects.get(key="communes.csv")
    population = DatasetSource.objects.get(key="communes.csv:population_20_64")
    assert "<strong>1,692</strong> communes covered" in content
    assert f"Source: {communes.source} — {communes.vintage}" in content
    assert "<strong>644,301</strong> people of working age (20-64)" in content
    assert f"Source: {population.source} — {population.vintage}" in content
    assert "recensement de la population 2021 par IRIS" in content


def test_the_home_page_speaks_french_by_default(client: Client, offer: dict[str, Premises]) -> None:
    content = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="fr">' in content
    assert "<strong>10\u202f200 m²</strong>" in content


# --- premises and authority pages --------------------------------------------------------------------------


def test_the_premises_page_shows_the_labour_pool_with_kinds_and_sources_incentives_and_contact(
    client: Client, offer: dict[str, Premises], grand_besancon: Authority
) -> None:
    Incentive.objects.create(
        owner=grand_besancon,
        name="Aide à l'emploi",
        kind="grant_per_job",
        amount=Decimal(2000),
        unit="eur_per_job",
    )
    temis = offer["temis"]
    response = client.get(reverse("portal:premises_detail", args=[temis.pk]), **ENGLISH)
    assert response.status_code == 200
    content = response.content.decode()
    pool = response.context["pool"]
    assert pool is not None and pool.communes > 100
    # Real census figures are marked as published, with their source; computed ones as estimates.
    assert pool.population_20_64.kind == "imported"
    assert "published figure</span> · INSEE, recensement de la population 2021 par IRIS" in content
    assert pool.labour_force.kind == "estimate"
    assert "estimate</span> · estimate: people aged 20-64 × 0.8" in content
    assert "Aide à l&#x27;emploi" in content and "Grant per job created: 2,000 EUR per job created" in content
    assert f'href="{reverse("portal:project_submit")}?premises={temis.pk}"' in content
    # In French the colon after the kind takes its no-break space, as everywhere else.
    french = client.get(reverse("portal:premises_detail", args=[temis.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Subvention par emploi créé\u00a0: 2\u202f000 € par emploi créé" in french.content.decode()
    assert response.context["labour_panel_url"] == reverse("labour:premises_panel", args=[temis.pk])


def test_a_competitor_incentive_is_not_shown_on_the_premises_page(
    client: Client, offer: dict[str, Premises], grand_belfort: Authority
) -> None:
    Incentive.objects.create(owner=grand_belfort, name="Prime Belfort", kind="other", rule="Sur dossier.")
    content = client.get(reverse("portal:premises_detail", args=[offer["temis"].pk])).content.decode()
    assert "Prime Belfort" not in content


def test_unpublished_premises_have_no_public_page(client: Client, offer: dict[str, Premises]) -> None:
    for name in ("Réserve confidentielle", "Déjà loué", "Archivé"):
        premises = Premises.objects.get(name=name)
        assert client.get(reverse("portal:premises_detail", args=[premises.pk])).status_code == 404


def test_the_authority_pages_list_their_public_offer_and_incentives(
    client: Client, offer: dict[str, Premises], grand_besancon: Authority, grand_belfort: Authority
) -> None:
    Incentive.objects.create(owner=grand_belfort, name="Prime Belfort", kind="other", rule="Sur dossier.")
    listing = client.get(reverse("portal:authority_list"))
    counts = {a.name: (a.public_premises, a.live_incentives) for a in listing.context["authorities"]}
    assert counts == {"Grand Besançon Métropole": (3, 0), "Grand Belfort": (2, 1)}
    response = client.get(reverse("portal:authority_detail", args=[grand_belfort.pk]))
    assert names(response) == {"Techn'hom 7", "Ancienne banque"}
    assert "Prime Belfort" in response.content.decode()


# --- submit your project -----------------------------------------------------------------------------------


def project_data(**changes: str) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "company_name": "Acme Relation Client SAS",
        "contact_name": "Claire Martin",
        "contact_email": "claire.martin@acme.example",
        "contact_phone": "+33 3 81 00 00 00",
        "sector": "contact_centre",
        "seats": "120",
        "floor_area_wanted_m2": "1500",
        "opening_date": (timezone.localdate() + dt.timedelta(days=300)).isoformat(),
        "preferred_departements": ["25", "90"],
        "description": "Centre de relation client entrant, 150 emplois en trois ans.",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return data


def test_a_submitted_project_becomes_a_portal_lead_and_the_visitor_gets_its_reference(
    client: Client, offer: dict[str, Premises]
) -> None:
    response = client.post(reverse("portal:project_submit"), project_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:project_submitted")
    project = Project.objects.get()
    assert project.source == "portal"
    assert project.stage == "lead"
    assert project.created_by is None
    assert project.reference == f"GU-{timezone.now().year}-0001"
    assert (project.company_name, project.contact_email, project.seats) == (
        "Acme Relation Client SAS",
        "claire.martin@acme.example",
        120,
    )
    assert project.floor_area_wanted_m2 == 1500
    assert sorted(project.preferred_departements.values_list("code", flat=True)) == ["25", "90"]
    assert "Acme" not in project.code_name  # authorities know a project by its code name only
    confirmation = client.get(response["Location"]).content.decode()
    assert project.reference in confirmation
    assert "Acme" not in confirmation and "claire.martin" not in confirmation
    # The reference is shown once; reloading the page shows no lead data at all.
    assert project.reference not in client.get(response["Location"]).content.decode()


def test_the_contact_button_prefills_the_form_with_the_premises(
    client: Client, offer: dict[str, Premises]
) -> None:
    temis = offer["temis"]
    response = client.get(reverse("portal:project_submit"), {"premises": temis.pk}, **ENGLISH)
    form = response.context["form"]
    assert form.initial["premises"] == temis.pk
    assert form.initial["preferred_departements"] == ["25"]
    assert "About the premises: Temis Center (Besançon)." in response.content.decode()
    client.post(reverse("portal:project_submit"), project_data(premises=str(temis.pk)), **ENGLISH)
    project = Project.objects.get()
    assert project.description.startswith(f"Premises of interest: Temis Center (no. {temis.pk}, Besançon)")


def test_a_portal_lead_is_e_mailed_to_the_agency_once_saved(
    client: Client, offer: dict[str, Premises], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    settings.GUICHET_AGENCY_EMAIL = "guichet@agence.example"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("portal:project_submit"), project_data()).status_code == 302
    project = Project.objects.get()
    assert [m.to for m in mail.outbox] == [["guichet@agence.example"]]
    assert project.reference in mail.outbox[0].subject
    assert f"/projects/{project.pk}/" in mail.outbox[0].body


def test_a_portal_lead_reaches_each_agency_address_once(
    client: Client, offer: dict[str, Premises], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The shared address and every active agency user's, each once whatever its case; nobody else."""
    from django.core import mail

    from guichet.accounts.models import Role, User

    settings.GUICHET_AGENCY_EMAIL = "guichet@agence.example"
    User.objects.create_user("agnes", email="Guichet@Agence.example", role=Role.AGENCY)
    User.objects.create_user("anne", email="anne@agence.example", role=Role.AGENCY)
    User.objects.create_user("ancien", email="ancien@agence.example", role=Role.AGENCY, is_active=False)
    User.objects.create_user("sans", email="", role=Role.AGENCY)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("portal:project_submit"), project_data()).status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["anne@agence.example", "guichet@agence.example"]


def test_private_premises_cannot_be_named_through_the_form(
    client: Client, offer: dict[str, Premises]
) -> None:
    hidden = Premises.objects.get(name="Réserve confidentielle")
    response = client.get(reverse("portal:project_submit"), {"premises": hidden.pk})
    assert "premises" not in response.context["form"].initial
    response = client.post(reverse("portal:project_submit"), project_data(premises=str(hidden.pk)))
    assert response.status_code == 200 and "premises" in response.context["form"].errors
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contact_email": "claire.martin@"}, "contact_email"),
        ({"contact_email": ""}, "contact_email"),
        ({"company_name": ""}, "company_name"),
        ({"seats": "0"}, "seats"),
        ({"seats": "-3"}, "seats"),
        ({"floor_area_wanted_m2": "0"}, "floor_area_wanted_m2"),
        ({"opening_date": "2020-01-01"}, "opening_date"),
        ({"opening_date": "2099-01-01"}, "opening_date"),
        ({"opening_date": "31/02/2027"}, "opening_date"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"consent": ""}, "consent"),
        ({"preferred_departements": ["75"]}, "preferred_departements"),
    ],
)
def test_an_invalid_project_is_refused_with_the_field_named(
    client: Client, changes: dict[str, str], field: str
) -> None:
    response = client.post(reverse("portal:project_submit"), project_data(**changes))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Project.objects.exists()


def test_the_honeypot_silently_drops_a_robot_submission(client: Client) -> None:
    response = client.post(reverse("portal:project_submit"), project_data(website="http://spam.example"))
    # The robot sees the usual way out, but nothing is recorded and no reference is shown.
    assert response.status_code == 302 and response["Location"] == reverse("portal:project_submitted")
    assert not Project.objects.exists()
    assert "GU-" not in client.get(response["Location"]).content.decode()


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client: Client) -> None:
    content = client.get(reverse("portal:project_submit")).content.decode()
    assert '<div class="hp" aria-hidden="true">' in content
    assert 'name="website"' in content and 'tabindex="-1"' in content


def test_a_sixth_submission_within_the_hour_from_one_address_is_refused(client: Client) -> None:
    for number in range(5):
        response = client.post(
            reverse("portal:project_submit"), project_data(contact_name=f"Visitor {number}")
        )
        assert response.status_code == 302, number
    response = client.post(
        reverse("portal:project_submit"), project_data(contact_name="Visitor 6"), **ENGLISH
    )
    assert response.status_code == 429
    assert "Too many submissions from your connection." in response.content.decode()
    assert Project.objects.count() == 5
    assert not Project.objects.filter(contact_name="Visitor 6").exists()
    # Another address is not held back.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(reverse("portal:project_submit"), project_data()).status_code == 302
    assert Project.objects.count() == 6


def test_nothing_of_a_lead_is_shown_publicly(client: Client, offer: dict[str, Premises], alice: User) -> None:
    client.post(reverse("portal:project_submit"), project_data(company_name="Confidentielle SA"))
    assert Project.objects.filter(company_name="Confidentielle SA").exists()
    visitor, officer = Client(), Client()
    officer.force_login(alice)
    for browser in (visitor, officer):
        for url in (
            reverse("portal:home"),
            reverse("portal:premises_search"),
            reverse("portal:authority_list"),
            reverse("portal:premises_detail", args=[offer["temis"].pk]),
        ):
            assert "Confidentielle SA" not in browser.get(url).content.decode(), url
    assert visitor.get(reverse("projects:list")).status_code == 302  # to the sign-in page


def test_results_come_fifty_to_a_page_and_the_map_shows_that_page(
    client: Client, grand_besancon: Authority
) -> None:
    for number in range(60):
        make_premises(grand_besancon, f"Locaux {number:02d}", "25056", 1000, "90")
    first = client.get(reverse("portal:premises_search"), {"departement": "25"})
    assert len(first.context["premises_list"]) == 50 and first.context["page"].paginator.count == 60
    assert len(first.context["map_config"]["markers"]) == 50
    second = client.get(reverse("portal:premises_search"), {"departement": "25", "page": "2"})
    assert len(second.context["premises_list"]) == 10
    assert "departement=25&amp;page=1" in second.content.decode()


def test_a_change_to_the_offer_shows_at_once_despite_the_search_cache(
    client: Client, grand_besancon: Authority
) -> None:
    make_premises(grand_besancon, "Premier plateau", "25056", 1000, "90")
    url = reverse("portal:premises_search")
    assert "Premier plateau" in client.get(url).content.decode()
    cached = client.get(url)
    assert cached.context["results"]["count"] == 1
    second = make_premises(grand_besancon, "Second plateau", "25056", 1200, "95")
    assert client.get(url).context["results"]["count"] == 2
    second.name = "Second plateau renommé"
    second.save()
    assert "Second plateau renommé" in client.get(url).content.decode()


def test_the_premises_page_says_where_it_lies_in_the_zonings_with_measures_and_sources(
    client: Client, grand_besancon: Authority
) -> None:
    from guichet.territory.services import zoning_load_qpv

    zoning_load_qpv()
    innovia = make_premises(
        grand_besancon, "Innovia", "39198", 1200, "80", latitude=47.0790, longitude=5.4680
    )
    response = client.get(reverse("portal:premises_detail", args=[innovia.pk]), **ENGLISH)
    content = response.content.decode()
    qpv, afr, frr = response.context["zoning"]
    assert (qpv.status, qpv.category) == ("in", "QN03901M")
    assert "Inside the district Mesnils Pasteur (QN03901M)" in content
    assert "Emplois francs" in content and "QPV 2024 (décret n° 2023-1314" in content
    # No AFR or FRR list is loaded: "not known", never "no".
    assert (afr.status, frr.status) == ("not_known", "not_known")
    assert content.count("The list has not been loaded: ask the agency.") == 2
    french = client.get(reverse("portal:premises_detail", args=[innovia.pk]))
    assert "Dans le quartier Mesnils Pasteur (QN03901M)" in french.content.decode()
