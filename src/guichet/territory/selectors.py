"""Reads of territory data."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from guichet.territory.models import Commune, DatasetSource, Departement, FormerCommune


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
