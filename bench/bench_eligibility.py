"""Eligibility and first ranking of 10,000 premises for one project, on SQLite.

Prints the time of the engine's ranking (target under 100 ms) and of the project page end to end, through
Django's test client (target under 500 ms). Runs in a throwaway database under a temporary directory.

    .venv/bin/python bench/bench_eligibility.py [--premises 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--premises", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    os.environ["GUICHET_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "guichet.web.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from guichet.accounts.models import Role, User
    from guichet.catalogue.models import Authority, Premises
    from guichet.engine import scoring
    from guichet.projects import services
    from guichet.projects.ranking import rank_eligible_premises
    from guichet.territory.models import Commune
    from guichet.territory.services import territory_load_dataset

    call_command("migrate", verbosity=0)
    territory_load_dataset()
    agency = User.objects.create_user("bench", password="x", role=Role.AGENCY)
    communes = list(Commune.objects.exclude(latitude=None))
    rng = random.Random(20261126)
    authorities = [Authority.objects.create(name=f"Collectivité {i}", kind="epci") for i in range(50)]
    Premises.objects.bulk_create(
        Premises(
            owner=rng.choice(authorities),
            name=f"Locaux {i}",
            commune=rng.choice(communes),
            total_area_m2=4000,
            available_area_m2=rng.randint(2500, 4000),
            available_from=dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 200)),
            rent_eur_m2_year=Decimal(rng.randint(60, 140)),
            charges_eur_m2_year=Decimal(rng.randint(10, 30)),
            fibre=rng.random() < 0.9,
            public_transport=rng.random() < 0.6,
            power_backup=rng.random() < 0.4,
            parking_spaces=rng.randint(0, 300),
            is_demo=True,
        )
        for i in range(args.premises)
    )
    project = services.project_create(actor=agency, code_name="Bench", opening_date=dt.date(2027, 9, 1))
    services.project_size(actor=agency, project=project, calls=900, aht_seconds=240)
    rank_eligible_premises(project=project)  # warm the commune index and the catchment table

    engine_times = []
    from guichet.projects.ranking import commune_job_seekers
    from guichet.projects.selectors import eligible_premises, project_needs

    needs = project_needs(project=project)
    labour = commune_job_seekers()
    premises = list(eligible_premises(project=project))
    from guichet.engine.occupancy import occupancy_terms

    candidates = []
    for item in premises:
        terms, _ = occupancy_terms(
            area_m2=needs.area_wanted_m2,
            rent_eur_m2_year=float(item.rent_eur_m2_year or 0),
            charges_eur_m2_year=float(item.charges_eur_m2_year or 0),
            rent_free_months=0,
            fit_out_contribution_eur=0,
            incentives=(),
            jobs=needs.jobs_at_full_ramp,
            hires=sum(needs.hires_per_year),
        )
        seekers = labour.job_seekers[item.commune_id]
        candidates.append(
            scoring.Candidate(
                key=f"p{item.pk}",
                terms=terms,
                available_from=item.available_from,
                job_seekers=seekers,
                pool_share_needed=max(needs.hires_per_year) * 3.5 / seekers,
                public_transport=item.public_transport,
                parking_spaces=float(item.parking_spaces),
                fibre=item.fibre,
                power_backup=item.power_backup,
            )
        )
    for _ in range(args.runs):
        start = time.perf_counter()
        scoring.rank(candidates, needs)
        engine_times.append(time.perf_counter() - start)

    client = Client()
    client.force_login(agency)
    page_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get(f"/projects/{project.pk}/")
        page_times.append(time.perf_counter() - start)
        assert response.status_code == 200
    eligible = len(premises)
    engine_ms = statistics.median(engine_times) * 1000
    page_ms = statistics.median(page_times) * 1000
    print(f"premises loaded: {args.premises:,}; eligible for the project: {eligible:,}")
    print(f"engine ranking of {len(candidates):,} candidates: median {engine_ms:.1f} ms (target < 100 ms)")
    print(
        f"project page (eligibility + first ranking + render), end to end on SQLite: median {page_ms:.1f} ms "
        f"(min {min(page_times) * 1000:.1f}, max {max(page_times) * 1000:.1f}; target < 500 ms)"
    )
    return 0 if engine_ms < 100 and page_ms < 500 else 1


if __name__ == "__main__":
    sys.exit(main())
