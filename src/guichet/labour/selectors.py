"""Reads of the labour pool around a point: the loaded communes, the engine's catchment and labour model.

Imported figures (job seekers, contact-centre jobs) are used where they exist; otherwise the engine
estimates them by its stated method, and the result says which.
"""

from __future__ import annotations

from dataclasses import dataclass

from guichet.engine import catchment as catchment_engine
from guichet.engine import labour as labour_engine
from guichet.territory.models import Commune
from guichet.territory.selectors import dataset_source_label

DEFAULT_RADIUS_KM = 30.0


@dataclass(frozen=True)
class CommuneTable:
    """The loaded communes as plain arrays, aligned with an engine index."""

    index: catchment_engine.CommuneIndex
    population: list[float | None]
    population_20_64: list[float | None]
    names: list[str]
    version: str


_TABLE: CommuneTable | None = None


def _territory_version() -> str:
    latest = Commune.objects.order_by("-insee").values_list("insee", flat=True).first() or ""
    return f"{Commune.objects.count()}:{latest}"


def commune_table() -> CommuneTable:
    """Built once per process and rebuilt when the loaded territory changes."""
    global _TABLE
    version = _territory_version()
    if _TABLE is None or _TABLE.version != version:
        rows = list(
            Commune.objects.order_by("insee").values_list(
                "insee", "name", "latitude", "longitude", "population", "population_20_64"
            )
        )
        _TABLE = CommuneTable(
            index=catchment_engine.index_communes(
                [r[0] for r in rows],
                [r[2] if r[2] is not None else float("nan") for r in rows],
                [r[3] if r[3] is not None else float("nan") for r in rows],
            ),
            names=[r[1] for r in rows],
            population=[float(r[4]) for r in rows],
            population_20_64=[float(r[5]) if r[5] is not None else None for r in rows],
            version=version,
        )
    return _TABLE


@dataclass(frozen=True)
class LabourPanel:
    catchment: catchment_engine.Catchment
    pool: labour_engine.LabourPool


def labour_pool_around(
    *, latitude: float, longitude: float, radius_km: float = DEFAULT_RADIUS_KM
) -> LabourPanel:
    table = commune_table()
    found = catchment_engine.within_radius(table.index, latitude, longitude, radius_km)
    positions = [int(i) for i in found.indices]
    population_source = dataset_source_label(key="communes.csv") or "INSEE municipal population 2023"
    census_source = dataset_source_label(key="communes.csv:population_20_64") or "INSEE census 2021"
    pool = labour_engine.labour_pool(
        population=labour_engine.CommuneValues([table.population[i] for i in positions], population_source),
        population_20_64=labour_engine.CommuneValues(
            [table.population_20_64[i] for i in positions], census_source
        ),
    )
    return LabourPanel(catchment=found, pool=pool)

