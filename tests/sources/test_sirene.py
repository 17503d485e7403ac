"""SIRENE StockEtablissement reader, on small files in the real format written by the tests."""

from __future__ import annotations

import csv
import gzip
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from guichet.sources import sirene, sirene_geolocation
from guichet.sources.sirene import STOCK_ETABLISSEMENT_COLUMNS as HEADER

BASE = {
    "siren": "",
    "nic": "",
    "statutDiffusionEtablissement": "O",
    "dateCreationEtablissement": "2012-05-01",
    "trancheEffectifsEtablissement": "22",
    "anneeEffectifsEtablissement": "2023",
    "etablissementSiege": "false",
    "nombrePeriodesEtablissement": "2",
    "numeroVoieEtablissement": "4",
    "typeVoieEtablissement": "RUE",
    "libelleVoieEtablissement": "DE LA REPUBLIQUE",
    "codePostalEtablissement": "25000",
    "libelleCommuneEtablissement": "BESANCON",
    "codeCommuneEtablissement": "25056",
    "coordonneeLambertAbscisseEtablissement": "928300",
    "coordonneeLambertOrdonneeEtablissement": "6689000",
    "dateDebut": "2019-01-01",
    "etatAdministratifEtablissement": "A",
    "activitePrincipaleEtablissement": "82.20Z",
    "nomenclatureActivitePrincipaleEtablissement": "NAFv2",
    "caractereEmployeurEtablissement": "O",
}


def row(siret: str, **fields: str) -> dict[str, str]:
    values = {**BASE, "siren": siret[:9], "nic": siret[9:], "siret": siret, **fields}
    return {name: values.get(name, "") for name in HEADER}


ROWS = [
    row(
        "10000000100011",
        denominationUsuelleEtablissement="PLATEAU BESANCON",
        trancheEffectifsEtablissement="32",
    ),
    row("10000000200012", enseigne1Etablissement="ALLO DOLE", codeCommuneEtablissement="39198"),
    row("10000000300013", etatAdministratifEtablissement="F"),  # closed
    row("10000000400014", activitePrincipaleEtablissement="47.11F"),  # a supermarket
    row("10000000500015", codeCommuneEtablissement="75056"),  # Paris: other département
    row(  # partly masked: a person who opposed publication
        "10000000600016",
        statutDiffusionEtablissement="P",
        trancheEffectifsEtablissement="NN",
        enseigne1Etablissement="[ND]",
        libelleVoieEtablissement="[ND]",
        coordonneeLambertAbscisseEtablissement="[ND]",
        coordonneeLambertOrdonneeEtablissement="[ND]",
    ),
    row(
        "10000000700017",
        codeCommuneEtablissement="97411",
        coordonneeLambertAbscisseEtablissement="338811.2",
        coordonneeLambertOrdonneeEtablissement="7690101.4",
        trancheEffectifsEtablissement="",
    ),
    row("1000000080001", codeCommuneEtablissement="2A004"),  # 13-digit SIRET: rejected
    row("10000000900019", codeCommuneEtablissement="[ND]"),  # commune masked
    row(
        "10000001000010",
        codeCommuneEtablissement="90010",
        trancheEffectifsEtablissement="99",
        anneeEffectifsEtablissement="20x3",
        coordonneeLambertAbscisseEtablissement="abc",
    ),
]
DEPARTEMENTS = {"25", "39", "70", "90", "974", "2A"}


