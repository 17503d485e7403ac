"""SIRENE's geolocation file: WGS84 points of the SIRETs asked for, read from INSEE's companion of the stock.

``GeolocalisationEtablissement_Sirene_pour_etudes_statistiques`` (``;``-separated CSV, zipped as published,
or Parquet) has one row per SIRET with ``x``, ``y`` and ``epsg``, the code of the projection of that row
(2154 Lambert-93 in metropolitan France, the local UTM projections overseas). :func:`read_geolocation`
streams it through :class:`guichet.sources.sirene.SireneFile`, keeps the SIRETs asked for (filtered with
:mod:`pyarrow.compute` before anything becomes a Python object) and reprojects each row from its own code
(:mod:`guichet.sources.projection`). A file that cannot be read raises
:class:`guichet.sources.sirene.SireneFormatError` naming the row and column when known.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from guichet.sources import projection
from guichet.sources.errors import gettext_noop
from guichet.sources.sirene import (
    ARROW_ROW,
    DEFAULT_BLOCK_SIZE,
    GEOLOCATION_COLUMNS,
    ProgressCallback,
    SireneFile,
    as_strings,
    clean_value,
)

__all__ = ["GEOLOCATION_COLUMNS", "GeolocationReport", "read_geolocation"]

GEO_LATITUDE = "y_latitude"
GEO_LONGITUDE = "x_longitude"
GEO_QUALITY = "qualite_xy"

Batches = Iterator[tuple[pa.RecordBatch, int]]


@dataclass(frozen=True)
class GeolocationReport:
    source: str
    rows_read: int
    found: int
    warnings: Mapping[str, int]
    # Rows left out because their epsg names a projection pyproj does not know: code ("EPSG:n") -> rows.
    unknown_projections: Mapping[str, int] = field(default_factory=dict)


def _columns_for(file: SireneFile, available: Collection[str], *, parquet: bool) -> list[str]:
    missing = [c for c in GEOLOCATION_COLUMNS if c not in available]
    if missing:
        raise file.error(
            gettext_noop("required column missing: %(columns)s (is this SIRENE's geolocation file?)"),
            row=None if parquet else 1,
            column=missing[0],
            params={"columns": ", ".join(missing)},
        )
    return [c for c in (*GEOLOCATION_COLUMNS, GEO_LATITUDE, GEO_LONGITUDE) if c in available]


def _parquet_batches(file: SireneFile) -> Batches:
    try:
        parquet_file = pq.ParquetFile(str(file.path))
    except (pa.ArrowInvalid, OSError) as exc:
        raise file.error(
            gettext_noop("not a readable Parquet file (%(detail)s)"), params={"detail": str(exc)}
        ) from exc
    columns = _columns_for(file, parquet_file.schema_arrow.names, parquet=True)

    def batches() -> Batches:
        done = 0
        rows = max(parquet_file.metadata.num_rows, 1)
        for batch in parquet_file.iter_batches(batch_size=250_000, columns=columns):
            done += batch.num_rows
            yield as_strings(batch), int(file.total_bytes * min(done / rows, 1.0))

    return batches()


def _csv_batches(file: SireneFile, *, block_size: int) -> Batches:
    columns = _columns_for(file, file.read_header(), parquet=False)

    def batches() -> Batches:
        stream, position, close = file.open_csv_stream()
        try:
            csv_reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(block_size=block_size, use_threads=False),
                parse_options=pacsv.ParseOptions(delimiter=file.delimiter),
                convert_options=pacsv.ConvertOptions(
                    include_columns=columns,
                    column_types=dict.fromkeys(columns, pa.string()),
                    null_values=[""],
                    strings_can_be_null=True,
                ),
            )
            while True:
                try:
                    batch = csv_reader.read_next_batch()
                except StopIteration:
                    break
                yield batch, position()
        except (pa.ArrowInvalid, OSError, EOFError, zipfile.BadZipFile) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            match = ARROW_ROW.search(message)
            raise file.error(
                gettext_noop("unreadable CSV (%(detail)s)"),
                row=int(match.group(1)) if match else None,
                params={"detail": message},
            ) from exc
        finally:
            close()

    return batches()


class _Points:
    """The points found so far, and what was left out and why."""

    def __init__(self) -> None:
        self.found: dict[str, tuple[float, float]] = {}
        self.warnings: Counter[str] = Counter()
        self.unknown_projections: Counter[str] = Counter()

    def add_rows(self, data: dict[str, list[Any]]) -> None:
        """Rows with x, y and epsg are reprojected from their own projection; a row without them falls back on
        the file's own latitude and longitude when it has them."""
        sirets = data["siret"]
        none: list[Any] = [None] * len(sirets)
        latitudes, longitudes = data.get(GEO_LATITUDE, none), data.get(GEO_LONGITUDE, none)
        groups: dict[str, list[tuple[str, float, float]]] = {}
        for k, siret in enumerate(sirets):
            x, y, epsg = clean_value(data["x"][k]), clean_value(data["y"][k]), clean_value(data["epsg"][k])
            try:
                if x is not None and y is not None and epsg is not None:
                    code = str(int(float(epsg)))
                    groups.setdefault(f"EPSG:{code}", []).append((siret, float(x), float(y)))
                    continue
                lat_text, lon_text = clean_value(latitudes[k]), clean_value(longitudes[k])
                if lat_text is not None and lon_text is not None:
                    self.found[siret] = (round(float(lat_text), 7), round(float(lon_text), 7))
                else:
                    self.warnings[gettext_noop("no coordinates for the SIRET")] += 1
            except ValueError:
                self.warnings[gettext_noop("coordinates or epsg not numeric (ignored)")] += 1
        for crs, items in groups.items():
            self.add_projected(crs, items)

    def add_projected(self, crs: str, items: list[tuple[str, float, float]]) -> None:
        try:
            projection.transformer(crs)
        except Exception:  # pyproj raises CRSError for a code it does not know
            self.unknown_projections[crs] += len(items)
            return
        points = projection.to_wgs84(crs, [item[1] for item in items], [item[2] for item in items])
        for (siret, _, _), point in zip(items, points, strict=True):
            if point is None:
                self.warnings[gettext_noop("coordinates outside the expected area (ignored)")] += 1
            else:
                self.found[siret] = point


