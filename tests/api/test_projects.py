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
