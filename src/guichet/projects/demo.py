"""A demo project for the demo catalogue: the article's question, a contact centre for the 3,000 m² building.

Marked DEMO; the company is invented. Running it twice leaves one project.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.catalogue.models import Premises
from guichet.projects import services
from guichet.projects.models import Activity, CompanyKind, LeadSource, LossReason, Project, Sector, Stage
from guichet.territory.models import Departement

DEMO_CODE_NAME = "Projet Aurore (DÉMO)"


@transaction.atomic
def demo_project_load(*, actor: Actor) -> Project:
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
        # 16,000 calls on an average open day, 5 minutes each, with the typical inbound profile: about 280
        # seats for the people in the building at the peak; every other value is the engine's sourced
        # default (80% answered within 20 s, 21% of paid time away, 15% of the time there off the phones...).
        services.project_size(actor=actor, project=project, calls_per_day=16_000, aht_seconds=300)
    return project


# --- a DEMO portfolio: five years of pipeline history, so that the dashboard has something to show -------

PORTFOLIO_NAMES = (
    "Alizé", "Boréal", "Cirrus", "Dune", "Écume", "Fjord", "Givre", "Halo", "Iris", "Jade", "Krypton",
    "Lagune", "Mistral", "Nacre", "Opale", "Prisme", "Quartz", "Rubis", "Saphir", "Topaze", "Ursa", "Véga",
    "Wapiti", "Xénon", "Yucca", "Zéphyr", "Ambre", "Basalte", "Corail", "Diamant", "Émeraude", "Flocon",
)  # fmt: skip
PORTFOLIO_PREFIX = "Projet "
PORTFOLIO_SUFFIX = " (DÉMO)"
LOST_TO = {
    LossReason.OTHER_REGION: ("Dijon (Côte-d'Or)", "Mulhouse (Haut-Rhin)", "Lyon (Rhône)", "Nancy"),
    LossReason.ABROAD: ("Portugal", "Maroc", "Roumanie", "Tunisie"),
}


def _demo_history(rng: random.Random, entered: dt.date, today: dt.date) -> list[tuple[str, dt.date]]:
    """A plausible path through the pipeline: a few weeks to a few months between moves, a third of the
    leads won, the rest lost, abandoned or still open; never a move after today."""
    path = [Stage.QUALIFIED, Stage.CALL_FOR_OFFERS, Stage.SHORTLIST, Stage.VISITS, Stage.WON]
    if rng.random() < 0.2:
        path.remove(Stage.CALL_FOR_OFFERS)  # some go straight to a shortlist
    outcome = rng.random()
    moves: list[tuple[str, dt.date]] = []
    at = entered
    for stage in path:
        at = at + dt.timedelta(days=rng.randint(20, 110))
        if at > today:
            return moves
        if stage == Stage.WON and outcome > 0.45:
            moves.append((Stage.LOST if outcome < 0.85 else Stage.ABANDONED, at))
            return moves
        if stage != Stage.WON and outcome > 0.9 and rng.random() < 0.3:
            moves.append((Stage.ABANDONED, at))
            return moves
        moves.append((stage, at))
    installed = at + dt.timedelta(days=rng.randint(120, 300))
    if installed <= today:
        moves.append((Stage.INSTALLED, installed))
    return moves


@transaction.atomic
def demo_portfolio_load(*, actor: Actor, today: dt.date | None = None) -> int:
    """About thirty DEMO projects entered over the last five years, moved along the pipeline with dates,
    won ones located in the demo premises and reporting their jobs created. Running it twice changes
    nothing. Returns the number of demo portfolio projects."""
    existing = Project.objects.filter(
        code_name__in=[f"{PORTFOLIO_PREFIX}{name}{PORTFOLIO_SUFFIX}" for name in PORTFOLIO_NAMES]
    )
    if existing.exists():
        return existing.count()
    today = today or timezone.localdate()
    rng = random.Random(2027)
    premises = list(Premises.objects.filter(is_demo=True, archived_at__isnull=True).order_by("pk"))
    sectors = [Sector.CONTACT_CENTRE] * 5 + [Sector.BACK_OFFICE, Sector.IT_CENTRE, Sector.SHARED_SERVICES]
    sources = list(LeadSource.values)
    reasons = list(LossReason)
    for index, name in enumerate(PORTFOLIO_NAMES):
        entered = today - dt.timedelta(days=rng.randint(30, 5 * 365 - 60))
        jobs = rng.choice((40, 60, 80, 120, 150, 180, 220, 260, 300))
        project = services.project_create(
            actor=actor,
            code_name=f"{PORTFOLIO_PREFIX}{name}{PORTFOLIO_SUFFIX}",
            sector=sectors[index % len(sectors)],
            source=sources[index % len(sources)] if sources[index % len(sources)] != "portal" else "agency",
            company_name=f"Entreprise {name} (fictive)",
            description="Projet fictif de démonstration.",
            seats=round(jobs / 1.2),
            entered_on=entered,
            is_demo=True,
        )
        for stage, at in _demo_history(rng, entered, today):
            values: dict[str, Any] = {}
            if stage == Stage.WON:
                chosen = rng.choice(premises) if premises else None
                values = {
                    "jobs_announced": jobs,
                    "investment_eur": Decimal(jobs * rng.choice((8_000, 12_000, 15_000))),
                    "floor_area_taken_m2": round(jobs / 1.2 * 10.7),
                    "chosen_premises": chosen,
                }
            elif stage in (Stage.LOST, Stage.ABANDONED):
                reason = rng.choice(reasons) if stage == Stage.LOST else LossReason.CANCELLED
                values = {
                    "loss_reason": reason,
                    "loss_details": "Motif fictif de démonstration." if reason == LossReason.OTHER else "",
                    "lost_to": rng.choice(LOST_TO.get(reason, ("",))),
                }
            project = services.project_move(
                actor=actor, project=project, stage=stage, at=at, note="DÉMO", **values
            )
            if stage == Stage.WON and rng.random() < 0.6:
                services.project_record_outcome(
                    actor=actor, project=project, public_from=min(at + dt.timedelta(days=30), today)
                )
            if stage == Stage.INSTALLED:
                ramp = (0.4, 0.75, 1.0, 1.0, 1.0)
                reported = 0
                for offset, share in enumerate(ramp):
                    year = at.year + offset
                    if year >= today.year:
                        break
                    created = max(0, round(jobs * share * rng.uniform(0.8, 1.05)) - reported)
                    reported += created
                    services.project_record_jobs(
                        actor=actor,
                        project=project,
                        year=year,
                        jobs=created,
                        source="Déclaration fictive (DÉMO)",
                    )
    return len(PORTFOLIO_NAMES)
