"""Benchmark: the labour page of a premises, end to end, on SQLite.

Target: under 300 ms for a premises' labour page (the catchment, the pool localised by the employment zones,
the zones reached with their trend, the verdict, the map's GeoJSON and the render), median of the runs, the
per-process commune table already built (the first request of a process builds it and is printed apart).
Four variants: 30 km and 45 minutes, a plain hiring figure and a project's hiring plan, for the demo premises
of Besançon, Dole and Belfort. Runs in a throwaway database under a temporary directory, through Django's test
client (no server, no network).

    .venv/bin/python bench/bench_labour_page.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 300.0


def main() -> int:
    parser = argparse.ArgumentParser()
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

    from guichet.catalogue.models import Premises
    from guichet.cli import main as cli
    from guichet.territory.services import territory_load_dataset

    call_command("migrate", verbosity=0)
    territory_load_dataset()
    assert cli(["demo"]) == 0
    from guichet.projects.models import Project

    project = Project.objects.order_by("pk").first()
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    picked = [
        Premises.objects.filter(commune_id=code, is_demo=True).order_by("pk").first()
        for code in ("25056", "39198", "90010")
    ]
    variants = [("30 km, 400 hires", {"hires": 400}), ("45 min, 400 hires", {"minutes": 45, "hires": 400})]
    if project is not None:
        variants.append(("45 min, project's plan", {"minutes": 45, "project": project.pk}))
    started = time.perf_counter()
    first = client.get(f"/labour/premises/{picked[0].pk}/")
    first_ms = (time.perf_counter() - started) * 1000
    assert first.status_code == 200
    print(f"first request of the process (builds the commune table): {first_ms:.0f} ms")
    worst = 0.0
    for premises in picked:
        if premises is None:
            continue
        for name, params in variants:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                response = client.get(f"/labour/premises/{premises.pk}/", params)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            median = statistics.median(times)
            worst = max(worst, median)
            zones = response.content.decode().count('<svg class="sparkline"')
            print(
                f"{premises.commune.name:<10} {name:<24} median {median:6.1f} ms (min {min(times):.1f}, "
                f"max {max(times):.1f}; {len(response.content) // 1024} KiB, {zones} zones drawn)"
            )
    ok = worst < TARGET_MS
    print(f"worst median {worst:.1f} ms, target < {TARGET_MS:g} ms: {'OK' if ok else 'MISSED'}")
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores: figures vary with the machine's load)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
