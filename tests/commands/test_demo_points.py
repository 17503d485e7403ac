"""Every demo premises lies inside its commune, checked against the commune's bundled contour."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import guichet.data
from guichet.catalogue import demo

CONTOURS = Path(guichet.data.__file__).resolve().parent / "territory" / "contours.csv"


def _inside_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    """Ray casting: does the horizontal ray from (x, y) cross the ring an odd number of times?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def inside(latitude: float, longitude: float, geometry: dict[str, object]) -> bool:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:  # type: ignore[union-attr]
        outer, *holes = polygon
        if _inside_ring(longitude, latitude, outer) and not any(
            _inside_ring(longitude, latitude, hole) for hole in holes
        ):
            return True
    return False


def contours() -> dict[str, dict[str, object]]:
    csv.field_size_limit(1 << 30)
    with CONTOURS.open(encoding="utf-8", newline="") as handle:
        return {row["insee"]: json.loads(row["geojson"]) for row in csv.DictReader(handle)}


def test_every_demo_premises_lies_inside_its_commune() -> None:
    shapes = contours()
    communes = {spec[1]: spec[2] for spec in demo.PREMISES}
    assert len(communes) == 26 and set(communes) == set(demo.POINTS)
    outside = [
        (name, communes[name])
        for name, (latitude, longitude) in demo.POINTS.items()
        if not inside(latitude, longitude, shapes[communes[name]])
    ]
    assert outside == []
    # The four once placed in the wrong commune.
    assert communes["Chalezeule, bureaux d'activité"] == "25112"  # not Chalèze, 25111
    assert communes["Jonxion, bâtiment tertiaire départemental"] == "90068"  # Meroux-Moval, not Lepuix
    assert communes["Danjoutin, ancien siège administratif"] == "90032"  # not Delle, 90033
    assert communes["Montmorot, parc tertiaire"] == "39362"  # not Mouchard, 39370


def test_the_check_itself_tells_inside_from_outside() -> None:
    shapes = contours()
    # Chalezeule's point is not inside Chalèze, nor Belfort's in Besançon.
    assert not inside(*demo.POINTS["Chalezeule, bureaux d'activité"], shapes["25111"])
    assert not inside(*demo.POINTS["Belfort centre, plateau rue de l'As de Carreau"], shapes["25056"])
    assert inside(*demo.POINTS["Belfort centre, plateau rue de l'As de Carreau"], shapes["90010"])
