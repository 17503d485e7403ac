"""Neutral multi-criteria comparison of the premises offered in answer to a call for offers.

Pure computations (numpy only; no Django, no I/O): frozen dataclasses in, a :class:`Ranking` of read-only
arrays out, explanations (reason codes with their figures) built on demand. A candidate is one premises
offered in one proposal, known only by an opaque ``key`` (the proposal's receipt digest, say); nothing here
ever sees an authority's name.

The method the product publishes (phrased for readers by the presentation layer):

1. Seven criteria, each with a direction: net occupancy cost per seat per year (the present value over the
   lease, net of incentives, spread as an equivalent annual cost; lower is better), job seekers in reach
   (higher), saturation (lower), share of the pool the project needs in its peak year (lower), fit of area
   and date (0..1, higher), access (0..1, higher), telecoms (0..1, higher). See
   :mod:`guichet.engine.costs` for the cost conventions.
2. **Capacity.** An offer holds ``floor(area / the need's m² per seat)`` seats. One that holds fewer than
   the need's seats is *undersized*: its cost per seat is computed on the seats it can hold (shown), but it
   is not ranked on cost (0 on that criterion, state ``undersized``): the project would have to pay a second
   site for the missing seats, whose cost no offer states. Its fit criterion counts the area short too.
3. Each criterion's figure is turned into a value from 0 to 1 by a **scale fixed before the offers are
   read** (:mod:`guichet.engine.scales`: anchored on the project's need or on a sourced reference), never
   by the range of the offers compared. An unknown labour figure (None) gets the scales' fixed ``unknown``
   value, said in its explanation. An offer's values therefore depend on its own figures only.
4. Score = sum of weight x value, the weights set by the agency and normalised to sum 1, added criterion
   after criterion in :data:`CRITERIA` order (the same bits wherever a candidate's row sits). Scores lie in
   [0, 1]. Values do not depend on the weights, so every "what if the weights changed" answer here
   (:func:`swap_analysis`, :func:`sensitivity`) is exact linear algebra on fixed numbers.
5. Ranking by score compared on a grid of :data:`SCORE_TIE_TOLERANCE` (``floor(score / tolerance +
   0.5)``), then the tie rule (:data:`TIE_BREAK_STEPS`), every step a figure of the two candidates
   themselves. So the order of any two candidates is the same in every set that holds both, whatever
   order the answers arrive in.

"Best" and "worst" in the explanations are the offers' ranks on one criterion among the offers shown
(an undersized offer is never the best on cost): they describe, they do not score.

Speed: :func:`rank` is vectorised over candidates (10,000 in well under a second); reason codes and
figures for a candidate come from :func:`explain`/:func:`explain_top` only when asked for.

Explanations are codes and values, never sentences: each carries a ``reason_key`` (one of
:data:`REASON_KEYS`) and its ``params``, which the presentation layer phrases in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from guichet.engine.costs import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_YEARS,
    CostInputError,
    OccupancyCost,
    OccupancyCostTable,
    OccupancyTerms,
    occupancy_cost_table,
)
from guichet.engine.scales import (
    HOUSE_CEILING_EUR_M2_YEAR,
    SATURATION_WAGE_PRESSURE,
    ScaleError,
    Scales,
    annuity_factor,
    scales_for,
)

__all__ = [
    "ASSUMPTIONS",
    "BACK_OFFICE_WEIGHTS",
    "CONTACT_CENTRE_WEIGHTS",
    "CRITERIA",
    "DEFAULT_CANDIDATES_PER_HIRE",
    "DEFAULT_COST_CEILING_EUR_M2_YEAR",
    "HIGHER_IS_BETTER",
    "OPTIONAL_CRITERIA",
    "REASON_KEYS",
    "SATURATION_BANDS",
    "SATURATION_DESIRABLE",
    "SATURATION_SATURATED",
    "SATURATION_WAGE_PRESSURE",
    "SCORE_TIE_TOLERANCE",
    "TIE_BREAK_STEPS",
    "Candidate",
    "CandidateExplanation",
    "Criterion",
    "CriterionExplanation",
    "CriterionState",
    "ProjectNeeds",
    "Ranking",
    "Reweighting",
    "ScoringInputError",
    "ScoringParameters",
    "SensitivityCase",
    "SwapAnalysis",
    "SwapStatus",
    "TieStep",
    "WeightRange",
    "WeightTransfer",
    "Weights",
    "default_scales",
    "explain",
    "explain_top",
    "neighbour_swaps",
    "parking_target",
    "rank",
    "score_key",
    "sensitivity",
    "swap_analysis",
]

FloatArray = NDArray[np.float64]
Params = dict[str, float | int | str | None]


class Criterion(StrEnum):
    COST = "cost"
    LABOUR_DEPTH = "labour_depth"
    SATURATION = "saturation"
    FEASIBILITY = "feasibility"
    FIT = "fit"
    ACCESS = "access"
    TELECOMS = "telecoms"


CRITERIA: tuple[Criterion, ...] = tuple(Criterion)
HIGHER_IS_BETTER: Mapping[Criterion, bool] = {
    Criterion.COST: False,
    Criterion.LABOUR_DEPTH: True,
    Criterion.SATURATION: False,
    Criterion.FEASIBILITY: False,
    Criterion.FIT: True,
    Criterion.ACCESS: True,
    Criterion.TELECOMS: True,
}
_HIGHER = np.array([HIGHER_IS_BETTER[c] for c in CRITERIA])
_INDEX = {criterion: index for index, criterion in enumerate(CRITERIA)}

SCORE_TIE_TOLERANCE = 1e-12
"""Scores are compared on a grid of this step (a tenth of a billionth of a point): equal on the grid, the
tie rule decides."""

OPTIONAL_CRITERIA: frozenset[Criterion] = frozenset(
    {Criterion.LABOUR_DEPTH, Criterion.SATURATION, Criterion.FEASIBILITY}
)
"""The criteria whose figure may be unknown (None): the labour figures. The others are always known."""

SATURATION_DESIRABLE = 0.02
SATURATION_SATURATED = 0.03
"""Saturation bands (Site Selection Group; ACCP / Expansion Management): under 2% desirable, 3% or more
saturated, wage pressure from 4% (:data:`SATURATION_WAGE_PRESSURE`). :data:`SATURATION_BANDS` names them,
best first."""
SATURATION_BANDS: tuple[str, ...] = ("below_2pct", "2_to_3pct", "3pct_or_more")

DEFAULT_CANDIDATES_PER_HIRE = 3.5
"""NACSMA: 3-4 candidates per hire (the staffing engine's default, repeated here to keep this module free
of it)."""
DEFAULT_COST_CEILING_EUR_M2_YEAR = HOUSE_CEILING_EUR_M2_YEAR
"""The cost ceiling used when nothing better is given
(:data:`guichet.engine.scales.HOUSE_CEILING_EUR_M2_YEAR`); the comparison of a call uses the project's
maximum rent or the region's reference band instead (``docs/comparison.md``)."""

