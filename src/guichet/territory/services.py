"""Writes of territory data: loading a dataset directory, idempotently, in one transaction.

A load that changes anything gives :class:`TerritoryDataVersion` a new token: the labour selectors' commune
table (built once per process) compares it and is rebuilt with the new figures.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from guichet.audit.services import audit_record
from guichet.data.dataset import (
    CommuneRow,
    DatasetError,
    EpciRow,
    NationalCommuneRow,
    TerritoryDataset,
    read_territory_dataset,
)
from guichet.engine.zoning import bounding_box
from guichet.sources.zoning import read_qpv
from guichet.territory.models import (
    Commune,
    CommuneContour,
    CommuneZoning,
    DatasetSource,
    Departement,
    Epci,
    FormerCommune,
    NationalCommune,
    PriorityDistrict,
    Region,
    TerritoryDataVersion,
    ZoningKind,
    ZoningList,
)
from guichet.versioning import catalogue_changed


@dataclass
class TableChanges:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadSummary:
    directory: Path
    tables: dict[str, TableChanges] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(t.created or t.updated for t in self.tables.values())

    def __str__(self) -> str:
        lines = [f"Territory data from {self.directory}:"]
        for name, table in self.tables.items():
            lines.append(
                f"  {name:<16} {table.created:>6} created {table.updated:>6} updated "
                f"{table.unchanged:>6} unchanged"
            )
        return "\n".join(lines)


def _upsert(
    model: type[models.Model], wanted: Sequence[dict[str, Any]], key: str, changes: TableChanges
) -> None:
    """Create missing rows and update differing ones; identical rows are left untouched."""
    fields = [name for name in wanted[0] if name != key] if wanted else []
    existing = {getattr(obj, key): obj for obj in model._default_manager.all()}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for values in wanted:
        obj = existing.get(values[key])
        if obj is None:
            to_create.append(model(**values))
            continue
        differing = [name for name in fields if getattr(obj, name) != values[name]]
        if differing:
            for name in fields:
                setattr(obj, name, values[name])
            to_update.append(obj)
        else:
            changes.unchanged += 1
    model._default_manager.bulk_create(to_create, batch_size=1000)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=1000)
    changes.created += len(to_create)
    changes.updated += len(to_update)


def _check_references(labels: Iterable[tuple[str, str, set[str]]]) -> None:
    for what, value, known in labels:
        if value not in known:
            raise DatasetError(f"{what} refers to unknown code {value!r}")


@transaction.atomic
def territory_load_dataset(*, directory: Path | None = None) -> LoadSummary:
    """Load régions, départements, EPCI, communes and former communes. A second run changes nothing."""
    dataset = read_territory_dataset(directory)
    summary = LoadSummary(directory=dataset.directory)
    commune_codes = _check_dataset(dataset)
    for table, model, key, rows in _tables(dataset, commune_codes):
        summary.tables[table] = TableChanges()
        if rows is not None:
            _upsert(model, rows, key, summary.tables[table])
    if summary.changed:
        territory_data_changed()
        # Bulk writes send no signals: tell the cached pages that the territory (and so the offer's
        # communes) changed.
        transaction.on_commit(catalogue_changed)
    return summary


def _check_dataset(dataset: TerritoryDataset) -> set[str]:
    """Every code the dataset refers to is in it or already loaded; returns the communes' codes."""
    region_codes = {r.code for r in dataset.regions} | set(Region.objects.values_list("code", flat=True))
    _check_references(
        (f"departements.csv: département {d.code}", d.region_code, region_codes) for d in dataset.departements
    )
    departement_codes = {d.code for d in dataset.departements} | set(
        Departement.objects.values_list("code", flat=True)
    )
    epci_sirens = {e.siren for e in dataset.epcis} | set(Epci.objects.values_list("siren", flat=True))
    for commune in dataset.communes:
        _check_references([(f"communes.csv: {commune.insee}", commune.departement, departement_codes)])
        if commune.epci_siren:
            _check_references([(f"communes.csv: {commune.insee} EPCI", commune.epci_siren, epci_sirens)])
    commune_codes = {c.insee for c in dataset.communes} | set(Commune.objects.values_list("insee", flat=True))
    _check_references(
        (f"former_communes.csv: {f.former_insee}", f.current_insee, commune_codes)
        for f in dataset.former_communes
    )
    return commune_codes


def _tables(
    dataset: TerritoryDataset, commune_codes: set[str]
) -> Iterator[tuple[str, type[models.Model], str, list[dict[str, Any]] | None]]:
    """(table, model, key field, rows) in the order they load, each table's rows made as it loads (None:
    the dataset has no such file, the table is left as it is)."""
    yield "regions", Region, "code", [{"code": r.code, "name": r.name} for r in dataset.regions]
    yield (
        "departements",
        Departement,
        "code",
        [{"code": d.code, "name": d.name, "region_id": d.region_code} for d in dataset.departements],
    )
    yield "epci", Epci, "siren", [_epci_row(e) for e in dataset.epcis]
    yield "communes", Commune, "insee", [_commune_row(c) for c in dataset.communes]
    contours = [
        {"commune_id": insee, "geojson": geojson}
        for insee, geojson in sorted(dataset.contours.items())
        if insee in commune_codes
    ]
    yield "contours", CommuneContour, "commune_id", contours
    former = [
        {"insee": f.former_insee, "current_id": f.current_insee, "name": f.name}
        for f in dataset.former_communes
    ]
    yield "former_communes", FormerCommune, "insee", former
    national = [_national_commune_row(c, dataset.contours) for c in dataset.france_communes]
    yield "france_communes", NationalCommune, "insee", national or None
    sources = [_source_row(key, facts) for key, facts in sorted(dataset.provenance.items())]
    yield "sources", DatasetSource, "key", sources


