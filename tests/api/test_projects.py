"""Projects through the API (agency): create, change, size with the engine, eligible premises."""

from __future__ import annotations

from guichet.catalogue.models import Premises
from guichet.projects.models import Project

from .conftest import Api, assert_problem


def test_create_change_and_size_a_project(
    as_agnes: Api, temis: Premises, technhom: Premises, tiny_belfort: Premises
) -> None:
    created = as_agnes.post(
        "/projects",
        {
            "code_name": "Projet Boréal",
            "company_name": "Boréal Services",
            "preferred_departements": ["25", "90"],
            "max_rent_eur_m2_year": "120",
            "opening_date": "2027-09-01",
            "needs_fibre": True,
        },
    )
    assert created.status_code == 201
    project = created.json()
    assert project["reference"].startswith("GU-") and project["stage"] == "lead"
    assert project["identity"]["company_name"] == "Boréal Services"
    assert project["preferred_departements"] == ["25", "90"] and project["max_rent_eur_m2_year"] == "120.00"
    # Before sizing: the eligible premises, unranked.
    eligible = as_agnes.get(f"/projects/{project['id']}/eligible").json()
    assert eligible["ranked"] is False and eligible["count"] == 3
    sized = as_agnes.post(
        f"/projects/{project['id']}/sizing", {"calls": 900, "aht_seconds": 240, "shrinkage": 0.3}
    ).json()
    # 128 agents; the former single 30 % read as 15 % on site: 151 people in the building, 167 seats.
    assert (sized["sizing"]["agents"], sized["sizing"]["people_on_site"], sized["seats"]) == (128, 151, 167)
    assert sized["sizing"]["shrinkage"]["split"] == "total" and sized["jobs_target"]
    ranked = as_agnes.get(f"/projects/{project['id']}/eligible?limit=1").json()
    assert (
        ranked["ranked"] is True and ranked["count"] == 2 and len(ranked["items"]) == 1
    )  # the small one is out
    assert ranked["items"][0]["rank"] == 1 and ranked["items"][0]["premises"]["id"] in {temis.pk, technhom.pk}
    second = as_agnes.get(f"/projects/{project['id']}/eligible?limit=1&offset=1").json()
    assert second["items"][0]["rank"] == 2
    changed = as_agnes.patch(
        f"/projects/{project['id']}", {"seats": 300, "expected_version": sized["version"]}
    )
    assert changed.status_code == 200 and changed.json()["seats"] == 300
    stale = assert_problem(
        as_agnes.patch(f"/projects/{project['id']}", {"seats": 10, "expected_version": 1}), 409
    )
    assert stale["type"] == "urn:guichet:problem:conflict"
    assert Project.objects.get(pk=project["id"]).seats == 300
    # The agency's 300 seats hold over a second sizing, until it adopts that sizing as the need.
    resized = as_agnes.post(
        f"/projects/{project['id']}/sizing", {"calls": 600, "aht_seconds": 240, "shrinkage": 0.3}
    ).json()
    assert (resized["seats"], resized["adopted_sizing"], resized["latest_sizing"]) == (300, 1, 2)
    adopted = as_agnes.post(f"/projects/{project['id']}/sizings/2/adoption").json()
    assert adopted["adopted_sizing"] == 2 and adopted["seats"] == adopted["sizing"]["seats"] < 167
    missing = assert_problem(as_agnes.post(f"/projects/{project['id']}/sizings/9/adoption"), 422)
    assert [e["field"] for e in missing["errors"]] == ["number"]
    listed = as_agnes.get("/projects?stage=lead").json()
    assert listed["count"] == 1 and listed["items"][0]["code_name"] == "Projet Boréal"


def test_project_field_errors(as_agnes: Api) -> None:
    body = assert_problem(
        as_agnes.post("/projects", {"code_name": "X", "preferred_departements": ["99"]}), 422
    )
    assert [e["field"] for e in body["errors"]] == ["preferred_departements.0"]
    body = assert_problem(as_agnes.post("/projects", {"code_name": "X", "ramp_up": "beaucoup"}), 422)
    assert [e["field"] for e in body["errors"]] == ["ramp_up"]
    assert as_agnes.post("/projects", {"code_name": "X"}).status_code == 201
    body = assert_problem(as_agnes.post("/projects", {"code_name": "X"}), 422)
    assert [e["field"] for e in body["errors"]] == ["code_name"]  # unique
    project = Project.objects.get(code_name="X")
    body = assert_problem(
        as_agnes.post(f"/projects/{project.pk}/sizing", {"calls": 100, "aht_seconds": 0}), 422
    )
    assert [e["field"] for e in body["errors"]] == ["aht_seconds"]
    assert_problem(as_agnes.get("/projects/999999"), 404)