def write_csv(path: Path, rows: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_all(path: Path, **kwargs: object) -> tuple[dict[str, sirene.Establishment], sirene.SireneReport]:
    reader = sirene.read_establishments(path, **kwargs)  # type: ignore[arg-type]
    records = {r.siret: r for batch in reader for r in batch}
    return records, reader.report


def test_header_is_insee_order() -> None:
    assert len(HEADER) == 54 and len(set(HEADER)) == 54
    assert HEADER[:3] == ("siren", "nic", "siret")
    assert HEADER.index("coordonneeLambertAbscisseEtablissement") == 28
    assert HEADER[-2:] == ("caractereEmployeurEtablissement", "activitePrincipaleNAF25Etablissement")


def test_jobs_ranges_for_every_band() -> None:
    assert sirene.jobs_range("00") == (0, 0.0, 0)
    assert sirene.jobs_range("01") == (1, 1.5, 2)
    assert sirene.jobs_range("32") == (250, 374.5, 499)
    assert sirene.jobs_range("53") == (10_000, 15_000.0, sirene.BAND_53_HIGH)
    # NN, "unité non employeuse": no employee in the year, 0 jobs (not "unknown size").
    assert sirene.jobs_range("NN") == (0, 0.0, 0)
    assert sirene.jobs_range("") is None and sirene.jobs_range(None) is None
    bands = sorted(b for b in sirene.HEADCOUNT_BANDS if b != "NN")
    lows = [sirene.HEADCOUNT_BANDS[b][0] for b in bands]
    highs = [sirene.HEADCOUNT_BANDS[b][1] for b in bands]
    # Bands tile the integers without gaps or overlaps.
    assert all(lo == hi + 1 for lo, hi in zip(lows[2:], highs[1:-1], strict=True))


def test_departement_of_commune() -> None:
    assert [sirene.departement_of_commune(c) for c in ("25056", "2A004", "97411", "01001")] == [
        "25",
        "2A",
        "974",
        "01",
    ]


def test_csv_filters_maps_and_reports(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "StockEtablissement_utf8.csv", ROWS)
    progress: list[tuple[int, int]] = []
    records, report = read_all(
        path, departements=DEPARTEMENTS, on_progress=lambda d, t: progress.append((d, t))
    )
    assert set(records) == {
        "10000000100011",
        "10000000200012",
        "10000000600016",
        "10000000700017",
        "10000001000010",
    }
    plateau = records["10000000100011"]
    assert plateau.name == "PLATEAU BESANCON" and plateau.siren == "100000001" and plateau.naf == "82.20Z"
    assert (plateau.band, plateau.jobs_low, plateau.jobs_mid, plateau.jobs_high) == ("32", 250, 374.5, 499)
    assert plateau.band_year == 2023 and not plateau.partially_masked
    assert plateau.latitude == pytest.approx(47.2618, abs=2e-3)
    assert plateau.longitude == pytest.approx(6.0194, abs=2e-3)
    assert records["10000000200012"].name == "ALLO DOLE"
    masked = records["10000000600016"]
    assert masked.partially_masked and masked.name is None and masked.latitude is None
    assert masked.band == "NN" and masked.jobs_mid == 0.0 and masked.commune_insee == "25056"
    reunion = records["10000000700017"]
    assert reunion.latitude == pytest.approx(-20.8823, abs=1e-4)
    assert reunion.longitude == pytest.approx(55.4504, abs=1e-4)
    assert reunion.band is None and reunion.jobs_low is None
    odd = records["10000001000010"]
    assert odd.band == "99" and odd.jobs_low is None and odd.band_year is None and odd.latitude is None

    assert report.rows_read == 10 and report.kept == 5 and report.finished
    assert report.skipped == {
        "activity not selected": 1,
        "closed establishment": 1,
        "département not selected": 1,
        "commune unknown (masked or empty)": 1,
    }
    assert report.rejected == {"SIRET missing or not 14 digits": 1}
    assert report.warnings == {
        "unknown headcount band code (jobs unknown)": 1,
        "headcount year not a year (ignored)": 1,
        "coordinates not numeric (ignored)": 1,
    }
    assert progress[-1] == (path.stat().st_size, path.stat().st_size)
    assert report.bytes_read == report.total_bytes == path.stat().st_size


def test_without_departement_filter_and_with_closed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", ROWS)
    records, report = read_all(path, active_only=False)
    assert "10000000500015" in records and "10000000900019" in records
    assert records["10000000300013"].active is False
    assert report.kept == 8 and "closed establishment" not in report.skipped


def test_other_naf_codes(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", ROWS)
    records, _ = read_all(path, naf_codes={"47.11F"})
    assert set(records) == {"10000000400014"}


def test_lambert93_origin_is_3_east_46_5_north(tmp_path: Path) -> None:
    # IGN's definition of Lambert-93: the origin (3 deg E, 46.5 deg N) has X = 700,000 m, Y = 6,600,000 m.
    path = write_csv(
        tmp_path / "stock.csv",
        [
            row(
                "10000000100011",
                coordonneeLambertAbscisseEtablissement="700000",
                coordonneeLambertOrdonneeEtablissement="6600000",
            )
        ],
    )
    establishment = read_all(path)[0]["10000000100011"]
    assert establishment.latitude == pytest.approx(46.5, abs=1e-7)
    assert establishment.longitude == pytest.approx(3.0, abs=1e-7)


def test_columns_found_by_name_in_any_order_and_extra_columns(tmp_path: Path) -> None:
    header = ("nouvelleColonne2030", *reversed(HEADER))
    rows = [{**r, "nouvelleColonne2030": "x"} for r in ROWS]
    path = write_csv(tmp_path / "stock.csv", rows, header)
    records, report = read_all(path, departements=DEPARTEMENTS)
    assert report.kept == 5 and records["10000000100011"].jobs_high == 499


def test_missing_optional_columns_are_tolerated(tmp_path: Path) -> None:
    header = tuple(h for h in HEADER if not h.startswith("coordonnee") and h != "siren")
    path = write_csv(tmp_path / "stock.csv", ROWS, header)
    records, _ = read_all(path, departements=DEPARTEMENTS)
    assert records["10000000100011"].latitude is None
    assert records["10000000100011"].siren == "100000001"


def test_parquet_gives_the_same_records(tmp_path: Path) -> None:
    csv_records, _ = read_all(write_csv(tmp_path / "stock.csv", ROWS), departements=DEPARTEMENTS)
    columns = {name: [r[name] or None for r in ROWS] for name in HEADER}
    # INSEE's Parquet types some columns as numbers: the reader must not care.
    columns["coordonneeLambertAbscisseEtablissement"] = [
        float(v) if v and v.replace(".", "").isdigit() else None
        for v in columns["coordonneeLambertAbscisseEtablissement"]
    ]
    table = pa.table(columns)
    path = tmp_path / "StockEtablissement.parquet"
    pq.write_table(table, path, row_group_size=3)
    parquet_records, report = read_all(path, departements=DEPARTEMENTS)
    assert report.file_format == "parquet" and report.rows_read == 10
    assert set(parquet_records) == set(csv_records)
    for siret, record in csv_records.items():
        if siret != "10000001000010":  # its non-numeric X became null in the Parquet copy
            assert parquet_records[siret] == record


def test_zip_and_gzip_as_downloaded(tmp_path: Path) -> None:
    plain = write_csv(tmp_path / "StockEtablissement_utf8.csv", ROWS)
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(plain, "StockEtablissement_utf8.csv")
    gz = tmp_path / "StockEtablissement_utf8.csv.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    expected, _ = read_all(plain, departements=DEPARTEMENTS)
    for path in (archive, gz):
        progress: list[int] = []
        records, report = read_all(
            path, departements=DEPARTEMENTS, on_progress=lambda d, t, seen=progress: seen.append(d)
        )
        assert records == expected and report.kept == 5
        assert progress[-1] == path.stat().st_size


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    header = tuple(h for h in HEADER if h != "trancheEffectifsEtablissement")
    path = write_csv(tmp_path / "stock.csv", ROWS, header)
    with pytest.raises(sirene.SireneFormatError, match="trancheEffectifsEtablissement") as info:
        read_all(path)
    assert info.value.column == "trancheEffectifsEtablissement" and info.value.row == 1


def test_row_with_wrong_field_count_is_named(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", ROWS)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(4, "10000000000000,oops\n")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(sirene.SireneFormatError, match="line 5") as info:
        read_all(path)
    assert info.value.row == 5


def test_bad_utf8_is_located(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stock.csv", ROWS)
    data = path.read_bytes().replace(b"ALLO DOLE", "ALLO DÔLE".encode("latin-1"))
    path.write_bytes(data)
    with pytest.raises(sirene.SireneFormatError, match="UTF-8") as info:
        read_all(path)
    assert info.value.row == 3 and info.value.column == "enseigne1Etablissement"


def test_garbage_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "stock.csv"
    garbage.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(sirene.SireneFormatError):
        read_all(garbage)
    not_parquet = tmp_path / "stock.parquet"
    not_parquet.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(sirene.SireneFormatError, match="Parquet"):
        read_all(not_parquet)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(sirene.SireneFormatError):
        read_all(empty)


def test_many_blocks_stream_with_the_same_result(tmp_path: Path) -> None:
    many = [row(f"2{i:08d}00011", codeCommuneEtablissement="25056") for i in range(3000)]
    path = write_csv(tmp_path / "stock.csv", many)
    batches: list[int] = []
    reader = sirene.read_establishments(path, block_size=64 << 10)
    for batch in reader:
        batches.append(len(batch))
    assert len(batches) > 5 and sum(batches) == 3000 == reader.report.kept


def test_reader_is_single_use(tmp_path: Path) -> None:
    reader = sirene.read_establishments(write_csv(tmp_path / "s.csv", ROWS))
    list(reader)
    with pytest.raises(RuntimeError):
        list(reader)


# --- NAF 2025, codes without the dot, the geolocation file ---------------------------------------------

GEO_HEADER = (
    "siret;x;y;qualite_xy;epsg;plg_qp;plg_iris;plg_zus;plg_qva;plg_code_commune;distance_precision;"
    "qualite_qp;qualite_iris;qualite_zus;qualite_qva;y_latitude;x_longitude"
)


def write_geolocation(path: Path, lines: list[str]) -> Path:
    """INSEE's GeolocalisationEtablissement_Sirene_pour_etudes_statistiques, zipped as published."""
    text = "\n".join([GEO_HEADER, *lines]) + "\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv", text)
    return path


def test_both_naf_columns_with_or_without_the_dot(tmp_path: Path) -> None:
    rows = [
        row("20000000100018", activitePrincipaleEtablissement="8220Z"),  # no dot
        row(  # only the NAF 2025 code says call centre
            "20000000200019",
            activitePrincipaleEtablissement="",
            activitePrincipaleNAF25Etablissement="82.20Y",
        ),
        row("20000000300010", activitePrincipaleNAF25Etablissement="8220Y"),
        row(
            "20000000400011",
            activitePrincipaleEtablissement="82.11Z",
            activitePrincipaleNAF25Etablissement="82.10Y",
        ),
    ]
    records, report = read_all(
        write_csv(tmp_path / "stock.csv", rows), departements=DEPARTEMENTS, naf_codes={"8220z"}
    )
    assert set(records) == {"20000000100018", "20000000200019", "20000000300010"}
    assert {r.naf for r in records.values()} == {"82.20Z"}
    assert report.naf_codes == ("82.20Z",)
    assert report.skipped == {"activity not selected": 1}
    assert report.warnings == {"matched by the NAF 2025 code only": 1}
    assert sirene.normalise_naf(" 8220z ") == "82.20Z" and sirene.NAF_2025_EQUIVALENTS["82.20Z"] == "82.20Y"


def test_a_semicolon_separated_stock_is_read(tmp_path: Path) -> None:
    path = tmp_path / "stock.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(HEADER), delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(ROWS[:2])
    records, _ = read_all(path, departements=DEPARTEMENTS)
    assert set(records) == {"10000000100011", "10000000200012"}


def test_the_geolocation_file_as_published_is_joined_by_siret(tmp_path: Path) -> None:
    path = write_geolocation(
        tmp_path / "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip",
        [
            "10000000100011;928300.5;6689000.2;11;2154;HZ;0101;HZ;HZ;25056;12.5;1;1;1;1;47.2618;6.0194",
            "10000000700017;338811.2;7690101.4;12;2975;HZ;;HZ;HZ;97411;40;1;1;1;1;-20.8823;55.4504",
            "10000000200012;;;33;;HZ;;HZ;HZ;39198;;;;;;47.0926;5.4901",  # only WGS84 given
            "10000000900019;1;2;11;2154;;;;;25056;;;;;;;",  # a point far out at sea: dropped
            "99999999999999;928300;6689000;11;2154;;;;;25056;;;;;;;",  # not asked for
        ],
    )
    points, report = sirene_geolocation.read_geolocation(
        path, {"10000000100011", "10000000700017", "10000000200012", "10000000900019", "10000000300013"}
    )
    assert points["10000000100011"] == pytest.approx((47.2618, 6.0194), abs=2e-3)
    # Réunion reprojected from its own projection (UTM 40S), not from Lambert-93.
    assert points["10000000700017"] == pytest.approx((-20.8823, 55.4504), abs=1e-4)
    assert points["10000000200012"] == (47.0926, 5.4901)
    assert "10000000900019" not in points and "10000000300013" not in points
    assert report.rows_read == 5 and report.found == 3
    assert report.warnings == {"coordinates outside the expected area (ignored)": 1}


def test_the_geolocation_file_given_as_the_stock_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = write_geolocation(tmp_path / "geo.zip", ["10000000100011;928300;6689000;11;2154;;;;;25056;;;;;;;"])
    with pytest.raises(sirene.SireneFormatError, match="geolocation file") as error:
        read_all(path, departements=DEPARTEMENTS)
    assert error.value.row == 1
    broken = tmp_path / "geo.csv"
    broken.write_text("siret;x;y\n10000000100011;1;2\n", encoding="utf-8")
    with pytest.raises(sirene.SireneFormatError) as missing:
        sirene_geolocation.read_geolocation(broken, {"10000000100011"})
    assert (missing.value.source, missing.value.row, missing.value.column) == ("geo.csv", 1, "epsg")


def test_a_geolocation_file_without_its_siret_column_is_refused_with_a_template(tmp_path: Path) -> None:
    broken = tmp_path / "geo.csv"
    broken.write_text("identifiant;x;y;epsg\n10000000100011;1;2;2154\n", encoding="utf-8")
    with pytest.raises(sirene.SireneFormatError) as error:
        sirene_geolocation.read_geolocation(broken, {"10000000100011"})
    assert error.value.template == "required column missing: %(columns)s (is this SIRENE's geolocation file?)"
    assert (error.value.params, error.value.column, error.value.row) == ({"columns": "siret"}, "siret", 1)
    assert error.value.reason == "required column missing: siret (is this SIRENE's geolocation file?)"


def test_an_unknown_projection_is_counted_with_its_code_apart_from_the_texts(tmp_path: Path) -> None:
    path = write_geolocation(
        tmp_path / "geo.zip",
        [
            "10000000100011;928300;6689000;11;2154;HZ;;HZ;HZ;25056;5;1;1;1;1;;",
            "30000000100016;873000;6675000;11;999999;HZ;;HZ;HZ;21038;5;1;1;1;1;;",
        ],
    )
    found, report = sirene_geolocation.read_geolocation(path, {"10000000100011", "30000000100016"})
    assert set(found) == {"10000000100011"}
    assert report.unknown_projections == {"EPSG:999999": 1} and not report.warnings
