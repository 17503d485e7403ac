"""From the French legal projections to WGS84 latitude and longitude, with a check of where a point lands.

SIRENE gives an establishment's coordinates in the legal projection of its place: Lambert-93 (EPSG:2154) in
metropolitan France, the local UTM projection overseas (:data:`OVERSEAS_CRS`, décret 2006-272 as amended).
:func:`to_wgs84` converts a batch of points from one projection with pyproj (imported on first use) and
drops a point that lands outside the area expected for that projection (:data:`EXPECTED_AREA`, generous
margins), which is the sign of a wrong code or swapped coordinates rather than of a real place.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["EXPECTED_AREA", "METROPOLITAN_CRS", "OVERSEAS_CRS", "crs_of_commune", "to_wgs84", "transformer"]

METROPOLITAN_CRS = "EPSG:2154"
# Legal projections overseas (décret 2006-272 as amended), used by INSEE for SIRENE coordinates there.
OVERSEAS_CRS: Mapping[str, str] = {
    "971": "EPSG:5490",  # Guadeloupe, RGAF09 / UTM 20N
    "972": "EPSG:5490",  # Martinique
    "977": "EPSG:5490",  # Saint-Barthélemy
    "978": "EPSG:5490",  # Saint-Martin
    "973": "EPSG:2972",  # Guyane, RGFG95 / UTM 22N
    "974": "EPSG:2975",  # La Réunion, RGR92 / UTM 40S
    "975": "EPSG:4467",  # Saint-Pierre-et-Miquelon, RGSPM06 / UTM 21N
    "976": "EPSG:4471",  # Mayotte, RGM04 / UTM 38S
}
# (lat min, lat max, lon min, lon max) a converted point must fall in; generous margins.
EXPECTED_AREA: Mapping[str, tuple[float, float, float, float]] = {
    METROPOLITAN_CRS: (41.0, 51.5, -5.8, 10.0),
    "EPSG:5490": (14.0, 18.5, -63.5, -60.5),
    "EPSG:2972": (1.5, 6.0, -55.0, -51.0),
    "EPSG:2975": (-21.6, -20.7, 55.0, 56.0),
    "EPSG:4467": (46.5, 47.5, -56.8, -55.9),
    "EPSG:4471": (-13.2, -12.4, 44.8, 45.5),
}

_transformers: dict[str, Any] = {}


def transformer(crs: str) -> Any:
    """A pyproj transformer from ``crs`` to WGS84 (longitude first), made once per code. pyproj raises its
    CRSError for a code it does not know."""
    if crs not in _transformers:
        from pyproj import Transformer

        _transformers[crs] = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return _transformers[crs]


def crs_of_commune(commune: str | None) -> str:
    """The projection of SIRENE's coordinates in a commune (by its INSEE code; unknown: metropolitan)."""
    commune = commune or ""
    return OVERSEAS_CRS.get(commune[:3], METROPOLITAN_CRS) if commune.startswith("97") else METROPOLITAN_CRS


def to_wgs84(crs: str, xs: Sequence[float], ys: Sequence[float]) -> list[tuple[float, float] | None]:
    """(latitude, longitude) of each point, rounded to 7 decimals (about a centimetre); None where the
    converted point is not finite or falls outside :data:`EXPECTED_AREA` for ``crs`` (when it has one)."""
    import numpy as np

    lons, lats = transformer(crs).transform(np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64))
    bounds = EXPECTED_AREA.get(crs)
    points: list[tuple[float, float] | None] = []
    for lat, lon in zip(np.atleast_1d(lats), np.atleast_1d(lons), strict=True):
        inside = math.isfinite(lat) and (
            bounds is None or (bounds[0] <= lat <= bounds[1] and bounds[2] <= lon <= bounds[3])
        )
        points.append((round(float(lat), 7), round(float(lon), 7)) if inside else None)
    return points