def test_the_pipeline_moves_with_their_reason_and_the_jobs_created(
    as_agnes: Api, temis: Premises, technhom: Premises
) -> None:
    project = as_agnes.post("/projects", {"code_name": "Projet Sirocco"}).json()
    url = f"/projects/{project['id']}"
    wrong = assert_problem(as_agnes.post(f"{url}/moves", {"stage": "won"}), 422)  # a lead is not won at once
    assert [e["field"] for e in wrong["errors"]] == ["stage"]
    as_agnes.post(f"{url}/moves", {"stage": "qualified", "note": "Besoin confirmé par l'investisseur"})
    no_reason = assert_problem(as_agnes.post(f"{url}/moves", {"stage": "lost"}), 422)
    assert [e["field"] for e in no_reason["errors"]] == ["loss_reason"]
    # A premises not offered in the project's calls cannot be recorded as chosen; nor an unknown commune.
    shortlisted = as_agnes.post(f"{url}/moves", {"stage": "shortlist"}).json()
    assert shortlisted["stage"] == "shortlist"
    not_offered = as_agnes.post(f"{url}/moves", {"stage": "won", "chosen_premises_id": temis.pk})
    assert [e["field"] for e in assert_problem(not_offered, 422)["errors"]] == ["chosen_premises_id"]
    nowhere = as_agnes.post(f"{url}/moves", {"stage": "won", "site_commune": "99999"})
    assert [e["field"] for e in assert_problem(nowhere, 422)["errors"]] == ["site_commune"]
    assert_problem(as_agnes.post(f"{url}/jobs", {"year": 2026, "jobs": 10}), 422)  # not won yet
    assert_problem(as_agnes.post(f"{url}/outcome", {"investment_eur": "1"}), 409)  # no decision yet
    won = as_agnes.post(
        f"{url}/moves",
        {"stage": "won", "jobs_announced": 180, "floor_area_taken_m2": 1800, "site_commune": "25056"},
    ).json()
    assert won["stage"] == "won" and won["jobs_announced"] == 180
    assert won["decision"] == {
        **won["decision"],
        "jobs_announced_basis": "agency",
        "floor_area_taken_m2": 1800,
        "site_commune": "25056",
    }
    assert [(m["from_stage"], m["stage"], m["note"]) for m in won["moves"]] == [
        ("", "lead", "Prospection de l'agence"),  # the lead coming in
        ("lead", "qualified", "Besoin confirmé par l'investisseur"),
        ("qualified", "shortlist", ""),
        ("shortlist", "won", ""),
    ]
    completed = as_agnes.post(f"{url}/outcome", {"investment_eur": "4500000"}).json()
    assert completed["decision"]["investment_eur"] == "4500000"
    year = won["moves"][-1]["at"][:4]
    jobs = as_agnes.post(f"{url}/jobs", {"year": int(year), "jobs": 42, "source": "Déclaration annuelle"})
    assert jobs.json()["jobs_created"] == [{"year": int(year), "jobs": 42, "source": "Déclaration annuelle"}]
    corrected = as_agnes.post(f"{url}/jobs", {"year": int(year), "jobs": 45}).json()
    assert corrected["jobs_created"] == [{"year": int(year), "jobs": 45, "source": ""}]
    assert Project.objects.get(pk=project["id"]).investment_eur == 4500000


def test_the_firm_size_is_set_and_cleared(as_agnes: Api) -> None:
    created = as_agnes.post("/projects", {"code_name": "Taille", "firm_size": "medium"}).json()
    assert created["firm_size"] == "medium"
    cleared = as_agnes.patch(f"/projects/{created['id']}", {"firm_size": None}).json()
    assert cleared["firm_size"] == "" and Project.objects.get(pk=created["id"]).firm_size == ""
    body = assert_problem(as_agnes.post("/projects", {"code_name": "Y", "firm_size": "huge"}), 422)
    assert [e["field"] for e in body["errors"]] == ["firm_size"]
