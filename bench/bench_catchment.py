"""Benchmark: 30 km catchments for every commune of France at once.

Target (issue 4): under 2 seconds for all of France's communes (~35,000).

Uses ``var/data/france/communes.csv`` (built by ``guichet data build --all --output var/data/france``) when it
exists; otherwise 35,000 random points in metropolitan France's bounding box, and says so (random points are
spread more evenly than real communes, so the figures differ a little).

Run: ``.venv/bin/python bench/bench_catchment.py``
"""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

import numpy as np

from guichet.engine import catchment

ROOT = Path(__file__).resolve().parent.parent
FRANCE = ROOT / "var" / "data" / "france" / "communes.csv"
RADIUS_KM = 30.0
TARGET_S = 2.0
REPEATS = 5


def load() -> tuple[list[str], np.ndarray, np.ndarray, str]:
    if FRANCE.exists():
        with FRANCE.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        lat = np.array([float(r["latitude"]) if r["latitude"] else np.nan for r in rows])
        lon = np.array([float(r["longitude"]) if r["longitude"] else np.nan for r in rows])
        return [r["insee"] for r in rows], lat, lon, str(FRANCE.relative_to(ROOT))
    rng = np.random.default_rng(35_000)
    lat = rng.uniform(42.3, 51.1, 35_000)
    lon = rng.uniform(-4.8, 8.2, 35_000)
    ids = [f"R{i:05d}" for i in range(35_000)]
    return (
        ids,
        lat,
        lon,
        "35,000 RANDOM points in France's bounding box (var/data/france/communes.csv absent)",
    )


def main() -> None:
    ids, lat, lon, origin = load()
    timings = []
    table = None
    for _ in range(REPEATS):
        started = time.perf_counter()
        index = catchment.index_communes(ids, lat, lon)
        table = catchment.all_within_radius(index, RADIUS_KM)
        timings.append(time.perf_counter() - started)
    assert table is not None
    counts = table.neighbour_counts
    located = counts[counts > 0]
    started = time.perf_counter()
    commute = catchment.all_within_minutes(index, 30.0)
    commute_s = time.perf_counter() - started
    best, median = min(timings), statistics.median(timings)

    print(f"communes             {len(ids):,} from {origin}")
    print(f"excluded (no coords) {len(index.excluded_ids)} {list(index.excluded_ids)[:6]}")
    print(f"radius               {RADIUS_KM:g} km (great circle, R = {catchment.EARTH_RADIUS_KM} km)")
    print(f"pairs                {table.pairs:,} (self included)")
    print(
        f"neighbours           mean {located.mean():.1f}, median {np.median(located):.0f}, "
        f"max {located.max():,}"
    )
    print(
        f"time (index + table) best {best:.3f} s, median {median:.3f} s of {REPEATS}  target < {TARGET_S:g} s"
    )
    print(f"30-min commute table {commute.pairs:,} pairs in {commute_s:.3f} s ({commute.method})")
    print("result               " + ("OK" if median < TARGET_S else "MISSED"))


if __name__ == "__main__":
    main()
