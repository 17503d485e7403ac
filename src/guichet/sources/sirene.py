"""SIRENE ``StockEtablissement`` reader: establishments of chosen activities, streamed, as plain records.

The national file (CSV, UTF-8, comma-separated; or Parquet; tens of millions of rows, several GB) is never
loaded whole. A CSV is read by :func:`pyarrow.csv.open_csv` block by block, keeping only the columns needed
(found by header name: INSEE adds columns over time, e.g. ``activitePrincipaleNAF25Etablissement`` in
December 2025); a Parquet file by :meth:`pyarrow.parquet.ParquetFile.iter_batches`. ``.zip`` (as INSEE
ships it) and ``.gz`` CSVs are decompressed on the fly. Each block is filtered with :mod:`pyarrow.compute`
(activity, then administrative state, then département) before anything becomes a Python object, so the
cost per row is that of the CSV parser.

The separator is read from the header line (``,`` as INSEE publishes the stock, ``;`` as some republish it).
An activity matches in either NAF column: ``activitePrincipaleEtablissement`` (NAF rév. 2, official until 31
December 2026) or ``activitePrincipaleNAF25Etablissement`` (NAF 2025, official from 1 January 2027), with the
codes given in NAF rév. 2 mapped to NAF 2025 by :data:`NAF_2025_EQUIVALENTS` (82.20Z -> 82.20Y), and with or
without the dot ("8220Z" is "82.20Z").

Records (:class:`Establishment`) carry the headcount band as a jobs range (:data:`HEADCOUNT_BANDS`, the
INSEE band codes; ``NN``, "unité non employeuse", no employee in the year, = 0 jobs; empty = unknown, jobs
``None``) and WGS84 coordinates converted from the file's projected ones (:mod:`guichet.sources.projection`:
Lambert-93 in metropolitan France, the legal local UTM projection overseas). A point that lands outside the
area expected for its département is dropped (coordinates ``None``) and counted in the report's warnings.

Partly masked records (``statutDiffusionEtablissement`` = ``P``: a person who opposed the publication of
some fields; INSEE writes ``[ND]``, "non diffusible") are kept with what is known: every ``[ND]`` becomes
``None`` and the record says ``partially_masked=True``.

Coordinates can also come from INSEE's separate geolocation file, read by
:mod:`guichet.sources.sirene_geolocation`; given as the stock by mistake, it is recognised and refused with a
message that says so. Both open their file through :class:`SireneFile` (plain, gzipped or zipped CSV, or
Parquet).

A file that cannot be read as a StockEtablissement (a required column missing, bad UTF-8, a row with the
wrong number of fields, a Parquet file that is not one) raises :class:`SireneFormatError` naming the row
(the line number, header = line 1) and the column when they are known. Rows read but not wanted are counted
in ``skipped`` by reason; rows wanted but unusable (a SIRET that is not 14 digits) in ``rejected``.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from guichet.sources import projection, tabular
from guichet.sources.errors import FileFormatError, gettext_noop

__all__ = [
    "BAND_53_HIGH",
    "CALL_CENTRE_NAF",
    "HEADCOUNT_BANDS",
    "NAF_2025_EQUIVALENTS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "STOCK_ETABLISSEMENT_COLUMNS",
    "Establishment",
    "ProgressCallback",
    "SireneFile",
    "SireneFormatError",
    "SireneReader",
    "SireneReport",
    "as_strings",
    "clean_value",
    "departement_of_commune",
    "jobs_range",
    "naf_variants",
    "normalise_naf",
    "read_establishments",
]

# The StockEtablissement header, in INSEE's order (file of December 2025 onwards; the last column was added
# then). Only some are read; the full list documents the format and lets the benchmark write a real file.
STOCK_ETABLISSEMENT_COLUMNS: tuple[str, ...] = (
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
    "activitePrincipaleNAF25Etablissement",
)

SIRET = "siret"
SIREN = "siren"
STATE = "etatAdministratifEtablissement"
ACTIVITY = "activitePrincipaleEtablissement"
ACTIVITY_NAF25 = "activitePrincipaleNAF25Etablissement"
COMMUNE = "codeCommuneEtablissement"
BAND = "trancheEffectifsEtablissement"
BAND_YEAR = "anneeEffectifsEtablissement"
DIFFUSION = "statutDiffusionEtablissement"
USUAL_NAME = "denominationUsuelleEtablissement"
SIGN = "enseigne1Etablissement"
X = "coordonneeLambertAbscisseEtablissement"
Y = "coordonneeLambertOrdonneeEtablissement"

REQUIRED_COLUMNS: tuple[str, ...] = (SIRET, STATE, COMMUNE, BAND)
# At least one of the two activity columns must be there.
ACTIVITY_COLUMNS: tuple[str, ...] = (ACTIVITY, ACTIVITY_NAF25)
OPTIONAL_COLUMNS: tuple[str, ...] = (SIREN, DIFFUSION, BAND_YEAR, USUAL_NAME, SIGN, X, Y)
GEOLOCATION_COLUMNS: tuple[str, ...] = ("siret", "x", "y", "epsg")

CALL_CENTRE_NAF = frozenset({"82.20Z"})
# NAF rév. 2 sub-class -> NAF 2025 sub-class of the same content. Class 82.20 "Activités de centres
# d'appels" is unchanged from NACE Rev. 2 to NACE Rev. 2.1; NAF 2025 marks a class not subdivided in France
# with the letter Y (NAF rév. 2 used Z).
NAF_2025_EQUIVALENTS: Mapping[str, str] = {"82.20Z": "82.20Y"}
_NAF_PATTERN = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")
MASKED = "[ND]"

# 10,000+ has no upper bound in SIRENE; 20,000 is a stated ceiling (an assumption: the largest French
# establishments, a few aircraft or car plants, employ on the order of 10,000-20,000 people).
BAND_53_HIGH = 20_000
HEADCOUNT_BANDS: Mapping[str, tuple[int, int]] = {
    "NN": (0, 0),  # unité non employeuse: no employee during the reference year
    "00": (0, 0),
    "01": (1, 2),
    "02": (3, 5),
    "03": (6, 9),
    "11": (10, 19),
    "12": (20, 49),
    "21": (50, 99),
    "22": (100, 199),
    "31": (200, 249),
    "32": (250, 499),
    "41": (500, 999),
    "42": (1_000, 1_999),
    "51": (2_000, 4_999),
    "52": (5_000, 9_999),
    "53": (10_000, BAND_53_HIGH),
}

ProgressCallback = Callable[[int, int], None]
"""Called after each block with (bytes read so far, total bytes) of the file on disk."""

# Arrow holds tens of parsed blocks at once: 2 MB blocks keep the peak RSS near 300 MB on the 5-million-row
# benchmark, at the same speed as 16 MB blocks (which peak near 850 MB).
DEFAULT_BLOCK_SIZE = 2 << 20
ARROW_ROW = re.compile(r"Row #(\d+)")


class SireneFormatError(FileFormatError):
    """The file cannot be read as a StockEtablissement. ``row`` is the line number (header = 1) and
    ``column`` the column name, when known."""

    row_label = "line"


@dataclass(frozen=True, slots=True)
class Establishment:
    siret: str
    siren: str
    name: str | None
    naf: str
    commune_insee: str | None
    band: str | None
    jobs_low: int | None
    jobs_mid: float | None
    jobs_high: int | None
    band_year: int | None
    latitude: float | None
    longitude: float | None
    partially_masked: bool
    active: bool = True


@dataclass(frozen=True)
class SireneReport:
    source: str
    file_format: Literal["csv", "parquet"]
    rows_read: int
    kept: int
    skipped: Mapping[str, int]
    rejected: Mapping[str, int]
    warnings: Mapping[str, int]
    bytes_read: int
    total_bytes: int
    naf_codes: tuple[str, ...]
    departements: tuple[str, ...] | None
    active_only: bool
    finished: bool


def normalise_naf(code: str) -> str:
    """A NAF sub-class code in its dotted form ("8220z" -> "82.20Z"); other text comes back trimmed, upper."""
    text = code.strip().upper()
    match = _NAF_PATTERN.match(text)
    return f"{match.group(1)}.{match.group(2)}{match.group(3)}" if match else text


def naf_variants(codes: Collection[str]) -> tuple[frozenset[str], dict[str, str]]:
    """The codes to look for, without dots, in both NAF columns, and how each maps back to the NAF rév. 2
    code asked for (``{"8220Z": "82.20Z", "8220Y": "82.20Z"}``)."""
    back: dict[str, str] = {}
    for code in codes:
        canonical = normalise_naf(code)
        back[canonical.replace(".", "")] = canonical
        equivalent = NAF_2025_EQUIVALENTS.get(canonical)
        if equivalent:
            back[equivalent.replace(".", "")] = canonical
    return frozenset(back), back


def jobs_range(band: str | None) -> tuple[int, float, int] | None:
    """(low, mid, high) jobs for a SIRENE headcount band code (NN, non-employer, is 0); None for an empty or
    unknown code."""
    if band is None:
        return None
    bounds = HEADCOUNT_BANDS.get(band.strip())
    if bounds is None:
        return None
    low, high = bounds
    return low, (low + high) / 2.0, high


def departement_of_commune(commune: str) -> str:
    """The département of an INSEE commune code: 3 characters overseas (97x), else 2 (``2A`` for Corsica)."""
    return commune[:3] if commune.startswith("97") else commune[:2]


def clean_value(value: Any) -> str | None:
    """A cell's text, trimmed; None when empty or masked (``[ND]``)."""
    text = tabular.cell_text(value)
    return None if not text or text == MASKED else text