ASSUMPTIONS: tuple[str, ...] = (
    "contact_centre_weights",
    "back_office_weights",
    "saturation_bands",
    "fit",
    "access",
    "telecoms",
    "capacity",
)
"""The house assumptions of the method, by code. Their provenance (the engine states no sentences; the
presentation layer phrases each in the reader's language):

- ``contact_centre_weights``: built on Site Selection Group: labour is 70-80% of a contact centre's
  operating cost, so the three labour criteria together (0.45) outweigh premises cost (0.30);
- ``back_office_weights``: smaller, steadier hiring than a contact centre (whose 30-50% yearly attrition,
  ContactBabel, keeps it recruiting), so premises cost and fit weigh more and saturation less;
- ``saturation_bands``: Site Selection Group; ACCP / Expansion Management (see :data:`SATURATION_BANDS`);
- ``fit``: area score -0.2 per 10% short, -0.025 per 10% over; date score -1 per 365 days late; the mean;
- ``access``: half public transport, half parking against the project's own need (0.5 spaces per seat
  when it states none);
- ``telecoms``: fibre 0.7, power back-up 0.3;
- ``capacity``: an offer that cannot seat the need is not ranked on cost.
"""


class ScoringInputError(ValueError):
    """An input the scoring engine refuses; ``field`` names it and ``key`` the candidate (if any)."""

    def __init__(self, field: str, message: str, *, key: str | None = None) -> None:
        self.field = field
        self.key = key
        self.message = message
        where = f"candidate {key}: " if key is not None else ""
        super().__init__(f"{where}{field}: {message}")


def _finite(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScoringInputError(field, f"must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ScoringInputError(field, f"must be finite, got {value!r}")
    return number


def _day(field: str, value: object) -> int:
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoringInputError(field, f"must be a date or a day number (date.toordinal()), got {value!r}")
    return value


# --- weights ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Weights:
    """The agency's weights, one per criterion (missing ones are 0). Any non-negative scale: they are
    normalised to sum 1 when used (:meth:`vector`, :meth:`normalised`); all zero is refused."""

    cost: float = 0.0
    labour_depth: float = 0.0
    saturation: float = 0.0
    feasibility: float = 0.0
    fit: float = 0.0
    access: float = 0.0
    telecoms: float = 0.0

    def __post_init__(self) -> None:
        total = 0.0
        for criterion in CRITERIA:
            value = getattr(self, criterion.value)
            number = _finite(f"weights.{criterion.value}", value)
            if number < 0:
                raise ScoringInputError(f"weights.{criterion.value}", f"must be 0 or more, got {value!r}")
            total += number
        if total <= 0:
            raise ScoringInputError("weights", "at least one weight must be more than 0")

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float]) -> Weights:
        """Weights from ``{criterion name: weight}``; an unknown name is refused."""
        unknown = sorted(set(weights) - {c.value for c in CRITERIA})
        if unknown:
            raise ScoringInputError(
                "weights", f"unknown criteria {unknown}; known: {[c.value for c in CRITERIA]}"
            )
        return cls(**{str(name): value for name, value in weights.items()})

    def vector(self) -> FloatArray:
        """Normalised weights (sum 1) in :data:`CRITERIA` order."""
        raw = np.array([float(getattr(self, c.value)) for c in CRITERIA])
        normalised: FloatArray = raw / raw.sum()
        return normalised

    def normalised(self) -> Weights:
        return Weights(*(float(v) for v in self.vector()))

    def as_dict(self) -> dict[str, float]:
        """Normalised weights by criterion name."""
        return {c.value: float(v) for c, v in zip(CRITERIA, self.vector(), strict=True)}


CONTACT_CENTRE_WEIGHTS = Weights(
    cost=0.30, labour_depth=0.20, saturation=0.10, feasibility=0.15, fit=0.10, access=0.10, telecoms=0.05
)
"""Labour is 70-80% of a contact centre's operating cost (Site Selection Group), so the labour criteria
together (depth 0.20 + saturation 0.10 + feasibility 0.15 = 0.45) outweigh the premises cost (0.30) on which
the authorities compete; fibre is a must-have usually filtered out beforehand, hence telecoms 0.05."""

BACK_OFFICE_WEIGHTS = Weights(
    cost=0.35, labour_depth=0.15, saturation=0.05, feasibility=0.15, fit=0.15, access=0.10, telecoms=0.05
)
"""Back office, IT or shared-service centres hire fewer people, more steadily (no 30-50% yearly attrition to
replace), and contact-centre saturation matters less to them: premises cost and fit weigh more."""


# --- inputs -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoringParameters:
    """Every house assumption of the method, echoed in the :class:`Ranking` (see :data:`ASSUMPTIONS`)."""

    years: int = DEFAULT_YEARS
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    area_shortfall_penalty: float = 2.0  # fit lost per unit of missing area (10% short -> -0.2)
    area_excess_penalty: float = 0.25  # excess costs rent already; here only the mild nuisance of it
    late_days_to_zero: float = 365.0  # a year late -> date score 0
    fit_area_share: float = 0.5  # fit = share x area score + (1 - share) x date score
    parking_spaces_per_seat_target: float = 0.5  # when the project states no parking need
    public_transport_share: float = 0.5  # access = share x transport + (1 - share) x parking
    fibre_share: float = 0.7  # telecoms = share x fibre + (1 - share) x power back-up

    def __post_init__(self) -> None:
        for name in ("area_shortfall_penalty", "area_excess_penalty", "parking_spaces_per_seat_target"):
            if _finite(name, getattr(self, name)) < 0:
                raise ScoringInputError(name, f"must be 0 or more, got {getattr(self, name)!r}")
        if _finite("late_days_to_zero", self.late_days_to_zero) <= 0:
            raise ScoringInputError(
                "late_days_to_zero", f"must be more than 0, got {self.late_days_to_zero!r}"
            )
        for name in ("fit_area_share", "public_transport_share", "fibre_share"):
            if not 0 <= _finite(name, getattr(self, name)) <= 1:
                raise ScoringInputError(name, f"must be between 0 and 1, got {getattr(self, name)!r}")


