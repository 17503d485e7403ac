"""The issue's journey as a scene: a 250-seat, 2,500 m² project the agency fixed by hand (its sizing gives
more), four offers from two authorities, one of them too small for the need (Espace Valentin, 1,600 m²)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Premises
from guichet.offers import services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, Proposal
from guichet.projects import services as project_services
from guichet.projects.models import Project

from ..scene import close_call, make_premises


@dataclass
class Scene:
    project: Project
    call: CallForOffers
    besancon: Proposal
    belfort: Proposal
    premises: dict[str, Premises]


def issue_scene(
    *, agnes: User, alice: User, bob: User, grand_besancon: Authority, grand_belfort: Authority
) -> Scene:
    project = project_services.project_create(
        actor=agnes,
        code_name="Projet Horizon",
        company_name="Horizon Relation Client SAS",
        description="Centre de relation client entrant.",
        opening_date=dt.date(2027, 9, 1),
        opening_hours="lun-ven 8h-20h",
        max_rent_eur_m2_year=Decimal(120),
        needs_fibre=True,
        needs_parking_spaces=80,
        jobs_announced=300,
        ramp_up="0.5, 0.8, 1",
    )
    project_services.project_size(actor=agnes, project=project, calls_per_day=14_000, aht_seconds=300)
    project_services.project_update(actor=agnes, project=project, seats=250, floor_area_wanted_m2=2_500)
    project.refresh_from_db()
    premises = {
        "Temis Center": make_premises(
            grand_besancon, "Temis Center", "25056", 2_600, "95", power_backup=True, parking_spaces=120
        ),
        "Espace Valentin": make_premises(
            grand_besancon,
            "Espace Valentin",
            "25056",
            1_600,
            "70",
            parking_spaces=60,
            description_fr="Plateau neuf au pied du tramway.",
            description_en="New floor by the tram stop.",
        ),
        "Techn'hom 7": make_premises(grand_belfort, "Techn'hom 7", "90010", 2_500, "85", parking_spaces=90),
        "Bavilliers": make_premises(
            grand_belfort,
            "Bavilliers",
            "90010",
            2_700,
            "80",
            available_from=dt.date(2027, 12, 1),
            parking_spaces=40,
        ),
    }
    call = services.call_create(
        actor=agnes,
        project=project,
        title="Horizon — appel à offres",
        brief="Centre de relation client entrant.",
        deadline=timezone.now() + dt.timedelta(days=14),
    )
    services.call_open(actor=agnes, call=call)

    def offer(name: str, rent: str) -> OfferTerms:
        item = premises[name]
        return OfferTerms(premises_id=item.pk, area_m2=item.available_area_m2, rent_eur_m2_year=Decimal(rent))

    besancon = services.proposal_submit(
        actor=alice,
        call=call,
        offers=[offer("Temis Center", "92"), offer("Espace Valentin", "68")],
        free_text="Le Grand Besançon accueille les centres de relation client depuis vingt ans.",
    )
    belfort = services.proposal_submit(
        actor=bob,
        call=call,
        offers=[offer("Techn'hom 7", "84"), offer("Bavilliers", "78")],
        free_text="Le Grand Belfort, au carrefour de l'Alsace et de la Franche-Comté.",
    )
    close_call(call)
    return Scene(project, call, besancon, belfort, premises)
