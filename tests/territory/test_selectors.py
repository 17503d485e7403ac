"""Reads of the territory data: the contours maps draw, parsed once per territory load."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.territory import selectors
from guichet.territory.models import Commune, TerritoryDataVersion

pytestmark = pytest.mark.django_db

AROUND_BESANCON = {"south": 47.15, "north": 47.35, "west": 5.85, "east": 6.15}


def test_the_contours_of_the_communes_in_a_box_are_read_once_per_territory_load() -> None:
    in_box = Commune.objects.filter(
        latitude__range=(AROUND_BESANCON["south"], AROUND_BESANCON["north"]),
        longitude__range=(AROUND_BESANCON["west"], AROUND_BESANCON["east"]),
        contour__isnull=False,
    )
    expected = sum(
        len(contour["coordinates"]) if contour["type"] == "MultiPolygon" else 1
        for contour in in_box.values_list("contour__geojson", flat=True)
    )
    rings = selectors.contour_rings_within(**AROUND_BESANCON)
    assert len(rings) == expected > 40  # Besançon and its neighbours, one outer ring per polygon
    assert all(len(ring) >= 4 and ring[0] == ring[-1] for ring in rings)
    with CaptureQueriesContext(connection) as again:
        assert selectors.contour_rings_within(**AROUND_BESANCON) == rings
    assert len(again.captured_queries) == 1  # the data version only
    TerritoryDataVersion.objects.update_or_create(key="territory", defaults={"token": "reloaded"})
    in_box.first().contour.delete()  # type: ignore[union-attr]
    assert len(selectors.contour_rings_within(**AROUND_BESANCON)) < expected