@dataclass(frozen=True, slots=True)
class ProjectNeeds:
    """What the project needs. ``jobs_per_year[y - 1]`` is the headcount in place in year y (the staffing
    engine's ``HiringYear.headcount``); its maximum is the jobs at full ramp-up. ``hires_per_year`` are all
    hires of each year (``HiringYear.hires``). ``opening`` is a date or ``date.toordinal()``; None makes the
    date part of the fit neutral for everyone. ``parking_spaces`` is the parking the project states it needs
    (None: not stated, the house target per seat is used)."""

    seats: int
    area_wanted_m2: float
    jobs_per_year: tuple[float, ...]
    hires_per_year: tuple[float, ...] = ()
    opening: date | int | None = None
    parking_spaces: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "jobs_per_year", tuple(self.jobs_per_year))
        object.__setattr__(self, "hires_per_year", tuple(self.hires_per_year))
        if isinstance(self.seats, bool) or not isinstance(self.seats, int) or self.seats < 1:
            raise ScoringInputError("seats", f"must be a whole number, 1 or more, got {self.seats!r}")
        if _finite("area_wanted_m2", self.area_wanted_m2) <= 0:
            raise ScoringInputError("area_wanted_m2", f"must be more than 0, got {self.area_wanted_m2!r}")
        if not self.jobs_per_year:
            raise ScoringInputError("jobs_per_year", "needs at least one year")
        for name in ("jobs_per_year", "hires_per_year"):
            for value in getattr(self, name):
                if _finite(name, value) < 0:
                    raise ScoringInputError(name, f"must be 0 or more, got {value!r}")
        if self.opening is not None:
            _day("opening", self.opening)
        if self.parking_spaces is not None and _finite("parking_spaces", self.parking_spaces) < 0:
            raise ScoringInputError("parking_spaces", f"must be 0 or more, got {self.parking_spaces!r}")

    @property
    def opening_day(self) -> int | None:
        return None if self.opening is None else _day("opening", self.opening)

    @property
    def jobs_at_full_ramp(self) -> float:
        return max(self.jobs_per_year)

    @property
    def area_per_seat_m2(self) -> float:
        """The need's floor area per seat: what a seat takes, common areas included."""
        return float(self.area_wanted_m2) / self.seats

    def seats_held(self, area_m2: float) -> int:
        """The seats a floor area holds at the need's m² per seat (whole seats; an area that equals the
        need's holds exactly its seats)."""
        return math.floor(float(area_m2) * self.seats / float(self.area_wanted_m2) + 1e-9)


def default_scales(
    project: ProjectNeeds,
    *,
    cost_ceiling_eur_m2_year: float = DEFAULT_COST_CEILING_EUR_M2_YEAR,
    candidates_per_hire: float = DEFAULT_CANDIDATES_PER_HIRE,
) -> Scales:
    """The scales for ``project`` (:func:`guichet.engine.scales.scales_for`), with the house cost ceiling
    unless one is given."""
    try:
        return scales_for(
            area_per_seat_m2=project.area_per_seat_m2,
            cost_ceiling_eur_m2_year=cost_ceiling_eur_m2_year,
            hires_per_year=project.hires_per_year,
            candidates_per_hire=candidates_per_hire,
        )
    except ScaleError as error:
        raise ScoringInputError(f"scales.{error.field}", error.message) from None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One premises offered in one proposal. ``key`` is opaque and unique (a content digest), never a name.
    Labour figures come from the labour engine; None means unknown (a fixed value, said in words)."""

    key: str
    terms: OccupancyTerms
    available_from: date | int
    job_seekers: float | None = None
    saturation: float | None = None
    pool_share_needed: float | None = None
    public_transport: bool = False
    parking_spaces: float = 0
    fibre: bool = False
    power_backup: bool = False


# --- the ranking --------------------------------------------------------------------------------------


class TieStep(StrEnum):
    """One step of the tie rule (:data:`TIE_BREAK_STEPS`): which one set the order of two neighbours."""

    SCORE = "score"
    NET_COST = "net_cost"
    LABOUR_POOL = "labour_pool"
    AVAILABILITY = "availability"
    KEY = "key"


TIE_BREAK_STEPS: tuple[TieStep, ...] = (
    TieStep.SCORE,
    TieStep.NET_COST,
    TieStep.LABOUR_POOL,
    TieStep.AVAILABILITY,
    TieStep.KEY,
)
"""The published tie rule, step by step: the higher score (compared on a grid of
:data:`SCORE_TIE_TOLERANCE`); then the lower net occupancy cost (present value, to the cent); then the more
job seekers in reach (unknown counts as fewer than any known figure); then the earlier availability date;
then the candidate's key (a digest of the proposal's content) in ascending code-point order. Every step
reads the two candidates' own figures: neither an authority's name, nor the order in which answers arrived,
nor any other offer plays any part. The presentation layer phrases it from these codes."""


def score_key(score: float) -> int:
    """A score on the comparison's grid (:data:`SCORE_TIE_TOLERANCE`): equal keys are equal scores. The
    page's script computes the same (``Math.floor(score * 1e12 + 0.5)``)."""
    return math.floor(float(score) * 1e12 + 0.5)


@dataclass(frozen=True)
class Ranking:
    """The comparison, every array in rank order (row 0 is first). Ranks in the public functions are 1-based.

    ``raw[:, k]`` is criterion ``CRITERIA[k]`` in its own unit (NaN = unknown; the cost is EUR per seat per
    year); ``normalised`` the value in [0, 1] on the fixed ``scales``; ``weight_vector`` the normalised
    weights; ``best``/``worst`` the extreme known raw values among the candidates shown (for cost, among
    those that seat the need; NaN when none), for the explanations only. ``seats_held`` and ``undersized``
    say what each offer's area holds at the need's m² per seat; ``per_seat_pv_eur`` is the net present
    value per seat counted (the seats it holds when undersized). ``area_score``, ``date_score``,
    ``days_late`` (NaN without an opening date; negative = early), ``parking_per_seat`` and
    ``parking_score`` detail the fit and access criteria. ``costs`` holds every candidate's occupancy cost
    and cash flows. ``tie_group``: candidates sharing a number have equal scores on the grid."""

    candidates: tuple[Candidate, ...]
    keys: tuple[str, ...]
    scores: FloatArray
    raw: FloatArray
    normalised: FloatArray
    weights: Weights
    weight_vector: FloatArray
    best: FloatArray
    worst: FloatArray
    scales: Scales
    costs: OccupancyCostTable
    annuity: float
    seats_held: NDArray[np.int64]
    undersized: NDArray[np.bool_]
    per_seat_pv_eur: FloatArray
    area_score: FloatArray
    date_score: FloatArray
    days_late: FloatArray
    parking_per_seat: FloatArray
    parking_score: FloatArray
    available_day: NDArray[np.int64]
    tie_group: NDArray[np.int64]
    project: ProjectNeeds
    parameters: ScoringParameters

    def __len__(self) -> int:
        return len(self.keys)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {key: index for index, key in enumerate(self.keys)}

    def rank_of(self, key: str) -> int:
        """1-based rank of the candidate with ``key``."""
        try:
            return self._positions[key] + 1
        except KeyError:
            raise ScoringInputError("key", "no such candidate in this ranking", key=key) from None

    @property
    def contributions(self) -> FloatArray:
        """Points each criterion brings each candidate, shape (n, 7); rows sum to the scores."""
        return self.normalised * self.weight_vector

    def decided_by(self, upper_rank: int) -> TieStep:
        """The step of the tie rule that put rank ``upper_rank`` before ``upper_rank + 1``."""
        i = self._pair(upper_rank)
        if self.tie_group[i] != self.tie_group[i + 1]:
            return TieStep.SCORE
        cents = np.round(self.costs.net_pv_eur[i : i + 2] * 100.0)
        if cents[0] != cents[1]:
            return TieStep.NET_COST
        pools = self.raw[i : i + 2, _INDEX[Criterion.LABOUR_DEPTH]]
        if not (np.isnan(pools[0]) and np.isnan(pools[1])) and pools[0] != pools[1]:
            return TieStep.LABOUR_POOL
        if self.available_day[i] != self.available_day[i + 1]:
            return TieStep.AVAILABILITY
        return TieStep.KEY

    def _pair(self, upper_rank: int) -> int:
        if isinstance(upper_rank, bool) or not isinstance(upper_rank, int) or not 1 <= upper_rank < len(self):
            raise ScoringInputError("upper_rank", f"must be from 1 to {len(self) - 1}, got {upper_rank!r}")
        return upper_rank - 1


