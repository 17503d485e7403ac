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

Commute time (:func:`within_minutes`) comes from :mod:`guichet.engine.commute`: the calibrated model of
straight-line distance bands by default, replaced by a routing engine's travel-time matrix for the pairs it
gives. Every result carries the model it used and, per commune, where its time came from
(:data:`TIME_FROM_MODEL`, :data:`TIME_FROM_MATRIX`, :data:`TIME_FROM_MATRIX_REVERSE`).

:func:`sums_within_radius` sums values over every commune's catchment without building the pairs table: the
fast path for "the pool of every commune of France".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from guichet.engine.commute import CALIBRATED_COMMUTE, CommuteBand, CommuteModel, TravelTimes

__all__ = [
    "DEFAULT_COMMUTE",
    "EARTH_RADIUS_KM",
    "TIME_FROM_MATRIX",
    "TIME_FROM_MATRIX_REVERSE",
    "TIME_FROM_MODEL",
    "Catchment",
    "CatchmentTable",
    "CommuneIndex",
    "CommuteBand",
    "CommuteModel",
    "TravelTimes",
    "all_within_minutes",
    "all_within_radius",
    "haversine_km",
    "index_communes",
    "sums_within_radius",
    "within_minutes",
    "within_radius",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# IUGG mean Earth radius R1 (Moritz, "Geodetic Reference System 1980"): the usual sphere for haversine.
EARTH_RADIUS_KM = 6371.0088
# Where a commune's time in a commute catchment comes from.
TIME_FROM_MODEL = 0
TIME_FROM_MATRIX = 1
TIME_FROM_MATRIX_REVERSE = 2

# Rounding guard for the KD-tree ball: candidates are widened, never narrowed; the exact filter decides.
_CHORD_SLACK = 1e-9

DEFAULT_COMMUTE = CALIBRATED_COMMUTE


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
    _position_of: dict[str, int] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, commune_id: str) -> int:
        """The position of a commune id (first occurrence); ValueError if absent."""
        if self._position_of is None:
            object.__setattr__(
                self, "_position_of", {cid: i for i, cid in reversed(list(enumerate(self.ids)))}
            )
        assert self._position_of is not None
        try:
            return self._position_of[commune_id]
        except KeyError:
            raise ValueError(f"{commune_id!r} is not in the index") from None


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
    """The communes around one point, nearest first (ties by position) for a radius; by minutes for a commute.

    ``indices`` are positions in the :class:`CommuneIndex`; ``distances_km`` great-circle km; ``road_km``
    and ``minutes`` are filled for a commute catchment (with ``commute`` and ``max_minutes``) and ``None``
    for a plain radius. ``radius_km`` is the straight-line radius searched (for a commute catchment, the
    distance the model reaches in ``max_minutes``). ``time_sources`` says, per commune, where its minutes come
    from (``TIME_FROM_*``); ``travel_times_source`` labels the matrix when one was given.
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
    time_sources: NDArray[np.int8] | None = None
    travel_times_source: str = ""

    def __len__(self) -> int:
        return len(self.ids)

    def count_by_time_source(self) -> dict[int, int]:
        """How many communes got their time from the model, the matrix, the matrix read the other way."""
        if self.time_sources is None:
            return {}
        counts = np.bincount(self.time_sources.astype(np.int64), minlength=3)
        return {
            TIME_FROM_MODEL: int(counts[0]),
            TIME_FROM_MATRIX: int(counts[1]),
            TIME_FROM_MATRIX_REVERSE: int(counts[2]),
        }


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
    travel_times: TravelTimes | None = None,
    workplace_id: str | None = None,
) -> Catchment:
    """The communes whose residents reach (latitude, longitude) within ``max_minutes`` of driving.

    Times come from ``commute`` (an estimate from straight-line distance), except for the communes that
    ``travel_times`` gives a time to ``workplace_id`` (the commune of the point): those use the matrix,
    whatever their distance, so a fast road can bring in a commune beyond the model's reach and a slow one
    drop a near commune. Ordered by minutes, then distance, then position.
    """
    if not (math.isfinite(max_minutes) and max_minutes >= 0):
        raise ValueError(f"max_minutes must be a finite number >= 0, got {max_minutes!r}")
    reach_km = commute.straight_km_within(max_minutes)
    by_radius = within_radius(index, latitude, longitude, reach_km)
    positions = by_radius.indices
    distances = by_radius.distances_km
    minutes = commute.minutes(distances)
    sources = np.zeros(positions.size, dtype=np.int8)
    matrix_label = ""
    if travel_times is not None and workplace_id is not None:
        matrix_label = travel_times.source
        known = travel_times.to_workplace(workplace_id)
        position_of = {index.ids[int(i)]: k for k, i in enumerate(positions)}
        extra_ids = [home for home in known if home not in position_of]
        extra = np.array(
            [i for i in (_position_or_none(index, home) for home in extra_ids) if i is not None],
            dtype=np.int64,
        )
        extra = extra[index.located[extra]] if extra.size else extra
        if extra.size:
            extra_distances = haversine_km(
                latitude,
                longitude,
                index.latitudes[extra],
                index.longitudes[extra],
                radius_km=index.earth_radius_km,
            )
            positions = np.concatenate((positions, extra))
            distances = np.concatenate((distances, extra_distances))
            minutes = np.concatenate((minutes, commute.minutes(extra_distances)))
            sources = np.concatenate((sources, np.zeros(extra.size, dtype=np.int8)))
        minutes = minutes.copy()
        for k, i in enumerate(positions):
            found = known.get(index.ids[int(i)])
            if found is not None:
                minutes[k] = found[0]
                sources[k] = TIME_FROM_MATRIX_REVERSE if found[1] else TIME_FROM_MATRIX
    keep = minutes <= max_minutes
    positions, distances, minutes, sources = positions[keep], distances[keep], minutes[keep], sources[keep]
    order = np.lexsort((positions, distances, minutes))
    positions, distances, minutes, sources = (
        positions[order],
        distances[order],
        minutes[order],
        sources[order],
    )
    road = commute.road_km(distances)
    for array in (positions, distances, road, minutes, sources):
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
        method=commute.describe() + (f"; travel-time matrix: {matrix_label}" if matrix_label else ""),
        time_sources=sources,
        travel_times_source=matrix_label,
    )


def _position_or_none(index: CommuneIndex, commune_id: str) -> int | None:
    try:
        return index.position(commune_id)
    except ValueError:
        return None


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
        method=commute.describe(),
    )


def sums_within_radius(index: CommuneIndex, radius_km: float, values: ArrayLike) -> FloatArray:
    """For every commune, the sums of ``values`` (shape (n,) or (n, k), index order) over the communes within
    ``radius_km`` of it (itself included), without building the pairs table.

    NaN values count as 0; communes without coordinates get 0. The same figures as
    ``all_within_radius(index, radius_km).sum_over(column)`` for each column, in a fraction of the time and
    memory: the tree yields each pair once (i < j) and both ends receive the other's values.
    """
    _check_radius(radius_km)
    array = np.asarray(values, dtype=np.float64)
    single = array.ndim == 1
    matrix = array.reshape(-1, 1) if single else array
    n = len(index.ids)
    if matrix.shape[0] != n:
        raise ValueError(f"expected {n} rows of values (one per commune), got {matrix.shape[0]}")
    matrix = np.nan_to_num(matrix, nan=0.0)
    located = index._located_positions
    result = np.zeros_like(matrix)
    if located.size:
        result[located] = _grid_sums(index._vectors, matrix[located], radius_km, index.earth_radius_km)
    out: FloatArray = result[:, 0] if single else result
    return out


def _grid_sums(
    vectors: FloatArray, values: FloatArray, radius_km: float, earth_radius_km: float
) -> FloatArray:
    """Sums of ``values`` over each point's neighbours within ``radius_km`` (itself included).

    The unit vectors are binned in a 3-D grid of cells one search chord wide, so a point's neighbours lie in
    its own cell or the 26 around it. Each pair of neighbouring cells is handled once, as a dense block: the
    arc of every pair in it is computed exactly, and the sums are two matrix products (both ends of each pair
    receive the other's values). A few thousand blocks instead of tens of millions of pairs in Python.
    """
    chord = _chord_for(radius_km, earth_radius_km)
    # Cells at least 1e-4 wide (640 m): a tiny radius would otherwise ask for more cells than int64 counts.
    cells = np.floor(vectors / max(chord, 1e-4)).astype(np.int64)
    cells -= cells.min(axis=0)
    span = cells.max(axis=0) + 3
    keys = (cells[:, 0] * span[1] + cells[:, 1]) * span[2] + cells[:, 2]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    unique, starts = np.unique(sorted_keys, return_index=True)
    stops = np.append(starts[1:], sorted_keys.size)
    where = {int(k): (int(a), int(b)) for k, a, b in zip(unique, starts, stops, strict=True)}
    offsets = sorted(
        {(dx * span[1] + dy) * span[2] + dz for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)}
    )
    forward = [int(o) for o in offsets if o > 0]
    ordered_vectors = vectors[order]
    ordered_values = values[order]
    sums = np.zeros_like(ordered_values)
    two_r = 2.0 * earth_radius_km
    for key, (a0, a1) in where.items():
        va = ordered_vectors[a0:a1]
        # Own cell: the pairs (i, j) and (j, i) and (i, i) all come out of the square block.
        dots = va @ va.T
        inside = (
            two_r * np.arcsin(np.minimum(np.sqrt(np.maximum(2.0 - 2.0 * dots, 0.0)) * 0.5, 1.0)) <= radius_km
        )
        np.fill_diagonal(inside, True)
        sums[a0:a1] += inside.astype(np.float64) @ ordered_values[a0:a1]
        for offset in forward:
            other = where.get(key + offset)
            if other is None:
                continue
            b0, b1 = other
            dots = va @ ordered_vectors[b0:b1].T
            arcs = two_r * np.arcsin(np.minimum(np.sqrt(np.maximum(2.0 - 2.0 * dots, 0.0)) * 0.5, 1.0))
            mask = (arcs <= radius_km).astype(np.float64)
            sums[a0:a1] += mask @ ordered_values[b0:b1]
            sums[b0:b1] += mask.T @ ordered_values[a0:a1]
    result = np.empty_like(sums)
    result[order] = sums
    return result


def sums_around(
    index: CommuneIndex, latitudes: ArrayLike, longitudes: ArrayLike, radius_km: float, values: ArrayLike
) -> FloatArray:
    """For each point (latitude, longitude), the sum of ``values`` (one per commune, index order; NaN = 0)
    over the communes within ``radius_km`` of it. Points without coordinates get NaN."""
    _check_radius(radius_km)
    lat = np.asarray(latitudes, dtype=np.float64).reshape(-1)
    lon = np.asarray(longitudes, dtype=np.float64).reshape(-1)
    array = np.nan_to_num(np.asarray(values, dtype=np.float64).reshape(-1), nan=0.0)
    if array.size != len(index.ids):
        raise ValueError(f"expected {len(index.ids)} values, got {array.size}")
    result = np.full(lat.size, np.nan)
    usable = np.isfinite(lat) & np.isfinite(lon)
    if not usable.any() or not index._located_positions.size:
        result[usable] = 0.0
        return result
    centres = _unit_vectors(lat[usable], lon[usable])
    local = array[index._located_positions]
    found = index._tree.query_ball_point(centres, _chord_for(radius_km, index.earth_radius_km))
    sums = np.empty(centres.shape[0])
    for k, members in enumerate(found):
        positions = np.asarray(members, dtype=np.int64)
        diff = index._vectors[positions] - centres[k]
        arcs = _arc_km(np.sqrt(np.einsum("ij,ij->i", diff, diff)), index.earth_radius_km)
        sums[k] = local[positions[arcs <= radius_km]].sum()
    result[usable] = sums
    return result
