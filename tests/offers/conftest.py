"""A project, two competing authorities with premises and incentives, and a call ready to be opened."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.offers import services
from guichet.offers.models import CallForOffers
from guichet.projects import services as project_services
from guichet.projects.models import Project
from guichet.territory.models import Commune


def make_premises(owner: Authority, name: str, insee: str, area: int, rent: str, **extra: object) -> Premises:
    values: dict[str, object] = {
        "owner": owner,
        "name": name,
        "commune": Commune.objects.get(insee=insee),
        "total_area_m2": area,
        "available_area_m2": area,
        "available_from": dt.date(2027, 1, 1),
        "rent_eur_m2_year": Decimal(rent),
        "charges_eur_m2_year": Decimal(18),
        "fibre": True,
        "public_transport": True,
        "parking_spaces": 150,
    }
    values.update(extra)
    return Premises.objects.create(**values)


@pytest.fixture
def temis(grand_besancon: Authority) -> Premises:
    return make_premises(grand_besancon, "Temis Center", "25056", 3000, "95", power_backup=True)


@pytest.fixture
def technhom(grand_belfort: Authority) -> Premises:
    return make_premises(grand_belfort, "Techn'hom 7", "90010", 3500, "85")


@pytest.fixture
def tiny_belfort(grand_belfort: Authority) -> Premises:
    """Too small for the project: never eligible."""
    return make_premises(grand_belfort, "Petit bureau", "90010", 300, "70")


@pytest.fixture
def besancon_grant(grand_besancon: Authority) -> Incentive:
    return Incentive.objects.create(
        owner=grand_besancon,
        name="Aide à l'emploi",
        kind="grant_per_job",
        amount=Decimal(2000),
        unit="eur_per_job",
    )


@pytest.fixture
def project(agnes: User) -> Project:
    project = project_services.project_create(
        actor=agnes,
        code_name="Projet Aurore",
        company_name="Acme Relation Client SAS",
        contact_email="dg@acme.example",
        description="Centre de relation client entrant, 250 postes.",
        opening_date=dt.date(2027, 9, 1),
        max_rent_eur_m2_year=Decimal(120),
        needs_fibre=True,
    )
    return project_services.project_size(
        actor=agnes, project=project, calls=900, aht_seconds=240, interval_minutes=30, shrinkage=0.3
    )


@pytest.fixture
def call(
    agnes: User, project: Project, temis: Premises, technhom: Premises, tiny_belfort: Premises
) -> CallForOffers:
    return services.call_create(
        actor=agnes,
        project=project,
        title="Aurore — appel à offres",
        brief="Centre de relation client, environ 250 postes, ouverture en septembre 2027.",
        deadline=timezone.now() + dt.timedelta(days=14),
    )


def close_call(call: CallForOffers) -> None:
    """The deadline passes."""
    CallForOffers.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    call.refresh_from_db()
