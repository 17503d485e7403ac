"""Catchments: the communes within a great-circle radius, or within an estimated commute time, of a point.

Pure computations (numpy and scipy, no Django, no I/O). Communes are indexed once (:func:`index_communes`):
their coordinates become unit vectors on the sphere and go into a :class:`scipy.spatial.cKDTree`. A radius
``r`` on the sphere is a chord ``2 sin(r / 2R)`` between unit vectors, so the tree finds every candidate
with a Euclidean ball query; the chord is then turned back into the exact great-circle distance
``2R asin(chord / 2)`` (the haversine formula written on unit vectors) and candidates beyond the radius are
dropped. The search chord is widened by a relative 1e-9 so that rounding never loses a commune lying exactly
on the circle; the exact filter decides.

One point: :func:`within_radius`, :func:`within_minutes`. Every commune at once: :func:`all_within_radius`,
:func:`all_within_minutes` return a :class:`CatchmentTable` in compressed sparse row form (``indptr``,
``indices``, ``distances_km``), never a dense n x n matrix: at 30 km, France's ~35,000 communes give about
7.3 million (commune, neighbour) pairs.

Communes without coordinates (NaN latitude or longitude) are excluded, never placed at (0, 0): they are
listed in ``excluded_ids`` of the index and of every result, and have an empty row in a table.

Commute time is an estimate, not a routing: road distance = straight-line distance x a detour factor
(default 1.3), then driving time accumulated over distance bands like tax brackets (default: the first 5 km
of road at 30 km/h, the next 15 km at 50 km/h, the rest at 70 km/h). Accumulating band by band keeps the
time continuous and increasing with distance, so "within T minutes" is the same as "within some distance",
and a longer trip never takes less time. Every result carries the parameters it used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

__all__ = [
    "DEFAULT_COMMUTE",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_SPEED_BANDS",
    "EARTH_RADIUS_KM",
    "Catchment",
    "CatchmentTable",
    "CommuneIndex",
    "CommuteModel",
    "SpeedBand",
    "all_within_minutes",
    "all_within_radius",
    "haversine_km",
    "index_communes",
    "within_minutes",
    "within_radius",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# IUGG mean Earth radius R1 (Moritz, "Geodetic Reference System 1980"): the usual sphere for haversine.
EARTH_RADIUS_KM = 6371.0088
# Rounding guard for the KD-tree ball: candidates are widened, never narrowed; the exact filter decides.
_CHORD_SLACK = 1e-9

DEFAULT_DETOUR_FACTOR = 1.3


@dataclass(frozen=True, slots=True)
class SpeedBand:
    """Road kilometres up to ``up_to_km`` (counted from the start of the trip) driven at ``speed_kmh``."""

    up_to_km: float
    speed_kmh: float


DEFAULT_SPEED_BANDS: tuple[SpeedBand, ...] = (
    SpeedBand(5.0, 30.0),
    SpeedBand(20.0, 50.0),
    SpeedBand(math.inf, 70.0),
)


@dataclass(frozen=True, slots=True)
class CommuteModel:
    """Estimated commute: road km = straight km x ``detour_factor``; time summed over ``bands``.

    The bands are cumulative: with the defaults a 30 km road trip takes 5/30 h + 15/50 h + 10/70 h. The last
    band must be open-ended (``math.inf``).
    """

    detour_factor: float = DEFAULT_DETOUR_FACTOR
    bands: tuple[SpeedBand, ...] = DEFAULT_SPEED_BANDS
    method: str = field(
        default=(
            "estimate: road distance = great-circle distance x detour factor; "
            "time accumulated over road-distance bands at a fixed speed each"
        )
    )

    def __post_init__(self) -> None:
        if not (math.isfinite(self.detour_factor) and self.detour_factor >= 1.0):
            raise ValueError(f"detour_factor must be a finite number >= 1, got {self.detour_factor!r}")
        if not self.bands:
            raise ValueError("bands must not be empty")
        previous = 0.0
        for band in self.bands:
            if not band.up_to_km > previous:
                raise ValueError(f"band limits must increase from 0: {band.up_to_km!r} after {previous!r}")
            if not (math.isfinite(band.speed_kmh) and band.speed_kmh > 0):
                raise ValueError(f"band speeds must be positive, got {band.speed_kmh!r}")
            previous = band.up_to_km
        if not math.isinf(self.bands[-1].up_to_km):
            raise ValueError("the last band must be open-ended (up_to_km=math.inf)")

    def road_km(self, straight_km: ArrayLike) -> FloatArray:
        return np.asarray(straight_km, dtype=np.float64) * self.detour_factor

    def minutes_for_road_km(self, road_km: ArrayLike) -> FloatArray:
        road = np.asarray(road_km, dtype=np.float64)
        hours = np.zeros_like(road)
        lower = 0.0
        for band in self.bands:
            hours += np.clip(road - lower, 0.0, band.up_to_km - lower) / band.speed_kmh
            lower = band.up_to_km
        result: FloatArray = hours * 60.0
        return result

    def minutes(self, straight_km: ArrayLike) -> FloatArray:
        """Estimated driving minutes for straight-line (great-circle) distances in km."""
        return self.minutes_for_road_km(self.road_km(straight_km))

    def straight_km_within(self, minutes: float) -> float:
        """The longest straight-line distance reachable in ``minutes`` (inverse of :meth:`minutes`)."""
        if not (math.isfinite(minutes) and minutes >= 0):
            raise ValueError(f"minutes must be a finite number >= 0, got {minutes!r}")
        hours_left = minutes / 60.0
        road = 0.0
        lower = 0.0
        for band in self.bands:
            width = band.up_to_km - lower
            band_hours = width / band.speed_kmh
            if hours_left <= band_hours:
                road += hours_left * band.speed_kmh
                break
            road += width
            hours_left -= band_hours
            lower = band.up_to_km
        return road / self.detour_factor

    def describe(self) -> str:
        """The parameters in one line, for labelling a figure (English; the UI may rebuild its own)."""
        parts = []
        lower = 0.0
        for band in self.bands:
            span = f"beyond {lower:g} km" if math.isinf(band.up_to_km) else f"{lower:g}-{band.up_to_km:g} km"
            parts.append(f"{span} at {band.speed_kmh:g} km/h")
            lower = band.up_to_km
        return f"road = straight line x {self.detour_factor:g}; " + ", ".join(parts)


DEFAULT_COMMUTE = CommuteModel()


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike, *, radius_km: float = EARTH_RADIUS_KM
) -> FloatArray:
    """Great-circle distance in km between points given in degrees (numpy broadcasting applies)."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    h = np.sin(dp / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2.0) ** 2
    result: FloatArray = 2.0 * radius_km * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return result


