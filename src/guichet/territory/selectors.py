"""Reads of territory data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from guichet.territory.models import Commune, DatasetSource, Departement, FormerCommune, TerritoryDataVersion


def commune_resolve(*, insee: str) -> Commune | None:
    """The current commune for a code, following former communes that merged into it."""
    commune = Commune.objects.filter(insee=insee).first()
    if commune is not None:
        return commune
    former = FormerCommune.objects.select_related("current").filter(insee=insee).first()
    return former.current if former else None


def departements_loaded() -> QuerySet[Departement]:
    return Departement.objects.filter(communes__isnull=False).distinct().order_by("code")


def territory_totals() -> dict[str, int]:
    totals = Commune.objects.aggregate(population=Sum("population"), population_20_64=Sum("population_20_64"))
    return {
        "communes": Commune.objects.count(),
        "population": totals["population"] or 0,
        "population_20_64": totals["population_20_64"] or 0,
    }


def dataset_source(*, key: str) -> DatasetSource | None:
    return DatasetSource.objects.filter(key=key).first()


def dataset_source_label(*, key: str) -> str:
    """'Source (vintage)' for a loaded file or column, as shown beside the figures drawn from it."""
    source = dataset_source(key=key)
    return f"{source.source} — {source.vintage}" if source else ""


Ring = list[list[float]]


@dataclass(frozen=True)
class _ContourTable:
    version: str
    rings: list[tuple[float, float, list[Ring]]]  # (latitude, longitude, outer rings) of each commune


_CONTOURS: _ContourTable | None = None


def territory_data_version() -> str:
    """A token that changes whenever a load changes the territory data (with the count of contours for a
    database loaded before the token existed)."""
    token = TerritoryDataVersion.objects.filter(key="territory").values_list("token", flat=True).first()
    return token or f"contours:{Commune.objects.filter(contour__isnull=False).count()}"


def contour_rings_within(*, south: float, north: float, west: float, east: float) -> list[Ring]:
    """The outer rings of the contours of the communes whose point lies in the box. Maps draw them again and
    again while the contours change only with a territory load: they are read and parsed once per load (a
    first map of the region otherwise parses some 1,700 GeoJSON documents, about 200 ms)."""
    global _CONTOURS
    version = territory_data_version()
    if _CONTOURS is None or _CONTOURS.version != version:
        table = []
        for latitude, longitude, contour in Commune.objects.filter(contour__isnull=False).values_list(
            "latitude", "longitude", "contour__geojson"
        ):
            if not contour or latitude is None or longitude is None:
                continue
            polygons = (
                contour["coordinates"] if contour["type"] == "MultiPolygon" else [contour["coordinates"]]
            )
            table.append((latitude, longitude, [polygon[0] for polygon in polygons]))
        _CONTOURS = _ContourTable(version=version, rings=table)
    return [
        ring
        for latitude, longitude, rings in _CONTOURS.rings
        if south <= latitude <= north and west <= longitude <= east
        for ring in rings
    ]
