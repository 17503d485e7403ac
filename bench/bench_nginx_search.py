"""The public search through the production deployment: nginx, two gunicorn processes, Redis, PostgreSQL.

The stack is deploy/'s, brought up on loopback as deploy/smoke does (deploy/stack.py: the units' commands,
the environment file, nginx's rules; free ports, a private redis-server, a database of its own dropped at
the end); the database and the clients are bench/load_public_search.py's: the real Franche-Comté territory
and 10,000 public premises, keep-alive clients asking eight filter combinations of /premises/, bounded in
count and time. Here 50 concurrent clients talk to nginx, which holds keep-alive connections to gunicorn
(two worker processes of four threads, GUICHET_WEB_WORKERS=2), whose processes share the search cache in
Redis. Target: p95 under 100 ms, no error.

    .venv/bin/python bench/bench_nginx_search.py [--clients 50] [--requests-per-client 100]

Needs nginx, redis-server and PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), as .ci/run does.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "deploy")]

from load_public_search import fill_database, run_clients  # noqa: E402
from stack import Stack  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--premises", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests-per-client", type=int, default=100)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--database", default="guichet_bench_nginx")
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--think", type=float, default=0.0, help="seconds each client pauses between pages")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="guichet-bench-nginx.") as folder:
        stack = Stack(
            run=Path(folder),
            database=args.database,
            overrides={"GUICHET_WEB_WORKERS": str(args.web_workers)},
            workers=0,  # the search needs no background worker
        )
        try:
            stack.prepare()
            started = time.perf_counter()
            fill_database(args.premises, stack.env["DATABASE_URL"])
            elapsed = time.perf_counter() - started
            print(f"   {args.premises:,} premises on the real territory ({elapsed:.0f} s)")
            stack.manage("manage", "collectstatic", "--noinput", "-v", "0")
            stack.start_services()
            # Warm every gunicorn process's connections and the shared cache before measuring.
            run_clients(stack.nginx_port, args.web_workers * 4, 10, 60)
            load_before = os.getloadavg()[0]
            started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
            latencies, errors = run_clients(
                stack.nginx_port, args.clients, args.requests_per_client, args.max_seconds, args.think
            )
            wall = time.perf_counter() - started
            used = resource.getrusage(resource.RUSAGE_SELF)
            client_cpu = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
            load_after = os.getloadavg()[0]
        finally:
            stack.down()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000
    print(
        f"public search through nginx, {args.premises:,} premises, PostgreSQL, Redis, gunicorn "
        f"{args.web_workers} workers x {stack.env['GUICHET_WEB_THREADS']} threads"
    )
    print(
        f"{len(latencies):,} requests from {args.clients} concurrent clients "
        f"({f'pausing {args.think:g} s between pages' if args.think else 'never pausing'}) in {wall:.1f} s "
        f"({len(latencies) / wall:.0f} requests/s), errors: {errors}"
    )
    print(
        f"latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms (target p95 < 100 ms, no error)"
    )
    print(
        f"load average (1 min) {load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} cores; "
        f"the clients themselves used {client_cpu:.1f} s of CPU ({client_cpu / wall:.0%} of a core)"
    )
    return 0 if p95 < 100 and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
