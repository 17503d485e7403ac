"""A demo project for the demo catalogue: the article's question, a contact centre for the 3,000 m² building.

Marked DEMO; the company is invented. Running it twice leaves one project.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from guichet.projects import services
from guichet.projects.models import Activity, CompanyKind, Project, Sector
from guichet.territory.models import Departement

DEMO_CODE_NAME = "Projet Aurore (DÉMO)"


@transaction.atomic
def demo_project_load(*, actor: Any) -> Project:
    project = Project.objects.filter(code_name=DEMO_CODE_NAME).first()
    if project is None:
        project = services.project_create(
            actor=actor,
            code_name=DEMO_CODE_NAME,
            sector=Sector.CONTACT_CENTRE,
            company_name="Société de démonstration SAS (fictive)",
            contact_name="Camille Martin (fictive)",
            contact_email="camille.martin@example.org",
            company_kind=CompanyKind.OUTSOURCER,
            activity=Activity.INBOUND,
            channels="téléphone, courriel, chat",
            languages="français, allemand",
            description=(
                "Centre de relation client entrant pour un assureur, environ 280 postes, ouverture en "
                "septembre 2027, montée en charge sur trois ans. Fibre indispensable."
            ),
            opening_hours="lun-ven 8h-20h ; sam 9h-13h",
            opening_date=dt.date(2027, 9, 1),
            ramp_up="0.5, 0.8, 1",
            max_rent_eur_m2_year=Decimal(120),
            needs_fibre=True,
            jobs_announced=300,
            preferred_departements=Departement.objects.filter(code__in=["25", "39", "70", "90"]),
            is_demo=True,
        )
        # 13,000 calls on an average open day, 5 minutes each, with the typical inbound profile; every other
        # value is the engine's sourced default (80% answered within 20 s, 30% shrinkage...).
        services.project_size(actor=actor, project=project, calls_per_day=13_000, aht_seconds=300)
    return project
