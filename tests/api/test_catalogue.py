"""The catalogue through the API: public search, filters, pagination over real communes, and an
officer's own catalogue written through the catalogue services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, FitOut, Premises, PremisesStatus
from guichet.territory.models import Commune

from ..scene import make_premises
from .conftest import Api, assert_problem


def test_pagination_totals_over_every_commune_of_a_departement(
    anonymous: Api, grand_belfort: Authority
) -> None:
    """One premises in each real commune of the Territoire de Belfort (90), then paged 7 by 7."""
    communes = list(Commune.objects.filter(departement="90").order_by("insee"))
    assert len(communes) > 90  # the bundled territory: 101 communes
    for commune in communes:
        make_premises(grand_belfort, f"Bureaux {commune.name}", commune.insee, 500, "80")
    make_premises(grand_belfort, "Temis", "25056", 500, "80")  # Doubs: not counted
    seen: list[int] = []
    offset = 0
    while True:
        page = anonymous.get(f"/premises?departement=90&limit=7&offset={offset}").json()
        assert page["count"] == len(communes) and page["limit"] == 7 and page["offset"] == offset
        seen += [item["id"] for item in page["items"]]
        if len(page["items"]) < 7:
            break
        offset += 7
    assert len(seen) == len(set(seen)) == len(communes)
    assert anonymous.get("/premises?limit=1").json()["count"] == len(communes) + 1
    # An EPCI filter counts the communes of that EPCI (real membership).
    epci = Commune.objects.get(insee="90010").epci_id
    members = Commune.objects.filter(departement="90", epci=epci).count()
    assert anonymous.get(f"/premises?epci={epci}").json()["count"] == members
    beyond = anonymous.get("/premises?departement=90&offset=1000").json()
    assert beyond["count"] == len(communes) and beyond["items"] == []


def test_filters(anonymous: Api, grand_besancon: Authority) -> None:
    make_premises(grand_besancon, "Grand plateau", "25056", 3000, "95", fit_out=FitOut.CONTACT_CENTRE)
    make_premises(grand_besancon, "Petit", "25056", 400, "70", fibre=False, public_transport=False)
    make_premises(grand_besancon, "Tard", "25056", 2000, "130", available_from=dt.date(2030, 1, 1))
    make_premises(grand_besancon, "Loué", "25056", 2000, "90", status=PremisesStatus.LET)

    def names(query: str) -> list[str]:
        return sorted(item["name"] for item in anonymous.get("/premises?" + query).json()["items"])

    assert names("") == ["Grand plateau", "Petit", "Tard"]  # let premises are not on offer
    assert names("min_area=1000") == ["Grand plateau", "Tard"]
    assert names("max_rent=100") == ["Grand plateau", "Petit"]
    assert names("max_rent=94.99") == ["Petit"]
    assert names("max_rent=95") == ["Grand plateau", "Petit"]
    assert names("available_before=2028-01-01") == ["Grand plateau", "Petit"]
    assert names("fibre=false") == ["Petit"]
    assert names("public_transport=true") == ["Grand plateau", "Tard"]
    assert names("fit_out=contact_centre") == ["Grand plateau"]
    assert names("departement=90") == []
    body = assert_problem(anonymous.get("/premises?min_area=-1&limit=500"), 422)
    assert {(e["location"], e["field"]) for e in body["errors"]} == {
        ("query", "min_area"),
        ("query", "limit"),
    }


def test_a_premises_in_json(anonymous: Api, grand_besancon: Authority) -> None:
    premises = make_premises(grand_besancon, "Temis Center", "25056", 3000, "95.5")
    body = anonymous.get(f"/premises/{premises.pk}").json()
    assert body["owner"] == {"id": grand_besancon.pk, "name": "Grand Besançon Métropole"}
    assert body["commune"]["insee"] == "25056" and body["commune"]["departement"] == "25"
    assert body["rent_eur_m2_year"] == "95.50"  # money as a decimal string
    assert body["located_by_commune"] is True and isinstance(body["latitude"], float)
    assert body["available_from"] == "2027-01-01"


def test_authorities_and_incentives(
    anonymous: Api, grand_besancon: Authority, grand_belfort: Authority
) -> None:
    from guichet.catalogue.models import Incentive

    Incentive.objects.create(
        owner=grand_besancon, name="Aide", kind="grant_per_job", amount=Decimal(2000), unit="eur_per_job"
    )
    Incentive.objects.create(
        owner=grand_belfort, name="Vieille aide", kind="other", rule="…", archived_at=dt.datetime.now(dt.UTC)
    )
    page = anonymous.get("/authorities").json()
    assert page["count"] == 2 and [a["name"] for a in page["items"]] == [
        "Grand Belfort",
        "Grand Besançon Métropole",
    ]
    detail = anonymous.get(f"/authorities/{grand_besancon.pk}").json()
    assert detail["territory"] and [i["amount"] for i in detail["incentives"]] == ["2000.00"]
    assert anonymous.get("/incentives").json()["count"] == 1  # the archived one is gone
    assert anonymous.get(f"/incentives?owner={grand_belfort.pk}").json()["count"] == 0
    assert_problem(anonymous.get("/authorities/999999"), 404)


def test_an_officer_keeps_its_own_catalogue(as_alice: Api, as_bob: Api, alice: User) -> None:
    new = {
        "name": "Plateau neuf",
        "commune": "25056",
        "total_area_m2": 1500,
        "available_area_m2": 1500,
        "available_from": "2027-01-01",
        "rent_eur_m2_year": 99.5,
        "is_public": False,
    }
    created = as_alice.post("/my/premises", new)
    assert created.status_code == 201
    body = created.json()
    assert body["owner"]["id"] == alice.authority_id and body["rent_eur_m2_year"] == "99.50"
    assert Premises.objects.get(pk=body["id"]).owner_id == alice.authority_id
    # Unpublished: Alice sees it in her catalogue and through the public search with her token; not Bob.
    assert as_alice.get("/my/premises").json()["count"] == 1
    assert as_alice.get("/premises").json()["count"] == 1
    assert as_bob.get("/premises").json()["count"] == 0
    assert_problem(as_bob.patch(f"/my/premises/{body['id']}", {"floors": 2}), 404)
    # A change of some fields, checked by the model.
    changed = as_alice.patch(f"/my/premises/{body['id']}", {"floors": 4, "expected_version": body["version"]})
    assert changed.status_code == 200 and changed.json()["floors"] == 4
    # Someone saved meanwhile: the stale version is a conflict, nothing is overwritten.
    stale = assert_problem(
        as_alice.patch(f"/my/premises/{body['id']}", {"floors": 9, "expected_version": 1}), 409
    )
    assert stale["type"] == "urn:guichet:problem:conflict"
    assert Premises.objects.get(pk=body["id"]).floors == 4


def test_the_model_checks_come_back_as_field_errors(as_alice: Api) -> None:
    new = {"name": "X", "commune": "25056", "total_area_m2": 100, "available_area_m2": 200}
    body = assert_problem(as_alice.post("/my/premises", {**new, "available_from": "2027-01-01"}), 422)
    assert {e["field"] for e in body["errors"]} >= {"available_area_m2", "rent_eur_m2_year"}
    body = assert_problem(as_alice.post("/my/premises", {**new, "commune": "00000"}), 422)
    assert [e["field"] for e in body["errors"]] == ["available_from"]
    body = assert_problem(
        as_alice.post(
            "/my/premises",
            {**new, "available_area_m2": 50, "commune": "00000", "available_from": "2027-01-01"},
        ),
        422,
    )
    assert [e["field"] for e in body["errors"]] == ["commune"]


def test_an_officer_keeps_its_incentives_and_archives_its_records(
    as_alice: Api, as_bob: Api, alice: User
) -> None:
    created = as_alice.post(
        "/my/incentives",
        {"name": "Aide à l'emploi", "kind": "grant_per_job", "amount": "2000", "unit": "eur_per_job"},
    )
    assert created.status_code == 201
    incentive = created.json()
    assert (incentive["owner"]["id"], incentive["amount"], incentive["version"]) == (
        alice.authority_id,
        "2000.00",
        1,
    )
    url = f"/my/incentives/{incentive['id']}"
    assert_problem(as_bob.patch(url, {"cap_eur": "1"}), 404)
    changed = as_alice.patch(url, {"cap_eur": "400000", "expected_version": 1}).json()
    assert (changed["cap_eur"], changed["version"]) == ("400000", 2)
    assert_problem(as_alice.patch(url, {"cap_eur": "1", "expected_version": 1}), 409)  # stale
    archived = as_alice.post(f"{url}/archive").json()
    assert archived["archived_at"] is not None
    assert incentive["id"] not in [i["id"] for i in Api().get("/incentives").json()["items"]]
    premises = as_alice.post(
        "/my/premises",
        {
            "name": "Plateau neuf",
            "commune": "25056",
            "total_area_m2": 1500,
            "available_area_m2": 1500,
            "available_from": "2027-01-01",
            "rent_eur_m2_year": "95",
        },
    ).json()
    assert_problem(as_bob.post(f"/my/premises/{premises['id']}/archive"), 404)
    assert as_alice.post(f"/my/premises/{premises['id']}/archive").json()["archived_at"] is not None
    assert_problem(Api().get(f"/premises/{premises['id']}"), 404)