class _CountingReader(io.RawIOBase):
    """A raw file that remembers how many bytes were read, for the progress of a compressed file."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)

    def seekable(self) -> bool:
        return False


class SireneFile:
    """A SIRENE file on disk as the readers open it: a CSV (plain, ``.gz``, or the one ``.csv`` of a
    ``.zip``) or a Parquet file. ``name`` is how messages name it (a zip's member once opened),
    ``total_bytes`` its size on disk (for progress), ``delimiter`` the CSV's once its header is read."""

    def __init__(self, source: Path | str, *, file_format: Literal["csv", "parquet"] | None = None) -> None:
        self.path = Path(source)
        if file_format is None:
            file_format = "parquet" if self.path.suffix.lower() in (".parquet", ".pq") else "csv"
        self.file_format: Literal["csv", "parquet"] = file_format
        self.name = self.path.name
        self.delimiter = ","
        self.total_bytes = self.path.stat().st_size if self.path.exists() else 0

    def error(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> SireneFormatError:
        return SireneFormatError(message, source=self.name, row=row, column=column, params=params)

    def open_csv_stream(self) -> tuple[Any, Callable[[], int], Callable[[], None]]:
        """(stream for pyarrow, bytes-read-so-far function, closer)."""
        suffix = self.path.suffix.lower()
        if suffix == ".zip":
            raw = self.path.open("rb")
            try:
                archive = zipfile.ZipFile(raw)
                members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
                if len(members) != 1:
                    raise self.error(
                        gettext_noop("expected one .csv file in the archive, found %(count)d"),
                        params={"count": len(members)},
                    )
                member = archive.open(members[0])
            except zipfile.BadZipFile as exc:
                raw.close()
                raise self.error(
                    gettext_noop("not a readable zip archive (%(detail)s)"), params={"detail": str(exc)}
                ) from exc
            self.name = f"{self.path.name}:{members[0].filename}"

            def close_zip() -> None:
                member.close()
                archive.close()
                raw.close()

            return member, raw.tell, close_zip
        if suffix == ".gz":
            counting = _CountingReader(self.path.open("rb"))
            stream = gzip.GzipFile(fileobj=io.BufferedReader(counting, buffer_size=1 << 20))
            return stream, lambda: counting.count, stream.close
        native = pa.OSFile(str(self.path), "rb")
        return native, native.tell, native.close

    def open_text_source(self) -> IO[bytes]:
        """The decompressed bytes as a plain Python stream (for the header and the error path)."""
        suffix = self.path.suffix.lower()
        if suffix == ".gz":
            return cast(IO[bytes], gzip.open(self.path, "rb"))
        if suffix == ".zip":
            archive = zipfile.ZipFile(self.path)
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if len(members) != 1:
                raise self.error(
                    gettext_noop("expected one .csv file in the archive, found %(count)d"),
                    params={"count": len(members)},
                )
            return archive.open(members[0])
        return self.path.open("rb")

    def read_header(self) -> list[str]:
        try:
            with self.open_text_source() as stream:
                first = stream.readline()
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise self.error(
                gettext_noop("unreadable file (%(detail)s)"), params={"detail": str(exc)}
            ) from exc
        try:
            text = bytes(first).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise self.error(
                gettext_noop("the header is not UTF-8 text (%(detail)s)"),
                row=1,
                params={"detail": exc.reason},
            ) from exc
        self.delimiter = tabular.sniff_delimiter(text, (",", ";"))
        rows = list(csv.reader([text], delimiter=self.delimiter))
        if not rows or not rows[0]:
            raise self.error(gettext_noop("empty file: no header line"), row=1)
        return [name.strip() for name in rows[0]]

    def locate_bad_utf8(self, header: list[str]) -> tuple[int | None, str | None]:
        """Line and column of the first byte that is not UTF-8 (only on the error path: a full scan)."""
        stream = self.open_text_source()
        line = 1
        carry = b""
        try:
            while True:
                chunk = stream.read(8 << 20)
                if not chunk:
                    return None, None
                data = carry + bytes(chunk)
                try:
                    data.decode("utf-8")
                    carry = b""
                except UnicodeDecodeError as exc:
                    if exc.end == len(data) and len(data) - exc.start < 4 and chunk:
                        # A character cut by the chunk boundary: decide with the next chunk.
                        good, carry = data[: exc.start], data[exc.start :]
                        line += good.count(b"\n")
                        continue
                    before = data[: exc.start]
                    line += before.count(b"\n")
                    start = before.rfind(b"\n") + 1
                    # The fields before the bad byte on its line tell which column it is in.
                    prefix = data[start : exc.start].decode("utf-8", errors="replace")
                    index = max(len(next(csv.reader([prefix], delimiter=self.delimiter), [""])) - 1, 0)
                    return line, header[index] if index < len(header) else None
                line += data.count(b"\n")
        finally:
            stream.close()


def as_strings(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch with every column as strings, as the CSV reader gives them."""
    arrays = []
    for column in batch.columns:
        if pa.types.is_string(column.type):
            arrays.append(column)
        elif pa.types.is_dictionary(column.type) or pa.types.is_large_string(column.type):
            arrays.append(column.cast(pa.string()))
        else:
            arrays.append(pc.cast(column, pa.string()))
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


class SireneReader:
    """Iterate over ``tuple[Establishment, ...]`` batches (one per block of the file); :attr:`report` is
    updated as it goes and is final once iteration ends. Use :func:`read_establishments` to build one."""

    def __init__(
        self,
        source: Path | str,
        *,
        naf_codes: Collection[str] = CALL_CENTRE_NAF,
        departements: Collection[str] | None = None,
        active_only: bool = True,
        file_format: Literal["csv", "parquet"] | None = None,
        block_size: int = DEFAULT_BLOCK_SIZE,
        parquet_batch_rows: int = 250_000,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self._file = SireneFile(source, file_format=file_format)
        self.path = self._file.path
        self.naf_codes = tuple(sorted({normalise_naf(code) for code in naf_codes if code.strip()}))
        if not self.naf_codes:
            raise ValueError("naf_codes must not be empty")
        self._naf_keys, self._naf_back = naf_variants(self.naf_codes)
        self.departements = None if departements is None else tuple(sorted({d.strip() for d in departements}))
        self.active_only = active_only
        self.file_format = self._file.file_format
        self.block_size = block_size
        self.parquet_batch_rows = parquet_batch_rows
        self.on_progress = on_progress
        self._rows_read = 0
        self._kept = 0
        self._skipped: Counter[str] = Counter()
        self._rejected: Counter[str] = Counter()
        self._warnings: Counter[str] = Counter()
        self._bytes_read = 0
        self._total_bytes = self._file.total_bytes
        self._finished = False
        self._started = False

    @property
    def report(self) -> SireneReport:
        return SireneReport(
            source=self._file.name,
            file_format=self.file_format,
            rows_read=self._rows_read,
            kept=self._kept,
            skipped=dict(self._skipped),
            rejected=dict(self._rejected),
            warnings=dict(self._warnings),
            bytes_read=self._bytes_read,
            total_bytes=self._total_bytes,
            naf_codes=self.naf_codes,
            departements=self.departements,
            active_only=self.active_only,
            finished=self._finished,
        )

    def __iter__(self) -> Iterator[tuple[Establishment, ...]]:
        if self._started:
            raise RuntimeError("a SireneReader can be iterated only once")
        self._started = True
        if not self.path.exists():
            raise self._file.error(gettext_noop("file not found"))
        batches = self._parquet_batches() if self.file_format == "parquet" else self._csv_batches()
        for batch, position in batches:
            records = self._process(batch)
            self._bytes_read = position
            if self.on_progress is not None:
                self.on_progress(position, self._total_bytes)
            if records:
                yield records
        self._bytes_read = self._total_bytes
        self._finished = True
        if self.on_progress is not None:
            self.on_progress(self._total_bytes, self._total_bytes)

    def _columns_to_read(self, available: Collection[str]) -> list[str]:
        row = 1 if self.file_format == "csv" else None
        if all(name in available for name in GEOLOCATION_COLUMNS) and not any(
            name in available for name in ACTIVITY_COLUMNS
        ):
            raise self._file.error(
                gettext_noop(
                    "this is SIRENE's geolocation file (siret, x, y, epsg), not a StockEtablissement: give "
                    "it as the geolocation file beside the stock"
                ),
                row=row,
            )
        missing = [name for name in REQUIRED_COLUMNS if name not in available]
        if not any(name in available for name in ACTIVITY_COLUMNS):
            missing.append(" or ".join(ACTIVITY_COLUMNS))
        if missing:
            raise self._file.error(
                gettext_noop("required column missing: %(columns)s (is this a StockEtablissement file?)"),
                row=row,
                column=missing[0],
                params={"columns": ", ".join(missing)},
            )
        wanted = (*REQUIRED_COLUMNS, *ACTIVITY_COLUMNS, *OPTIONAL_COLUMNS)
        return [name for name in wanted if name in available]

    def _csv_batches(self) -> Iterator[tuple[pa.RecordBatch, int]]:
        header = self._file.read_header()
        columns = self._columns_to_read(header)
        invalid: list[tuple[int | None, int, int]] = []

        def on_invalid_row(row: Any) -> str:
            invalid.append((row.number, row.expected_columns, row.actual_columns))
            return "error"

        stream, position, close = self._file.open_csv_stream()
        try:
            try:
                # Single-threaded: Arrow then names the row in conversion errors, and a second thread
                # bought nothing on the benchmark.
                reader = pacsv.open_csv(
                    stream,
                    read_options=pacsv.ReadOptions(block_size=self.block_size, use_threads=False),
                    parse_options=pacsv.ParseOptions(
                        delimiter=self._file.delimiter, invalid_row_handler=on_invalid_row
                    ),
                    convert_options=pacsv.ConvertOptions(
                        include_columns=columns,
                        column_types=dict.fromkeys(columns, pa.string()),
                        null_values=[""],
                        strings_can_be_null=True,
                        quoted_strings_can_be_null=True,
                    ),
                )
                while True:
                    try:
                        batch = reader.read_next_batch()
                    except StopIteration:
                        break
                    yield batch, position()
            except (pa.ArrowInvalid, OSError, EOFError, zipfile.BadZipFile) as exc:
                raise self._csv_error(exc, header, invalid) from exc
        finally:
            close()

    def _csv_error(
        self, exc: Exception, header: list[str], invalid: list[tuple[int | None, int, int]]
    ) -> SireneFormatError:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if invalid:
            number, expected, actual = invalid[0]
            return self._file.error(
                gettext_noop("expected %(expected)d fields, found %(actual)d"),
                row=number,
                params={"expected": expected, "actual": actual},
            )
        if "UTF8" in message or "UTF-8" in message:
            row, column = self._file.locate_bad_utf8(header)
            return self._file.error(
                gettext_noop("not valid UTF-8 text (StockEtablissement files are UTF-8)"),
                row=row,
                column=column,
            )
        match = ARROW_ROW.search(message)
        row = int(match.group(1)) if match else None
        return self._file.error(
            gettext_noop("unreadable CSV (%(detail)s)"), row=row, params={"detail": message}
        )

    # --- Parquet ---------------------------------------------------------------------------------------

    def _parquet_batches(self) -> Iterator[tuple[pa.RecordBatch, int]]:
        try:
            parquet = pq.ParquetFile(str(self.path))
        except (pa.ArrowInvalid, OSError) as exc:
            raise self._file.error(
                gettext_noop("not a readable Parquet file (%(detail)s)"), params={"detail": str(exc)}
            ) from exc
        columns = self._columns_to_read(parquet.schema_arrow.names)
        total_rows = max(parquet.metadata.num_rows, 1)
        done = 0
        try:
            for batch in parquet.iter_batches(batch_size=self.parquet_batch_rows, columns=columns):
                done += batch.num_rows
                yield as_strings(batch), int(self._total_bytes * min(done / total_rows, 1.0))
        except (pa.ArrowInvalid, OSError) as exc:
            raise self._file.error(
                gettext_noop("unreadable Parquet data after row %(row)d (%(detail)s)"),
                row=done + 1,
                params={"row": done + 1, "detail": str(exc)},
            ) from exc

    # --- filtering and records -------------------------------------------------------------------------

    def _process(self, batch: pa.RecordBatch) -> tuple[Establishment, ...]:
        rows = batch.num_rows
        self._rows_read += rows
        if rows == 0:
            return ()
        keys = pa.array(sorted(self._naf_keys), pa.string())
        wanted = None
        for name in ACTIVITY_COLUMNS:
            if name not in batch.schema.names:
                continue
            folded = pc.utf8_upper(pc.replace_substring(pc.utf8_trim_whitespace(batch.column(name)), ".", ""))
            match = pc.fill_null(pc.is_in(folded, value_set=keys), False)
            wanted = match if wanted is None else pc.or_(wanted, match)
        assert wanted is not None
        n_wanted = pc.sum(wanted).as_py() or 0
        self._skipped[gettext_noop("activity not selected")] += rows - n_wanted
        if n_wanted == 0:
            return ()
        batch = batch.filter(wanted)
        state = batch.column(STATE)
        active = pc.fill_null(pc.equal(state, "A"), False)
        if self.active_only:
            n_active = pc.sum(active).as_py() or 0
            if n_active < batch.num_rows:
                self._skipped[gettext_noop("closed establishment")] += batch.num_rows - n_active
                batch = batch.filter(active)
                active = pc.fill_null(pc.equal(batch.column(STATE), "A"), False)
        if self.departements is not None and batch.num_rows:
            commune = batch.column(COMMUNE)
            unknown = pc.fill_null(
                pc.or_(pc.equal(commune, MASKED), pc.less(pc.utf8_length(commune), 2)), True
            )
            two = pc.utf8_slice_codeunits(commune, 0, 2)
            dep = pc.if_else(pc.equal(two, "97"), pc.utf8_slice_codeunits(commune, 0, 3), two)
            inside = pc.fill_null(pc.is_in(dep, value_set=pa.array(self.departements, pa.string())), False)
            inside = pc.and_(inside, pc.invert(unknown))
            n_unknown = pc.sum(unknown).as_py() or 0
            n_inside = pc.sum(inside).as_py() or 0
            if n_unknown:
                self._skipped[gettext_noop("commune unknown (masked or empty)")] += n_unknown
            if batch.num_rows - n_inside - n_unknown:
                self._skipped[gettext_noop("département not selected")] += (
                    batch.num_rows - n_inside - n_unknown
                )
            batch = batch.filter(inside)
            active = pc.fill_null(pc.equal(batch.column(STATE), "A"), False)
        if batch.num_rows == 0:
            return ()
        return self._records(batch, active.to_pylist())

    def _records(self, batch: pa.RecordBatch, active: list[bool]) -> tuple[Establishment, ...]:
        names = batch.schema.names
        data: dict[str, list[Any]] = {name: batch.column(name).to_pylist() for name in names}
        n = batch.num_rows
        none: list[Any] = [None] * n

        def col(name: str) -> list[Any]:
            return data.get(name, none)

        sirets, sirens, diffusion = col(SIRET), col(SIREN), col(DIFFUSION)
        nafs, nafs_2025 = col(ACTIVITY), col(ACTIVITY_NAF25)
        communes, bands, years = col(COMMUNE), col(BAND), col(BAND_YEAR)
        usual, sign, xs, ys = col(USUAL_NAME), col(SIGN), col(X), col(Y)

        drafts: list[dict[str, Any]] = []
        for i in range(n):
            masked = diffusion[i] == "P" or any(data[name][i] == MASKED for name in names)
            siret = clean_value(sirets[i])
            if siret is None or len(siret) != 14 or not siret.isdigit():
                self._rejected[gettext_noop("SIRET missing or not 14 digits")] += 1
                continue
            siren = clean_value(sirens[i]) or siret[:9]
            band = clean_value(bands[i])
            jobs = jobs_range(band)
            if band is not None and jobs is None:
                self._warnings[gettext_noop("unknown headcount band code (jobs unknown)")] += 1
            matched = None
            for column, code in enumerate((nafs[i], nafs_2025[i])):
                folded = (code or "").strip().upper().replace(".", "")
                if folded in self._naf_back:
                    matched = self._naf_back[folded]
                    if column == 1:
                        self._warnings[gettext_noop("matched by the NAF 2025 code only")] += 1
                    break
            year_text = clean_value(years[i])
            band_year: int | None = None
            if year_text is not None:
                if year_text.isdigit() and len(year_text) == 4:
                    band_year = int(year_text)
                else:
                    self._warnings[gettext_noop("headcount year not a year (ignored)")] += 1
            commune = clean_value(communes[i])
            x, y = clean_value(xs[i]), clean_value(ys[i])
            easting = northing = math.nan
            if x is not None and y is not None:
                try:
                    easting, northing = float(x), float(y)
                except ValueError:
                    self._warnings[gettext_noop("coordinates not numeric (ignored)")] += 1
            elif x is not None or y is not None:
                self._warnings[gettext_noop("only one coordinate given (ignored)")] += 1
            drafts.append(
                {
                    "siret": siret,
                    "siren": siren,
                    "name": clean_value(usual[i]) or clean_value(sign[i]),
                    "naf": matched or normalise_naf(str(nafs[i] or nafs_2025[i] or "")),
                    "commune_insee": commune,
                    "band": band,
                    "jobs": jobs,
                    "band_year": band_year,
                    "x": easting,
                    "y": northing,
                    "masked": masked,
                    "active": bool(active[i]),
                }
            )
        coordinates = self._to_wgs84(drafts)
        records = []
        for draft, (lat, lon) in zip(drafts, coordinates, strict=True):
            jobs = draft["jobs"]
            records.append(
                Establishment(
                    siret=draft["siret"],
                    siren=draft["siren"],
                    name=draft["name"],
                    naf=draft["naf"],
                    commune_insee=draft["commune_insee"],
                    band=draft["band"],
                    jobs_low=None if jobs is None else jobs[0],
                    jobs_mid=None if jobs is None else jobs[1],
                    jobs_high=None if jobs is None else jobs[2],
                    band_year=draft["band_year"],
                    latitude=lat,
                    longitude=lon,
                    partially_masked=draft["masked"],
                    active=draft["active"],
                )
            )
        self._kept += len(records)
        return tuple(records)

    def _to_wgs84(self, drafts: list[dict[str, Any]]) -> list[tuple[float | None, float | None]]:
        result: list[tuple[float | None, float | None]] = [(None, None)] * len(drafts)
        groups: dict[str, list[int]] = {}
        for i, draft in enumerate(drafts):
            if not math.isnan(draft["x"]):
                groups.setdefault(projection.crs_of_commune(draft["commune_insee"]), []).append(i)
        for crs, positions in groups.items():
            points = projection.to_wgs84(
                crs, [drafts[i]["x"] for i in positions], [drafts[i]["y"] for i in positions]
            )
            for i, point in zip(positions, points, strict=True):
                if point is None:
                    self._warnings[gettext_noop("coordinates outside the expected area (ignored)")] += 1
                else:
                    result[i] = point
        return result


def read_establishments(
    source: Path | str,
    *,
    naf_codes: Collection[str] = CALL_CENTRE_NAF,
    departements: Collection[str] | None = None,
    active_only: bool = True,
    file_format: Literal["csv", "parquet"] | None = None,
    block_size: int = DEFAULT_BLOCK_SIZE,
    on_progress: ProgressCallback | None = None,
) -> SireneReader:
    """A reader over a StockEtablissement file (CSV, .csv.gz, .zip or Parquet, by suffix unless
    ``file_format`` says). Iterate it for batches of :class:`Establishment`; then read ``.report``::

        reader = read_establishments(path, departements={"25", "39", "70", "90"}, on_progress=bar.update)
        for batch in reader:
            save(batch)
        print(reader.report.kept, reader.report.skipped)
    """
    return SireneReader(
        source,
        naf_codes=naf_codes,
        departements=departements,
        active_only=active_only,
        file_format=file_format,
        block_size=block_size,
        on_progress=on_progress,
    )
