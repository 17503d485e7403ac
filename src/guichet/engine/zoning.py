"""Whether a point lies in a published contour (a QPV 2024), by ray casting with numpy, with an edge rule.

A contour is a GeoJSON MultiPolygon's coordinates (longitude, latitude, WGS84): polygons of rings, the first
ring of each polygon its outline, the others its holes. A point is inside when a horizontal ray from it
crosses the polygon's rings an odd number of times (holes included, so a point in a hole is outside).

Edge rule: the published contours are rounded to 1e-4 degree (about 11 m north-south, 8 m east-west in
Franche-Comté), so a point closer to an edge than ``edge_tolerance_m`` (15 m by default) cannot be placed
by them: it is reported ``edge`` whichever side the ray puts it, with its distance. A point exactly on an
edge or a vertex is therefore ``edge``, never a coin toss of floating point. Distances are measured on a
local equirectangular projection around the point (error well under a metre at these distances).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8
DEFAULT_EDGE_TOLERANCE_M = 15.0

Ring = Sequence[Sequence[float]]
Polygon = Sequence[Ring]
MultiPolygon = Sequence[Polygon]

INSIDE = "inside"
EDGE = "edge"
OUTSIDE = "outside"


@dataclass(frozen=True)
class Placement:
    """Where a point lies relative to one contour: ``status`` inside, edge or outside, and its distance in
    metres to the contour's nearest edge (0 on the edge)."""

    status: str
    distance_m: float


def _ring_array(ring: Ring) -> npt.NDArray[np.float64]:
    points = np.asarray(ring, dtype=np.float64)[:, :2]
    if len(points) and not np.array_equal(points[0], points[-1]):
        points = np.vstack([points, points[:1]])
    return points


def _crossings(ring: npt.NDArray[np.float64], x: float, y: float) -> int:
    """How many edges of the ring a ray from (x, y) towards +x crosses (half-open rule on y, so a vertex on
    the ray counts once)."""
    x1, y1 = ring[:-1, 0], ring[:-1, 1]
    x2, y2 = ring[1:, 0], ring[1:, 1]
    straddles = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    return int(np.count_nonzero(straddles & (x_at > x)))


def _edge_distance_m(ring: npt.NDArray[np.float64], lon: float, lat: float) -> float:
    """Distance in metres from the point to the ring's nearest segment (local equirectangular metres)."""
    scale_x = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat))
    scale_y = math.radians(1) * EARTH_RADIUS_M
    px = (ring[:, 0] - lon) * scale_x
    py = (ring[:, 1] - lat) * scale_y
    ax, ay, bx, by = px[:-1], py[:-1], px[1:], py[1:]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(length2 > 0, -(ax * dx + ay * dy) / length2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    cx, cy = ax + t * dx, ay + t * dy
    return float(np.sqrt(cx * cx + cy * cy).min()) if len(cx) else math.inf


def place(
    lon: float, lat: float, contour: MultiPolygon, *, edge_tolerance_m: float = DEFAULT_EDGE_TOLERANCE_M
) -> Placement:
    """Inside, on the edge (within the tolerance) or outside one contour."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("longitude and latitude must be finite numbers")
    inside = False
    distance = math.inf
    for polygon in contour:
        crossings = 0
        for ring in polygon:
            array = _ring_array(ring)
            if len(array) < 4:
                continue
            crossings += _crossings(array, lon, lat)
            distance = min(distance, _edge_distance_m(array, lon, lat))
        if crossings % 2 == 1:
            inside = True
    if distance <= edge_tolerance_m:
        return Placement(EDGE, distance)
    return Placement(INSIDE if inside else OUTSIDE, distance)


def bounding_box(contour: MultiPolygon) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a contour."""
    points = np.concatenate([np.asarray(ring, dtype=np.float64)[:, :2] for poly in contour for ring in poly])
    return (
        float(points[:, 0].min()),
        float(points[:, 1].min()),
        float(points[:, 0].max()),
        float(points[:, 1].max()),
    )


def may_contain(
    box: tuple[float, float, float, float], lon: float, lat: float, margin_m: float = DEFAULT_EDGE_TOLERANCE_M
) -> bool:
    """Whether a point lies within a box widened by ``margin_m`` (a cheap first filter)."""
    margin_lat = margin_m / (math.radians(1) * EARTH_RADIUS_M)
    margin_lon = margin_lat / max(math.cos(math.radians(lat)), 1e-6)
    west, south, east, north = box
    return west - margin_lon <= lon <= east + margin_lon and south - margin_lat <= lat <= north + margin_lat
