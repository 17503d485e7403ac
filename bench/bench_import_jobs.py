"""A 20,000-row CNIG import as a background job while 10 clients read the public pages.

Bounded and local: it builds a SQLite database in a temporary folder (territory, demo catalogue), starts
gunicorn and the background worker on it (127.0.0.1 only), signs in as the demo officer of Grand Besançon,
uploads a generated 20,000-row CNIG site-eco file through the web form, and while the job runs 10 threads
read public pages. It prints the import time, the readers' latency percentiles and the errors, then stops
both processes. Targets: the import under 10 s, readers' p95 under 200 ms, no error.

    .venv/bin/python bench/bench_import_jobs.py [--rows 20000] [--readers 10] [--workers 3]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "src" / "guichet" / "data" / "cnig" / "site-eco" / "exemple-valide.csv"
PUBLIC_PAGES = ["/", "/premises/", "/premises/?departement=25", "/authorities/", "/labour/territory/"]


def cnig_file(rows: int) -> bytes:
    header, row = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()[:2]
    names, cells = header.split(";"), row.split(";")
    lines = [header]
    for number in range(rows):
        values = list(cells)
        values[names.index("site_id")] = f"25056_SITE-ECO_{number:05d}"
        values[names.index("site_nom")] = f"Parc d'activités {number}"
        values[names.index("site_comm_insee")] = "25056"
        lines.append(";".join(values))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def run(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(Path(sys.executable).with_name("guichet")), *args], env=env, check=True, capture_output=True
    )


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def csrf_token(jar: http.cookiejar.CookieJar) -> str:
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="run the background worker at this lower CPU priority (nice)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds each reader waits between two pages (default 0: every reader asks again at once)",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="guichet-bench-jobs-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}},
        "GUICHET_VAR_DIR": str(folder),
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
    }
    print(f"preparing a SQLite database in {folder} ...", flush=True)
    run(env, "manage", "migrate", "-v0")
    run(env, "data", "load")
    run({**env, "DEBUG": "1"}, "demo")
    content = cnig_file(args.rows)
    base = f"http://127.0.0.1:{args.port}"
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
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
    worker = subprocess.Popen(
        [
            str(bin_dir / "guichet"),
            "manage",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{base}/accounts/login/").read()
        login = urllib.parse.urlencode(
            {"username": "besancon", "password": "guichet-demo", "csrfmiddlewaretoken": csrf_token(jar)}
        ).encode()
        opener.open(
            urllib.request.Request(f"{base}/accounts/login/", data=login, headers={"Referer": base})
        ).read()
        form = opener.open(f"{base}/space/cnig/import/").read().decode()
        owner = re.search(r'name="owner" value="(\d+)"', form) or re.search(r'<option value="(\d+)"', form)
        assert owner, "the signed-in user has no authority to import for"
        # Warm every worker before measuring.
        for page in PUBLIC_PAGES * args.workers:
            urllib.request.urlopen(base + page, timeout=10).read()

        latencies: list[float] = []
        by_page: dict[str, list[float]] = {page: [] for page in PUBLIC_PAGES}
        errors: list[str] = []
        stop = threading.Event()

        def read(number: int) -> None:
            index = number
            while not stop.is_set():
                page = PUBLIC_PAGES[index % len(PUBLIC_PAGES)]
                index += 1
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(base + page, timeout=30) as response:
                        response.read()
                        if response.status != 200:
                            errors.append(f"{page}: {response.status}")
                except (urllib.error.URLError, OSError) as error:
                    errors.append(f"{page}: {error}")
                latencies.append(time.perf_counter() - started)
                by_page[page].append(latencies[-1])
                if args.think:
                    stop.wait(args.think)

        body, content_type = multipart(
            {"csrfmiddlewaretoken": csrf_token(jar), "kind": "site-eco", "owner": owner.group(1)},
            {"file": ("sites-20000.csv", content)},
        )
        readers = [threading.Thread(target=read, args=(n,)) for n in range(args.readers)]
        for thread in readers:
            thread.start()
        started = time.perf_counter()
        response = opener.open(
            urllib.request.Request(
                f"{base}/space/cnig/import/",
                data=body,
                headers={"Content-Type": content_type, "Referer": base},
            )
        )
        response.read()
        job_url = response.geturl()
        submitted = time.perf_counter() - started
        assert "/jobs/" in job_url, f"the upload did not lead to a job page: {job_url}"
        status: dict[str, object] = {}
        while time.perf_counter() - started < args.max_seconds:
            status = json.loads(opener.open(job_url + "status.json").read())
            if status["finished"]:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        stop.set()
        for thread in readers:
            thread.join()
        ordered = sorted(latencies) or [float("nan")]
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"CNIG import of {args.rows:,} rows as a background job "
            f"(SQLite, gunicorn {args.workers} workers, 1 background worker at nice {args.worker_nice})"
        )
        print(
            f"  upload answered in {submitted:.2f} s; job {status.get('status')} after {elapsed:.2f} s "
            "(target < 10 s)"
        )
        result = status.get("result") or {}
        counts = ", ".join(
            f"{name} {result.get(name)}" for name in ("rows_read", "kept", "created", "refused")
        )
        print(f"  {counts}")
        print(
            f"  {args.readers} readers of public pages during the import (think time {args.think:g} s): "
            f"{len(latencies)} requests, "
            f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms (target < 200 ms), "
            f"max {ordered[-1] * 1000:.0f} ms, {len(errors)} errors (target 0)"
        )
        for page, times in by_page.items():
            if times:
                times.sort()
                print(
                    f"    {page}: {len(times)} requests, p50 {statistics.median(times) * 1000:.0f} ms, "
                    f"p95 {times[int(0.95 * (len(times) - 1))] * 1000:.0f} ms"
                )
        for error in errors[:5]:
            print(f"    {error}")
        return 0 if status.get("status") == "succeeded" and not errors else 1
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
