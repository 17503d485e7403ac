"""The comparison's fixed scales: each criterion's figure turned into a value from 0 to 1 by a rule set
before any offer is read, anchored on the project's need or on a sourced reference.

Pure computations (no Django, no I/O). A :class:`Scale` is a piecewise-linear function through stated
points (figure, value), on the figure itself or on its base-10 logarithm, flat beyond its first and last
points. Because an offer's value depends on its own figure and the scale only, never on the other offers,
two offers keep their order whatever else is compared with them (the comparison publishes the scales with
the call: ``docs/comparison.md``).

The anchors (:func:`scales_for`):

- **cost**, net occupancy cost per seat per year (equivalent annual cost over the lease): 0 at the budget
  ceiling (the project's maximum rent plus the region's typical charges, or the region's reference band of
  listed occupancy costs when no maximum is given, times the need's m² per seat), 1 at half that ceiling
  or less (:data:`COST_FULL_SHARE`, a house judgement: below half the budget, savings no longer change a
  choice).
- **job seekers in reach**, against the candidates the hiring plan needs in its peak year (hires x
  candidates per hire): 0 when the pool is no larger than those candidates, 1 when it is a hundred times as
  large (the peak year needs 1 % of it), logarithmic between (each tenfold counts the same).
- **saturation**, contact-centre jobs over the labour force: 1 at 1 % or less (the bottom of the 1-3 %
  typical range), 0 at 4 % or more (where wage pressure starts), linear between: Site Selection Group;
  ACCP / Expansion Management (:data:`SATURATION_TYPICAL_LOW`, :data:`SATURATION_WAGE_PRESSURE`).
- **share of the pool needed** in the peak year: 1 at 0 %, 0.5 at 10 % (where the labour engine's verdict
  turns "demanding"), 0 at 25 % (where it turns "unrealistic"), linear between
  (:class:`guichet.engine.labour.FeasibilityThresholds`).
- **fit, access, telecoms** are already absolute sub-scores from 0 to 1 (functions of the area short or
  over, the days late, the parking against the project's own need, public transport, fibre and power
  back-up): their scale is the identity.

An unknown labour figure gets :data:`UNKNOWN_VALUE` (0.5, the middle of the scale), said in its
explanation; nothing is ever computed from the other offers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "COST_FULL_SHARE",
    "DEPTH_FULL_RATIO",
    "DEPTH_ZERO_RATIO",
    "HOUSE_CEILING_EUR_M2_YEAR",
    "IDENTITY",
    "SATURATION_TYPICAL_LOW",
    "SATURATION_WAGE_PRESSURE",
    "SCALES_FORMAT",
    "SHARE_DEMANDING",
    "SHARE_UNREALISTIC",
    "UNKNOWN_VALUE",
    "CeilingOrigin",
    "CostCeiling",
    "Scale",
    "ScaleError",
    "Scales",
    "annuity_factor",
    "cost_ceiling",
    "scales_for",
]

FloatArray = NDArray[np.float64]

SCALES_FORMAT = "guichet.scales/1"

COST_FULL_SHARE = 0.5
"""Full points on cost at this share of the budget ceiling or below (house judgement)."""
DEPTH_ZERO_RATIO = 1.0
DEPTH_FULL_RATIO = 100.0
"""Job seekers in reach per candidate needed in the peak year: 0 at 1 (the peak year needs the whole pool),
1 at 100 (it needs 1 % of it); logarithmic between."""
SATURATION_TYPICAL_LOW = 0.01
SATURATION_WAGE_PRESSURE = 0.04
"""Saturation anchors: 1-3 % typical, under 2 % desirable, 3 % saturated, wage pressure from 4 % (Site
Selection Group; ACCP / Expansion Management)."""
SHARE_DEMANDING = 0.10
SHARE_UNREALISTIC = 0.25
"""The labour engine's verdict thresholds (``FeasibilityThresholds``): 0.5 and 0 on the pool-share scale."""
UNKNOWN_VALUE = 0.5
"""What an unknown labour figure scores: the middle of the scale, neither rewarded nor punished."""