ArrayT = TypeVar("ArrayT", bound=np.ndarray[Any, Any])


def _frozen(values: ArrayT) -> ArrayT:
    values.setflags(write=False)
    return values


def _optional_column(candidates: Sequence[Candidate], name: str) -> FloatArray:
    values = np.array(
        [np.nan if v is None else v for v in map(attrgetter(name), candidates)],
        dtype=np.float64,
    )
    bad = np.isinf(values) | (values < 0)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise ScoringInputError(
            name, f"must be finite, 0 or more, or None, got {values[index]!r}", key=candidates[index].key
        )
    return values


def _scaled(raw: FloatArray, scales: Scales, undersized: NDArray[np.bool_]) -> FloatArray:
    """Each criterion's value on its fixed scale; unknown figures get the scales' fixed value, and an
    undersized offer 0 on cost."""
    normalised = np.empty(raw.shape)
    for k, criterion in enumerate(CRITERIA):
        column = scales.of(criterion.value).values(raw[:, k])
        normalised[:, k] = np.where(np.isnan(column), float(scales.unknown), column)
    normalised[undersized, _INDEX[Criterion.COST]] = 0.0
    return normalised


def _extremes(raw: FloatArray, undersized: NDArray[np.bool_]) -> tuple[FloatArray, FloatArray]:
    """The best and worst known figure of each criterion among the candidates shown (for cost, among those
    that seat the need): the explanations' "best" and "worst", never a score's."""
    width = raw.shape[1]
    best = np.full(width, np.nan)
    worst = np.full(width, np.nan)
    for k in range(width):
        column = raw[:, k]
        known = ~np.isnan(column)
        if CRITERIA[k] is Criterion.COST:
            known &= ~undersized
        if not known.any():
            continue
        high, low = float(column[known].max()), float(column[known].min())
        best[k], worst[k] = (high, low) if _HIGHER[k] else (low, high)
    return best, worst


def rank(
    candidates: Sequence[Candidate],
    project: ProjectNeeds,
    weights: Weights = CONTACT_CENTRE_WEIGHTS,
    *,
    scales: Scales | None = None,
    parameters: ScoringParameters | None = None,
) -> Ranking:
    """Score and rank ``candidates`` for ``project`` on fixed ``scales`` (the house scales of
    :func:`default_scales` when None; see the module docstring for the method)."""
    params = parameters if parameters is not None else ScoringParameters()
    scales = scales if scales is not None else default_scales(project)
    keys = _checked_keys(candidates)
    costs = _cost_table(candidates, project, params, keys)
    job_seekers = _optional_column(candidates, "job_seekers")
    saturation = _optional_column(candidates, "saturation")
    share_needed = _optional_column(candidates, "pool_share_needed")
    # Checked in this order, so that a refusal names the same field as it always did.
    access = _access_scores(candidates, project, params, keys)
    telecoms = _telecoms_scores(candidates, params)
    available = _available_days(candidates)
    fit = _fit_scores(candidates, project, params, available)
    capacity = _capacity(candidates, project, costs, params)

    raw = np.column_stack(
        [capacity.per_seat_year, job_seekers, saturation, share_needed, fit.fit, access.access, telecoms]
    )
    normalised = _scaled(raw, scales, capacity.undersized)
    best, worst = _extremes(raw, capacity.undersized)
    weight_vector = weights.vector()
    # Column by column, never a matrix product: each candidate's score is then the same bits wherever its
    # row sits, so neither the order of the answers nor the other offers can tip a tie.
    scores = np.zeros(len(candidates))
    for k in range(len(CRITERIA)):
        scores = scores + weight_vector[k] * normalised[:, k]
    scores = np.clip(scores, 0.0, 1.0)
    order, group = _tie_order(scores, costs, job_seekers, available, keys)

    def ordered(values: FloatArray) -> FloatArray:
        return _frozen(values[order])

    return Ranking(
        candidates=tuple(candidates[i] for i in order),
        keys=tuple(keys[i] for i in order),
        scores=ordered(scores),
        raw=ordered(raw),
        normalised=ordered(normalised),
        weights=weights,
        weight_vector=_frozen(weight_vector),
        best=_frozen(best),
        worst=_frozen(worst),
        scales=scales,
        costs=costs.take(order),
        annuity=capacity.annuity,
        seats_held=_frozen(capacity.seats_held[order]),
        undersized=_frozen(capacity.undersized[order]),
        per_seat_pv_eur=ordered(capacity.per_seat_pv),
        area_score=ordered(fit.area_score),
        date_score=ordered(fit.date_score),
        days_late=ordered(fit.days_late),
        parking_per_seat=ordered(access.per_seat),
        parking_score=ordered(access.parking_score),
        available_day=_frozen(available[order]),
        tie_group=_frozen(group[order]),
        project=project,
        parameters=params,
    )


def _checked_keys(candidates: Sequence[Candidate]) -> list[str]:
    """The candidates' keys: at least one candidate, each key a non-empty string, none twice."""
    n = len(candidates)
    if n == 0:
        raise ScoringInputError("candidates", "needs at least one candidate")
    keys = [c.key for c in candidates]
    for key in keys:
        if not isinstance(key, str) or not key:
            raise ScoringInputError("key", f"must be a non-empty string, got {key!r}")
    if len(set(keys)) != n:
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise ScoringInputError("key", "appears more than once", key=key)
            seen.add(key)
    return keys


def _cost_table(
    candidates: Sequence[Candidate], project: ProjectNeeds, params: ScoringParameters, keys: Sequence[str]
) -> OccupancyCostTable:
    """Every candidate's occupancy cost; the cost engine's refusal named as the scoring's."""
    try:
        return occupancy_cost_table(
            [c.terms for c in candidates],
            seats=project.seats,
            jobs_per_year=project.jobs_per_year,
            hires_per_year=project.hires_per_year,
            years=params.years,
            discount_rate=params.discount_rate,
        )
    except CostInputError as error:
        if error.index is None:  # a project or parameter value, not one proposal's terms
            raise ScoringInputError(error.field, error.message) from error
        raise ScoringInputError(f"terms.{error.field}", error.message, key=keys[error.index]) from error


@dataclass(frozen=True)
class _Capacity:
    seats_held: NDArray[np.int64]
    undersized: NDArray[np.bool_]
    per_seat_pv: FloatArray  # net present value per seat counted
    per_seat_year: FloatArray  # ... spread over the years as an equivalent annual cost
    annuity: float


