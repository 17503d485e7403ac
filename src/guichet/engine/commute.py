"""Commute times: a model calibrated on reference trips, and a travel-time matrix that replaces it.

Pure computations (numpy and scipy, no Django, no I/O).

**The model.** No road network is packaged, so a driving time is estimated from the straight-line
(great-circle) distance ``d`` between two points. The distance is cut into bands, like tax brackets: the first
``up_to_km`` of straight line are driven with the first band's detour factor (road km per straight km) and
speed, the next ones with the second band's, and so on. Road distance and minutes are sums over the bands, so
both are continuous and increase with ``d``: "within T minutes" is exactly "within some straight-line
distance", and :meth:`CommuteModel.straight_km_within` inverts the time exactly. Long trips get the speed of
main roads (the last band), short ones the slow start out of a town.

**Calibration** (:func:`calibrate`): the band limits and the first band's detour are set (no short trip
gives its road km); the detour factors of the other bands are fitted by least squares on the road kilometres
of the trips that give them, then every band's speed on the trips' minutes (the two short trips inside
towns measure the first band's), within stated bounds (no band faster than ``max_speed_kmh``).

**Error on trips it was not fitted on** (:func:`model_errors`): leave-one-out cross-validation, each trip
predicted by the model calibrated on the others, and the error on validation trips never used to fit. These,
not the in-sample error, are the figures the pages state (:data:`CALIBRATED_CV_MAE_MINUTES`). What the model
cannot know: a motorway (trips along the A36/A39 come out too slow) and a mountain road (Saint-Claude to
Lons-le-Saunier far too fast); no relief nor road class can be derived from the bundled data, and the
population density along the trip does not explain the errors (checked: the sparse corridors are both too
slow and too fast). A travel-time matrix import is the remedy.

**A travel-time matrix** (:class:`TravelTimes`): minutes from an origin commune to a destination commune,
as produced by a routing engine (OSRM, Valhalla) or a GIS. Where it has a value for a pair, it replaces the
model (see :func:`guichet.engine.catchment.within_minutes`). A commute goes from home to work: the time of
residents of commune ``h`` to a workplace in ``w`` is ``(h, w)``; when only ``(w, h)`` is given, it stands in
and the result says so (``matrix_reverse``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CALIBRATED_COMMUTE",
    "CALIBRATED_CV_MAE_MINUTES",
    "CALIBRATED_CV_TRIPS",
    "CALIBRATED_VALIDATION_MAE_MINUTES",
    "CALIBRATED_VALIDATION_TRIPS",
    "DEFAULT_BREAKS_KM",
    "DEFAULT_FIRST_BAND",
    "DEFAULT_MAX_SPEED_KMH",
    "CalibrationReport",
    "CommuteBand",
    "CommuteModel",
    "ReferenceTrip",
    "TravelTimes",
    "TripError",
    "calibrate",
    "model_errors",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CommuteBand:
    """Straight-line km up to ``up_to_km`` (counted from the start of the trip): ``detour`` road km per
    straight km, driven at ``speed_kmh``."""

    up_to_km: float
    detour: float
    speed_kmh: float


@dataclass(frozen=True, slots=True)
class CommuteModel:
    """Estimated commute by straight-line distance bands (cumulative). ``key`` names the model for the pages
    (``"calibrated"`` for :data:`CALIBRATED_COMMUTE`, ``"custom"`` otherwise). The last band must be
    open-ended (``math.inf``)."""

    bands: tuple[CommuteBand, ...]
    key: str = "custom"

    def __post_init__(self) -> None:
        if not self.bands:
            raise ValueError("bands must not be empty")
        previous = 0.0
        for band in self.bands:
            if not band.up_to_km > previous:
                raise ValueError(f"band limits must increase from 0: {band.up_to_km!r} after {previous!r}")
            if not (math.isfinite(band.detour) and band.detour >= 1.0):
                raise ValueError(f"detour factors must be finite numbers >= 1, got {band.detour!r}")
            if not (math.isfinite(band.speed_kmh) and band.speed_kmh > 0):
                raise ValueError(f"band speeds must be positive, got {band.speed_kmh!r}")
            previous = band.up_to_km
        if not math.isinf(self.bands[-1].up_to_km):
            raise ValueError("the last band must be open-ended (up_to_km=math.inf)")

    def _lengths(self, straight_km: ArrayLike) -> FloatArray:
        """Straight-line km of each distance falling in each band, shape (n, bands)."""
        d = np.asarray(straight_km, dtype=np.float64).reshape(-1)
        out = np.empty((d.size, len(self.bands)), dtype=np.float64)
        lower = 0.0
        for k, band in enumerate(self.bands):
            out[:, k] = np.clip(d - lower, 0.0, band.up_to_km - lower)
            lower = band.up_to_km
        return out

    def road_km(self, straight_km: ArrayLike) -> FloatArray:
        """Estimated road km for straight-line distances in km (same shape as given)."""
        shape = np.shape(straight_km)
        detours = np.array([b.detour for b in self.bands])
        result: FloatArray = (self._lengths(straight_km) @ detours).reshape(shape)
        return result

    def minutes(self, straight_km: ArrayLike) -> FloatArray:
        """Estimated driving minutes for straight-line (great-circle) distances in km."""
        shape = np.shape(straight_km)
        per_km = np.array([60.0 * b.detour / b.speed_kmh for b in self.bands])
        result: FloatArray = (self._lengths(straight_km) @ per_km).reshape(shape)
        return result

    def straight_km_within(self, minutes: float) -> float:
        """The longest straight-line distance reachable in ``minutes`` (exact inverse of :meth:`minutes`)."""
        if not (math.isfinite(minutes) and minutes >= 0):
            raise ValueError(f"minutes must be a finite number >= 0, got {minutes!r}")
        left = float(minutes)
        reach = 0.0
        lower = 0.0
        for band in self.bands:
            per_km = 60.0 * band.detour / band.speed_kmh
            width = band.up_to_km - lower
            if left <= width * per_km:
                return reach + left / per_km
            reach += width
            left -= width * per_km
            lower = band.up_to_km
        return reach  # pragma: no cover - the last band is open-ended

    def describe(self) -> str:
        """The parameters in one line (English, for the command line and logs; pages phrase the bands)."""
        parts = []
        lower = 0.0
        for band in self.bands:
            span = f"beyond {lower:g} km" if math.isinf(band.up_to_km) else f"{lower:g}-{band.up_to_km:g} km"
            parts.append(f"{span}: road x {band.detour:g} at {band.speed_kmh:g} km/h")
            lower = band.up_to_km
        return "straight-line distance bands; " + "; ".join(parts)


# --- calibration --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReferenceTrip:
    """A documented trip: straight-line km between the two communes' points, road km (NaN when the source
    gives none) and minutes."""

    from_id: str
    from_name: str
    to_id: str
    to_name: str
    straight_km: float
    road_km: float
    minutes: float
    main_road: str = ""


DEFAULT_BREAKS_KM: tuple[float, ...] = (5.0, 30.0)
# The first band's detour is set, not fitted: leaving a town, about 1.3 road km per straight km (no trip under
# 15 km gives its road km). Its speed is fitted on the short trips; the 40 km/h here is the starting point
# and the value used by ``fit_first_speed=False``.
DEFAULT_FIRST_BAND = (1.3, 40.0)
# Ceiling of a band's average speed: 110 km/h, the limit on dual carriageways (below motorways' 130 km/h).
DEFAULT_MAX_SPEED_KMH = 110.0
_MIN_SPEED_KMH = 20.0


def _lengths(straight: FloatArray, breaks: Sequence[float]) -> FloatArray:
    edges = [0.0, *breaks, math.inf]
    return np.stack(
        [np.clip(straight - edges[k], 0.0, edges[k + 1] - edges[k]) for k in range(len(edges) - 1)], axis=1
    )


def _fit_detours(lengths: FloatArray, road: FloatArray, first_detour: float) -> FloatArray:
    """Detour factors of the bands after the first, by least squares on the trips whose road km is known."""
    from scipy.optimize import least_squares

    known = np.isfinite(road)
    free = lengths.shape[1] - 1
    if int(known.sum()) < free:
        raise ValueError(f"need at least {free} trips with road km to fit the detour factors")

    def residuals(detours: FloatArray) -> FloatArray:
        result: FloatArray = lengths[known, 0] * first_detour + lengths[known, 1:] @ detours - road[known]
        return result

    fitted: FloatArray = least_squares(
        residuals, np.full(free, 1.25), bounds=(np.ones(free), np.full(free, 2.0))
    ).x
    return fitted


def calibrate(
    trips: Sequence[ReferenceTrip],
    *,
    breaks_km: Sequence[float] = DEFAULT_BREAKS_KM,
    first_band: tuple[float, float] = DEFAULT_FIRST_BAND,
    max_speed_kmh: float = DEFAULT_MAX_SPEED_KMH,
    fit_first_speed: bool = True,
    key: str = "custom",
) -> CommuteModel:
    """A :class:`CommuteModel` fitted on ``trips`` (see the module's docstring), parameters rounded to 3
    decimals for the detours and 1 for the speeds. The detours of the bands after the first are fitted on the
    trips whose road km is known; every band's speed on the minutes (the first band's only with
    ``fit_first_speed``, which needs trips shorter than the first break to mean anything)."""
    from scipy.optimize import least_squares

    if len(trips) < 2 * len(breaks_km):
        raise ValueError(f"need at least {2 * len(breaks_km)} trips to calibrate, got {len(trips)}")
    straight = np.array([t.straight_km for t in trips], dtype=np.float64)
    road = np.array([t.road_km for t in trips], dtype=np.float64)
    minutes = np.array([t.minutes for t in trips], dtype=np.float64)
    if not (np.isfinite(straight).all() and (straight > 0).all()):
        raise ValueError("every trip needs a straight-line distance > 0")
    lengths = _lengths(straight, breaks_km)
    first_detour, first_speed = first_band
    detours = np.round(np.concatenate(([first_detour], _fit_detours(lengths, road, first_detour))), 3)
    road_lengths = lengths * detours
    fixed = 0 if fit_first_speed else 1
    free = lengths.shape[1] - fixed

    def minute_residuals(speeds: FloatArray) -> FloatArray:
        all_speeds = np.concatenate(([first_speed], speeds)) if fixed else speeds
        result: FloatArray = 60.0 * (road_lengths / all_speeds).sum(axis=1) - minutes
        return result

    start = np.full(free, 60.0)
    if fit_first_speed:
        start[0] = first_speed
    speeds = least_squares(
        minute_residuals,
        start,
        bounds=(np.full(free, _MIN_SPEED_KMH), np.full(free, max_speed_kmh)),
    ).x
    all_speeds = np.round(np.concatenate(([first_speed], speeds)) if fixed else speeds, 1)
    limits = [*breaks_km, math.inf]
    return CommuteModel(
        bands=tuple(
            CommuteBand(float(limit), float(detour), float(speed))
            for limit, detour, speed in zip(limits, detours, all_speeds, strict=True)
        ),
        key=key,
    )


@dataclass(frozen=True, slots=True)
class TripError:
    trip: ReferenceTrip
    minutes: float
    road_km: float
    loo_minutes: float | None

    @property
    def error(self) -> float:
        return self.minutes - self.trip.minutes

    @property
    def loo_error(self) -> float | None:
        return None if self.loo_minutes is None else self.loo_minutes - self.trip.minutes


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    """The model's error on the reference trips, in minutes (``loo_*``: each trip predicted by the model
    calibrated on the other trips, None when the model was not calibrated by :func:`calibrate`).
    ``road_mean_absolute_error`` is over the trips whose road km is known."""

    trips: tuple[TripError, ...]
    mean_absolute_error: float
    root_mean_square_error: float
    max_absolute_error: float
    bias: float
    road_mean_absolute_error: float
    loo_mean_absolute_error: float | None
    loo_root_mean_square_error: float | None = None

    def worst(self, count: int = 3) -> tuple[TripError, ...]:
        """The trips the cross-validated model gets most wrong (in-sample without cross-validation)."""
        return tuple(
            sorted(self.trips, key=lambda t: -abs(t.loo_error if t.loo_error is not None else t.error))[
                :count
            ]
        )


def model_errors(
    model: CommuteModel,
    trips: Sequence[ReferenceTrip],
    *,
    leave_one_out: bool = True,
    breaks_km: Sequence[float] = DEFAULT_BREAKS_KM,
    first_band: tuple[float, float] = DEFAULT_FIRST_BAND,
    max_speed_kmh: float = DEFAULT_MAX_SPEED_KMH,
    fit_first_speed: bool = True,
) -> CalibrationReport:
    """Errors of ``model`` on ``trips``; with ``leave_one_out``, the cross-validated errors too: each trip
    predicted by :func:`calibrate` (same settings) fitted on the other trips, never on itself."""
    straight = np.array([t.straight_km for t in trips], dtype=np.float64)
    minutes = model.minutes(straight)
    road = model.road_km(straight)
    loo: list[float | None] = [None] * len(trips)
    if leave_one_out:
        for k in range(len(trips)):
            others = [t for j, t in enumerate(trips) if j != k]
            fitted = calibrate(
                others,
                breaks_km=breaks_km,
                first_band=first_band,
                max_speed_kmh=max_speed_kmh,
                fit_first_speed=fit_first_speed,
            )
            loo[k] = float(fitted.minutes(trips[k].straight_km))
    rows = tuple(
        TripError(trip=t, minutes=float(m), road_km=float(r), loo_minutes=lo)
        for t, m, r, lo in zip(trips, minutes, road, loo, strict=True)
    )
    errors = np.array([row.error for row in rows])
    road_errors = np.array(
        [row.road_km - row.trip.road_km for row in rows if math.isfinite(row.trip.road_km)]
    )
    loo_errors = np.array([row.loo_error for row in rows if row.loo_error is not None])
    return CalibrationReport(
        trips=rows,
        mean_absolute_error=float(np.abs(errors).mean()),
        root_mean_square_error=float(np.sqrt((errors**2).mean())),
        max_absolute_error=float(np.abs(errors).max()),
        bias=float(errors.mean()),
        road_mean_absolute_error=float(np.abs(road_errors).mean()) if road_errors.size else math.nan,
        loo_mean_absolute_error=float(np.abs(loo_errors).mean()) if loo_errors.size else None,
        loo_root_mean_square_error=float(np.sqrt((loo_errors**2).mean())) if loo_errors.size else None,
    )


# The model the product uses: `calibrate` on the bundled calibration trips (data/commute/reference-trips.csv)
# with the default settings. tests/engine/test_commute.py recomputes it from the file and checks these values.
CALIBRATED_COMMUTE = CommuteModel(
    bands=(
        CommuteBand(5.0, 1.3, 55.1),
        CommuteBand(30.0, 1.224, 60.1),
        CommuteBand(math.inf, 1.249, 110.0),
    ),
    key="calibrated",
)
# Its error on trips it was not fitted on, in minutes, as the pages state it (tests/engine/test_commute.py
# recomputes both): leave-one-out over the calibration trips (each predicted by the model fitted on the
# others), and the mean error on the validation trips, never used to fit.
CALIBRATED_CV_MAE_MINUTES = 4.9
CALIBRATED_CV_TRIPS = 16
CALIBRATED_VALIDATION_MAE_MINUTES = 7.7
CALIBRATED_VALIDATION_TRIPS = 2


# --- travel-time matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TravelTimes:
    """Minutes from an origin commune to a destination commune (a routing engine's matrix).

    Build it with :meth:`from_rows`. ``source`` is the label of the matrix (its file and date), shown beside
    every time drawn from it.
    """

    source: str
    _by_destination: Mapping[str, Mapping[str, float]] = field(repr=False)
    _by_origin: Mapping[str, Mapping[str, float]] = field(repr=False)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, float]], *, source: str) -> TravelTimes:
        by_destination: dict[str, dict[str, float]] = {}
        by_origin: dict[str, dict[str, float]] = {}
        for origin, destination, minutes in rows:
            value = float(minutes)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{origin} -> {destination}: minutes must be a finite number >= 0")
            by_destination.setdefault(destination, {})[origin] = value
            by_origin.setdefault(origin, {})[destination] = value
        return cls(source=source, _by_destination=by_destination, _by_origin=by_origin)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_origin.values())

    def to_workplace(self, workplace: str) -> dict[str, tuple[float, bool]]:
        """For each home commune with a time to ``workplace``: (minutes, reverse) where ``reverse`` says the
        time was given the other way (workplace -> home) and stands in for the missing one."""
        result = {home: (minutes, True) for home, minutes in self._by_origin.get(workplace, {}).items()}
        result.update(
            {home: (minutes, False) for home, minutes in self._by_destination.get(workplace, {}).items()}
        )
        return result
