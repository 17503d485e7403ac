"""The total cost of operation and the aid check per offer, on the issue's scene: Besançon in a 'c' regional
aid zone, Belfort outside the map, for a large firm. The agency sees the excess on the comparison page and
the side by side before deciding; the dossier (page, PDF, workbook) and the API show the same rounded total;
a competing authority never sees another offer's aid or excess."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.catalogue.models import Authority
from guichet.offers import evaluation
from guichet.phrasing import numbers
from guichet.sources.zoning import read_commune_zoning
from guichet.territory.services import zoning_import_list

from ..api.conftest import Api
from .issue_scene import Scene, issue_scene
from .test_dossier import decided, decided_dossier_in_french, flat, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(agnes: User, alice: User, bob: User, grand_besancon: Authority, grand_belfort: Authority) -> Scene:
    scene = issue_scene(
        agnes=agnes, alice=alice, bob=bob, grand_besancon=grand_besancon, grand_belfort=grand_belfort
    )
    scene.project.firm_size = "large"
    scene.project.save(update_fields=["firm_size"])
    records = read_commune_zoning(b"insee;zone\n25056;c_predefined\n", kind="afr")
    zoning_import_list(
        actor=None,
        kind="afr",
        records=records,
        source="décret n° 2022-968",
        vintage="2022",
        departements=["25", "90"],
    )
    return scene


@pytest.fixture
def as_agnes(agnes: User) -> Api:
    return Api(api_token_create(user=agnes))


@pytest.fixture
def as_bob(bob: User) -> Api:
    return Api(api_token_create(user=bob))


def _rows(scene: Scene) -> dict[str, evaluation.CandidateRow]:
    result = evaluation.evaluate_call(call=scene.call, weights=evaluation.call_weights(call=scene.call))
    return {row.premises_name: row for row in result.rows}


def _annuity(years: int, rate: Decimal) -> Decimal:
    return sum((1 / (1 + rate) ** year for year in range(1, years + 1)), Decimal(0))


def test_within_its_ceiling_in_an_afr_zone_and_over_it_outside_the_map(scene: Scene) -> None:
    rows = _rows(scene)
    annuity = _annuity(9, Decimal("0.04"))
    # Temis Center (Besançon, 'c' zone): rent 92 against the catalogue's 95 on 2,600 m², 9 years at 4 %
    temis = rows["Temis Center"].operation
    assert temis is not None and temis.cost is not None
    check = temis.cost.aid.checks[0]
    assert check.aid == (3 * 2600 * annuity).quantize(Decimal("0.01"))
    assert check.intensity_pct == 15 and check.status == "within"
    assert temis.cost.lawful_aid_pv_eur == check.aid
    # Techn'hom 7 (Belfort, outside the map): a large firm may receive no investment aid there; rent 84
    # against 85 on 2,500 m² is all excess, none of it subtracted
    technhom = rows["Techn'hom 7"].operation
    assert technhom is not None and technhom.cost is not None
    check = technhom.cost.aid.checks[0]
    assert check.ceiling == 0 and check.basis == "gber_art_17_sme"
    assert check.excess == (1 * 2500 * annuity).quantize(Decimal("0.01"))
    assert technhom.cost.lawful_aid_pv_eur == 0 and technhom.cost.aid.status == "excess"
    # the total is people + occupancy + fit-out - lawful aid, spread over the 9 years
    cost = technhom.cost
    total = cost.people_pv_eur + cost.occupancy_pv_eur + cost.fit_out_pv_eur
    assert cost.total_pv_eur == total
    assert cost.total_year_eur == (total / annuity).quantize(Decimal("0.01"))
    assert rows["Techn'hom 7"].operation_cost_year_eur == float(cost.total_year_eur)


def test_the_agency_sees_the_excess_before_deciding(scene: Scene, agnes: User, as_agnes: Api) -> None:
    rows = _rows(scene)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agnes)
    compare = page_text(
        client.get(reverse("offers:call_compare", args=[scene.call.public_id])).content.decode()
    )
    side = page_text(client.get(reverse("offers:call_offers", args=[scene.call.public_id])).content.decode())
    api = as_agnes.post(f"/calls/{scene.call.public_id}/comparison", {}).json()
    by_name = {item["premises"]: item for item in api["candidates"]}
    offers = as_agnes.get(f"/calls/{scene.call.public_id}/offers").json()
    columns = {column["offer"]["premises"]["name"]: column for column in offers["columns"]}
    # each figure says how it is made, and where the mobility levy comes from
    assert "Estimate: the people (2026 payroll rules" in compare and "Estimate: the people" in side
    besancon_levy = "Mobility levy counted: 1.80% (CU Grand Besançon Métropole; URSSAF rates of 2023-09-28)."
    assert besancon_levy in compare and besancon_levy in side
    for name, row in rows.items():
        figures = row.operation_figures
        assert figures is not None
        with translation.override("en"):
            total, excess = flat(figures.total_year_text), flat(figures.excess_text)
        assert total in compare and total in side, name
        assert by_name[name]["operation"]["total_year_eur"] == figures.total_year_eur
        assert columns[name]["operation"]["total_year_eur"] == figures.total_year_eur
        assert figures.total_year_eur == int(numbers.rounded(row.operation_cost_year_eur or 0))
        if name in ("Techn'hom 7", "Bavilliers"):
            assert figures.aid_status == "excess"
            assert f"aid over its ceiling by {excess}" in compare
            assert f"aid over its ceiling by {excess}" in side
            assert by_name[name]["operation"]["aid_excess_eur"] == figures.excess_eur > 0
        else:
            assert figures.aid_status == "within" and by_name[name]["operation"]["aid_excess_eur"] == 0


def test_a_competing_authority_never_sees_another_offers_aid(
    scene: Scene, agnes: User, bob: User, as_bob: Api
) -> None:
    rows = _rows(scene)
    decided(scene, agnes)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(bob)
    page = client.get(reverse("offers:call_detail", args=[scene.call.public_id])).content.decode()
    text = page_text(page)
    assert client.get(reverse("offers:call_offers", args=[scene.call.public_id])).status_code in (302, 403)
    assert client.get(reverse("offers:call_compare", args=[scene.call.public_id])).status_code in (302, 403)
    assert "aid" not in text.lower() and "cost of operation" not in text.lower()
    temis = rows["Temis Center"].operation_figures
    assert temis is not None
    with translation.override("en"):
        assert flat(temis.total_year_text) not in text
    detail = as_bob.get(f"/calls/{scene.call.public_id}").json()
    assert "operation" not in str(detail) and "excess" not in str(detail)
    assert as_bob.get(f"/calls/{scene.call.public_id}/offers").status_code == 403
    assert as_bob.post(f"/calls/{scene.call.public_id}/comparison", {}).status_code == 403


def test_the_dossier_shows_the_same_total_and_says_which_aid_is_over_its_ceiling(
    scene: Scene, agnes: User
) -> None:
    html, pdf, context, sheet, _workbook = decided_dossier_in_french(scene, agnes)
    for item in context["offers"]:
        figures = item.figures.operation
        assert figures is not None
        with translation.override("fr"):
            total = flat(figures.total_year_text)
        assert total in html and total in pdf, item.row.premises_name
        assert sheet[item.row.premises_name]["Coût total d’exploitation par an (EUR, non noté)"] == (
            figures.total_year_eur
        )
    over = [line for line in context["aid_statement"] if "dépassent leur plafond légal" in line]
    # the two Belfort offers, outside the map: over; the two Besançon ones within
    assert len(over) == 2 and "Techn'hom 7" in " ".join(over) and "Bavilliers" in " ".join(over)
    for line in over:
        assert flat(line) in html and flat(line) in pdf
    # the zoning of each premises, with its source, and "not known" where no list covers it (FRR)
    assert "Zone d’aide à finalité régionale (AFR 2022-2027)" in html
    assert "décret n° 2022-968 — 2022" in html
    assert "France Ruralités Revitalisation (FRR) inconnu" in html