def _capacity(
    candidates: Sequence[Candidate],
    project: ProjectNeeds,
    costs: OccupancyCostTable,
    params: ScoringParameters,
) -> _Capacity:
    """The seats each offer's area holds, whether it falls short of the need, and its net cost per seat
    counted (the need's seats, or the seats it holds when fewer), present value and per year."""
    area = np.array([c.terms.area_m2 for c in candidates], dtype=np.float64)
    # The arithmetic of ProjectNeeds.seats_held, element by element (the same bits).
    held = np.floor(area * project.seats / float(project.area_wanted_m2) + 1e-9).astype(np.int64)
    undersized = held < project.seats
    counted = np.where(undersized, np.maximum(held, 1), project.seats).astype(np.float64)
    per_seat_pv = costs.net_pv_eur / counted
    annuity = annuity_factor(years=params.years, discount_rate=params.discount_rate)
    return _Capacity(
        seats_held=held,
        undersized=undersized,
        per_seat_pv=per_seat_pv,
        per_seat_year=per_seat_pv / annuity,
        annuity=annuity,
    )


def _available_days(candidates: Sequence[Candidate]) -> NDArray[np.int64]:
    try:
        return np.array([_day("available_from", c.available_from) for c in candidates], dtype=np.int64)
    except ScoringInputError:
        for candidate in candidates:  # the slow pass, only to name the culprit
            try:
                _day("available_from", candidate.available_from)
            except ScoringInputError as error:
                raise ScoringInputError(error.field, error.message, key=candidate.key) from None
        raise


@dataclass(frozen=True)
class _FitScores:
    area_score: FloatArray
    date_score: FloatArray
    days_late: FloatArray  # NaN without an opening date
    fit: FloatArray


def _fit_scores(
    candidates: Sequence[Candidate],
    project: ProjectNeeds,
    params: ScoringParameters,
    available: NDArray[np.int64],
) -> _FitScores:
    """Area (short or over the area wanted) and date (days late after the opening), and their blend: both
    absolute functions of the offer's own shortfall and lateness."""
    n = len(candidates)
    area = np.array([c.terms.area_m2 for c in candidates], dtype=np.float64)
    ratio = area / float(project.area_wanted_m2)
    area_score = np.clip(
        1.0
        - params.area_shortfall_penalty * np.maximum(0.0, 1.0 - ratio)
        - params.area_excess_penalty * np.maximum(0.0, ratio - 1.0),
        0.0,
        1.0,
    )
    opening = project.opening_day
    if opening is None:
        days_late = np.full(n, np.nan)
        date_score = np.ones(n)
    else:
        days_late = (available - opening).astype(np.float64)
        date_score = np.clip(1.0 - np.maximum(days_late, 0.0) / params.late_days_to_zero, 0.0, 1.0)
    fit = params.fit_area_share * area_score + (1.0 - params.fit_area_share) * date_score
    return _FitScores(area_score=area_score, date_score=date_score, days_late=days_late, fit=fit)


@dataclass(frozen=True)
class _Access:
    access: FloatArray
    per_seat: FloatArray
    parking_score: FloatArray


def parking_target(project: ProjectNeeds, params: ScoringParameters) -> float:
    """The parking spaces the access criterion counts against: the project's own need when it states one,
    else the house target per seat times its seats."""
    if project.parking_spaces is not None:
        return float(project.parking_spaces)
    return params.parking_spaces_per_seat_target * project.seats


def _access_scores(
    candidates: Sequence[Candidate], project: ProjectNeeds, params: ScoringParameters, keys: Sequence[str]
) -> _Access:
    """Public transport, and the parking spaces against the project's need: the access score, the parking
    per seat and the parking part of the score."""
    parking = np.array([c.parking_spaces for c in candidates], dtype=np.float64)
    if (~np.isfinite(parking) | (parking < 0)).any():
        index = int(np.flatnonzero(~np.isfinite(parking) | (parking < 0))[0])
        raise ScoringInputError("parking_spaces", "must be finite, 0 or more", key=keys[index])
    transport = np.array([bool(c.public_transport) for c in candidates], dtype=np.float64)
    per_seat = parking / project.seats
    target = parking_target(project, params)
    parking_score = np.minimum(1.0, parking / target) if target > 0 else np.ones(len(candidates))
    access = params.public_transport_share * transport + (1.0 - params.public_transport_share) * parking_score
    return _Access(access=access, per_seat=per_seat, parking_score=parking_score)


def _telecoms_scores(candidates: Sequence[Candidate], params: ScoringParameters) -> FloatArray:
    fibre = np.array([bool(c.fibre) for c in candidates], dtype=np.float64)
    backup = np.array([bool(c.power_backup) for c in candidates], dtype=np.float64)
    telecoms: FloatArray = params.fibre_share * fibre + (1.0 - params.fibre_share) * backup
    return telecoms


def _tie_order(
    scores: FloatArray,
    costs: OccupancyCostTable,
    job_seekers: FloatArray,
    available: NDArray[np.int64],
    keys: Sequence[str],
) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """The ranking's order by the published tie rule, and each candidate's tie group (equal scores on the
    grid). Every key of the sort is a candidate's own figure, so two candidates keep their order in any
    set."""
    n = len(keys)
    # score_key, element by element (a product and a sum, correctly rounded in numpy as in Python).
    on_grid = np.floor(scores * 1e12 + 0.5).astype(np.int64)
    cents = np.round(costs.net_pv_eur * 100.0)
    pool_key = np.where(np.isnan(job_seekers), np.inf, -job_seekers)
    # Keys enter the sort as their position in Python's code-point order: numpy's fixed-width strings would
    # drop trailing NULs and could call two different keys equal.
    key_position = {key: position for position, key in enumerate(sorted(keys))}
    key_order = np.fromiter((key_position[key] for key in keys), dtype=np.int64, count=n)
    order = np.lexsort((key_order, available, pool_key, cents, -on_grid))
    _levels, group = np.unique(-on_grid, return_inverse=True)
    return order, group.astype(np.int64)


# --- explanations -----------------------------------------------------------------------------------


class CriterionState(StrEnum):
    """Where a candidate's figure stands on one criterion among the offers shown."""

    BEST = "best"
    WORST = "worst"
    BETWEEN = "between"
    ALL_EQUAL = "all_equal"  # every known figure is the same: no offer is better than another on it
    UNKNOWN = "unknown"  # this candidate's figure is unknown: the scales' fixed value
    NONE_KNOWN = "none_known"  # nobody's figure is known: the fixed value for all
    UNDERSIZED = "undersized"  # cost only: the offer cannot seat the need, not ranked on cost


@dataclass(frozen=True, slots=True)
class CriterionExplanation:
    """One criterion for one candidate. ``reason_key`` = ``"<criterion>.<state>"`` and ``params`` hold
    every figure a sentence needs (raw, best, worst, the scale's anchors, weight, points and the
    criterion's own details: cost series, area and date, parking, fibre...), for the presentation layer."""

    criterion: Criterion
    raw: float | None
    unit: str
    normalised: float
    weight: float
    points: float
    state: CriterionState
    reason_key: str
    params: Params