def _epci_row(e: EpciRow) -> dict[str, Any]:
    return {
        "siren": e.siren,
        "name": e.name,
        "kind": e.kind,
        "member_count": e.member_count,
        "population_municipal": e.population_municipal,
    }


def _commune_row(c: CommuneRow) -> dict[str, Any]:
    return {
        "insee": c.insee,
        "name": c.name,
        "departement_id": c.departement,
        "epci_id": c.epci_siren or None,
        "postal_codes": c.postal_codes,
        "population": c.population,
        "population_20_64": c.population_20_64,
        "latitude": c.latitude,
        "longitude": c.longitude,
    }


def _national_commune_row(c: NationalCommuneRow, contours: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "insee": c.insee,
        "name": c.name,
        "departement": c.departement,
        "population": c.population,
        "population_20_64": c.population_20_64,
        "latitude": c.latitude,
        "longitude": c.longitude,
        "contour": contours.get(c.insee),
    }


def _source_row(key: str, facts: dict[str, str]) -> dict[str, Any]:
    return {
        "key": key,
        "source": str(facts.get("source", "")),
        "package": str(facts.get("package", "")),
        "version": str(facts.get("version", "")),
        "licence": str(facts.get("licence", "")),
        "vintage": str(facts.get("vintage", "")),
    }


def territory_data_changed() -> None:
    """Tell every process that the territory data changed (inside the caller's transaction)."""
    TerritoryDataVersion.objects.update_or_create(
        key="territory", defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


BUNDLED_QPV = Path(__file__).resolve().parent.parent / "data" / "zoning" / "qpv-2024.json.gz"
QPV_SOURCE = "ANCT, quartiers prioritaires de la politique de la ville 2024, contours (data.gouv.fr)"
QPV_VINTAGE = "QPV 2024 (décret n° 2023-1314 du 28 décembre 2023, en vigueur le 1er janvier 2024)"
QPV_LICENCE = "Licence Ouverte / Open Licence Etalab 2.0"


@transaction.atomic
def zoning_load_qpv(*, path: Path | None = None) -> int:
    """Load the QPV 2024 contours of the districts touching a loaded commune (all of them when no commune is
    loaded is useless, so none then). Idempotent: districts no longer in the file are removed."""
    _meta, records = read_qpv(path or BUNDLED_QPV)
    loaded = set(Commune.objects.values_list("insee", flat=True))
    wanted = [record for record in records if loaded.intersection(record.communes)]
    rows = []
    for record in wanted:
        west, south, east, north = bounding_box(record.contour)
        rows.append(
            {
                "code": record.code,
                "label": record.label,
                "communes": "|".join(record.communes),
                "contour": record.contour,
                "west": west,
                "south": south,
                "east": east,
                "north": north,
            }
        )
    PriorityDistrict.objects.exclude(code__in=[row["code"] for row in rows]).delete()
    _upsert(PriorityDistrict, rows, "code", TableChanges())
    departements = sorted({insee[:2] if not insee.startswith("97") else insee[:3] for insee in loaded})
    ZoningList.objects.update_or_create(
        kind=ZoningKind.QPV,
        defaults={
            "source": QPV_SOURCE,
            "vintage": QPV_VINTAGE,
            "licence": QPV_LICENCE,
            "departements": "|".join(departements),
            "rows": len(rows),
        },
    )
    return len(rows)


@transaction.atomic
def zoning_import_list(
    *,
    actor: Any,
    kind: str,
    records: Sequence[Any],
    source: str,
    vintage: str,
    departements: Sequence[str] = (),
    licence: str = "",
) -> ZoningList:
    """Replace a list by commune (AFR or FRR) with an imported one, in one transaction, and audit it. The
    départements it covers are those given, else those of its communes: a commune elsewhere stays "not
    known"."""
    if kind not in (ZoningKind.AFR, ZoningKind.FRR):
        raise DatasetError(f"zoning kind {kind!r}: afr or frr")
    if not source.strip() or not vintage.strip():
        raise DatasetError("give the list's source and vintage")
    covered = sorted(set(departements) or {_departement_of(record.insee) for record in records})
    CommuneZoning.objects.filter(kind=kind).delete()
    CommuneZoning.objects.bulk_create(
        [
            CommuneZoning(kind=kind, insee=record.insee, category=record.category, partial=record.partial)
            for record in records
        ],
        batch_size=1000,
    )
    zoning, _created = ZoningList.objects.update_or_create(
        kind=kind,
        defaults={
            "source": source.strip()[:300],
            "vintage": vintage.strip()[:200],
            "licence": licence.strip()[:200],
            "departements": "|".join(covered),
            "rows": len(records),
        },
    )
    audit_record(
        actor=actor, action="zoning_imported", target=zoning, details={"kind": kind, "rows": len(records)}
    )
    return zoning


def _departement_of(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]
