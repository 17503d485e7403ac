"""Load test of the public premises search under gunicorn with PostgreSQL and 10,000 premises.

Bounded and local: it starts gunicorn on 127.0.0.1, sends a fixed number of requests from 20 concurrent
clients (keep-alive connections, loopback only, stopping after --max-seconds in any case), prints the
latency percentiles and the error count, then stops the server. Target: p95 under 100 ms, no error.

    .venv/bin/python bench/load_public_search.py [--clients 20] [--requests-per-client 100]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), as on the project's machines; it creates
and drops its own database `guichet_load`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

DATABASE = "guichet_load"
BASE_URL = "postgres://postgres@127.0.0.1:5432"
QUERIES = [
    "/premises/",
    "/premises/?departement=25",
    "/premises/?departement=90&fibre=on",
    "/premises/?min_area=2000",
    "/premises/?max_rent=90&public_transport=on",
    "/premises/?departement=39&min_area=1000&max_rent=120",
    "/premises/?fit_out=contact_centre",
    "/premises/?departement=70&available_before=2027-06-30",
]


def prepare_database(premises: int) -> None:
    import psycopg

    with psycopg.connect(f"{BASE_URL}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    fill_database(premises, f"{BASE_URL}/{DATABASE}")


def fill_database(premises: int, database_url: str) -> None:
    """Migrate the (empty) database, load the real territory and `premises` random public premises."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "guichet.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from guichet.catalogue.models import Authority, FitOut, Premises
    from guichet.territory.models import Commune
    from guichet.territory.services import territory_load_dataset

    call_command("migrate", verbosity=0)
    territory_load_dataset()
    rng = random.Random(7)
    communes = list(Commune.objects.exclude(latitude=None))
    owners = [
        Authority.objects.create(name=f"Collectivité {i}", kind="epci", is_demo=True) for i in range(60)
    ]
    Premises.objects.bulk_create(
        [
            Premises(
                owner=rng.choice(owners),
                name=f"Locaux {i}",
                commune=rng.choice(communes),
                total_area_m2=5000,
                available_area_m2=rng.randint(300, 5000),
                available_from=dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 365)),
                rent_eur_m2_year=Decimal(rng.randint(60, 150)),
                fit_out=rng.choice(list(FitOut.values)),
                fibre=rng.random() < 0.8,
                public_transport=rng.random() < 0.6,
                is_demo=True,
            )
            for i in range(premises)
        ],
        batch_size=2000,
    )


def run_clients(
    port: int, clients: int, per_client: int, max_seconds: float, think: float = 0.0
) -> tuple[list[float], int]:
    """Each client asks its pages one after the other on one keep-alive connection, pausing `think`
    seconds between two (0: never pausing, the most load a client can make)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def client(number: int) -> None:
        nonlocal errors
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(per_client):
            if time.monotonic() > deadline:
                break
            path = rng.choice(QUERIES)
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Language": "fr"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += not ok
            if think:
                time.sleep(think)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--premises", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests-per-client", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--max-seconds", type=float, default=180)
    args = parser.parse_args()

    prepare_database(args.premises)
    env = {
        **os.environ,
        "DATABASE_URL": f"{BASE_URL}/{DATABASE}",
        "DEBUG": "0",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "guichet.web.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                probe.request("GET", "/premises/")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        # Warm every worker's caches and connections before measuring.
        run_clients(args.port, args.workers * 2, 10, 60)
        started = time.perf_counter()
        latencies, errors = run_clients(args.port, args.clients, args.requests_per_client, args.max_seconds)
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:  # workers still holding idle keep-alive connections
            server.kill()
            server.wait(timeout=15)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000
    print(
        f"public search, {args.premises:,} premises, PostgreSQL, gunicorn {args.workers} workers x 4 threads"
    )
    print(
        f"{len(latencies):,} requests from {args.clients} concurrent clients in {wall:.1f} s "
        f"({len(latencies) / wall:.0f} requests/s), errors: {errors}"
    )
    print(
        f"latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms (target p95 < 100 ms, no error)"
    )
    return 0 if p95 < 100 and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