class ScaleError(ValueError):
    """A scale that cannot be built or read; ``field`` names the part."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True, slots=True)
class Scale:
    """Figure -> value in [0, 1]: piecewise linear through ``points`` ((figure, value), figures rising),
    on the figure or, with ``log``, on its base-10 logarithm (figures then more than 0); flat outside."""

    points: tuple[tuple[float, float], ...]
    log: bool = False

    def __post_init__(self) -> None:
        points = tuple((float(x), float(y)) for x, y in self.points)
        object.__setattr__(self, "points", points)
        if len(points) < 2:
            raise ScaleError("points", "a scale needs at least two points")
        for (x0, _), (x1, _) in itertools.pairwise(points):
            if not (math.isfinite(x0) and math.isfinite(x1) and x0 < x1):
                raise ScaleError("points", f"figures must be finite and rising, got {points!r}")
        if any(not 0.0 <= y <= 1.0 for _, y in points):
            raise ScaleError("points", f"values must lie between 0 and 1, got {points!r}")
        if self.log and points[0][0] <= 0:
            raise ScaleError("points", "a logarithmic scale needs figures above 0")

    def value(self, figure: float) -> float:
        """The value of one figure (NaN stays NaN: an unknown figure is the caller's to score)."""
        return float(self.values(np.array([float(figure)], dtype=np.float64))[0])

    def values(self, figures: FloatArray) -> FloatArray:
        """The value of each figure: ``np.interp`` (a plain loop over the figures, so a figure's value is the
        same bits wherever it sits among others), on base-10 logarithms taken figure by figure with
        ``math.log10`` for a logarithmic scale (a vectorised logarithm may differ by an ulp between its
        vector body and its tail)."""
        xs = np.array([x for x, _ in self.points], dtype=np.float64)
        ys = np.array([y for _, y in self.points], dtype=np.float64)
        if self.log:
            xs = np.array([math.log10(x) for x in xs], dtype=np.float64)
            figures = np.array(
                [math.log10(f) if f > 0 else (f if math.isnan(f) else -math.inf) for f in figures.tolist()],
                dtype=np.float64,
            )
        result: FloatArray = np.interp(figures, xs, ys)
        return result

    def figure_at(self, value: float) -> float | None:
        """The figure at which the scale reaches ``value`` first from the best side, for the explanations
        (the figure of full points, of zero...); None when no point holds it."""
        for x, y in self.points:
            if y == value:
                return x
        return None

    def as_json(self) -> dict[str, Any]:
        return {"anchors": [[x, y] for x, y in self.points], "log": self.log}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scale:
        try:
            return cls(tuple((float(x), float(y)) for x, y in data["anchors"]), bool(data.get("log", False)))
        except (KeyError, TypeError, ValueError) as error:
            raise ScaleError("points", f"not a stored scale: {error}") from None


IDENTITY = Scale(((0.0, 0.0), (1.0, 1.0)))


@dataclass(frozen=True, slots=True)
class Scales:
    """One fixed scale per criterion (by the criterion's code) and the value of an unknown figure."""

    cost: Scale
    labour_depth: Scale
    saturation: Scale
    feasibility: Scale
    fit: Scale = IDENTITY
    access: Scale = IDENTITY
    telecoms: Scale = IDENTITY
    unknown: float = UNKNOWN_VALUE

    def __post_init__(self) -> None:
        if not 0.0 <= float(self.unknown) <= 1.0:
            raise ScaleError("unknown", f"must lie between 0 and 1, got {self.unknown!r}")

    def of(self, criterion: str) -> Scale:
        scale: Scale = getattr(self, criterion)
        return scale

    def as_json(self) -> dict[str, Any]:
        return {
            "format": SCALES_FORMAT,
            "criteria": {name: self.of(name).as_json() for name in _NAMES},
            "unknown": self.unknown,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scales:
        if data.get("format") != SCALES_FORMAT:
            raise ScaleError("format", f"expected {SCALES_FORMAT}, got {data.get('format')!r}")
        criteria = data.get("criteria") or {}
        missing = [name for name in _NAMES if name not in criteria]
        if missing:
            raise ScaleError("criteria", f"missing {missing}")
        return cls(
            **{name: Scale.from_json(criteria[name]) for name in _NAMES},
            unknown=float(data.get("unknown", UNKNOWN_VALUE)),
        )


_NAMES = ("cost", "labour_depth", "saturation", "feasibility", "fit", "access", "telecoms")


def annuity_factor(*, years: int, discount_rate: float) -> float:
    """Present value of 1 EUR a year paid at the end of each of ``years`` years (the cost engine's
    convention): a present value divided by it is the equivalent annual amount."""
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ScaleError("years", f"must be a whole number, 1 or more, got {years!r}")
    rate = float(discount_rate)
    if not math.isfinite(rate) or not -0.5 < rate <= 1:
        raise ScaleError("discount_rate", f"is a yearly rate (0.04 for 4%), got {discount_rate!r}")
    return math.fsum((1.0 + rate) ** -year for year in range(1, years + 1))


def scales_for(
    *,
    area_per_seat_m2: float,
    cost_ceiling_eur_m2_year: float,
    hires_per_year: Sequence[float],
    candidates_per_hire: float,
) -> Scales:
    """The scales for a need: the cost ceiling (EUR per m² per year of occupancy) times the need's m² per
    seat, and the candidates its peak year needs (see the module docstring for every anchor)."""
    area = float(area_per_seat_m2)
    ceiling = float(cost_ceiling_eur_m2_year)
    if not math.isfinite(area) or area <= 0:
        raise ScaleError("area_per_seat_m2", f"must be more than 0, got {area_per_seat_m2!r}")
    if not math.isfinite(ceiling) or ceiling <= 0:
        raise ScaleError("cost_ceiling_eur_m2_year", f"must be more than 0, got {cost_ceiling_eur_m2_year!r}")
    per_hire = float(candidates_per_hire)
    if not math.isfinite(per_hire) or per_hire < 1:
        raise ScaleError("candidates_per_hire", f"must be 1 or more, got {candidates_per_hire!r}")
    peak = max((float(h) for h in hires_per_year), default=0.0)
    # No hire planned: the pool is measured against a single candidate, so any real pool scores full.
    candidates = max(peak * per_hire, 1.0)
    zero = ceiling * area
    return Scales(
        cost=Scale(((zero * COST_FULL_SHARE, 1.0), (zero, 0.0))),
        labour_depth=Scale(
            ((candidates * DEPTH_ZERO_RATIO, 0.0), (candidates * DEPTH_FULL_RATIO, 1.0)), log=True
        ),
        saturation=Scale(((SATURATION_TYPICAL_LOW, 1.0), (SATURATION_WAGE_PRESSURE, 0.0))),
        feasibility=Scale(((0.0, 1.0), (SHARE_DEMANDING, 0.5), (SHARE_UNREALISTIC, 0.0))),
    )


# --- the cost ceiling: the budget a project states, or the region's reference band --------------------


class CeilingOrigin(StrEnum):
    MAX_RENT = "max_rent"  # the project's maximum rent, plus the region's median charges
    BAND = "band"  # the ninetieth percentile of the region's listed rents and charges
    HOUSE = "house"  # neither: the house ceiling, with its source


HOUSE_CEILING_EUR_M2_YEAR = 150.0
"""Rent and charges, EUR per m² a year, when the project states no maximum rent and the catalogue lists too
few rents for a band: within the 129-180 EUR/m²/year (excluding charges) of the asking office rents of
France's regional metropolises (BureauxLocaux barometer, July 2019)."""


@dataclass(frozen=True, slots=True)
class CostCeiling:
    """The occupancy cost (rent + charges, EUR per m² a year excluding VAT) at which the cost criterion
    scores 0, and where it comes from: the project's maximum rent plus the region's median charges, the
    ninetieth percentile of the region's listed rents and charges (``band_*``: how many premises, the tenth,
    fiftieth and ninetieth percentiles, the day they were read), or the house ceiling."""

    origin: CeilingOrigin
    eur_m2_year: float
    max_rent_eur_m2_year: float | None = None
    charges_eur_m2_year: float = 0.0
    band_count: int | None = None
    band_low: float | None = None
    band_median: float | None = None
    band_high: float | None = None
    band_on: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin.value,
            "eur_m2_year": self.eur_m2_year,
            "max_rent_eur_m2_year": self.max_rent_eur_m2_year,
            "charges_eur_m2_year": self.charges_eur_m2_year,
            "band_count": self.band_count,
            "band_low": self.band_low,
            "band_median": self.band_median,
            "band_high": self.band_high,
            "band_on": None if self.band_on is None else self.band_on.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CostCeiling:
        on = data.get("band_on")
        return cls(
            origin=CeilingOrigin(data["origin"]),
            eur_m2_year=float(data["eur_m2_year"]),
            max_rent_eur_m2_year=data.get("max_rent_eur_m2_year"),
            charges_eur_m2_year=float(data.get("charges_eur_m2_year") or 0.0),
            band_count=data.get("band_count"),
            band_low=data.get("band_low"),
            band_median=data.get("band_median"),
            band_high=data.get("band_high"),
            band_on=None if on is None else date.fromisoformat(on),
        )


def cost_ceiling(
    *,
    max_rent_eur_m2_year: float | None,
    band: tuple[int, float, float, float, float, date] | None,
) -> CostCeiling:
    """The cost ceiling: the project's maximum rent plus the band's median charges (0 without a band), else
    the band's ninetieth percentile, else the house ceiling. ``band`` is (count, tenth, median, ninetieth
    percentile of rent + charges, median charges, day read)."""
    fields: dict[str, Any] = {}
    charges = 0.0
    if band is not None:
        count, low, median, high, charges, on = band
        fields = {
            "band_count": count,
            "band_low": low,
            "band_median": median,
            "band_high": high,
            "band_on": on,
        }
    if max_rent_eur_m2_year is not None and max_rent_eur_m2_year > 0:
        return CostCeiling(
            CeilingOrigin.MAX_RENT,
            float(max_rent_eur_m2_year) + charges,
            max_rent_eur_m2_year=float(max_rent_eur_m2_year),
            charges_eur_m2_year=charges,
            **fields,
        )
    if band is not None and fields["band_high"] > 0:
        return CostCeiling(
            CeilingOrigin.BAND, float(fields["band_high"]), charges_eur_m2_year=charges, **fields
        )
    return CostCeiling(CeilingOrigin.HOUSE, HOUSE_CEILING_EUR_M2_YEAR)