@dataclass(frozen=True, slots=True)
class CandidateExplanation:
    """A candidate's place and its seven criteria; ``reason_key`` is ``candidate.summary`` with ``params``
    rank, of, score, ``strongest`` and ``weakest`` (the codes of the weighted criteria on which it is the
    best, and the worst, of the offers shown, joined by commas; empty when none), and its capacity
    (``undersized``, ``seats_held``, ``seats_needed``, ``seats_short``, ``area_short_m2``)."""

    key: str
    rank: int
    of: int
    score: float
    criteria: tuple[CriterionExplanation, ...]
    cost: OccupancyCost
    undersized: bool
    seats_held: int
    per_seat_eur: float
    per_seat_year_eur: float
    reason_key: str
    params: Params

    @property
    def strongest(self) -> tuple[str, ...]:
        return tuple(code for code in str(self.params["strongest"] or "").split(",") if code)

    @property
    def weakest(self) -> tuple[str, ...]:
        return tuple(code for code in str(self.params["weakest"] or "").split(",") if code)


_UNITS = {
    Criterion.COST: "EUR/seat/year",
    Criterion.LABOUR_DEPTH: "job seekers",
    Criterion.SATURATION: "ratio",
    Criterion.FEASIBILITY: "ratio",
    Criterion.FIT: "score",
    Criterion.ACCESS: "score",
    Criterion.TELECOMS: "score",
}


def _saturation_band(value: float) -> str:
    if value < SATURATION_DESIRABLE:
        return SATURATION_BANDS[0]
    if value < SATURATION_SATURATED:
        return SATURATION_BANDS[1]
    return SATURATION_BANDS[2]


def _scale_params(ranking: Ranking, criterion: Criterion) -> Params:
    """The anchors of a criterion's fixed scale, for the sentence that states them."""
    scale = ranking.scales.of(criterion.value)
    params: Params = {"full_at": scale.figure_at(1.0), "zero_at": scale.figure_at(0.0)}
    if criterion is Criterion.FEASIBILITY:
        params["half_at"] = scale.figure_at(0.5)
    if criterion is Criterion.LABOUR_DEPTH:
        params["candidates_needed"] = scale.points[0][0]
    return params


def _details(ranking: Ranking, i: int, criterion: Criterion, params: Params) -> None:
    """Adds the criterion's own figures to ``params`` (a known figure only)."""
    c = ranking.candidates[i]
    value = float(ranking.raw[i, _INDEX[criterion]])
    if criterion is Criterion.COST:
        cost = ranking.costs
        per_job = float(cost.per_job_eur[i])
        params.update(
            net_pv_eur=float(cost.net_pv_eur[i]),
            gross_pv_eur=float(cost.gross_pv_eur[i]),
            incentives_pv_eur=float(cost.incentives_pv_eur[i]),
            per_seat_eur=float(ranking.per_seat_pv_eur[i]),
            per_seat_year_eur=value,
            per_job_eur=None if math.isnan(per_job) else per_job,
            years=cost.years,
            discount_rate=cost.discount_rate,
            seats_counted=int(min(max(ranking.seats_held[i], 1), ranking.project.seats)),
            seats_held=int(ranking.seats_held[i]),
            seats_needed=ranking.project.seats,
            area_m2=float(c.terms.area_m2),
            area_wanted_m2=float(ranking.project.area_wanted_m2),
        )
    elif criterion is Criterion.SATURATION:
        params.update(
            band=_saturation_band(value), desirable=SATURATION_DESIRABLE, saturated=SATURATION_SATURATED
        )
    elif criterion is Criterion.FIT:
        days = float(ranking.days_late[i])
        params.update(
            area_m2=float(c.terms.area_m2),
            area_wanted_m2=float(ranking.project.area_wanted_m2),
            area_score=float(ranking.area_score[i]),
            days_late=None if math.isnan(days) else int(days),
            date_score=float(ranking.date_score[i]),
            seats_held=int(ranking.seats_held[i]),
            seats_needed=ranking.project.seats,
        )
    elif criterion is Criterion.ACCESS:
        params.update(
            public_transport=bool(c.public_transport),
            parking_spaces=float(c.parking_spaces),
            parking_per_seat=float(ranking.parking_per_seat[i]),
            parking_needed=parking_target(ranking.project, ranking.parameters),
            parking_stated=ranking.project.parking_spaces is not None,
            parking_per_seat_target=ranking.parameters.parking_spaces_per_seat_target,
            parking_score=float(ranking.parking_score[i]),
        )
    elif criterion is Criterion.TELECOMS:
        params.update(fibre=bool(c.fibre), power_backup=bool(c.power_backup))


def _state(ranking: Ranking, i: int, criterion: Criterion, value: float) -> CriterionState:
    k = _INDEX[criterion]
    best, worst = float(ranking.best[k]), float(ranking.worst[k])
    if criterion is Criterion.COST and ranking.undersized[i]:
        return CriterionState.UNDERSIZED
    if math.isnan(value):
        known = ~np.isnan(ranking.raw[:, k])
        return CriterionState.UNKNOWN if known.any() else CriterionState.NONE_KNOWN
    if math.isnan(best) or best == worst:
        return CriterionState.ALL_EQUAL
    if value == best:
        return CriterionState.BEST
    if value == worst:
        return CriterionState.WORST
    return CriterionState.BETWEEN


def _explain_criterion(ranking: Ranking, i: int, criterion: Criterion) -> CriterionExplanation:
    k = _INDEX[criterion]
    value = float(ranking.raw[i, k])
    norm = float(ranking.normalised[i, k])
    weight = float(ranking.weight_vector[k])
    points = weight * norm
    best, worst = float(ranking.best[k]), float(ranking.worst[k])
    state = _state(ranking, i, criterion, value)
    params: Params = {
        "raw": None if math.isnan(value) else value,
        "normalised": norm,
        "weight": weight,
        "points": points,
        "best": None if math.isnan(best) else best,
        "worst": None if math.isnan(worst) else worst,
        "unknown_value": float(ranking.scales.unknown),
        **_scale_params(ranking, criterion),
    }
    if not math.isnan(value):
        _details(ranking, i, criterion, params)
    return CriterionExplanation(
        criterion=criterion,
        raw=None if math.isnan(value) else value,
        unit=_UNITS[criterion],
        normalised=norm,
        weight=weight,
        points=points,
        state=state,
        reason_key=f"{criterion.value}.{state.value}",
        params=params,
    )


