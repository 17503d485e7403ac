"""Where premises lie: QPV 2024 by their point (inside, outside, on and near a contour's edge), AFR and FRR
by commune, and "not known" whenever a list is missing or does not cover the commune."""

from __future__ import annotations

import math

import pytest

from guichet.cli import main
from guichet.sources.zoning import ZoningFileError, read_commune_zoning
from guichet.territory.models import PriorityDistrict, ZoningList
from guichet.territory.selectors import afr_zone_of, zoning_of_place
from guichet.territory.services import zoning_import_list, zoning_load_qpv

pytestmark = pytest.mark.django_db

INNOVIA = (47.0790, 5.4680)  # Dole (39198), a demo premises point inside QPV Mesnils Pasteur
CHATEAUFARINE = (47.2245, 5.9690)  # Besançon (25056), about 80 m outside Planoise
METRE_LAT = 1 / 111_195


def _qpv(insee: str, point: tuple[float, float], exact: bool = True):  # type: ignore[no-untyped-def]
    return zoning_of_place(insee=insee, latitude=point[0], longitude=point[1], exact=exact)[0]


def test_qpv_not_loaded_is_not_known() -> None:
    fact = _qpv("39198", INNOVIA)
    assert (fact.kind, fact.status, fact.measures) == ("qpv", "not_known", ())


def test_the_bundled_contours_touching_the_territory_are_loaded_once() -> None:
    assert zoning_load_qpv() == 33
    assert zoning_load_qpv() == 33
    assert PriorityDistrict.objects.count() == 33
    assert ZoningList.objects.get(kind="qpv").departements == "25|39|70|90"


def test_inside_and_outside_a_district() -> None:
    zoning_load_qpv()
    inside = _qpv("39198", INNOVIA)
    assert (inside.status, inside.category, inside.label) == ("in", "QN03901M", "Mesnils Pasteur")
    assert inside.measures == ("emplois_francs", "qpv_local_tax_exemptions")
    assert "QPV 2024" in inside.vintage
    outside = _qpv("25056", CHATEAUFARINE)
    assert outside.status == "out" and outside.label == "Planoise"
    assert outside.distance_m is not None and 70 < outside.distance_m < 90
    # A commune without any district: out, whatever the point.
    assert _qpv("25047", (47.0, 6.0)).status == "out"


def test_on_and_near_the_edge_of_a_contour() -> None:
    zoning_load_qpv()
    district = PriorityDistrict.objects.get(code="QN03901M")
    ring = district.contour[0][0]
    south = min(ring, key=lambda point: point[1])  # the southernmost vertex: below it is outside
    lon, lat = south[0], south[1]
    on_vertex = _qpv("39198", (lat, lon))
    assert (on_vertex.status, on_vertex.distance_m) == ("edge", 0.0)
    near = _qpv("39198", (lat - 10 * METRE_LAT, lon))
    assert near.status == "edge" and math.isclose(near.distance_m or 0, 10, abs_tol=0.5)
    assert near.measures == ("emplois_francs", "qpv_local_tax_exemptions")
    assert _qpv("39198", (lat - 40 * METRE_LAT, lon)).status == "out"


def test_a_premises_located_by_its_commune_point_is_not_placed() -> None:
    zoning_load_qpv()
    fact = _qpv("39198", INNOVIA, exact=False)
    assert (fact.status, fact.category) == ("not_known", "commune_has_qpv")


def _import(kind: str, text: str, departements: list[str]) -> ZoningList:
    records = read_commune_zoning(text.encode(), kind=kind)
    return zoning_import_list(
        actor=None,
        kind=kind,
        records=records,
        source="test list",
        vintage="2025-07",
        departements=departements,
    )


def test_afr_lookup_and_not_known_outside_the_list_coverage() -> None:
    assert zoning_of_place(insee="39198", latitude=None, longitude=None)[1].status == "not_known"
    _import("afr", "insee;zone;partial\n39198;c_non_predefined;\n39478;prédéfinie;P\n", ["39"])
    dole, lons, other_jura, doubs = (
        zoning_of_place(insee=insee, latitude=None, longitude=None)[1]
        for insee in ("39198", "39478", "39300", "25056")
    )
    assert (dole.status, dole.category, dole.partial) == ("in", "c_non_predefined", False)
    assert dole.measures == ("afr_regional_investment_aid", "afr_local_tax_exemptions")
    assert (lons.category, lons.partial) == ("c_predefined", True)
    assert (other_jura.status, other_jura.measures) == ("out", ("sme_investment_aid_only",))
    assert doubs.status == "not_known"
    assert [afr_zone_of(fact) for fact in (dole, other_jura, doubs)] == [
        "c_non_predefined",
        "none",
        "unknown",
    ]


def test_frr_lookup_from_the_codefrr_indicator() -> None:
    _import("frr", "codgeo,codefrr\n70285,1\n70550,-9999\n", [])
    classified = zoning_of_place(insee="70285", latitude=None, longitude=None)[2]
    unclassified = zoning_of_place(insee="70550", latitude=None, longitude=None)[2]
    elsewhere = zoning_of_place(insee="25056", latitude=None, longitude=None)[2]
    assert (classified.status, classified.category) == ("in", "frr:1")
    assert unclassified.status == "out"  # the file covers Haute-Saône (70): listed -9999 means not classified
    assert elsewhere.status == "not_known"
    assert ZoningList.objects.get(kind="frr").departements == "70"


def test_a_wrong_file_names_its_row_and_column() -> None:
    with pytest.raises(ZoningFileError, match="row 2, column zone"):
        read_commune_zoning(b"insee,zone\n39198,a\n", kind="afr")
    with pytest.raises(ZoningFileError, match="row 3, column insee"):
        read_commune_zoning(b"insee,category\n39198,frr\nxx,frr\n", kind="frr")


def test_the_command_imports_a_list(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "afr.csv"
    path.write_text("insee,zone\n90010,c_non_predefined\n", encoding="utf-8")
    code = main(
        ["territory", "import-zoning", "--kind", "afr", str(path), "--source", "DGCL", "--vintage", "2023"]
    )
    assert code == 0
    assert "afr: 1 communes classified, départements 90" in capsys.readouterr().out
    assert zoning_of_place(insee="90010", latitude=None, longitude=None)[1].status == "in"
    bad = tmp_path / "bad.csv"
    bad.write_text("insee,zone\n90010,z\n", encoding="utf-8")
    assert (
        main(["territory", "import-zoning", "--kind", "afr", str(bad), "--source", "x", "--vintage", "y"])
        == 2
    )
