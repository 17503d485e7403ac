"""Reads of the labour pool around a point: the national commune table, the engine's catchment and labour
model, and the imported data.

Every pool is summed on the national commune table (:class:`guichet.territory.models.NationalCommune`: all
of France), so a catchment crosses the borders of the agency's départements; ``territory_only=True`` keeps
the communes of the loaded territory alone (to show what the border would hide). A commune of the catchment
with no people aged 20-64 is counted in ``communes_missing`` of the figures and named in
:attr:`LabourPanel.without_data`.

Imported figures are used where they exist; otherwise the engine estimates them by its stated method, and the
result says which. The commune table is built once per process and rebuilt when the loaded territory
(:class:`TerritoryDataVersion`) or the imported labour data (:class:`LabourDataVersion`) change: one cheap
query each.

Job seekers per commune, for category A and for categories A, B, C, most specific first: a DARES count for
the commune itself; else its employment zone's count (latest period, all sexes and ages) shared among the
zone's communes pro rata of the people aged 20-64; else its département's count shared the same way; else an
estimate: the national ratio times the commune's zone factor, its employment zone's unemployment rate over
France's in the latest quarter of the bundled INSEE series (:func:`guichet.data.dataset.read_unemployment`).
Customer-relation job seekers (:data:`CUSTOMER_RELATION_ROME`): France Travail counts of the latest period,
per commune, employment zone or département, shared out the same way.

Contact centres: SIRENE establishments and the centres the agency records. A commune counts as covered when a
SIRENE import of NAF 82.20Z included its département; the saturation is taken over the covered communes and is
``unknown`` when none is.

Commute catchments use the calibrated model, replaced by the imported travel-time matrix for the pairs it
gives.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, QuerySet

from guichet.data.dataset import commune_index, read_unemployment
from guichet.engine import catchment as catchment_engine
from guichet.engine import labour as labour_engine
from guichet.engine import unemployment as unemployment_engine
from guichet.engine.commute import TravelTimes
from guichet.engine.hiring import HiringYear
from guichet.hooks import Hook
from guichet.labour.models import (
    CentreKind,
    CentreOrigin,
    CommuneZone,
    ContactCentre,
    EmploymentZone,
    ImportKind,
    ImportRun,
    JobSeekerCount,
    LabourDataVersion,
    TerritoryType,
    TravelTime,
)
from guichet.sources import employment, sirene
from guichet.territory.models import Commune, Epci, NationalCommune, TerritoryDataVersion
from guichet.territory.selectors import dataset_source_label

DEFAULT_RADIUS_KM = 30.0
DEFAULT_MINUTES = 45.0
# ROME codes of customer-relation jobs counted as the specific pool: D1408 "Téléconseil et télévente" and
# M1601 "Accueil et renseignements" (ROME 4.0 keeps both codes).
CUSTOMER_RELATION_ROME: tuple[str, ...] = ("D1408", "M1601")
CALL_CENTRE_NAF = "82.20Z"


@dataclass(frozen=True)
class SeekerValues:
    values: list[float | None]
    source: str
    apportioned: tuple[str, ...] = ()

    def engine(self, positions: Sequence[int]) -> labour_engine.CommuneValues:
        return labour_engine.CommuneValues([self.values[i] for i in positions], self.source, self.apportioned)


@dataclass(frozen=True)
class CommuneTable:
    """The national communes as plain arrays, aligned with an engine index, with the imported values."""

    index: catchment_engine.CommuneIndex
    names: list[str]
    departements: list[str]
    population: list[float | None]
    population_20_64: list[float | None]
    in_territory: np.ndarray
    version: str
    epcis: list[str | None] = field(default_factory=list)
    zones: list[str | None] = field(default_factory=list)
    job_seekers: SeekerValues | None = None
    job_seekers_a: SeekerValues | None = None
    customer_relation: SeekerValues | None = None
    centres: list[tuple[tuple[labour_engine.ContactCentre, int | None], ...]] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)
    sirene_departements: frozenset[str] = frozenset()
    run_labels: dict[int, str] = field(default_factory=dict)
    zone_names: dict[str, str] = field(default_factory=dict)
    travel_times: TravelTimes | None = None
    # INSEE's zone d'emploi of each commune (bundled) and its unemployment rate over France's, latest quarter.
    unemployment_zones: list[str | None] = field(default_factory=list)
    zone_factors: list[float | None] = field(default_factory=list)
    unemployment_quarter: str = ""

    @property
    def population_20_64_array(self) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in self.population_20_64], dtype=np.float64)


_TABLE: CommuneTable | None = None


def labour_data_version() -> str:
    """A token that changes whenever the territory data or a labour import changes what pools show."""
    territory = TerritoryDataVersion.objects.filter(key="territory").values_list("token", flat=True).first()
    labour = LabourDataVersion.objects.filter(key="labour").values_list("token", flat=True).first()
    # A database loaded before the token existed: fall back to the size of the tables.
    fallback = f"{NationalCommune.objects.count()}:{Commune.objects.count()}" if territory is None else ""
    return f"{territory or ''}:{labour or ''}:{fallback}"


def _current_code(code: str, position: dict[str, int]) -> str | None:
    """The current commune of a code (former codes and municipal arrondissements: the national index)."""
    if code in position:
        return code
    found = commune_index().get(code)
    if found is not None and found[2] in position:
        return found[2]
    return None


def _zone_membership(position: dict[str, int]) -> tuple[dict[str, str], dict[str, str]]:
    """(current commune code -> employment zone, zone -> name), over all of France."""
    of_commune: dict[str, str] = {}
    for code, zone in CommuneZone.objects.values_list("commune_code", "zone_id"):
        current = _current_code(code, position)
        if current is not None:
            of_commune.setdefault(current, zone)
    return of_commune, dict(EmploymentZone.objects.values_list("code", "name"))


def _labels(run_ids: Iterable[int]) -> str:
    runs = ImportRun.objects.filter(pk__in=set(run_ids)).order_by("at", "pk")
    return "; ".join(run.label for run in runs)


def _latest(periods: Iterable[str]) -> str | None:
    keys = [(employment.period_sort_key(p), p) for p in set(periods)]
    return max(keys)[1] if keys else None


def _spread(
    ids: Sequence[str],
    departements: Sequence[str],
    zone_of: dict[str, str],
    weights: dict[str, float | None],
    by_type: dict[str, dict[str, float]],
) -> tuple[dict[str, float], tuple[str, ...]]:
    """Values per commune from totals by commune (COM), employment zone (ZE) and département (DEP), the most
    specific first; returns them with the kinds of totals that were shared out."""
    values: dict[str, float] = {}
    used: list[str] = []
    dep_totals = by_type.get(TerritoryType.DEPARTEMENT, {})
    if dep_totals:
        members = {code: dep for code, dep in zip(ids, departements, strict=True) if dep in dep_totals}
        shared = labour_engine.apportion_to_communes(
            zone_totals=dep_totals, commune_zones=members, commune_weights=weights
        )
        if shared:
            values.update(shared)
            used.append(TerritoryType.DEPARTEMENT)
    zone_totals = by_type.get(TerritoryType.ZONE, {})
    if zone_totals:
        members = {code: zone for code, zone in zone_of.items() if zone in zone_totals}
        shared = labour_engine.apportion_to_communes(
            zone_totals=zone_totals, commune_zones=members, commune_weights=weights
        )
        if shared:
            values.update(shared)
            used.append(TerritoryType.ZONE)
    values.update(by_type.get(TerritoryType.COMMUNE, {}))
    return values, tuple(reversed(used))


def _job_seekers(
    ids: Sequence[str],
    departements: Sequence[str],
    zone_of: dict[str, str],
    weights: dict[str, float | None],
    category: str,
) -> SeekerValues | None:
    """DARES counts of ``category`` (``"A"`` or ``"ABC"``; A, B and C rows add up to ABC where the file has
    no ABC row) at the latest period, per commune."""
    wanted = ("A", "B", "C", "ABC") if category == "ABC" else (category,)
    rows = list(
        JobSeekerCount.objects.filter(rome="", is_total=True, category__in=wanted).values_list(
            "territory_type", "territory_code", "period", "category", "value", "import_run"
        )
    )
    if not rows:
        return None
    if category == "ABC":
        complete: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
        for kind, code, period, cat, value, _ in rows:
            complete[(kind, code, period)][cat] = value
        usable_periods = [
            period for (_, _, period), cats in complete.items() if "ABC" in cats or len(cats) >= 3
        ]
    else:
        usable_periods = [period for _, _, period, *_ in rows]
    latest = _latest(usable_periods)
    if latest is None:
        return None
    by_type: dict[str, dict[str, float]] = defaultdict(dict)
    parts: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    runs: set[int] = set()
    for kind, code, period, cat, value, run in rows:
        if period != latest:
            continue
        runs.add(run)
        if cat == category:
            by_type[kind][code] = float(value)
        else:
            parts[(kind, code)][cat] = float(value)
    for (kind, code), cats in parts.items():
        if code not in by_type[kind] and all(c in cats for c in ("A", "B", "C")):
            by_type[kind][code] = cats["A"] + cats["B"] + cats["C"]
    values, apportioned = _spread(ids, departements, zone_of, weights, by_type)
    if not values:
        return None
    return SeekerValues([values.get(code) for code in ids], _labels(runs), apportioned)


def _customer_relation(
    ids: Sequence[str],
    departements: Sequence[str],
    zone_of: dict[str, str],
    weights: dict[str, float | None],
) -> SeekerValues | None:
    rows = JobSeekerCount.objects.filter(rome__in=CUSTOMER_RELATION_ROME)
    latest = _latest(rows.values_list("period", flat=True).distinct())
    if latest is None:
        return None
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
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
        sums[kind][code] += value
        runs.add(run)
    values, apportioned = _spread(ids, departements, zone_of, weights, {k: dict(v) for k, v in sums.items()})
    if not values:
        return None
    label = f"{_labels(runs)} · ROME {'+'.join(CUSTOMER_RELATION_ROME)}"
    return SeekerValues([values.get(code) for code in ids], label, apportioned)


def sirene_scope() -> frozenset[str]:
    """The départements whose NAF 82.20Z establishments have been imported from SIRENE."""
    covered: set[str] = set()
    for parameters in ImportRun.objects.filter(kind=ImportKind.SIRENE).values_list("parameters", flat=True):
        naf = {sirene.normalise_naf(code) for code in (parameters or {}).get("naf", [])}
        if CALL_CENTRE_NAF in naf:
            covered.update((parameters or {}).get("departements", []))
    return frozenset(covered)


def _centres(
    position: dict[str, int],
) -> tuple[list[list[tuple[labour_engine.ContactCentre, int | None]]], dict[int, str]]:
    per_commune: list[list[tuple[labour_engine.ContactCentre, int | None]]] = [[] for _ in position]
    runs: set[int] = set()
    for row in ContactCentre.objects.values(
        "commune_code",
        "name",
        "siret",
        "origin",
        "kind",
        "jobs_low",
        "jobs_mid",
        "jobs_high",
        "import_run_id",
    ):
        current = _current_code(row["commune_code"] or "", position)
        if current is None:
            continue
        centre = labour_engine.ContactCentre(
            name=row["name"] or row["siret"] or "",
            jobs_low=row["jobs_low"],
            jobs_mid=row["jobs_mid"],
            jobs_high=row["jobs_high"],
            origin="manual" if row["origin"] == CentreOrigin.MANUAL else "sirene",
            siret=row["siret"],
            kind="in_house" if row["kind"] == CentreKind.IN_HOUSE else "outsourced",
        )
        per_commune[position[current]].append((centre, row["import_run_id"]))
        if row["import_run_id"]:
            runs.add(row["import_run_id"])
    labels = {run.pk: run.label for run in ImportRun.objects.filter(pk__in=runs)}
    return per_commune, labels


def _travel_times() -> TravelTimes | None:
    rows = TravelTime.objects.values_list("origin", "destination", "minutes", "import_run")
    if not rows.exists():
        return None
    listed = list(rows)
    return TravelTimes.from_rows(
        ((o, d, m) for o, d, m, _ in listed), source=_labels(run for *_, run in listed)
    )


def commune_table() -> CommuneTable:
    """Built once per process and rebuilt when the loaded territory or the imported data change."""
    global _TABLE
    version = labour_data_version()
    if _TABLE is None or _TABLE.version != version:
        _TABLE = _build_table(version)
    return _TABLE


def _build_table(version: str) -> CommuneTable:
    rows = list(
        NationalCommune.objects.order_by("insee").values_list(
            "insee", "name", "departement", "latitude", "longitude", "population", "population_20_64"
        )
    )
    territory = dict(Commune.objects.values_list("insee", "epci_id"))
    if not rows:
        # A dataset built before the national table existed: the loaded territory alone.
        rows = list(
            Commune.objects.order_by("insee").values_list(
                "insee", "name", "departement_id", "latitude", "longitude", "population", "population_20_64"
            )
        )
    ids = [r[0] for r in rows]
    departements = [r[2] for r in rows]
    position = {code: i for i, code in enumerate(ids)}
    weights: dict[str, float | None] = {r[0]: (float(r[6]) if r[6] is not None else None) for r in rows}
    zone_of, zone_names = _zone_membership(position)
    centres, run_labels = _centres(position)
    scope = sirene_scope()
    return CommuneTable(
        index=catchment_engine.index_communes(
            ids,
            [r[3] if r[3] is not None else math.nan for r in rows],
            [r[4] if r[4] is not None else math.nan for r in rows],
        ),
        names=[r[1] for r in rows],
        departements=departements,
        population=[float(r[5]) if r[5] is not None else None for r in rows],
        population_20_64=[float(r[6]) if r[6] is not None else None for r in rows],
        in_territory=np.array([code in territory for code in ids], dtype=bool),
        version=version,
        epcis=[territory.get(code) for code in ids],
        zones=[zone_of.get(code) for code in ids],
        job_seekers=_job_seekers(ids, departements, zone_of, weights, "ABC"),
        job_seekers_a=_job_seekers(ids, departements, zone_of, weights, "A"),
        customer_relation=_customer_relation(ids, departements, zone_of, weights),
        centres=[tuple(c) for c in centres],
        covered=[dep in scope for dep in departements],
        sirene_departements=scope,
        run_labels=run_labels,
        zone_names=zone_names,
        travel_times=_travel_times(),
        **_unemployment_columns(ids),
    )


def _unemployment_columns(ids: Sequence[str]) -> dict[str, Any]:
    """The bundled zone of each commune and its zone factor (latest quarter), for the commune table."""
    data = read_unemployment()
    zones = [data.commune_zone.get(code) for code in ids]
    latest = {code: zone.rates_pct[-1] for code, zone in data.zones.items()}
    return {
        "unemployment_zones": zones,
        "zone_factors": unemployment_engine.zone_factors(zones, latest, data.national_pct[-1]),
        "unemployment_quarter": data.latest_quarter,
    }


def _local_unemployment(
    table: CommuneTable, positions: Sequence[int]
) -> labour_engine.LocalUnemployment | None:
    if not table.zone_factors:
        return None
    return labour_engine.LocalUnemployment(
        [table.zone_factors[i] for i in positions], table.unemployment_quarter, read_unemployment().source
    )


def zones_of(table: CommuneTable, positions: Sequence[int]) -> tuple[unemployment_engine.ZoneReached, ...]:
    """The employment zones of these communes, each with its last eight quarters of unemployment."""
    if not table.unemployment_zones:
        return ()
    data = read_unemployment()
    return unemployment_engine.zones_reached(
        zones=[table.unemployment_zones[i] for i in positions],
        population_20_64=[table.population_20_64[i] for i in positions],
        labels={code: zone.label for code, zone in data.zones.items()},
        zone_rates={code: zone.rates_pct for code, zone in data.zones.items()},
        quarters=data.quarters,
        national_pct=data.national_pct,
    )


def _pool_of(table: CommuneTable, positions: Sequence[int]) -> labour_engine.LabourPool:
    population_source = dataset_source_label(key="france_communes.csv") or dataset_source_label(
        key="communes.csv"
    )
    census_source = dataset_source_label(key="france_communes.csv:population_20_64") or dataset_source_label(
        key="communes.csv:population_20_64"
    )
    centres: list[labour_engine.ContactCentre] = []
    runs: set[int] = set()
    for k, i in enumerate(positions):
        for centre, run in table.centres[i]:
            centres.append(
                labour_engine.ContactCentre(
                    name=centre.name,
                    jobs_low=centre.jobs_low,
                    jobs_mid=centre.jobs_mid,
                    jobs_high=centre.jobs_high,
                    origin=centre.origin,
                    siret=centre.siret,
                    kind=centre.kind,
                    position=k,
                )
            )
            if run is not None:
                runs.add(run)
    sirene_source = "; ".join(table.run_labels[r] for r in sorted(runs) if r in table.run_labels) or "SIRENE"
    return labour_engine.labour_pool(
        population=labour_engine.CommuneValues([table.population[i] for i in positions], population_source),
        population_20_64=labour_engine.CommuneValues(
            [table.population_20_64[i] for i in positions], census_source
        ),
        job_seekers=table.job_seekers.engine(positions) if table.job_seekers else None,
        job_seekers_a=table.job_seekers_a.engine(positions) if table.job_seekers_a else None,
        customer_relation_job_seekers=(
            table.customer_relation.engine(positions) if table.customer_relation else None
        ),
        contact_centres=centres,
        centres_covered=[table.covered[i] for i in positions],
        sirene_source=sirene_source,
        local=_local_unemployment(table, positions),
    )


@dataclass(frozen=True)
class LabourPanel:
    """A catchment and its pool. ``without_data``: names of the catchment's communes without people aged
    20-64 (or, for the territory-only view, left out); ``outside_territory``: communes of the catchment
    beyond the loaded territory (counted unless ``territory_only``)."""

    catchment: catchment_engine.Catchment
    pool: labour_engine.LabourPool
    territory_only: bool = False
    without_data: tuple[str, ...] = ()
    outside_territory: int = 0
    population_20_64_outside: float = 0.0
    workplace: str | None = None
    zones: tuple[unemployment_engine.ZoneReached, ...] = ()


def _nearest_commune(table: CommuneTable, latitude: float, longitude: float) -> str | None:
    found = catchment_engine.within_radius(table.index, latitude, longitude, 15.0)
    return found.ids[0] if found.ids else None


def labour_pool_around(
    *,
    latitude: float,
    longitude: float,
    radius_km: float = DEFAULT_RADIUS_KM,
    minutes: float | None = None,
    territory_only: bool = False,
    workplace_insee: str | None = None,
) -> LabourPanel:
    """The labour pool within ``radius_km`` great-circle km, or (when given) ``minutes`` of driving, of a
    point, on the national commune table. A commute catchment uses the imported travel-time matrix for the
    pairs it gives with ``workplace_insee`` (default: the commune whose point is nearest)."""
    table = commune_table()
    workplace = None
    if minutes is not None:
        if table.travel_times is not None:
            workplace = workplace_insee or _nearest_commune(table, latitude, longitude)
        found = catchment_engine.within_minutes(
            table.index,
            latitude,
            longitude,
            minutes,
            travel_times=table.travel_times,
            workplace_id=workplace,
        )
    else:
        found = catchment_engine.within_radius(table.index, latitude, longitude, radius_km)
    positions = [int(i) for i in found.indices]
    outside = [i for i in positions if not table.in_territory[i]]
    if territory_only:
        positions = [i for i in positions if table.in_territory[i]]
    missing = tuple(table.names[i] for i in positions if table.population_20_64[i] is None)
    return LabourPanel(
        catchment=found,
        pool=_pool_of(table, positions),
        territory_only=territory_only,
        without_data=missing,
        outside_territory=len(outside),
        population_20_64_outside=float(sum(table.population_20_64[i] or 0.0 for i in outside)),
        workplace=workplace,
        zones=zones_of(table, positions),
    )


def catchment_geojson(*, panel: LabourPanel) -> dict[str, Any]:
    """The catchment's communes as a GeoJSON FeatureCollection (contour, name, population aged 20-64), with
    the number of communes of the catchment that have no contour to draw."""
    distance = dict(zip(panel.catchment.ids, panel.catchment.distances_km, strict=True))
    features = []
    for insee, name, contour, pop, pop_20_64 in NationalCommune.objects.filter(
        insee__in=panel.catchment.ids, contour__isnull=False
    ).values_list("insee", "name", "contour", "population", "population_20_64"):
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
    return {
        "type": "FeatureCollection",
        "features": features,
        "not_drawn": len(panel.catchment.ids) - len(features),
    }


def job_seekers_near_communes(*, radius_km: float = DEFAULT_RADIUS_KM) -> dict[str, float]:
    """Category A job seekers within ``radius_km`` of each commune of the loaded territory, on the national
    table (imported counts where there are some, the national ratio times the zone factor elsewhere)."""
    table = commune_table()
    rates = labour_engine.DEFAULT_RATES
    working_age = table.population_20_64_array
    factors = np.array([1.0 if f is None else f for f in table.zone_factors] or 1.0, dtype=np.float64)
    estimate = working_age * rates.activity_rate * rates.category_a_rate * factors
    if table.job_seekers_a is not None:
        imported = np.array([np.nan if v is None else v for v in table.job_seekers_a.values])
        values = np.where(np.isnan(imported), estimate, imported)
    else:
        values = estimate
    positions = np.flatnonzero(table.in_territory)
    sums = catchment_engine.sums_around(
        table.index, table.index.latitudes[positions], table.index.longitudes[positions], radius_km, values
    )
    return {table.index.ids[int(i)]: float(s) for i, s in zip(positions, sums, strict=True)}


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


_OVERVIEW: TerritoryOverview | None = None
_OVERVIEW_VERSION = ""


def territory_overview() -> TerritoryOverview:
    """The labour pool of every EPCI and employment zone (once the zoning is imported) touching the loaded
    territory, summed over all their communes on the national table. Public and the same for every reader
    until the data changes: computed once per data version (about a hundred queries and 50 ms otherwise)."""
    global _OVERVIEW, _OVERVIEW_VERSION
    table = commune_table()
    if _OVERVIEW is None or table.version != _OVERVIEW_VERSION:
        _OVERVIEW, _OVERVIEW_VERSION = _territory_overview(table), table.version
    return _OVERVIEW


def _territory_overview(table: CommuneTable) -> TerritoryOverview:
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
    touching = {zone for zone, inside in zip(table.zones, table.in_territory, strict=True) if zone and inside}
    zone_groups: dict[str, list[int]] = defaultdict(list)
    for i, zone in enumerate(table.zones):
        if zone in touching:
            zone_groups[zone].append(i)
    by_zone = [
        AreaPool(
            code=code,
            name=table.zone_names.get(code, code),
            communes=len(positions),
            complete=True,
            pool=_pool_of(table, positions),
        )
        for code, positions in zone_groups.items()
    ]
    inside = [int(i) for i in np.flatnonzero(table.in_territory)]
    total = _pool_of(table, inside) if inside else None
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
    return ContactCentre.objects.filter(commune_code__in=list(commune_ids)).select_related("commune")


# --- hiring plans kept above labour -----------------------------------------------------------------


def _no_hiring_plans(*, user: Any) -> QuerySet[Any] | None:
    """The projects whose hiring plan the reader may test on a premises' labour panel, in the order shown;
    None: the panel offers none."""
    return None


def _no_hiring_years(*, project: Any) -> tuple[HiringYear, ...]:
    """A project's hiring plan, year by year (its headcounts, to vary its attrition)."""
    return ()


# Answered by the app that keeps projects (projects/apps.py).
hiring_plans_visible_to = Hook(_no_hiring_plans)
hiring_plan_years = Hook(_no_hiring_years)
