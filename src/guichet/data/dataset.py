"""Reads a territory dataset directory (the bundled one or a built one) into plain, checked records.

The format is the one `guichet data build` writes: one CSV per table, `|` between list items, and
`provenance.json` describing each file. A wrong value stops the read with the file, row and column named.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guichet.sources.identifiers import insee_code_is_well_formed, siren_is_valid

BUNDLED_TERRITORY_DIR = Path(__file__).resolve().parent / "territory"
BUNDLED_TRIPS = Path(__file__).resolve().parent / "commute" / "reference-trips.csv"
REQUIRED_FILES = ("regions.csv", "departements.csv", "epci.csv", "communes.csv", "former_communes.csv")


class DatasetError(ValueError):
    """A dataset file is missing or holds a value that cannot be right; the message says where."""


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str


@dataclass(frozen=True)
class DepartementRow:
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class EpciRow:
    siren: str
    name: str
    kind: str
    member_count: int
    population_municipal: int | None


@dataclass(frozen=True)
class CommuneRow:
    insee: str
    name: str
    departement: str
    epci_siren: str
    postal_codes: str
    population: int
    population_20_64: int | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class NationalCommuneRow:
    """A commune of the national table (all of France): the labour pools are summed on these."""

    insee: str
    name: str
    departement: str
    population: int | None
    population_20_64: int | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class FormerCommuneRow:
    former_insee: str
    current_insee: str
    name: str


@dataclass(frozen=True)
class TerritoryDataset:
    directory: Path
    regions: list[RegionRow]
    departements: list[DepartementRow]
    epcis: list[EpciRow]
    communes: list[CommuneRow]
    former_communes: list[FormerCommuneRow]
    contours: dict[str, dict[str, Any]]
    provenance: dict[str, dict[str, str]]
    france_communes: list[NationalCommuneRow] = field(default_factory=list)


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    # Row numbers count the header as line 1, as a spreadsheet shows them.
    line = 1
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in columns if column not in (reader.fieldnames or [])]
            if missing:
                raise DatasetError(f"{path.name}: missing column(s) {', '.join(missing)}")
            for line, row in enumerate(reader, start=2):
                if None in row:
                    raise DatasetError(f"{path.name}, row {line}: more cells than columns")
                if any("\x00" in value for value in row.values() if isinstance(value, str)):
                    raise DatasetError(
                        f"{path.name}, row {line}: a NUL character (U+0000): the file is damaged"
                    )
                yield line, row
    except UnicodeDecodeError as error:
        raise DatasetError(f"{path.name}, after row {line}: not UTF-8 text (byte {error.start})") from None
    except csv.Error as error:
        raise DatasetError(f"{path.name}, row {line + 1}: {error}") from None


def _field(path: Path, line: int, row: dict[str, str], column: str, parse: Callable[[str], Any]) -> Any:
    raw = (row.get(column) or "").strip()
    try:
        return parse(raw)
    except (ValueError, TypeError) as error:
        raise DatasetError(f"{path.name}, row {line}, column {column}: {error} (value {raw!r})") from None


def _text(raw: str) -> str:
    if not raw:
        raise ValueError("empty value")
    return raw


def _int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("negative number")
    return value


def _optional_int(raw: str) -> int | None:
    return _int(raw) if raw else None


def _insee(raw: str) -> str:
    if not insee_code_is_well_formed(raw):
        raise ValueError("not an INSEE commune code")
    return raw


def _siren(raw: str) -> str:
    if not siren_is_valid(raw):
        raise ValueError("SIREN fails its check digit")
    return raw


def _optional_siren(raw: str) -> str:
    return _siren(raw) if raw else ""


def _latitude(raw: str) -> float | None:
    if not raw:
        return None
    value = float(raw)
    if not -90 <= value <= 90:
        raise ValueError("latitude out of range")
    return value


def _longitude(raw: str) -> float | None:
    if not raw:
        return None
    value = float(raw)
    if not -180 <= value <= 180:
        raise ValueError("longitude out of range")
    return value


def read_territory_dataset(directory: Path | None = None) -> TerritoryDataset:
    directory = directory or BUNDLED_TERRITORY_DIR
    for name in REQUIRED_FILES:
        if not (directory / name).is_file():
            raise DatasetError(f"{directory}: {name} is missing (run `guichet data build`)")

    path = directory / "regions.csv"
    regions = [
        RegionRow(code=_field(path, n, r, "code", _text), name=_field(path, n, r, "name", _text))
        for n, r in _rows(path, ("code", "name"))
    ]
    path = directory / "departements.csv"
    departements = [
        DepartementRow(
            code=_field(path, n, r, "code", _text),
            name=_field(path, n, r, "name", _text),
            region_code=_field(path, n, r, "region_code", _text),
        )
        for n, r in _rows(path, ("code", "name", "region_code"))
    ]
    path = directory / "epci.csv"
    epcis = [
        EpciRow(
            siren=_field(path, n, r, "siren", _siren),
            name=_field(path, n, r, "name", _text),
            kind=_field(path, n, r, "kind", _text),
            member_count=_field(path, n, r, "member_count", _int),
            population_municipal=_field(path, n, r, "population_municipal", _optional_int),
        )
        for n, r in _rows(path, ("siren", "name", "kind", "member_count", "population_municipal"))
    ]
    path = directory / "communes.csv"
    commune_columns = (
        "insee",
        "name",
        "departement",
        "epci_siren",
        "postal_codes",
        "population",
        "population_20_64",
        "latitude",
        "longitude",
    )
    communes = [
        CommuneRow(
            insee=_field(path, n, r, "insee", _insee),
            name=_field(path, n, r, "name", _text),
            departement=_field(path, n, r, "departement", _text),
            epci_siren=_field(path, n, r, "epci_siren", _optional_siren),
            postal_codes=(r.get("postal_codes") or "").strip(),
            population=_field(path, n, r, "population", _int),
            population_20_64=_field(path, n, r, "population_20_64", _optional_int),
            latitude=_field(path, n, r, "latitude", _latitude),
            longitude=_field(path, n, r, "longitude", _longitude),
        )
        for n, r in _rows(path, commune_columns)
    ]
    path = directory / "former_communes.csv"
    former_communes = [
        FormerCommuneRow(
            former_insee=_field(path, n, r, "former_insee", _insee),
            current_insee=_field(path, n, r, "current_insee", _insee),
            name=(r.get("name") or "").strip(),
        )
        for n, r in _rows(path, ("former_insee", "current_insee", "name"))
    ]
    contours: dict[str, dict[str, Any]] = {}
    path = directory / "contours.csv"
    if path.is_file():
        for n, r in _rows(path, ("insee", "geojson")):
            contours[_field(path, n, r, "insee", _insee)] = _field(path, n, r, "geojson", json.loads)
    france_communes = read_france_communes(directory)
    provenance_path = directory / "provenance.json"
    provenance = json.loads(provenance_path.read_text(encoding="utf-8")) if provenance_path.is_file() else {}
    return TerritoryDataset(
        directory=directory,
        regions=regions,
        departements=departements,
        epcis=epcis,
        communes=communes,
        former_communes=former_communes,
        contours=contours,
        provenance=provenance,
        france_communes=france_communes,
    )


def read_france_communes(directory: Path | None = None) -> list[NationalCommuneRow]:
    """The national commune table (`france_communes.csv`); [] when the directory has none (an older build)."""
    path = (directory or BUNDLED_TERRITORY_DIR) / "france_communes.csv"
    if not path.is_file():
        return []
    columns = ("insee", "name", "departement", "population", "population_20_64", "latitude", "longitude")
    return [
        NationalCommuneRow(
            insee=_field(path, n, r, "insee", _insee),
            name=_field(path, n, r, "name", _text),
            departement=_field(path, n, r, "departement", _text),
            population=_field(path, n, r, "population", _optional_int),
            population_20_64=_field(path, n, r, "population_20_64", _optional_int),
            latitude=_field(path, n, r, "latitude", _latitude),
            longitude=_field(path, n, r, "longitude", _longitude),
        )
        for n, r in _rows(path, columns)
    ]


@dataclass(frozen=True)
class TripRow:
    from_insee: str
    from_name: str
    to_insee: str
    to_name: str
    road_km: float | None
    minutes: float
    main_road: str
    use: str = "calibration"
    source: str = ""


TRIP_USES = ("calibration", "validation")


def _positive(raw: str) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError("expected a number > 0")
    return value


def _optional_positive(raw: str) -> float | None:
    return _positive(raw) if raw else None


def _trip_use(raw: str) -> str:
    use = raw or "calibration"
    if use not in TRIP_USES:
        raise ValueError(f"expected one of {', '.join(TRIP_USES)}")
    return use


def read_reference_trips(path: Path | None = None) -> list[TripRow]:
    """The documented trips (`data/commute/reference-trips.csv`): those the commute model is calibrated on
    and those kept out to validate it (``use``); road km may be unknown (empty)."""
    path = path or BUNDLED_TRIPS
    columns = ("from_insee", "from_name", "to_insee", "to_name", "road_km", "car_minutes", "main_road")
    return [
        TripRow(
            from_insee=_field(path, n, r, "from_insee", _insee),
            from_name=_field(path, n, r, "from_name", _text),
            to_insee=_field(path, n, r, "to_insee", _insee),
            to_name=_field(path, n, r, "to_name", _text),
            road_km=_field(path, n, r, "road_km", _optional_positive),
            minutes=_field(path, n, r, "car_minutes", _positive),
            main_road=(r.get("main_road") or "").strip(),
            use=_field(path, n, r, "use", _trip_use),
            source=(r.get("source") or "").strip(),
        )
        for n, r in _rows(path, columns)
    ]


def reference_trips(
    path: Path | None = None, directory: Path | None = None, *, use: str | None = "calibration"
) -> list[Any]:
    """The reference trips as engine records, with straight-line km between the communes' points of the
    national table: the calibration trips by default, the validation ones with ``use="validation"``, all
    with ``use=None``."""
    from guichet.engine.catchment import haversine_km
    from guichet.engine.commute import ReferenceTrip

    points = {
        c.insee: (c.latitude, c.longitude)
        for c in read_france_communes(directory)
        if c.latitude is not None and c.longitude is not None
    }
    trips = []
    for row in read_reference_trips(path):
        if use is not None and row.use != use:
            continue
        for code in (row.from_insee, row.to_insee):
            if code not in points:
                raise DatasetError(f"reference trips: commune {code} has no point in france_communes.csv")
        (lat1, lon1), (lat2, lon2) = points[row.from_insee], points[row.to_insee]
        trips.append(
            ReferenceTrip(
                from_id=row.from_insee,
                from_name=row.from_name,
                to_id=row.to_insee,
                to_name=row.to_name,
                straight_km=float(haversine_km(lat1, lon1, lat2, lon2)),
                road_km=float("nan") if row.road_km is None else row.road_km,
                minutes=row.minutes,
                main_road=row.main_road,
            )
        )
    return trips


@functools.cache
def commune_index(directory: Path | None = None) -> dict[str, tuple[str, str, str]]:
    """Every INSEE code of France (current, former, municipal arrondissement) -> (name, département,
    current commune's code), from `commune_index.csv`; {} when the directory has no such file.

    The index covers all of France whatever the territory loaded: a code absent from it exists nowhere.
    The name is empty for a former code known only as an `anciensCodes` entry. Cached per directory.
    """
    path = (directory or BUNDLED_TERRITORY_DIR) / "commune_index.csv"
    if not path.is_file():
        return {}
    return {
        _field(path, n, r, "insee", _insee): (
            (r.get("name") or "").strip(),
            _field(path, n, r, "departement", _text),
            _field(path, n, r, "current_insee", _insee),
        )
        for n, r in _rows(path, ("insee", "name", "departement", "current_insee"))
    }


BUNDLED_ZONING_DIR = Path(__file__).resolve().parent / "zoning"
UNEMPLOYMENT_SOURCE = "INSEE, taux de chômage localisés par zone d'emploi 2020 (CVS)"


@dataclass(frozen=True)
class ZoneUnemployment:
    """A zone d'emploi 2020 and its quarterly unemployment rates in percent (``quarters`` order)."""

    code: str
    label: str
    rates_pct: tuple[float, ...]


@dataclass(frozen=True)
class UnemploymentTable:
    """INSEE's localised unemployment by zone d'emploi 2020 (`data/zoning/`): the quarters, France's rate
    for each, each zone's rates, and the zone of every commune (some zones, Guyane's and Mayotte's, have
    no rate)."""

    quarters: tuple[str, ...]
    national_pct: tuple[float, ...]
    zones: dict[str, ZoneUnemployment]
    commune_zone: dict[str, str]
    source: str = UNEMPLOYMENT_SOURCE

    @property
    def latest_quarter(self) -> str:
        return self.quarters[-1]


def _rate_pct(raw: str) -> float:
    value = float(raw)
    if not 0.0 <= value < 100.0:
        raise ValueError("expected a rate in percent, 0 to 100")
    return value


def _quarter(raw: str) -> str:
    year, sep, quarter = raw.partition("-T")
    if not (sep and year.isdigit() and len(year) == 4 and quarter in ("1", "2", "3", "4")):
        raise ValueError("expected a quarter such as 2025-T4")
    return raw


@functools.cache
def read_unemployment(directory: Path | None = None) -> UnemploymentTable:
    """The bundled localised unemployment (`data/zoning/`); cached per directory (read once per process)."""
    base = directory or BUNDLED_ZONING_DIR
    national_path = base / "unemployment_france.csv"
    national = [
        (_field(national_path, n, r, "quarter", _quarter), _field(national_path, n, r, "rate_pct", _rate_pct))
        for n, r in _rows(national_path, ("quarter", "rate_pct"))
    ]
    quarters = tuple(q for q, _ in national)
    zones_path = base / "unemployment_zones_emploi.csv"
    zones = {}
    for n, r in _rows(zones_path, ("ze2020", "label", *quarters)):
        code = _field(zones_path, n, r, "ze2020", _text)
        rates = tuple(_field(zones_path, n, r, q, _rate_pct) for q in quarters)
        zones[code] = ZoneUnemployment(
            code=code, label=_field(zones_path, n, r, "label", _text), rates_pct=rates
        )
    members_path = base / "commune_zones_emploi.csv"
    commune_zone = {
        _field(members_path, n, r, "insee", _insee): _field(members_path, n, r, "ze2020", _text)
        for n, r in _rows(members_path, ("insee", "ze2020"))
    }
    return UnemploymentTable(
        quarters=quarters, national_pct=tuple(v for _, v in national), zones=zones, commune_zone=commune_zone
    )
