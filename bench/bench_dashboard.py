"""The board's dashboard over 10,000 projects and 100,000 stage moves, on PostgreSQL.

Creates its own database `guichet_bench_dashboard` (dropped at the end), loads the bundled territory,
generates a pipeline (each project's dated moves, rounds of calls and visits included, wins located in the
region's communes with their yearly jobs reports), then prints the median time of:

- every figure of the dashboard for five years, for one year, and filtered by département and sector
  (target: under 300 ms);
- the dashboard page end to end through Django's test client (the charts are separate images);
- each chart drawn (first time, and then from the cache), and the API's /api/dashboard.

    .venv/bin/python bench/bench_dashboard.py [--projects 10000] [--moves 100000] [--runs 15]
    (PostgreSQL at 127.0.0.1:5432, user postgres; override with --server postgres://user@host:port)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import warnings
from decimal import Decimal
from typing import Any

DATABASE = "guichet_bench_dashboard"
TARGET_MS = 300


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _path(rng: random.Random, length: int, outcome: str) -> list[str]:
    """A valid path through the pipeline of exactly `length` moves (at least 4): lead, qualified, a call for
    offers, then rounds of shortlist and visits, then the outcome (won and maybe its installation and
    aftercare, lost, abandoned, or still open)."""
    ends = {
        "won": ["won", "installed", "aftercare"][: rng.choice((1, 2, 3))],
        "lost": ["lost"],
        "abandoned": ["abandoned"],
        "open": [],
    }[outcome]
    while ends and ends[0] == "won" and length - len(ends) < 4:
        ends.pop()  # a win comes after a shortlist at least
    body = ["lead", "qualified", "call_for_offers"]
    while len(body) < length - len(ends):
        body.append("visits" if body[-1] == "shortlist" else "shortlist")
    return body[: length - len(ends)] + ends


def generate(projects: int, moves: int, seed: int = 14) -> dict[str, int]:
    from django.utils import timezone

    from guichet.projects.models import JobsCreated, LeadSource, LossReason, Project, Sector, StageChange
    from guichet.territory.models import Commune

    rng = random.Random(seed)
    today = timezone.localdate()
    communes = list(
        Commune.objects.exclude(epci=None).order_by("-population").values_list("insee", flat=True)[:120]
    )
    mean = moves // projects
    lengths = []
    for _pair in range(projects // 2):
        spread = rng.randint(0, min(4, mean - 4))
        lengths += [mean + spread, mean - spread]
    lengths += [mean] * (projects - len(lengths))
    lengths[-1] += moves - sum(lengths)
    batch: list[Any] = []
    plans = []
    for number, length in enumerate(lengths):
        outcome = rng.choices(("won", "lost", "abandoned", "open"), weights=(35, 35, 10, 20))[0]
        path = _path(rng, length, outcome)
        assert len(path) == length, (length, path)
        won = "won" in path
        jobs = rng.randint(20, 400)
        batch.append(
            Project(
                code_name=f"Banc {number:05d}",
                reference=f"GU-BENCH-{number:05d}",
                sector=rng.choice(Sector.values),
                source=rng.choice(LeadSource.values),
                stage=path[-1],
                site_commune_id=rng.choice(communes) if won and rng.random() < 0.9 else None,
                jobs_announced=jobs if won else None,
                floor_area_taken_m2=round(jobs * 12.5) if won else None,
                investment_eur=Decimal(jobs * 10_000) if won else None,
                loss_reason=rng.choice(LossReason.values) if path[-1] in ("lost", "abandoned") else "",
                lost_to=rng.choice(("Dijon", "Mulhouse", "Portugal", "Maroc", ""))
                if path[-1] == "lost"
                else "",
            )
        )
        plans.append(path)
    created = Project.objects.bulk_create(batch, batch_size=2000)
    changes = []
    reports = []
    for project, path in zip(created, plans, strict=True):
        day = today - dt.timedelta(days=rng.randint(60, 6 * 365))
        previous = ""
        won_year = None
        for stage in path:
            changes.append(StageChange(project=project, from_stage=previous, stage=stage, at=min(day, today)))
            if stage == "won":
                won_year = min(day, today).year
            previous = stage
            day += dt.timedelta(days=rng.choice((0, 7, 14, 30, 45, 60)))
        if won_year:
            for year in range(won_year, today.year + 1):
                if rng.random() < 0.7:
                    reports.append(JobsCreated(project=project, year=year, jobs=rng.randint(0, 120)))
    StageChange.objects.bulk_create(changes, batch_size=5000)
    JobsCreated.objects.bulk_create(reports, batch_size=5000)
    return {"projects": len(created), "moves": len(changes), "jobs reports": len(reports)}


def median_ms(function: Any, runs: int) -> tuple[float, float]:
    function()  # warm the caches the first call fills (translations, query compilation)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--moves", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to profile)")
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    args = parser.parse_args()
    _admin(args.server, f"DROP DATABASE IF EXISTS {DATABASE}")
    _admin(args.server, f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = f"{args.server}/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "guichet.web.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(args.server, f"DROP DATABASE IF EXISTS {DATABASE}")


def run(args: argparse.Namespace) -> int:
    import django

    # WhiteNoise warns that collectstatic has not run: the test client serves no static file here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone, translation

    from guichet.accounts.models import Role, User
    from guichet.api.services import api_token_create
    from guichet.projects.charts import CHARTS
    from guichet.projects.dashboard import DashboardFilters, dashboard_figures
    from guichet.territory.services import territory_load_dataset

    call_command("migrate", verbosity=0)
    territory_load_dataset()
    started = time.perf_counter()
    counts = generate(args.projects, args.moves)
    with connection.cursor() as cursor:
        # As autovacuum would after a bulk load: fresh statistics and the visibility map of index-only scans.
        cursor.execute("VACUUM ANALYZE")
    print(
        f"PostgreSQL {connection.pg_version // 10000}: {counts['projects']:,} projects, "
        f"{counts['moves']:,} stage moves, {counts['jobs reports']:,} yearly jobs reports "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    year = timezone.localdate().year
    five_years = DashboardFilters(year_from=year - 4, year_to=year)
    cases = {
        f"every figure, {year - 4}-{year}": five_years,
        f"every figure, {year - 1}": DashboardFilters(year_from=year - 1, year_to=year - 1),
        f"every figure, {year - 4}-{year}, Doubs, contact centres": DashboardFilters(
            year_from=year - 4, year_to=year, departement="25", sector="contact_centre"
        ),
    }
    failures = 0
    translation.activate("fr")
    totals = dashboard_figures(filters=five_years).totals
    print(
        f"  five years: {totals['leads']:,} leads, {totals['won']:,} won, {totals['lost']:,} lost, "
        f"{totals['jobs_announced']:,} jobs announced, {totals['jobs_created']:,} created"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average of the machine (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    print(f"{'what':<62} {'median':>9} {'max':>9}")
    for label, filters in cases.items():
        median, worst = median_ms(lambda f=filters: dashboard_figures(filters=f), args.runs)
        verdict = "ok" if median < TARGET_MS else f"OVER {TARGET_MS} ms"
        failures += median >= TARGET_MS
        print(f"{label:<62} {median:>7.0f} ms {worst:>7.0f} ms  {verdict}")

    agency = User.objects.create_user("bench", password="x", role=Role.AGENCY)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(agency)
    query = {"year_from": year - 4, "year_to": year}

    def page() -> None:
        response = client.get("/projects/dashboard/", query)
        assert response.status_code == 200

    median, worst = median_ms(page, args.runs)
    label = "dashboard page, end to end (HTML; charts are separate images)"
    print(f"{label:<62} {median:>7.0f} ms {worst:>7.0f} ms")
    for name in CHARTS:
        cache.clear()
        started = time.perf_counter()
        response = client.get(f"/projects/dashboard/chart/{name}.svg", query)
        first = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        median, _worst = median_ms(lambda n=name: client.get(f"/projects/dashboard/chart/{n}.svg", query), 5)
        size = len(response.content) / 1024
        label = f"chart {name} ({size:.0f} KiB SVG): drawn, then cached"
        print(f"{label:<62} {first:>7.0f} ms {median:>7.0f} ms")
    token = api_token_create(user=agency)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    median, worst = median_ms(lambda: api.get("/api/dashboard", query), args.runs)
    print(f"{'GET /api/dashboard (every figure as JSON)':<62} {median:>7.0f} ms {worst:>7.0f} ms")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
