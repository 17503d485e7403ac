"""Local unemployment: each commune's employment zone against France, and the zones a catchment reaches.

Pure computations (no Django, no I/O). INSEE publishes the ILO unemployment rate of each zone d'emploi every
quarter; France's job-seeker ratios (:class:`guichet.engine.labour.LabourRates`) are national. The estimate
of job seekers in a commune is localised by its **zone factor**: the zone's rate over France's rate of the
same quarter (1.51 for Montbéliard in 2025-T4: 11.8 % against 7.83 %). A commune whose zone has no published
rate (Guyane, Mayotte) has no factor and keeps the national ratio.

The assumption: registrations at France Travail are in the same proportion to ILO unemployment everywhere,
so a zone with 1.5 times France's unemployment has 1.5 times its share of job seekers. Imported counts
(DARES, France Travail) replace the estimate where they exist.

:func:`zones_reached` describes the zones of a catchment for the pages: each zone's rate over the last
quarters (the trend), France's over the same quarters, and the tension (the zone's rate over France's).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["TREND_QUARTERS", "ZoneReached", "zone_factors", "zones_reached"]

# The trend shown: the last eight quarters (two years).
TREND_QUARTERS = 8


def zone_factors(
    zones: Sequence[str | None], zone_rates: Mapping[str, float], national_rate: float
) -> list[float | None]:
    """Per commune (``zones`` gives each commune's zone, None if unknown), its zone's rate over
    ``national_rate`` (same quarter, both in percent); None where the zone has no rate."""
    if not (math.isfinite(national_rate) and national_rate > 0):
        raise ValueError(f"national_rate must be a positive rate, got {national_rate!r}")
    factors: list[float | None] = []
    for zone in zones:
        rate = zone_rates.get(zone) if zone is not None else None
        factors.append(None if rate is None else float(rate) / national_rate)
    return factors


@dataclass(frozen=True, slots=True)
class ZoneReached:
    """An employment zone that a catchment reaches: its communes and people aged 20-64 in the catchment,
    its rates over ``quarters`` (oldest first; empty when INSEE publishes none) and France's."""

    code: str
    label: str
    communes: int
    population_20_64: float
    quarters: tuple[str, ...]
    rates_pct: tuple[float, ...]
    national_pct: tuple[float, ...]

    @property
    def has_rate(self) -> bool:
        return bool(self.rates_pct)

    @property
    def rate_pct(self) -> float | None:
        return self.rates_pct[-1] if self.rates_pct else None

    @property
    def national_rate_pct(self) -> float:
        return self.national_pct[-1]

    @property
    def tension(self) -> float | None:
        """The zone's latest rate over France's: above 1, more unemployment than France."""
        return None if self.rate_pct is None else self.rate_pct / self.national_rate_pct

    @property
    def gap_points(self) -> float | None:
        """The zone's latest rate minus France's, in percentage points."""
        return None if self.rate_pct is None else self.rate_pct - self.national_rate_pct

    @property
    def trend_points(self) -> float | None:
        """Change of the zone's rate over the quarters shown, in percentage points."""
        return None if len(self.rates_pct) < 2 else self.rates_pct[-1] - self.rates_pct[0]


def zones_reached(
    *,
    zones: Sequence[str | None],
    population_20_64: Sequence[float | None],
    labels: Mapping[str, str],
    zone_rates: Mapping[str, Sequence[float]],
    quarters: Sequence[str],
    national_pct: Sequence[float],
    last: int = TREND_QUARTERS,
) -> tuple[ZoneReached, ...]:
    """The zones of a catchment's communes (``zones`` and ``population_20_64`` aligned with them), the most
    people aged 20-64 in the catchment first, each with its last ``last`` quarters of rates."""
    if len(zones) != len(population_20_64):
        raise ValueError("zones and population_20_64 must have one value per commune")
    if len(quarters) != len(national_pct):
        raise ValueError("quarters and national_pct must have the same length")
    counts: dict[str, int] = {}
    people: dict[str, float] = {}
    for zone, pop in zip(zones, population_20_64, strict=True):
        if zone is None:
            continue
        counts[zone] = counts.get(zone, 0) + 1
        people[zone] = people.get(zone, 0.0) + (float(pop) if pop is not None and math.isfinite(pop) else 0.0)
    window = slice(max(len(quarters) - last, 0), len(quarters))
    result = [
        ZoneReached(
            code=zone,
            label=labels.get(zone, zone),
            communes=counts[zone],
            population_20_64=people[zone],
            quarters=tuple(quarters[window]),
            rates_pct=tuple(float(r) for r in zone_rates[zone][window]) if zone in zone_rates else (),
            national_pct=tuple(float(r) for r in national_pct[window]),
        )
        for zone in counts
    ]
    return tuple(sorted(result, key=lambda z: (-z.population_20_64, z.code)))
