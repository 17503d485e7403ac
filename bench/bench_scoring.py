"""Benchmark: rank 10,000 candidate premises with their labour pools for one project (target: under 100 ms).

Run: ``.venv/bin/python bench/bench_scoring.py`` (``--candidates N``, ``--runs R`` to change the defaults).
Prints its figures; it is not a timed test. One timed run = :func:`rank` (occupancy costs over 9 years at
4%, seven criteria, normalisation, tie rule) + the explanations of the top 10 + the swap analysis of the
top 10's neighbours + the sensitivity of the first place. Median and spread over the runs, after a warm-up;
exits with status 1 when the median is not under the target. Candidates are synthetic (a seeded generator,
plausible ranges), since only the time is measured here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date

import numpy as np

from guichet.engine.costs import LumpSum, OccupancyTerms
from guichet.engine.scoring import (
    CONTACT_CENTRE_WEIGHTS,
    Candidate,
    ProjectNeeds,
    explain_top,
    neighbour_swaps,
    rank,
    sensitivity,
)

TARGET_SECONDS = 0.100
OPENING = date(2026, 9, 1)
PROJECT = ProjectNeeds(
    seats=280,
    area_wanted_m2=3_000,
    jobs_per_year=(150, 225, 300),
    hires_per_year=(190, 165, 140),
    opening=OPENING,
)


def synthetic_candidates(count: int, seed: int = 20260901) -> list[Candidate]:
    rng = np.random.default_rng(seed)
    opening = OPENING.toordinal()
    candidates = []
    for i in range(count):
        sold = rng.random() < 0.05
        candidates.append(
            Candidate(
                key=f"{rng.integers(0, 2**63):016x}{i:048x}",
                terms=OccupancyTerms(
                    area_m2=float(rng.uniform(1_500, 6_000)),
                    rent_eur_m2_year=0.0 if sold else float(rng.uniform(55, 140)),
                    charges_eur_m2_year=float(rng.uniform(8, 30)),
                    rent_free_months=float(rng.choice([0, 0, 3, 6, 12])),
                    fit_out_contribution_eur=float(rng.choice([0, 100_000, 400_000])),
                    grant_per_job_eur=float(rng.choice([0, 1_500, 3_000])),
                    training_per_hire_eur=float(rng.choice([0, 1_000, 3_100])),
                    lump_sums=(LumpSum(float(rng.uniform(5e4, 5e5)), int(rng.integers(0, 4))),)
                    if rng.random() < 0.2
                    else (),
                    sale_price_eur=float(rng.uniform(2e6, 8e6)) if sold else None,
                ),
                available_from=opening + int(rng.integers(-365, 400)),
                job_seekers=None if rng.random() < 0.03 else float(rng.uniform(800, 40_000)),
                saturation=None if rng.random() < 0.03 else float(rng.uniform(0.0, 0.05)),
                pool_share_needed=None if rng.random() < 0.03 else float(rng.uniform(0.02, 1.2)),
                public_transport=bool(rng.random() < 0.6),
                parking_spaces=int(rng.integers(0, 400)),
                fibre=bool(rng.random() < 0.8),
                power_backup=bool(rng.random() < 0.4),
            )
        )
    return candidates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    candidates = synthetic_candidates(args.candidates)
    phases: dict[str, list[float]] = {"rank": [], "explain top 10": [], "swaps top 10": [], "sensitivity": []}
    totals: list[float] = []
    rank(candidates, PROJECT, CONTACT_CENTRE_WEIGHTS)  # warm-up: imports, numpy dispatch, caches
    for _ in range(args.runs):
        t0 = time.perf_counter()
        ranking = rank(candidates, PROJECT, CONTACT_CENTRE_WEIGHTS)
        t1 = time.perf_counter()
        top = explain_top(ranking, 10)
        t2 = time.perf_counter()
        swaps = neighbour_swaps(ranking, top=10)
        t3 = time.perf_counter()
        ranges = sensitivity(ranking)
        t4 = time.perf_counter()
        for name, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            phases[name].append(seconds)
        totals.append(t4 - t0)

    print(f"Scoring {args.candidates:,} candidates for one project ({args.runs} runs after a warm-up)")
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}")
    for name, times in phases.items():
        print(
            f"  {name:<15} median {statistics.median(times) * 1e3:7.2f} ms   min {min(times) * 1e3:7.2f} ms"
        )
    median = statistics.median(totals)
    print(
        f"  {'total':<15} median {median * 1e3:7.2f} ms   min {min(totals) * 1e3:7.2f} ms   "
        f"max {max(totals) * 1e3:7.2f} ms"
    )
    print()
    print("First three, as the engine explains them (reason codes and figures; pages phrase them):")
    for explanation in top[:3]:
        params = explanation.params
        print(
            f"  {explanation.key[:12]}... {explanation.reason_key}: rank {params['rank']} of {params['of']}, "
            f"score {explanation.score:.4f}, strongest {params['strongest']}, weakest {params['weakest']}"
        )
    if swaps:
        print(f"  swap 1-2: {swaps[0].reason_key}, gap {swaps[0].gap:.6f}")
    else:
        print("  (one candidate: no swap)")
    first = ranges[0]
    print(f"  {first.reason_key}: {first.criterion.value} in [{first.low:.3f}, {first.high:.3f}]")
    print()
    ok = median < TARGET_SECONDS
    verdict = "OK" if ok else "TOO SLOW"
    print(f"{verdict}: median {median * 1e3:.1f} ms against a target under {TARGET_SECONDS * 1e3:.0f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
