"""The project's need, stated once: one value per figure with its origin, a reconciliation when the agency's
figure and the latest sizing differ, and an explicit, audited "adopt this sizing"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.audit.models import AuditEvent
from guichet.engine.need import Need, Origin
from guichet.projects import selectors, services
from guichet.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def horizon(agnes: User) -> Project:
    """The issue's project: 300 jobs announced at creation, sized, then 250 seats and 2,500 m² set by the
    agency."""
    project = services.project_create(
        actor=agnes,
        code_name="Projet Horizon",
        company_name="Horizon SAS",
        opening_date=dt.date(2027, 9, 1),
        opening_hours="lun-ven 8h-20h",
        max_rent_eur_m2_year=Decimal(120),
        needs_parking_spaces=80,
        needs_fibre=True,
        jobs_announced=300,
    )
    services.project_size(actor=agnes, project=project, calls_per_day=14_000, aht_seconds=300)
    services.project_update(actor=agnes, project=project, seats=250, floor_area_wanted_m2=2_500)
    project.refresh_from_db()
    return project


def test_each_figure_has_one_value_and_its_origin(horizon: Project) -> None:
    need = selectors.project_need(project=horizon)
    sizing = need.adopted_sizing
    assert sizing is not None and sizing.number == 1 and need.latest_sizing == sizing
    assert (need.seats.value, need.seats.origin) == (250, Origin.AGENCY)
    assert (need.floor_area_m2.value, need.floor_area_m2.origin) == (2_500, Origin.AGENCY)
    assert need.area_per_seat_m2 == 10.0
    assert (need.jobs_at_cruise.value, need.jobs_at_cruise.origin) == (sizing.jobs, Origin.SIZING)
    assert need.hires_by_year.origin is Origin.SIZING and len(need.hires_by_year.value) == 3
    assert need.announced_jobs == 300 and not need.announced_at_decision
    assert (need.parking_spaces.value, need.max_rent_eur_m2_year.value) == (80, 120.0)
    assert (need.opening_date.value, need.opening_date.origin) == (dt.date(2027, 9, 1), Origin.PROJECT)
    assert need.opening_hours.origin is Origin.PROJECT and need.hours_per_week == 60
    assert Need.from_json(need.as_json()) == need
    # The scoring engine reads the same values.
    needs = selectors.project_needs(project=horizon)
    assert (needs.seats, needs.area_wanted_m2, needs.parking_spaces) == (250, 2_500.0, 80.0)
    assert needs.hires_per_year == tuple(float(h) for h in need.hires_by_year.value)
    # The latest sizing gives other seats and floor area: the reconciliation names them.
    assert [(d.figure, d.value, d.sized) for d in need.differences()] == [
        ("seats", 250, sizing.seats),
        ("floor_area_m2", 2_500, sizing.floor_area_m2),
    ]


def test_the_jobs_announced_at_creation_are_the_need_until_a_sizing(agnes: User) -> None:
    project = services.project_create(actor=agnes, code_name="Projet Nouveau", seats=200, jobs_announced=300)
    need = selectors.project_need(project=project)
    assert (need.jobs_at_cruise.value, need.jobs_at_cruise.origin) == (300, Origin.CREATION)
    # Hires follow from those jobs by the staffing engine's hiring plan: an estimate, said as such.
    assert need.hires_by_year.origin is Origin.ESTIMATE and need.hires_by_year.method == "hiring_plan"
    assert (need.floor_area_m2.value, need.floor_area_m2.origin) == (2_140, Origin.ESTIMATE)  # 200 x 10.7
    assert need.adopted_sizing is None and need.differences() == ()


def test_a_later_sizing_changes_nothing_until_it_is_adopted(agnes: User, horizon: Project) -> None:
    before = selectors.project_need(project=horizon)
    services.project_size(actor=agnes, project=horizon, calls_per_day=17_000, aht_seconds=300)
    horizon.refresh_from_db()
    after = selectors.project_need(project=horizon)
    assert after.seats.value == 250 and after.jobs_at_cruise.value == before.jobs_at_cruise.value
    assert after.latest_not_adopted and after.latest_sizing is not None and after.latest_sizing.number == 2
    latest = after.latest_sizing
    assert {d.figure for d in after.differences()} == {"seats", "jobs_at_cruise", "floor_area_m2"}

    services.project_adopt_sizing(actor=agnes, project=horizon, number=2)
    horizon.refresh_from_db()
    adopted = selectors.project_need(project=horizon)
    assert adopted.adopted_sizing == latest and not adopted.latest_not_adopted
    assert (adopted.seats.value, adopted.seats.origin) == (latest.seats, Origin.SIZING)
    assert (adopted.floor_area_m2.value, adopted.jobs_at_cruise.value) == (latest.floor_area_m2, latest.jobs)
    assert adopted.differences() == ()
    assert not (
        horizon.seats_overridden or horizon.floor_area_wanted_overridden or horizon.jobs_target_overridden
    )
    event = AuditEvent.objects.filter(action="adopt_sizing").get()
    assert event.details["number"] == 2 and event.details["previous"] == 1
    assert event.details["seats"] == [250, latest.seats]


def test_adopting_is_the_agency_s_and_a_sizing_of_the_project(
    agnes: User, alice: User, horizon: Project
) -> None:
    with pytest.raises(PermissionDenied):
        services.project_adopt_sizing(actor=alice, project=horizon, number=1)
    with pytest.raises(ValidationError):
        services.project_adopt_sizing(actor=agnes, project=horizon, number=7)
    horizon.refresh_from_db()
    assert horizon.seats == 250 and not AuditEvent.objects.filter(action="adopt_sizing").exists()


def test_the_project_page_shows_the_need_the_reconciliation_and_the_adopt_button(
    agnes: User, horizon: Project
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(agnes)
    page = client.get(reverse("projects:detail", args=[horizon.pk])).content.decode()
    sizing = selectors.project_need(project=horizon).adopted_sizing
    assert sizing is not None
    assert 'Postes</dt><dd>250 <span class="source">(chiffre de l’agence)</span>' in page
    assert '300 <span class="source">(à la création du projet)</span>' in page
    assert "Postes : 250 (chiffre de l’agence) ; le dimensionnement n° 1 du " in page.replace("\u00a0", " ")
    adopt = reverse("projects:adopt_sizing", args=[horizon.pk, 1])
    assert f'action="{adopt}"' in page
    response = client.post(adopt)
    assert response.status_code == 302
    horizon.refresh_from_db()
    assert horizon.seats == sizing.seats and horizon.floor_area_wanted_m2 == sizing.floor_area_m2
    page = client.get(reverse("projects:detail", args=[horizon.pk])).content.decode()
    assert 'id="reconcile"' not in page


def test_a_figure_an_investor_stated_on_the_portal_says_so_until_the_agency_changes_it(agnes: User) -> None:
    lead = services.project_create(actor=None, code_name="Projet Portail", source="portal", seats=120)
    assert selectors.project_need(project=lead).seats.origin is Origin.INVESTOR
    services.project_update(actor=agnes, project=lead, seats=140)
    lead.refresh_from_db()
    assert selectors.project_need(project=lead).seats.origin is Origin.AGENCY
