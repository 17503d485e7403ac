"""A generated portfolio: a few hundred projects with dated paths through the pipeline, written to the
database as the services would leave them, and kept as plain records for an independent count.

The plain records are the truth the tests count from with ordinary loops; the dashboard reads only the
database. Paths include what the figures must get right: moves on the same day, a call for offers skipped,
a competition that goes round twice (a second call, a second round of visits),
a win followed by an installation (still won in its year) or by an abandonment, projects that came in
before the period and were decided in it, won projects without a site or without jobs announced."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from guichet.projects.models import JobsCreated, LeadSource, LossReason, Project, Sector, StageChange
from guichet.territory.models import Commune

# Communes of the four départements, several per EPCI, so that filters by département and EPCI bite.
COMMUNES = ("25056", "25030", "25388", "25462", "90010", "90065", "39198", "39300", "70550", "70285", "39478")
LOST_TO = ("Dijon", " Dijon ", "Mulhouse", "Lyon", "Portugal", "Maroc", '=HYPERLINK("http://x")', "")
LAST_DAY = dt.date(2026, 10, 31)


@dataclass
class Plan:
    code: str
    sector: str
    source: str
    moves: list[tuple[str, dt.date]]  # in the order they happened; the first is the lead coming in
    insee: str | None = None
    departement: str | None = None
    epci: str | None = None
    jobs_announced: int | None = None
    floor_area_m2: int | None = None
    investment_eur: int | None = None
    loss_reason: str = ""
    lost_to: str = ""
    jobs_created: dict[int, int] = field(default_factory=dict)


def _path(rng: random.Random, entered: dt.date) -> list[tuple[str, dt.date]]:
    moves = [("lead", entered)]
    day = entered

    def step(stage: str) -> bool:
        nonlocal day
        day = day + dt.timedelta(days=rng.choice((0, 0, 3, 15, 40, 75, 120, 200)))
        if day > LAST_DAY:
            return False
        moves.append((stage, day))
        return True

    def decide_against() -> None:
        step(rng.choice(("lost", "lost", "abandoned")))

    if rng.random() < 0.12:
        return moves  # still a lead
    if rng.random() < 0.08:
        decide_against()
        return moves
    if not step("qualified"):
        return moves
    if rng.random() < 0.1:
        decide_against()
        return moves
    if rng.random() < 0.75 and not step("call_for_offers"):
        return moves
    if rng.random() < 0.1:
        return moves  # the call is under way
    if not step("shortlist"):
        return moves
    if rng.random() < 0.15 and not (step("call_for_offers") and step("shortlist")):
        return moves  # a second call for offers after a first shortlist
    if rng.random() < 0.6 and not step("visits"):
        return moves
    rounds_again = "visits" in [stage for stage, _day in moves] and rng.random() < 0.15
    if rounds_again and not (step("shortlist") and step("visits")):
        return moves  # back to the shortlist, a second round of visits
    outcome = rng.random()
    if outcome < 0.1:
        return moves  # undecided
    if outcome < 0.55:
        decide_against()
        return moves
    if not step("won"):
        return moves
    after = rng.random()
    if after < 0.06:
        step("abandoned")
    elif after < 0.7 and step("installed") and rng.random() < 0.5:
        step("aftercare")
    return moves


def generate(count: int = 320, seed: int = 14) -> list[Plan]:
    rng = random.Random(seed)
    communes = {c.insee: c for c in Commune.objects.filter(insee__in=COMMUNES)}
    assert len(communes) == len(COMMUNES)
    plans = []
    for number in range(count):
        entered = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 6 * 365 + 200))
        plan = Plan(
            code=f"Portefeuille {number:03d}",
            sector=rng.choice(Sector.values),
            source=rng.choice(LeadSource.values),
            moves=_path(rng, entered),
        )
        stages = [stage for stage, _day in plan.moves]
        won = "won" in stages
        if (won and rng.random() < 0.9) or (not won and rng.random() < 0.15):
            commune = communes[rng.choice(COMMUNES)]
            plan.insee, plan.departement, plan.epci = commune.insee, commune.departement_id, commune.epci_id
        if won:
            plan.jobs_announced = rng.randint(15, 420) if rng.random() < 0.9 else None
            plan.floor_area_m2 = rng.randint(300, 5000) if rng.random() < 0.8 else None
            plan.investment_eur = rng.randint(1, 80) * 100_000 if rng.random() < 0.7 else None
            won_year = dict(plan.moves)["won"].year
            for year in range(won_year, 2027):
                if rng.random() < 0.7:
                    plan.jobs_created[year] = rng.randint(0, 150)
        if stages[-1] in ("lost", "abandoned"):
            plan.loss_reason = rng.choice(LossReason.values)
            plan.lost_to = rng.choice(LOST_TO) if stages[-1] == "lost" else ""
        plans.append(plan)
    return plans


def write(plans: list[Plan]) -> dict[str, int]:
    """The plans as the database keeps them: projects, their dated moves, their yearly jobs reports."""
    projects = Project.objects.bulk_create(
        Project(
            code_name=plan.code,
            reference=f"GU-TEST-{index:04d}",
            sector=plan.sector,
            source=plan.source,
            stage=plan.moves[-1][0],
            site_commune_id=plan.insee,
            jobs_announced=plan.jobs_announced,
            floor_area_taken_m2=plan.floor_area_m2,
            investment_eur=Decimal(plan.investment_eur) if plan.investment_eur is not None else None,
            loss_reason=plan.loss_reason,
            lost_to=plan.lost_to,
        )
        for index, plan in enumerate(plans)
    )
    moves = []
    reports = []
    for project, plan in zip(projects, plans, strict=True):
        previous = ""
        for stage, day in plan.moves:
            moves.append(StageChange(project=project, from_stage=previous, stage=stage, at=day))
            previous = stage
        reports.extend(
            JobsCreated(project=project, year=year, jobs=jobs) for year, jobs in plan.jobs_created.items()
        )
    StageChange.objects.bulk_create(moves)
    JobsCreated.objects.bulk_create(reports)
    return {"projects": len(projects), "moves": len(moves), "reports": len(reports)}
