"""Benchmark: labour pools on the national commune table, for every premises and for every commune of France.

Target: the pools (people aged 20-64, labour force, category A and A, B, C job seekers, the job seekers
localised by each commune's employment-zone unemployment) of all of France's communes within 45 minutes of the
calibrated commute model, under 2 seconds, the zone factors included. Also printed: the same for every
demo premises, and, for comparison, the time of the 30 km pairs table (every (commune, neighbour) pair, which
the pools no longer need).

Data: the bundled national table (``src/guichet/data/territory/france_communes.csv``, 34,875 communes) and the
demo premises' points (``guichet.catalogue.demo.POINTS``); no database.

Run: ``.venv/bin/python bench/bench_catchment.py``
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from guichet.data.dataset import read_france_communes, read_unemployment
from guichet.engine import catchment, labour, unemployment

TARGET_S = 2.0
REPEATS = 5
MINUTES = 45.0
RADIUS_KM = 30.0


def demo_points() -> dict[str, tuple[float, float]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
    import django

    django.setup()
    from guichet.catalogue.demo import POINTS

    return dict(POINTS)


def main() -> None:
    rows = read_france_communes()
    ids = [r.insee for r in rows]
    lat = np.array([np.nan if r.latitude is None else r.latitude for r in rows])
    lon = np.array([np.nan if r.longitude is None else r.longitude for r in rows])
    working_age = np.array([np.nan if r.population_20_64 is None else r.population_20_64 for r in rows])
    rates = labour.DEFAULT_RATES
    model = catchment.DEFAULT_COMMUTE
    reach_km = model.straight_km_within(MINUTES)
    points = demo_points()
    premises_lat = np.array([p[0] for p in points.values()])
    premises_lon = np.array([p[1] for p in points.values()])

    timings, premises_timings = [], []
    sums = premises_sums = None
    for _ in range(REPEATS):
        started = time.perf_counter()
        zones = read_unemployment()
        members = [zones.commune_zone.get(code) for code in ids]
        latest = {code: zone.rates_pct[-1] for code, zone in zones.zones.items()}
        factors = np.array(
            [
                1.0 if f is None else f
                for f in unemployment.zone_factors(members, latest, zones.national_pct[-1])
            ]
        )
        # Columns summed over each catchment: people aged 20-64, the same weighted by the zone factor (the
        # localised job seekers are it x activity rate x national ratio), and a 1 per commune with data.
        values = np.column_stack([working_age, working_age * factors, np.isfinite(working_age).astype(float)])
        index = catchment.index_communes(ids, lat, lon)
        sums = catchment.sums_within_radius(index, reach_km, values)
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        premises_sums = catchment.sums_around(index, premises_lat, premises_lon, reach_km, working_age)
        premises_timings.append(time.perf_counter() - started)
    assert sums is not None and premises_sums is not None
    started = time.perf_counter()
    table = catchment.all_within_radius(index, RADIUS_KM)
    table_s = time.perf_counter() - started

    pool = sums[:, 0]
    located = np.isfinite(lat)
    category_a = sums[:, 1] * rates.activity_rate * rates.category_a_rate
    abc = sums[:, 1] * rates.activity_rate * rates.job_seeker_rate
    best, median = min(timings), statistics.median(timings)
    print(f"communes              {len(ids):,} (national table; {int((~located).sum())} without a point)")
    print(f"commute model         {model.describe()}")
    print(f"45 minutes reach      {reach_km:.2f} km as the crow flies")
    print(
        f"all communes, 45 min  index + pools best {best:.3f} s, median {median:.3f} s of {REPEATS}"
        f"  target < {TARGET_S:g} s  {'OK' if median < TARGET_S else 'MISSED'}"
    )
    print(
        f"  people aged 20-64   median {np.median(pool[located]):,.0f}, max {pool.max():,.0f} "
        f"({ids[int(np.argmax(pool))]})"
    )
    print(
        f"  category A          median {np.median(category_a[located]):,.0f}; A, B, C median "
        f"{np.median(abc[located]):,.0f} (national ratios {rates.category_a_rate:g}, "
        f"{rates.job_seeker_rate:g}, x zone factor of {zones.latest_quarter})"
    )
    print(f"  communes per pool   mean {sums[located, 2].mean():,.0f}")
    for code, name in (("39198", "Dole"), ("90010", "Belfort"), ("25056", "Besançon")):
        i = ids.index(code)
        print(
            f"  {name:<19} {pool[i]:,.0f} aged 20-64, {category_a[i]:,.0f} in category A, "
            f"{abc[i]:,.0f} in A, B, C"
        )
    print(
        f"{len(points)} premises, 45 min   best {min(premises_timings) * 1000:.1f} ms, "
        f"median {statistics.median(premises_timings) * 1000:.1f} ms"
    )
    for (name, _), value in list(zip(points.items(), premises_sums, strict=True))[:3]:
        print(f"  {name[:40]:<40} {value:,.0f} aged 20-64")
    print(f"30 km pairs table     {table.pairs:,} pairs in {table_s:.3f} s (for comparison; no target)")
    print(f"load average          {os.getloadavg()[0]:.1f} (2 cores: figures vary with the machine's load)")


if __name__ == "__main__":
    main()