def _explain_at(ranking: Ranking, i: int) -> CandidateExplanation:
    criteria = tuple(_explain_criterion(ranking, i, c) for c in CRITERIA)
    score = float(ranking.scores[i])
    weighted = [e for e in criteria if e.weight > 0]
    held = int(ranking.seats_held[i])
    needed = ranking.project.seats
    undersized = bool(ranking.undersized[i])
    area = float(ranking.candidates[i].terms.area_m2)
    params: Params = {
        "rank": i + 1,
        "of": len(ranking),
        "score": score,
        "strongest": ",".join(e.criterion.value for e in weighted if e.state is CriterionState.BEST),
        "weakest": ",".join(e.criterion.value for e in weighted if e.state is CriterionState.WORST),
        "undersized": int(undersized),
        "seats_held": held,
        "seats_needed": needed,
        "seats_short": max(needed - held, 0),
        "area_short_m2": max(float(ranking.project.area_wanted_m2) - area, 0.0),
    }
    return CandidateExplanation(
        key=ranking.keys[i],
        rank=i + 1,
        of=len(ranking),
        score=score,
        criteria=criteria,
        cost=ranking.costs.row(i),
        undersized=undersized,
        seats_held=held,
        per_seat_eur=float(ranking.per_seat_pv_eur[i]),
        per_seat_year_eur=float(ranking.raw[i, _INDEX[Criterion.COST]]),
        reason_key="candidate.summary",
        params=params,
    )


def explain(ranking: Ranking, key: str) -> CandidateExplanation:
    """Every criterion of one candidate as reason codes and figures, with its cost series."""
    return _explain_at(ranking, ranking.rank_of(key) - 1)


