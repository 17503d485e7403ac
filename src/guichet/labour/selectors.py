"""Reads of the labour pool around a point: the loaded communes, the engine's catchment and labour model.

Imported figures (job seekers, contact-centre jobs) are used where they exist; otherwise the engine
estimates them by its stated method, and the result says which.

The commune table (coordinates, populations, job seekers per commune, contact centres per commune) is built
once per process and rebuilt when the loaded territory or the imported labour data change: every write of
:mod:`guichet.labour.services` changes the token of :class:`LabourDataVersion`, one cheap query to check.

Job seekers per commune, most specific first:

- all occupations: a DARES count for the commune itself; else its employment zone's count (latest period,
  categories A, B, C, all sexes and ages) shared among the zone's communes pro rata of the population aged
  20-64 (:func:`guichet.engine.labour.apportion_to_communes`). A zone with communes outside the loaded
  territory is not shared out (their weight is unknown): its communes are estimated, and the figure says so.
- customer-relation occupations (:data:`CUSTOMER_RELATION_ROME`): France Travail counts of the latest period,
  summed over those ROME codes, per commune (COM), else per employment zone (ZE) or département (DEP),
  shared out the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from guichet.engine import catchment as catchment_engine
from guichet.engine import labour as labour_engine
from guichet.labour.models import (
    CentreOrigin,
    CommuneZone,
    ContactCentre,
    EmploymentZone,
    ImportKind,
    ImportRun,
    JobSeekerCount,
    LabourDataVersion,
    TerritoryType,
)
from guichet.sources import employment
from guichet.territory.models import Commune, Epci, FormerCommune
from guichet.territory.selectors import dataset_source_label

DEFAULT_RADIUS_KM = 30.0
# ROME codes of customer-relation jobs counted as the specific pool: D1408 "Téléconseil et télévente" and
# M1601 "Accueil et renseignements" (ROME 4.0 keeps both codes).
CUSTOMER_RELATION_ROME: tuple[str, ...] = ("D1408", "M1601")
JOB_SEEKER_CATEGORY = "ABC"


@dataclass(frozen=True)
class CommuneTable:
    """The loaded communes as plain arrays, aligned with an engine index, with the imported values."""

    index: catchment_engine.CommuneIndex
    population: list[float | None]
    population_20_64: list[float | None]
    names: list[str]
    version: str
    epcis: list[str | None] = field(default_factory=list)
    zones: list[str | None] = field(default_factory=list)
    job_seekers: list[float | None] | None = None
    job_seekers_source: str = ""
    customer_relation: list[float | None] | None = None
    customer_relation_source: str = ""
    centres: list[tuple[tuple[labour_engine.ContactCentre, int | None], ...]] = field(default_factory=list)
    run_labels: dict[int, str] = field(default_factory=dict)
    zone_names: dict[str, str] = field(default_factory=dict)
    zones_incomplete: frozenset[str] = frozenset()


_TABLE: CommuneTable | None = None


def _territory_version() -> str:
    latest = Commune.objects.order_by("-insee").values_list("insee", flat=True).first() or ""
    return f"{Commune.objects.count()}:{latest}"


def _labour_version() -> str:
    return LabourDataVersion.objects.filter(key="labour").values_list("token", flat=True).first() or ""


def _zone_membership(
    position: dict[str, int],
) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """(current commune code -> zone, zone -> name, zones not wholly within the loaded territory)."""
    former = dict(FormerCommune.objects.values_list("insee", "current_id"))
    of_commune: dict[str, str] = {}
    incomplete: set[str] = set()
    for code, zone in CommuneZone.objects.values_list("commune_code", "zone_id"):
        current = code if code in position else former.get(code)
        if current is None:
            incomplete.add(zone)
        else:
            of_commune.setdefault(current, zone)
    names = dict(EmploymentZone.objects.values_list("code", "name"))
    return of_commune, names, incomplete


def _shared(
    totals: dict[str, float],
    members: dict[str, str],
    weights: dict[str, float | None],
    incomplete: Iterable[str] = (),
) -> tuple[dict[str, float], str]:
    excluded = set(incomplete)
    wanted = {c: z for c, z in members.items() if z in totals and z not in excluded}
    return labour_engine.apportion_to_communes(
        zone_totals={z: totals[z] for z in set(wanted.values())},
        commune_zones=wanted,
        commune_weights=weights,
    )


def _labels(run_ids: Iterable[int]) -> str:
    runs = ImportRun.objects.filter(pk__in=set(run_ids)).order_by("at", "pk")
    return "; ".join(run.label for run in runs)


def _all_job_seekers(
    ids: Sequence[str], zone_of: dict[str, str], incomplete: set[str], weights: dict[str, float | None]
) -> tuple[list[float | None] | None, str]:
    rows = JobSeekerCount.objects.filter(
        rome="", is_total=True, territory_type__in=[TerritoryType.ZONE, TerritoryType.COMMUNE]
    )
    latest = rows.order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        return None, ""
    chosen = list(
        rows.filter(period=latest).values_list(
            "territory_type", "territory_code", "category", "value", "import_run"
        )
    )
    records = [
        employment.JobSeekerCount(code, None, latest, category, None, None, int(value))
        for _, code, category, value, _ in chosen
    ]
    totals, _ = employment.zone_totals(records, category=JOB_SEEKER_CATEGORY, period=latest)
    communes = {code for kind, code, *_ in chosen if kind == TerritoryType.COMMUNE}
    zone_totals = {code: float(v) for code, v in totals.items() if code not in communes}
    values, method = _shared(zone_totals, zone_of, weights, incomplete)
    for code in communes:
        if code in totals:
            values[code] = float(totals[code])
    if not values:
        return None, ""
    source = f"{_labels(run for *_, run in chosen)}; registered job seekers, categories A, B, C" + (
        f"; {method}" if zone_totals else ""
    )
    return [values.get(code) for code in ids], source


def _customer_relation(
    ids: Sequence[str],
    departements: Sequence[str],
    zone_of: dict[str, str],
    incomplete: set[str],
    weights: dict[str, float | None],
) -> tuple[list[float | None] | None, str]:
    rows = JobSeekerCount.objects.filter(rome__in=CUSTOMER_RELATION_ROME)
    latest = rows.order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        return None, ""
    sums: dict[tuple[str, str], float] = defaultdict(float)
    seen: set[tuple[str, str, str]] = set()
    runs: set[int] = set()
    for kind, code, rome, value, run in (
        rows.filter(period=latest)
        .order_by("category")
        .values_list("territory_type", "territory_code", "rome", "value", "import_run")
    ):
        if (kind, code, rome) in seen:  # one nomenclature per territory and ROME code
            continue
        seen.add((kind, code, rome))
        sums[(kind, code)] += value
        runs.add(run)
    values: dict[str, float] = {}
    methods: list[str] = []
    by_departement = {code: dep for code, dep in zip(ids, departements, strict=True)}
    dep_totals = {code: v for (kind, code), v in sums.items() if kind == TerritoryType.DEPARTEMENT}
    if dep_totals:
        shared, _ = _shared(dep_totals, by_departement, weights)
        values.update(shared)
        methods.append("département total shared among its communes pro rata of population aged 20-64")
    zone_totals = {code: v for (kind, code), v in sums.items() if kind == TerritoryType.ZONE}
    if zone_totals:
        shared, method = _shared(zone_totals, zone_of, weights, incomplete)
        values.update(shared)
        methods.append(method)
    for (kind, code), value in sums.items():
        if kind == TerritoryType.COMMUNE and code in by_departement:
            values[code] = value
    if not values:
        return None, ""
    source = f"{_labels(runs)}; ROME {'+'.join(CUSTOMER_RELATION_ROME)}" + "".join(f"; {m}" for m in methods)
    return [values.get(code) for code in ids], source


def _centres(
    position: dict[str, int],
) -> tuple[list[list[tuple[labour_engine.ContactCentre, int | None]]], dict[int, str]]:
    per_commune: list[list[tuple[labour_engine.ContactCentre, int | None]]] = [[] for _ in position]
    runs: set[int] = set()
    for row in ContactCentre.objects.filter(commune__isnull=False).values(
        "commune_id", "name", "siret", "origin", "jobs_low", "jobs_mid", "jobs_high", "import_run_id"
    ):
        i = position.get(row["commune_id"])
        if i is None:
            continue
        centre = labour_engine.ContactCentre(
            name=row["name"] or row["siret"] or "",
            jobs_low=row["jobs_low"],
            jobs_mid=row["jobs_mid"],
            jobs_high=row["jobs_high"],
            origin="manual" if row["origin"] == CentreOrigin.MANUAL else "sirene",
            siret=row["siret"],
        )
        per_commune[i].append((centre, row["import_run_id"]))
        if row["import_run_id"]:
            runs.add(row["import_run_id"])
    labels = {run.pk: run.label for run in ImportRun.objects.filter(pk__in=runs)}
    return per_commune, labels


def commune_table() -> CommuneTable:
    """Built once per process and rebuilt when the loaded territory or the imported data change."""
    global _TABLE
    version = f"{_territory_version()}:{_labour_version()}"
    if _TABLE is None or _TABLE.version != version:
        rows = list(
            Commune.objects.order_by("insee").values_list(
                "insee",
                "name",
                "latitude",
                "longitude",
                "population",
                "population_20_64",
                "epci_id",
                "departement_id",
            )
        )
        ids = [r[0] for r in rows]
        position = {code: i for i, code in enumerate(ids)}
        weights: dict[str, float | None] = {r[0]: (float(r[5]) if r[5] is not None else None) for r in rows}
        zone_of, zone_names, incomplete = _zone_membership(position)
        seekers, seekers_source = _all_job_seekers(ids, zone_of, incomplete, weights)
        specific, specific_source = _customer_relation(
            ids, [r[7] for r in rows], zone_of, incomplete, weights
        )
        centres, run_labels = _centres(position)
        _TABLE = CommuneTable(
            index=catchment_engine.index_communes(
                ids,
                [r[2] if r[2] is not None else float("nan") for r in rows],
                [r[3] if r[3] is not None else float("nan") for r in rows],
            ),
            names=[r[1] for r in rows],
            population=[float(r[4]) for r in rows],
            population_20_64=[float(r[5]) if r[5] is not None else None for r in rows],
            version=version,
            epcis=[r[6] for r in rows],
            zones=[zone_of.get(code) for code in ids],
            job_seekers=seekers,
            job_seekers_source=seekers_source,
            customer_relation=specific,
            customer_relation_source=specific_source,
            centres=[tuple(c) for c in centres],
            run_labels=run_labels,
            zone_names=zone_names,
            zones_incomplete=frozenset(incomplete),
        )
    return _TABLE


def _pool_of(table: CommuneTable, positions: Sequence[int]) -> labour_engine.LabourPool:
    population_source = dataset_source_label(key="communes.csv") or "INSEE municipal population 2023"
    census_source = dataset_source_label(key="communes.csv:population_20_64") or "INSEE census 2021"
    seekers = (
        labour_engine.CommuneValues([table.job_seekers[i] for i in positions], table.job_seekers_source)
        if table.job_seekers is not None
        else None
    )
    specific = (
        labour_engine.CommuneValues(
            [table.customer_relation[i] for i in positions], table.customer_relation_source
        )
        if table.customer_relation is not None
        else None
    )
    centres = [pair for i in positions for pair in table.centres[i]] if table.centres else []
    runs = sorted({run for _, run in centres if run is not None})
    sirene_source = "; ".join(table.run_labels[r] for r in runs if r in table.run_labels) or "SIRENE"
    return labour_engine.labour_pool(
        population=labour_engine.CommuneValues([table.population[i] for i in positions], population_source),
        population_20_64=labour_engine.CommuneValues(
            [table.population_20_64[i] for i in positions], census_source
        ),
        job_seekers=seekers,
        customer_relation_job_seekers=specific,
        contact_centres=[centre for centre, _ in centres],
        sirene_source=sirene_source,
    )


@dataclass(frozen=True)
class LabourPanel:
    catchment: catchment_engine.Catchment
    pool: labour_engine.LabourPool


def labour_pool_around(
    *,
    latitude: float,
    longitude: float,
    radius_km: float = DEFAULT_RADIUS_KM,
    minutes: float | None = None,
) -> LabourPanel:
    """The labour pool within ``radius_km`` great-circle km, or (when given) ``minutes`` of estimated
    driving, of a point."""
    table = commune_table()
    if minutes is not None:
        found = catchment_engine.within_minutes(table.index, latitude, longitude, minutes)
    else:
        found = catchment_engine.within_radius(table.index, latitude, longitude, radius_km)
    positions = [int(i) for i in found.indices]
    return LabourPanel(catchment=found, pool=_pool_of(table, positions))


def catchment_geojson(*, panel: LabourPanel) -> dict[str, Any]:
    """The catchment's communes as a GeoJSON FeatureCollection (contour, name, population aged 20-64)."""
    distance = dict(zip(panel.catchment.ids, panel.catchment.distances_km, strict=True))
    features = []
    for insee, name, contour, pop, pop_20_64 in Commune.objects.filter(
        insee__in=panel.catchment.ids, contour__isnull=False
    ).values_list("insee", "name", "contour__geojson", "population", "population_20_64"):
        features.append(
            {
                "type": "Feature",
                "geometry": contour,
                "properties": {
                    "insee": insee,
                    "name": name,
                    "population": pop,
                    "population_20_64": pop_20_64,
                    "distance_km": round(float(distance[insee]), 1),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- territory overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaPool:
    code: str
    name: str
    communes: int
    complete: bool
    pool: labour_engine.LabourPool


@dataclass(frozen=True)
class TerritoryOverview:
    by_epci: list[AreaPool]
    by_zone: list[AreaPool]
    total: labour_engine.LabourPool | None


def territory_overview() -> TerritoryOverview:
    """The labour pool of every EPCI (and employment zone, once the zoning is imported) of the loaded
    territory, summed over its loaded communes with the engine."""
    table = commune_table()
    groups: dict[str, list[int]] = defaultdict(list)
    for i, epci in enumerate(table.epcis):
        if epci:
            groups[epci].append(i)
    epcis = {e.siren: e for e in Epci.objects.filter(siren__in=groups)}
    by_epci = [
        AreaPool(
            code=siren,
            name=epcis[siren].name,
            communes=len(positions),
            complete=len(positions) >= epcis[siren].member_count,
            pool=_pool_of(table, positions),
        )
        for siren, positions in groups.items()
        if siren in epcis
    ]
    zone_groups: dict[str, list[int]] = defaultdict(list)
    for i, zone in enumerate(table.zones):
        if zone:
            zone_groups[zone].append(i)
    by_zone = [
        AreaPool(
            code=code,
            name=table.zone_names.get(code, code),
            communes=len(positions),
            complete=code not in table.zones_incomplete,
            pool=_pool_of(table, positions),
        )
        for code, positions in zone_groups.items()
    ]
    total = _pool_of(table, range(len(table.names))) if table.names else None
    return TerritoryOverview(
        by_epci=sorted(by_epci, key=lambda a: a.name),
        by_zone=sorted(by_zone, key=lambda a: a.name),
        total=total,
    )


# --- imports and centres -------------------------------------------------------------------------------


def import_runs() -> QuerySet[ImportRun]:
    """The import log, with how many rows of each run are still in use."""
    return ImportRun.objects.select_related("by").annotate(
        centres_in_use=Count("contact_centres", distinct=True),
        counts_in_use=Count("job_seeker_counts", distinct=True),
    )


def latest_import(*, kind: ImportKind) -> ImportRun | None:
    return ImportRun.objects.filter(kind=kind).order_by("-at", "-pk").first()


def contact_centres_recorded_by_hand() -> QuerySet[ContactCentre]:
    return ContactCentre.objects.filter(origin=CentreOrigin.MANUAL).select_related("commune", "recorded_by")


def contact_centres_in(*, commune_ids: Iterable[str]) -> QuerySet[ContactCentre]:
    return ContactCentre.objects.filter(commune_id__in=list(commune_ids)).select_related("commune")
