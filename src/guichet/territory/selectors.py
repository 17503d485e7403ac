"""Reads of territory data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum

from guichet.engine.zoning import EDGE, INSIDE, OUTSIDE, may_contain, place
from guichet.territory.models import (
    Commune,
    CommuneZoning,
    DatasetSource,
    Departement,
    FormerCommune,
    PriorityDistrict,
    TerritoryDataVersion,
    ZoningList,
)


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


# The measures each zoning opens, as codes the templates phrase (docs/aid.md gives their texts).
MEASURES = {
    ("qpv", "in"): ("emplois_francs", "qpv_local_tax_exemptions"),
    ("qpv", "edge"): ("emplois_francs", "qpv_local_tax_exemptions"),
    ("afr", "in"): ("afr_regional_investment_aid", "afr_local_tax_exemptions"),
    ("afr", "out"): ("sme_investment_aid_only",),
    ("frr", "in"): ("frr_profit_tax_exemption", "frr_local_tax_exemptions"),
}


@dataclass(frozen=True)
class ZoningFact:
    """Where a place lies in one zoning: ``status`` in, edge (QPV only: closer to a contour than the
    contours' precision), out or not_known; ``category`` the AFR zone type, the FRR class or the QPV's
    code; ``measures`` codes of what it opens; ``source`` and ``vintage`` of the list."""

    kind: str
    status: str
    category: str = ""
    label: str = ""
    distance_m: float | None = None
    partial: bool = False
    measures: tuple[str, ...] = ()
    source: str = ""
    vintage: str = ""


def _fact(kind: str, status: str, zoning: ZoningList | None, **values: Any) -> ZoningFact:
    return ZoningFact(
        kind=kind,
        status=status,
        measures=MEASURES.get((kind, status), ()),
        source=zoning.source if zoning else "",
        vintage=zoning.vintage if zoning else "",
        **values,
    )


def _qpv_fact(
    zoning: ZoningList | None, *, insee: str, latitude: float | None, longitude: float | None, exact: bool
) -> ZoningFact:
    if zoning is None or not zoning.covers(insee[:3] if insee.startswith("97") else insee[:2]):
        return _fact("qpv", "not_known", zoning)
    districts = list(PriorityDistrict.objects.filter(communes__contains=insee))
    districts = [d for d in districts if insee in d.communes.split("|")]
    if not districts:
        return _fact("qpv", "out", zoning)
    if latitude is None or longitude is None or not exact:
        # The commune has districts but the premises has no point of its own: which side is not known.
        return _fact("qpv", "not_known", zoning, category="commune_has_qpv")
    best: tuple[int, float, PriorityDistrict] | None = None
    rank = {INSIDE: 0, EDGE: 1, OUTSIDE: 2}
    for district in districts:
        box = (district.west, district.south, district.east, district.north)
        placement = (
            place(longitude, latitude, district.contour)
            if may_contain(box, longitude, latitude, 5000)
            else None
        )
        if placement is None:
            continue
        key = (rank[placement.status], placement.distance_m, district)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None or best[0] == rank[OUTSIDE]:
        nearest = best[1] if best else None
        return _fact("qpv", "out", zoning, distance_m=nearest, label=best[2].label if best else "")
    status = "in" if best[0] == rank[INSIDE] else "edge"
    return _fact("qpv", status, zoning, category=best[2].code, label=best[2].label, distance_m=best[1])


def _commune_list_fact(kind: str, zoning: ZoningList | None, insee: str) -> ZoningFact:
    if zoning is None or not zoning.covers(insee[:3] if insee.startswith("97") else insee[:2]):
        return _fact(kind, "not_known", zoning)
    entry = CommuneZoning.objects.filter(kind=kind, insee=insee).first()
    if entry is None:
        return _fact(kind, "out", zoning)
    return _fact(kind, "in", zoning, category=entry.category, partial=entry.partial)


def zoning_of_place(
    *, insee: str, latitude: float | None, longitude: float | None, exact: bool = True
) -> tuple[ZoningFact, ZoningFact, ZoningFact]:
    """QPV, AFR and FRR for a place: a commune and, when ``exact``, the premises' own point (a commune's
    representative point places no premises in or out of a district)."""
    lists = {zoning.kind: zoning for zoning in ZoningList.objects.all()}
    return (
        _qpv_fact(lists.get("qpv"), insee=insee, latitude=latitude, longitude=longitude, exact=exact),
        _commune_list_fact("afr", lists.get("afr"), insee),
        _commune_list_fact("frr", lists.get("frr"), insee),
    )


def zoning_lists() -> list[ZoningList]:
    """The loaded zoning lists (QPV, AFR, FRR) with their source, vintage and coverage, by kind."""
    return list(ZoningList.objects.order_by("kind"))


def afr_zone_of(fact: ZoningFact) -> str:
    """The aid engine's zone code for an AFR fact (``unknown`` when the list is missing)."""
    if fact.status == "in":
        return fact.category
    return "none" if fact.status == "out" else "unknown"