def read_geolocation(
    source: Path | str,
    sirets: Collection[str],
    *,
    block_size: int = DEFAULT_BLOCK_SIZE,
    on_progress: ProgressCallback | None = None,
) -> tuple[dict[str, tuple[float, float]], GeolocationReport]:
    """WGS84 (latitude, longitude) of the given SIRETs from INSEE's geolocation file, and a report.

    The file (CSV, ``;``-separated as published, optionally zipped; or Parquet) has one row per SIRET with
    ``x``, ``y`` and ``epsg``, the code of the projection of that row (2154 Lambert-93 in metropolitan France,
    the local UTM projections overseas): each row is reprojected from its own code. A row without ``x``/``y``
    falls back on ``x_longitude``/``y_latitude`` when the file has them. Rows whose point lands outside the
    area expected for its projection are left out and counted in the warnings.
    """
    file = SireneFile(source)
    if not file.path.exists():
        raise file.error(gettext_noop("file not found"))
    wanted = pa.array(sorted(set(sirets)), pa.string())
    parquet = file.path.suffix.lower() in (".parquet", ".pq")
    batches = _parquet_batches(file) if parquet else _csv_batches(file, block_size=block_size)
    points = _Points()
    rows_read = 0
    for batch, position in batches:
        rows_read += batch.num_rows
        keep = pc.fill_null(pc.is_in(batch.column("siret"), value_set=wanted), False)
        if pc.sum(keep).as_py():
            chosen = batch.filter(keep)
            points.add_rows({n: chosen.column(n).to_pylist() for n in chosen.schema.names})
        if on_progress is not None:
            on_progress(position, file.total_bytes)
    report = GeolocationReport(
        source=file.name,
        rows_read=rows_read,
        found=len(points.found),
        warnings=dict(points.warnings),
        unknown_projections=dict(points.unknown_projections),
    )
    return points.found, report