def explain_top(ranking: Ranking, count: int = 10) -> tuple[CandidateExplanation, ...]:
    """Explanations of the first ``count`` candidates, in rank order."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ScoringInputError("count", f"must be a whole number, 0 or more, got {count!r}")
    return tuple(_explain_at(ranking, i) for i in range(min(count, len(ranking))))


# --- what the weights would have to be --------------------------------------------------------------


class SwapStatus(StrEnum):
    TIED = "tied"  # equal scores already; the tie rule set the order
    SINGLE_TRANSFER = "single_transfer"  # moving weight from one criterion to another can do it
    SEVERAL_TRANSFERS = "several_transfers"  # no one criterion holds enough weight; several together do
    DOMINATED = "dominated"  # the lower one is nowhere better: no reweighting puts it ahead


@dataclass(frozen=True, slots=True)
class WeightTransfer:
    """Move ``amount`` of (normalised) weight from one criterion to another."""

    from_criterion: Criterion
    to_criterion: Criterion
    amount: float


@dataclass(frozen=True, slots=True)
class Reweighting:
    """A change of weights that brings two neighbours level: ``moved`` = total weight moved (half the L1
    distance between ``weights_before`` and ``weights_after``); at ``weights_after`` both score
    ``score_after``, and any further step the same way puts the lower one ahead."""

    transfers: tuple[WeightTransfer, ...]
    moved: float
    weights_after: Weights
    upper_score_after: float
    lower_score_after: float


@dataclass(frozen=True, slots=True)
class SwapAnalysis:
    """What it would take for rank ``upper_rank + 1`` to draw level with rank ``upper_rank``.

    ``single`` is the smallest single transfer (from one criterion to another), None when no single
    criterion holds enough weight. ``smallest`` is the smallest change of all: the same as ``single`` or,
    when taking weight from several criteria at once moves less in total, those transfers. Both are None
    when the pair is tied already or the lower one is dominated. Other candidates may move too: the
    analysis is about this pair only.

    ``reason_key`` is ``swap.<status>``; ``params`` hold the ranks and keys of the pair, the gap, the tie
    step (``tie_step``) and, for ``single`` and ``smallest`` (prefix ``single_``/``smallest_``): ``count``
    transfers, each ``from_<i>`` (criterion code), ``amount_<i>`` and ``from_weight_<i>`` (its weight
    before), the criterion ``to`` with ``to_weight`` (before), ``moved`` in all and both scores after."""

    upper_rank: int
    upper_key: str
    lower_key: str
    upper_score: float
    lower_score: float
    gap: float
    status: SwapStatus
    single: Reweighting | None
    smallest: Reweighting | None
    decided_by: TieStep
    reason_key: str
    params: Params


def _transfers(
    delta: FloatArray, weights: FloatArray, gap: float, *, tied: bool
) -> tuple[SwapStatus, list[tuple[int, int, float]], list[tuple[int, int, float]]]:
    """The best single transfer and the smallest change making ``sum(w' * delta) = 0``, with
    ``delta = upper - lower`` per criterion (normalised values, fixed whatever the weights).

    Moving t from a to b changes the gap by ``t * (delta[b] - delta[a])``. Whatever the source, the best
    sink is ``b = argmin delta``, and it must have ``delta[b] < 0`` (the lower one strictly better there),
    else no move ever helps: dominated. A single source needs ``t = gap / (delta[a] - delta[b]) <= w[a]``;
    the smallest t comes from the largest ``delta[a]`` that holds enough weight. Without that constraint,
    each unit of weight closes ``delta[a] - delta[b]`` of the gap, so the smallest total takes sources
    greedily from the largest delta down (a fractional knapsack): it may beat the best single transfer
    when the steepest source holds too little weight on its own.
    """
    if tied:
        return SwapStatus.TIED, [], []
    sink = int(np.argmin(delta))
    if delta[sink] >= 0:
        return SwapStatus.DOMINATED, [], []
    sources = [a for a in range(len(delta)) if weights[a] > 0 and delta[a] > delta[sink]]
    # Stable sort: among equal deltas CRITERIA order decides, so the answer is reproducible.
    sources.sort(key=lambda a: -delta[a])
    single: list[tuple[int, int, float]] = []
    for a in sources:
        amount = float(gap / (delta[a] - delta[sink]))
        if amount <= weights[a]:
            single = [(a, sink, amount)]
            break
    smallest: list[tuple[int, int, float]] = []
    remaining = gap
    for a in sources:
        closable = float(weights[a] * (delta[a] - delta[sink]))
        if closable >= remaining:
            smallest.append((a, sink, float(remaining / (delta[a] - delta[sink]))))
            break
        smallest.append((a, sink, float(weights[a])))
        remaining -= closable
    if len(smallest) == 1:
        smallest = single
    return (SwapStatus.SINGLE_TRANSFER if single else SwapStatus.SEVERAL_TRANSFERS), single, smallest


def _reweighting(
    moves: list[tuple[int, int, float]], weights: FloatArray, upper: FloatArray, lower: FloatArray
) -> Reweighting | None:
    if not moves:
        return None
    new = weights.copy()
    for a, b, t in moves:
        new[a] -= t
        new[b] += t
    new = np.maximum(new, 0.0)  # a source emptied to the last ulp must not go below 0
    return Reweighting(
        transfers=tuple(WeightTransfer(CRITERIA[a], CRITERIA[b], t) for a, b, t in moves),
        moved=math.fsum(t for _, _, t in moves),
        weights_after=Weights(*(float(v) for v in new)),
        upper_score_after=float(np.dot(new, upper)),
        lower_score_after=float(np.dot(new, lower)),
    )


def swap_analysis(ranking: Ranking, upper_rank: int) -> SwapAnalysis:
    """What it would take for rank ``upper_rank + 1`` to draw level with ``upper_rank`` (see
    :class:`SwapAnalysis`)."""
    i = ranking._pair(upper_rank)
    upper, lower = ranking.normalised[i], ranking.normalised[i + 1]
    weights = ranking.weight_vector
    gap = float(ranking.scores[i] - ranking.scores[i + 1])
    tied = bool(ranking.tie_group[i] == ranking.tie_group[i + 1])
    status, single_moves, smallest_moves = _transfers(upper - lower, weights, gap, tied=tied)
    single = _reweighting(single_moves, weights, upper, lower)
    smallest = _reweighting(smallest_moves, weights, upper, lower)
    step = ranking.decided_by(upper_rank)
    params: Params = {
        "upper_rank": upper_rank,
        "lower_rank": upper_rank + 1,
        "upper_key": ranking.keys[i],
        "lower_key": ranking.keys[i + 1],
        "gap": gap,
    }
    for name, change in (("single", single), ("smallest", smallest)):
        if change is not None:
            to = change.transfers[0].to_criterion
            params[f"{name}_count"] = len(change.transfers)
            params[f"{name}_moved"] = change.moved
            params[f"{name}_to"] = to.value
            params[f"{name}_to_weight"] = float(weights[_INDEX[to]])
            params[f"{name}_score_after"] = change.upper_score_after
            params[f"{name}_lower_score_after"] = change.lower_score_after
            for index, transfer in enumerate(change.transfers):
                params[f"{name}_from_{index}"] = transfer.from_criterion.value
                params[f"{name}_amount_{index}"] = transfer.amount
                params[f"{name}_from_weight_{index}"] = float(weights[_INDEX[transfer.from_criterion]])
    params["tie_step"] = step.value
    return SwapAnalysis(
        upper_rank=upper_rank,
        upper_key=ranking.keys[i],
        lower_key=ranking.keys[i + 1],
        upper_score=float(ranking.scores[i]),
        lower_score=float(ranking.scores[i + 1]),
        gap=gap,
        status=status,
        single=single,
        smallest=smallest,
        decided_by=step,
        reason_key=f"swap.{status.value}",
        params=params,
    )


def neighbour_swaps(ranking: Ranking, *, top: int | None = None) -> tuple[SwapAnalysis, ...]:
    """:func:`swap_analysis` for each pair of neighbours among the first ``top`` ranks (all when None)."""
    count = len(ranking) if top is None else min(top, len(ranking))
    return tuple(swap_analysis(ranking, r) for r in range(1, count))


class SensitivityCase(StrEnum):
    """The shape of a :class:`WeightRange`: the first stays first whatever the weight, up to a weight, from
    a weight, or between two."""

    ANY_WEIGHT = "any_weight"
    AT_MOST = "at_most"
    AT_LEAST = "at_least"
    BETWEEN = "between"


@dataclass(frozen=True, slots=True)
class WeightRange:
    """The first-ranked candidate stays first (or tied, the tie rule deciding) while ``criterion``'s
    normalised weight stays in [``low``, ``high``], the other weights rescaled in proportion to fill the
    rest. ``overtaken_below_by``/``overtaken_above_by``: the key that takes first place just past each end
    (None at 0 or 1). ``reason_key`` is ``sensitivity.<case>`` (:class:`SensitivityCase`); ``params`` hold
    the criterion, the first candidate's key (``first_key``), the weight now, both ends and the keys
    that would take first place past them (``below_key``, ``above_key``)."""

    criterion: Criterion
    weight: float
    low: float
    high: float
    overtaken_below_by: str | None
    overtaken_above_by: str | None
    case: SensitivityCase
    reason_key: str
    params: Params


def sensitivity(ranking: Ranking) -> tuple[WeightRange, ...]:
    """For each criterion, the weight range over which the first-ranked candidate stays first.

    Along the path ``w(t) = t e_k + (1 - t) u``, with ``u`` the other weights normalised (equal shares if
    they are all 0), every score is linear in t, so each rival's lead over the first is a line that is
    non-negative on an interval; the intersection of those intervals is the answer, exactly."""
    results: list[WeightRange] = []
    norm = ranking.normalised
    weights = ranking.weight_vector
    for k, criterion in enumerate(CRITERIA):
        others = weights.copy()
        others[k] = 0.0
        rest = others.sum()
        u = (
            others / rest
            if rest > 0
            else np.where(np.arange(len(CRITERIA)) == k, 0.0, 1.0 / (len(CRITERIA) - 1))
        )
        at_zero = np.zeros(len(ranking))
        for j in range(len(CRITERIA)):
            at_zero = at_zero + u[j] * norm[:, j]
        a = at_zero[0] - at_zero[1:]  # lead of the first over each rival at t = 0
        b = norm[0, k] - norm[1:, k]  # ... and at t = 1
        w = float(weights[k])
        low, high = 0.0, 1.0
        below: str | None = None
        above: str | None = None
        # Lead(t) = a + t (b - a) crosses 0 at t = a / (a - b) when a and b have opposite signs.
        losing_low = (a < -SCORE_TIE_TOLERANCE) & (b >= a)
        if losing_low.any():
            cross = np.where(losing_low, a / np.where(a - b == 0, -1.0, a - b), -np.inf)
            j = int(np.argmax(cross))
            low, below = min(float(cross[j]), w), ranking.keys[j + 1]
        losing_high = (b < -SCORE_TIE_TOLERANCE) & (a >= b)
        if losing_high.any():
            cross = np.where(losing_high, a / np.where(a - b == 0, 1.0, a - b), np.inf)
            j = int(np.argmin(cross))
            high, above = max(float(cross[j]), w), ranking.keys[j + 1]
        low, high = max(0.0, low), min(1.0, high)
        if below is None and above is None:
            case = SensitivityCase.ANY_WEIGHT
        elif below is None:
            case = SensitivityCase.AT_MOST
        elif above is None:
            case = SensitivityCase.AT_LEAST
        else:
            case = SensitivityCase.BETWEEN
        params: Params = {
            "criterion": criterion.value,
            "first_key": ranking.keys[0],
            "weight": w,
            "low": low,
            "high": high,
            "below_key": below,
            "above_key": above,
        }
        results.append(
            WeightRange(
                criterion=criterion,
                weight=w,
                low=low,
                high=high,
                overtaken_below_by=below,
                overtaken_above_by=above,
                case=case,
                reason_key=f"sensitivity.{case.value}",
                params=params,
            )
        )
    return tuple(results)


REASON_KEYS: tuple[str, ...] = (
    *(
        f"{criterion.value}.{state.value}"
        for criterion in CRITERIA
        for state in CriterionState
        if (
            criterion in OPTIONAL_CRITERIA or state not in (CriterionState.UNKNOWN, CriterionState.NONE_KNOWN)
        )
        and (criterion is Criterion.COST or state is not CriterionState.UNDERSIZED)
    ),
    "candidate.summary",
    *(f"swap.{status.value}" for status in SwapStatus),
    *(f"sensitivity.{case.value}" for case in SensitivityCase),
)
"""Every ``reason_key`` the engine can return: what the presentation layer must be able to phrase."""