def _unit_vectors(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def _readonly(array: NDArray[np.generic]) -> None:
    array.flags.writeable = False


@dataclass(frozen=True, eq=False)
class CommuneIndex:
    """Communes ready for catchment queries. Build it with :func:`index_communes`.

    ``ids``, ``latitudes`` and ``longitudes`` keep the caller's order (position i is commune i in every
    result). ``located`` marks communes with usable coordinates; the others are in ``excluded_ids``.
    """

    ids: tuple[str, ...]
    latitudes: FloatArray
    longitudes: FloatArray
    located: BoolArray
    excluded_ids: tuple[str, ...]
    earth_radius_km: float
    _located_positions: IntArray = field(repr=False)
    _vectors: FloatArray = field(repr=False)
    _tree: cKDTree = field(repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, commune_id: str) -> int:
        """The position of a commune id (first occurrence); ValueError if absent."""
        return self.ids.index(commune_id)


def index_communes(
    ids: Sequence[str],
    latitudes: ArrayLike,
    longitudes: ArrayLike,
    *,
    earth_radius_km: float = EARTH_RADIUS_KM,
) -> CommuneIndex:
    """Index communes by their coordinates in decimal degrees (WGS84). NaN/None coordinates are excluded."""
    lat = np.array(latitudes, dtype=np.float64).reshape(-1)
    lon = np.array(longitudes, dtype=np.float64).reshape(-1)
    ids_tuple = tuple(str(i) for i in ids)
    if not (len(ids_tuple) == lat.size == lon.size):
        raise ValueError(
            "ids, latitudes and longitudes must have the same length "
            f"({len(ids_tuple)}, {lat.size}, {lon.size})"
        )
    if not (math.isfinite(earth_radius_km) and earth_radius_km > 0):
        raise ValueError(f"earth_radius_km must be positive, got {earth_radius_km!r}")
    located = np.isfinite(lat) & np.isfinite(lon)
    out_of_range = located & ((np.abs(lat) > 90.0) | (np.abs(lon) > 360.0))
    if out_of_range.any():
        first = int(np.flatnonzero(out_of_range)[0])
        raise ValueError(
            f"commune {ids_tuple[first]!r}: coordinates out of range ({lat[first]!r}, {lon[first]!r});"
            " expected decimal degrees (latitude, longitude)"
        )
    positions = np.flatnonzero(located).astype(np.int64)
    vectors = _unit_vectors(lat[positions], lon[positions])
    tree = cKDTree(vectors if positions.size else np.zeros((0, 3)))
    for array in (lat, lon, located, positions, vectors):
        _readonly(array)
    excluded = tuple(ids_tuple[i] for i in np.flatnonzero(~located))
    return CommuneIndex(
        ids=ids_tuple,
        latitudes=lat,
        longitudes=lon,
        located=located,
        excluded_ids=excluded,
        earth_radius_km=earth_radius_km,
        _located_positions=positions,
        _vectors=vectors,
        _tree=tree,
    )


def _chord_for(radius_km: float, earth_radius_km: float) -> float:
    angle = min(radius_km / earth_radius_km, math.pi)
    return 2.0 * math.sin(angle / 2.0) * (1.0 + _CHORD_SLACK) + 1e-15


def _arc_km(chord: FloatArray, earth_radius_km: float) -> FloatArray:
    result: FloatArray = (2.0 * earth_radius_km) * np.arcsin(np.minimum(chord * 0.5, 1.0))
    return result


def _check_radius(radius_km: float) -> None:
    if not (math.isfinite(radius_km) and radius_km >= 0):
        raise ValueError(f"radius_km must be a finite number >= 0, got {radius_km!r}")


def _check_point(latitude: float, longitude: float) -> None:
    if not (math.isfinite(latitude) and math.isfinite(longitude)) or abs(latitude) > 90.0:
        raise ValueError(f"the centre needs finite coordinates in degrees, got ({latitude!r}, {longitude!r})")


@dataclass(frozen=True, eq=False)
class Catchment:
    """The communes around one point, nearest first (ties by position).

    ``indices`` are positions in the :class:`CommuneIndex`; ``distances_km`` great-circle km; ``road_km``
    and ``minutes`` are filled for a commute catchment (with ``commute`` and ``max_minutes``) and ``None``
    for a plain radius. ``radius_km`` is the straight-line radius searched (for a commute catchment, the
    distance reachable in ``max_minutes``).
    """

    centre_latitude: float
    centre_longitude: float
    radius_km: float
    earth_radius_km: float
    ids: tuple[str, ...]
    indices: IntArray
    distances_km: FloatArray
    excluded_ids: tuple[str, ...]
    commute: CommuteModel | None = None
    max_minutes: float | None = None
    road_km: FloatArray | None = None
    minutes: FloatArray | None = None
    method: str = "great-circle distance (haversine on a sphere)"

    def __len__(self) -> int:
        return len(self.ids)


def within_radius(index: CommuneIndex, latitude: float, longitude: float, radius_km: float) -> Catchment:
    """The communes whose point lies within ``radius_km`` great-circle km of (latitude, longitude)."""
    _check_radius(radius_km)
    _check_point(latitude, longitude)
    centre = _unit_vectors(np.array([latitude], dtype=np.float64), np.array([longitude], dtype=np.float64))[0]
    found = np.asarray(
        index._tree.query_ball_point(centre, _chord_for(radius_km, index.earth_radius_km)), dtype=np.int64
    )
    diff = index._vectors[found] - centre
    distances = _arc_km(np.sqrt(np.einsum("ij,ij->i", diff, diff)), index.earth_radius_km)
    keep = distances <= radius_km
    positions = index._located_positions[found[keep]]
    distances = distances[keep]
    order = np.lexsort((positions, distances))
    positions = positions[order]
    distances = distances[order]
    _readonly(positions)
    _readonly(distances)
    return Catchment(
        centre_latitude=float(latitude),
        centre_longitude=float(longitude),
        radius_km=float(radius_km),
        earth_radius_km=index.earth_radius_km,
        ids=tuple(index.ids[i] for i in positions),
        indices=positions,
        distances_km=distances,
        excluded_ids=index.excluded_ids,
    )


def within_minutes(
    index: CommuneIndex,
    latitude: float,
    longitude: float,
    max_minutes: float,
    *,
    commute: CommuteModel = DEFAULT_COMMUTE,
) -> Catchment:
    """The communes reachable within ``max_minutes`` of estimated driving from (latitude, longitude)."""
    reach_km = commute.straight_km_within(max_minutes)
    by_radius = within_radius(index, latitude, longitude, reach_km)
    minutes = commute.minutes(by_radius.distances_km)
    # The radius is the exact inverse of the time model; this keeps the minutes themselves authoritative.
    keep = minutes <= max_minutes
    positions = by_radius.indices[keep]
    distances = by_radius.distances_km[keep]
    road = commute.road_km(distances)
    minutes = minutes[keep]
    for array in (positions, distances, road, minutes):
        _readonly(array)
    return Catchment(
        centre_latitude=by_radius.centre_latitude,
        centre_longitude=by_radius.centre_longitude,
        radius_km=reach_km,
        earth_radius_km=index.earth_radius_km,
        ids=tuple(index.ids[i] for i in positions),
        indices=positions,
        distances_km=distances,
        excluded_ids=index.excluded_ids,
        commute=commute,
        max_minutes=float(max_minutes),
        road_km=road,
        minutes=minutes,
        method=f"{commute.method} ({commute.describe()})",
    )


@dataclass(frozen=True, eq=False)
class CatchmentTable:
    """Every commune's catchment at once, in compressed sparse row form.

    Row i (commune i of the index) holds positions ``indices[indptr[i]:indptr[i + 1]]`` with their
    great-circle ``distances_km`` (and ``minutes`` for a commute table). A commune is in its own catchment
    (distance 0). Rows are unordered inside; :meth:`row` returns one sorted nearest first. Communes without
    coordinates have empty rows and are listed in ``excluded_ids``.
    """

    ids: tuple[str, ...]
    radius_km: float
    earth_radius_km: float
    indptr: IntArray
    indices: IntArray
    distances_km: FloatArray
    excluded_ids: tuple[str, ...]
    commute: CommuteModel | None = None
    max_minutes: float | None = None
    minutes: FloatArray | None = None
    method: str = "great-circle distance (haversine on a sphere)"

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def pairs(self) -> int:
        """Number of (commune, commune in its catchment) pairs, self included."""
        return int(self.indices.size)

    @property
    def neighbour_counts(self) -> IntArray:
        """Communes in each catchment (self included; 0 for communes without coordinates)."""
        counts: IntArray = np.diff(self.indptr)
        return counts

    def row(self, position: int) -> tuple[IntArray, FloatArray]:
        """(positions, distances_km) of commune ``position``'s catchment, nearest first (ties by position)."""
        start, stop = int(self.indptr[position]), int(self.indptr[position + 1])
        positions = self.indices[start:stop]
        distances = self.distances_km[start:stop]
        order = np.lexsort((positions, distances))
        return positions[order], distances[order]

    def row_ids(self, position: int) -> tuple[str, ...]:
        return tuple(self.ids[i] for i in self.row(position)[0])

    def sum_over(self, values: ArrayLike) -> FloatArray:
        """For every commune, the sum of ``values`` (one per commune, index order) over its catchment.

        NaN values count as 0: pair this with :meth:`sum_over` of ``np.isnan(values)`` to know how many
        communes were missing.
        """
        array = np.asarray(values, dtype=np.float64).reshape(-1)
        if array.size != len(self.ids):
            raise ValueError(f"expected {len(self.ids)} values, got {array.size}")
        rows = np.repeat(np.arange(len(self.ids), dtype=np.int64), np.diff(self.indptr))
        weights = np.nan_to_num(array, nan=0.0)[self.indices]
        result: FloatArray = np.asarray(
            np.bincount(rows, weights=weights, minlength=len(self.ids)), dtype=np.float64
        )
        return result


def _group_by_row(rows: IntArray, n_rows: int) -> IntArray:
    """A stable permutation sorting ``rows`` (a counting sort in effect)."""
    if n_rows <= np.iinfo(np.uint16).max:
        # NumPy radix-sorts 16-bit keys: linear time, four times faster than a comparison sort here.
        return np.argsort(rows.astype(np.uint16), kind="stable").astype(np.int64)
    return np.argsort(rows, kind="stable").astype(np.int64)


def all_within_radius(index: CommuneIndex, radius_km: float) -> CatchmentTable:
    """Every commune's catchment within ``radius_km`` great-circle km, as a :class:`CatchmentTable`."""
    _check_radius(radius_km)
    n = len(index.ids)
    located = index._located_positions
    if located.size:
        found = index._tree.sparse_distance_matrix(
            index._tree, _chord_for(radius_km, index.earth_radius_km), output_type="ndarray"
        )
        rows = found["i"].astype(np.int64)
        cols = found["j"].astype(np.int64)
        distances = _arc_km(found["v"].astype(np.float64), index.earth_radius_km)
        keep = distances <= radius_km
        if not keep.all():
            rows, cols, distances = rows[keep], cols[keep], distances[keep]
        # sparse_distance_matrix leaves out the diagonal when the distance is 0: put every commune in its own
        # catchment explicitly, once.
        off_diagonal = rows != cols
        rows = np.concatenate((rows[off_diagonal], np.arange(located.size, dtype=np.int64)))
        cols = np.concatenate((cols[off_diagonal], np.arange(located.size, dtype=np.int64)))
        distances = np.concatenate((distances[off_diagonal], np.zeros(located.size)))
        order = _group_by_row(rows, located.size)
        indices = located[cols[order]]
        distances = distances[order]
        counts = np.zeros(n, dtype=np.int64)
        counts[located] = np.bincount(rows, minlength=located.size)
    else:
        indices = np.zeros(0, dtype=np.int64)
        distances = np.zeros(0, dtype=np.float64)
        counts = np.zeros(n, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    for array in (indptr, indices, distances):
        _readonly(array)
    return CatchmentTable(
        ids=index.ids,
        radius_km=float(radius_km),
        earth_radius_km=index.earth_radius_km,
        indptr=indptr,
        indices=indices,
        distances_km=distances,
        excluded_ids=index.excluded_ids,
    )


def all_within_minutes(
    index: CommuneIndex, max_minutes: float, *, commute: CommuteModel = DEFAULT_COMMUTE
) -> CatchmentTable:
    """Every commune's catchment within ``max_minutes`` of estimated driving."""
    reach_km = commute.straight_km_within(max_minutes)
    table = all_within_radius(index, reach_km)
    minutes = commute.minutes(table.distances_km)
    keep = minutes <= max_minutes
    indptr = table.indptr
    indices = table.indices
    distances = table.distances_km
    if not keep.all():
        rows = np.repeat(np.arange(len(index.ids), dtype=np.int64), np.diff(table.indptr))
        counts = np.bincount(rows[keep], minlength=len(index.ids))
        indptr = np.zeros(len(index.ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        indices, distances, minutes = indices[keep], distances[keep], minutes[keep]
    for kept in (indptr, indices, distances, minutes):
        if kept.flags.writeable:
            _readonly(kept)
    return CatchmentTable(
        ids=index.ids,
        radius_km=reach_km,
        earth_radius_km=index.earth_radius_km,
        indptr=indptr,
        indices=indices,
        distances_km=distances,
        excluded_ids=index.excluded_ids,
        commute=commute,
        max_minutes=float(max_minutes),
        minutes=minutes,
        method=f"{commute.method} ({commute.describe()})",
    )
