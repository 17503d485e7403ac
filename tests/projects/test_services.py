"""Projects: sizing with the staffing engine, eligibility, the pipeline and the jobs dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.catalogue.models import Authority
from guichet.projects import selectors, services
from guichet.projects.dashboard import DashboardFilters, dashboard_figures
from guichet.projects.models import LossReason, Project, Stage
from guichet.territory.models import Departement

from ..scene import make_premises

pytestmark = pytest.mark.django_db


@pytest.fixture
def aurore(agnes: User) -> Project:
    return services.project_create(actor=agnes, code_name="Aurore", company_name="Acme SAS")


def test_only_agency_staff_create_projects(alice: User) -> None:
    with pytest.raises(PermissionDenied):
        services.project_create(actor=alice, code_name="Pirate")
    assert not Project.objects.exists()


def test_references_are_sequential_per_year(agnes: User, aurore: Project) -> None:
    second = services.project_create(actor=agnes, code_name="Boréal")
    year = dt.date.today().year
    assert (aurore.reference, second.reference) == (f"GU-{year}-0001", f"GU-{year}-0002")


def test_sizing_reproduces_the_published_example_and_plans_the_hiring(agnes: User, aurore: Project) -> None:
    sized = services.project_size(
        actor=agnes, project=aurore, calls=100, aht_seconds=180, interval_minutes=30, shrinkage=0.3
    )
    assert (sized.sizing["agents"], sized.sizing["scheduled_agents"]) == (14, 20)  # type: ignore[index]
    assert round(sized.sizing["service_level"], 3) == 0.888  # type: ignore[index]
    # Seats for the 17 people in the building (14 / 0.85: the 30 % read as 15 % on site) + 10 % spare.
    assert sized.sizing["people_on_site"] == 17 and sized.seats == 19  # type: ignore[index]
    assert sized.sizing["floor_area_m2"] == 204  # type: ignore[index]  # 19 x 10.7 = 203.3, rounded up once
    assert sized.floor_area_wanted_m2 == 204 == selectors.project_floor_area_wanted(project=sized)
    assert [year["hires"] for year in sized.sizing["hiring"]] == selectors.project_hires_per_year(
        project=sized
    )  # type: ignore[index]
    assert sized.sizing["sources"]  # type: ignore[index]


def test_bad_sizing_input_names_the_field(agnes: User, aurore: Project) -> None:
    with pytest.raises(ValidationError) as caught:
        services.project_size(actor=agnes, project=aurore, calls=100, aht_seconds=0)
    assert "aht_seconds" in caught.value.message_dict
    assert not aurore.sizings.exists()


def test_eligibility_applies_every_hard_constraint(
    agnes: User, aurore: Project, grand_besancon: Authority, grand_belfort: Authority
) -> None:
    ok = make_premises(grand_besancon, "OK", "25056", 2500, "95")
    make_premises(grand_besancon, "Too small", "25056", 1500, "95")
    make_premises(grand_besancon, "Too dear", "25056", 2500, "140")
    make_premises(grand_besancon, "No fibre", "25056", 2500, "95", fibre=False)
    make_premises(grand_besancon, "Too late", "25056", 2500, "95", available_from=dt.date(2028, 1, 1))
    make_premises(grand_belfort, "Wrong département", "90010", 2500, "95")
    make_premises(grand_besancon, "Lots too big", "25056", 5000, "95", smallest_lot_m2=4000)
    services.project_update(
        actor=agnes,
        project=aurore,
        floor_area_wanted_m2=2000,
        opening_date=dt.date(2027, 9, 1),
        max_rent_eur_m2_year=Decimal(120),
        needs_fibre=True,
        preferred_departements=[Departement.objects.get(code="25")],
    )
    assert list(selectors.eligible_premises(project=aurore)) == [ok]
    assert list(selectors.eligible_authorities(project=aurore)) == [grand_besancon]


def test_the_floor_area_wanted_comes_from_the_seats_when_empty(agnes: User, aurore: Project) -> None:
    services.project_update(actor=agnes, project=aurore, seats=250)
    assert selectors.project_floor_area_wanted(project=aurore) == 2675  # 250 x 10.7 m²


def test_the_pipeline_moves_forward_and_a_loss_needs_a_reason(agnes: User, aurore: Project) -> None:
    services.project_move(actor=agnes, project=aurore, stage=Stage.QUALIFIED)
    with pytest.raises(ValidationError):
        services.project_move(actor=agnes, project=aurore, stage=Stage.INSTALLED)
    aurore.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.project_move(actor=agnes, project=aurore, stage=Stage.LOST)
    assert "loss_reason" in caught.value.message_dict
    aurore.refresh_from_db()
    services.project_move(
        actor=agnes,
        project=aurore,
        stage=Stage.LOST,
        loss_reason=LossReason.COST,
        loss_details="Coût du travail",
        lost_to="Dijon",
    )
    aurore.refresh_from_db()
    assert (aurore.stage, aurore.loss_reason, aurore.lost_to) == (Stage.LOST, "cost", "Dijon")
    assert list(aurore.stage_changes.values_list("stage", flat=True)) == ["lead", "qualified", "lost"]


def test_the_dashboard_counts_jobs_against_the_target(
    agnes: User, aurore: Project, grand_besancon: Authority
) -> None:
    boreal = services.project_create(
        actor=agnes, code_name="Boréal", entered_on=dt.date(2024, 11, 2), jobs_announced=250
    )
    for stage in (Stage.QUALIFIED, Stage.SHORTLIST, Stage.WON):
        services.project_move(actor=agnes, project=boreal, stage=stage, at=dt.date(2025, 3, 1))
    services.project_record_jobs(actor=agnes, project=boreal, year=2025, jobs=120)
    services.project_record_jobs(
        actor=agnes, project=boreal, year=2025, jobs=140
    )  # a correction, not a second row
    figures = dashboard_figures(filters=DashboardFilters(year_from=2025, year_to=2025))
    assert figures["years"].as_dicts()[0] | {} == {
        "year": 2025,
        "leads": 0,  # the lead came in in 2024
        "won": 1,
        "lost": 0,
        "abandoned": 0,
        "jobs_announced": 250,
        "jobs_created": 140,
        "target": 400,
        "share_of_target": 0.35,
        "floor_area_m2": 0,
        "investment_eur": 0,
    }
    client = Client()
    client.force_login(agnes)
    assert client.get(reverse("projects:dashboard"), {"year_from": 2025, "year_to": 2025}).status_code == 200


def test_project_pages_for_agency_staff(agnes: User, aurore: Project) -> None:
    client = Client()
    client.force_login(agnes)
    assert client.get(reverse("projects:list")).status_code == 200
    assert "Acme SAS" in client.get(reverse("projects:detail", args=[aurore.pk])).content.decode()
    response = client.post(
        reverse("projects:size", args=[aurore.pk]),
        {
            "volume_kind": "calls",
            "volume": "100",
            "interval_minutes": "30",
            "aht_seconds": "180",
            "channel": "calls",
            "profile": "inbound",
            "service_level": "0.8",
            "answer_seconds": "20",
            "absence_shrinkage": "0.2",
            "on_site_shrinkage": "0.125",
            "area_per_seat_m2": "10.7",
            "annual_attrition": "0.4",
            "candidates_per_hire": "3.5",
        },
    )
    assert response.status_code == 302
    aurore.refresh_from_db()
    # 30 % in all (20 scheduled); seats for the 16 in the building (14 / 0.875) + 10 % spare.
    assert aurore.sizing is not None and aurore.sizing["scheduled_agents"] == 20
    assert aurore.seats == 18
