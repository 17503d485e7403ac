"""Employment-zone and job-seeker readers, on small files in the real formats written by the tests."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from guichet.sources import employment as em


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for values in rows:
            sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ZONE_TITLE = [
    ["Zonage en zones d'emploi 2020"],
    ["Découpage de la France en zones d'emploi 2020 - Géographie au 01/01/2024"],
    ["Source : Insee"],
    [],
    ["CODGEO", "LIBGEO", "ZE2020", "LIBZE2020", "ZE2020_PARTIE_REG", "DEP", "REG"],
]
ZONE_ROWS = [
    ["25056", "Besançon", "2705", "Besançon", "2705", "25", "27"],
    ["39198", "Dole", "2707", "Dole", "2707", "39", "27"],
    [1001, "L'Abergement-Clémenciat", 8401, "Bourg-en-Bresse", "8401", 1, 84],  # numbers lose zeros
    ["2A004", "Ajaccio", "9401", "Ajaccio", "9401", "2A", "94"],
]


def test_zones_found_under_title_rows_on_any_sheet() -> None:
    data = xlsx({"Présentation": [["Notes"], ["blah"]], "Composition_communale": ZONE_TITLE + ZONE_ROWS})
    result = em.parse_zones_emploi(data)
    assert result.report.header_row == 5 and result.report.sheet == "Composition_communale"
    assert result.report.rows_read == 4 and result.report.kept == 4
    first, _, numeric, corsica = result.records
    assert first == em.CommuneZone("25056", "Besançon", "2705", "Besançon", "25", "27")
    assert (numeric.commune_insee, numeric.zone_code, numeric.departement) == ("01001", "8401", "01")
    assert corsica.commune_insee == "2A004" and corsica.departement == "2A"


def test_zones_stop_at_the_notes_under_the_table(tmp_path: Path) -> None:
    rows = [*ZONE_TITLE, *ZONE_ROWS, [], ["Champ : France hors Mayotte"]]
    path = tmp_path / "ZE2020_au_01-01-2024.xlsx"
    path.write_bytes(xlsx({"Composition_communale": rows}))
    result = em.parse_zones_emploi(path)
    assert len(result.records) == 4 and result.report.source == "ZE2020_au_01-01-2024.xlsx"


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (["2505", "Besançon", "2705", "Besançon"], "CODGEO", "not a commune code"),
        (["25056", "Besançon", "27-05", "Besançon"], "ZE2020", "not an employment-zone code"),
        (["25056", "Besançon", "2705", ""], "LIBZE2020", "empty label"),
        (["25056", "Besançon bis", "2705", "Besançon"], "CODGEO", "already listed on row 6"),
    ],
)
def test_zone_errors_name_row_and_column(bad_row: list[Any], column: str, message: str) -> None:
    data = xlsx({"Composition_communale": [*ZONE_TITLE, ZONE_ROWS[0], ZONE_ROWS[1], bad_row]})
    with pytest.raises(em.EmploymentFormatError, match=message) as info:
        em.parse_zones_emploi(data)
    assert (info.value.row, info.value.column) == (8, column)


def test_zone_file_without_header_or_not_xlsx() -> None:
    with pytest.raises(em.EmploymentFormatError, match="no header row with CODGEO"):
        em.parse_zones_emploi(xlsx({"Feuil1": [["CODGEO", "LIBGEO", "ZE2010"], ["25056", "Besançon", "1"]]}))
    with pytest.raises(em.EmploymentFormatError, match="not a workbook"):
        em.parse_zones_emploi(b"CODGEO;LIBGEO\n")


# --- DARES --------------------------------------------------------------------------------------------

DARES_CSV = (
    "Code zone d'emploi;Libellé zone d'emploi;Mois;Catégorie;Sexe;Tranche d'âge;Nombre\n"
    "2705;Besançon;2025-05;ABC;Ensemble;Ensemble;21 340\n"
    "2705;Besançon;2025-06;ABC;Ensemble;Ensemble;21 450\n"
    "2705;Besançon;2025-06;A;Ensemble;Ensemble;11 020\n"
    "2705;Besançon;2025-06;ABC;Femmes;Ensemble;10 980\n"
    "2707;Dole;2025-06;A;Ensemble;Ensemble;3 010\n"
    "2707;Dole;2025-06;B;Ensemble;Ensemble;1 200\n"
    "2707;Dole;2025-06;C;Ensemble;Ensemble;2 305\n"
    "\n"
    "Source : DARES, France Travail;;;;;;\n"
)


def test_dares_csv_in_windows_1252_with_semicolons() -> None:
    result = em.parse_dares_job_seekers(DARES_CSV.encode("cp1252"))
    assert result.report.encoding == "cp1252" and result.report.header_row == 1
    assert result.report.kept == 7
    assert result.report.skipped == {"blank row": 1, "total or note row": 1}
    assert result.report.warnings == {"count not rounded to tens (DARES rounds to tens)": 1}
    first = result.records[0]
    assert first == em.JobSeekerCount("2705", "Besançon", "2025-05", "ABC", "Ensemble", "Ensemble", 21_340)
    totals, period = em.zone_totals(result.records)
    # The women-only row is never added; Dole has no ABC row, so A + B + C.
    assert period == "2025-06" and totals == {"2705": 21_450, "2707": 3_010 + 1_200 + 2_305}
    assert em.zone_totals(result.records, category="A") == ({"2705": 11_020, "2707": 3_010}, "2025-06")
    assert em.zone_totals(result.records, period="2025-05") == ({"2705": 21_340}, "2025-05")


def test_dares_xlsx_with_dates_and_title_rows() -> None:
    rows = [
        ["Demandeurs d'emploi inscrits à France Travail par zone d'emploi"],
        ["Données brutes, arrondies à la dizaine"],
        ["ZE2020", "LIBZE2020", "Période", "Catégorie", "Valeur"],
        ["2705", "Besançon", dt.datetime(2025, 6, 1), "A, B, C", 21450],
        [2705, "Besançon", "06/2025", "Catégorie A", 11020.0],
        ["2705", "Besançon", "2025M05", "abc", "21340"],
    ]
    result = em.parse_dares_job_seekers(xlsx({"Données": rows}))
    assert result.report.header_row == 3 and result.report.sheet == "Données"
    assert [(r.period, r.category, r.value) for r in result.records] == [
        ("2025-06", "ABC", 21450),
        ("2025-06", "A", 11020),
        ("2025-05", "ABC", 21340),
    ]
    assert result.records[0].sex is None


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("2705;Besançon;juin;ABC;Ensemble;Ensemble;10", "Mois", "not a month"),
        ("2705;Besançon;2025-06;Z;Ensemble;Ensemble;10", "Catégorie", "category"),
        ("2705;Besançon;2025-06;A;Ensemble;Ensemble;-10", "Nombre", "not a count"),
        ("2705;Besançon;2025-06;A;Ensemble;Ensemble;12,5", "Nombre", "not a count"),
        ("27-05;Besançon;2025-06;A;Ensemble;Ensemble;10", "Code zone d'emploi", "employment-zone"),
        ("2705;Besançon;2025-05;ABC;Ensemble;Ensemble;10", "Nombre", "already given on row 2"),
    ],
)
def test_dares_errors_name_line_and_column(line: str, column: str, message: str) -> None:
    text = [*DARES_CSV.split("\n")[:2], line]
    with pytest.raises(em.EmploymentFormatError, match=message) as info:
        em.parse_dares_job_seekers("\n".join(text).encode("utf-8"))
    assert (info.value.row, info.value.column) == (3, column)


def test_dares_header_without_a_value_column() -> None:
    with pytest.raises(em.EmploymentFormatError, match="value column") as info:
        em.parse_dares_job_seekers(b"ZE2020,Mois,Categorie\n2705,2025-06,A\n")
    assert info.value.row == 1


# --- France Travail -----------------------------------------------------------------------------------


def ft_answer(items: list[dict[str, Any]]) -> bytes:
    answer = {
        "codeTypeTerritoire": "DEP",
        "codeTerritoire": "25",
        "codeTypeActivite": "ROME",
        "codeTypePeriode": "TRIMESTRE",
        "listeValeursParPeriode": items,
    }
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")


def ft_item(**changes: Any) -> dict[str, Any]:
    item = {
        "codeTerritoire": "25",
        "libTerritoire": "Doubs",
        "codeTypeTerritoire": "DEP",
        "codeActivite": "D1408",
        "libActivite": "Conseiller clientèle à distance",
        "codePeriode": "2025T2",
        "libPeriode": "2e trimestre 2025",
        "codeNomenclature": "CATCAND",
        "valeurPrincipaleNombre": 420,
    }
    item.update(changes)
    return item


def test_france_travail_answers() -> None:
    data = ft_answer(
        [
            ft_item(),
            ft_item(codeActivite="M1601", valeurPrincipaleNombre=1130),
            ft_item(codeActivite="D1435", valeurPrincipaleNombre=None),
        ]
    )
    result = em.parse_france_travail_json(data)
    assert result.report.rows_read == 3 and result.report.kept == 2
    assert result.report.skipped == {"no value published (secret or missing)": 1}
    first = result.records[0]
    assert first == em.TerritoryStatistic(
        "DEP",
        "25",
        "Doubs",
        "D1408",
        "Conseiller clientèle à distance",
        "2025T2",
        "2e trimestre 2025",
        "CATCAND",
        420.0,
    )
    several = json.dumps([json.loads(data), json.loads(ft_answer([ft_item(codeTerritoire="39")]))])
    assert len(em.parse_france_travail_json(several.encode()).records) == 3


@pytest.mark.parametrize(
    ("item", "column", "message"),
    [
        ({"valeurPrincipaleNombre": "420"}, "listeValeursParPeriode[1].valeurPrincipaleNombre", "number"),
        ({"codeActivite": "D14"}, "listeValeursParPeriode[1].codeActivite", "ROME"),
        ({"codePeriode": ""}, "listeValeursParPeriode[1].codePeriode", "non-empty"),
    ],
)
def test_france_travail_errors_name_item_and_field(item: dict[str, Any], column: str, message: str) -> None:
    with pytest.raises(em.EmploymentFormatError, match=message) as info:
        em.parse_france_travail_json(ft_answer([ft_item(), ft_item(**item)]))
    assert (info.value.row, info.value.column) == (2, column)


def test_france_travail_missing_field_and_bad_json() -> None:
    broken = ft_item()
    del broken["codeTerritoire"]
    with pytest.raises(em.EmploymentFormatError, match="field missing") as info:
        em.parse_france_travail_json(ft_answer([broken]))
    assert info.value.column == "listeValeursParPeriode[0].codeTerritoire" and info.value.row == 1
    with pytest.raises(em.EmploymentFormatError, match="not JSON"):
        em.parse_france_travail_json(b'{"listeValeursParPeriode": [')
    with pytest.raises(em.EmploymentFormatError, match="listeValeursParPeriode"):
        em.parse_france_travail_json(b'{"resultats": []}')


# --- files as published: the zoning zip and .xls, DARES wide tables -----------------------------------


def xls(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A legacy .xls workbook (BIFF8), as INSEE and DARES long published them."""
    import xlwt

    book = xlwt.Workbook()
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


ZONE_SHEETS = {
    "Composition_communale": ZONE_TITLE + ZONE_ROWS,
    "Zones_supra_communales": [["ZE2020", "LIBZE2020", "NB_COM"], ["2705", "Besançon", 239]],
}


def test_zoning_as_published_a_zip_holding_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "ZE2020_au_01-01-2025.zip"
    path.write_bytes(zipped({"ZE2020_au_01-01-2025.xlsx": xlsx(ZONE_SHEETS)}))
    result = em.parse_zones_emploi(path)
    assert result.report.source == "ZE2020_au_01-01-2025.zip:ZE2020_au_01-01-2025.xlsx"
    assert result.report.sheet == "Composition_communale" and result.report.kept == 4


def test_zoning_as_a_legacy_xls_workbook() -> None:
    result = em.parse_zones_emploi(xls(ZONE_SHEETS))
    assert [r.commune_insee for r in result.records] == ["25056", "39198", "01001", "2A004"]
    assert result.records[2].zone_code == "8401" and result.records[2].departement == "01"


def test_zoning_errors_name_the_file_sheet_row_and_column(tmp_path: Path) -> None:
    rows = [*ZONE_TITLE, ZONE_ROWS[0], ["2505X", "Nowhere", "2705", "Besançon", "2705", "25", "27"]]
    path = tmp_path / "ZE2020.zip"
    path.write_bytes(zipped({"ZE2020.xls": xls({"Composition_communale": rows})}))
    with pytest.raises(em.EmploymentFormatError) as error:
        em.parse_zones_emploi(path)
    assert (error.value.source, error.value.sheet, error.value.row, error.value.column) == (
        "ZE2020.zip:ZE2020.xls",
        "Composition_communale",
        7,
        "CODGEO",
    )
    assert str(error.value).startswith("ZE2020.zip:ZE2020.xls, sheet 'Composition_communale', row 7, column")


def _dares_sheet(title: str, rows: list[list[Any]]) -> list[list[Any]]:
    return [
        [title],
        ["Données brutes, en fin de trimestre, arrondies à la dizaine"],
        [],
        ["Code zone d'emploi 2020", "Libellé de la zone d'emploi", "T4 2024", "T1 2025", "T2 2025"],
        *rows,
        ["", "France entière", 5_409_800, 5_421_000, 5_470_500],
        [],
        ["Source : France Travail-Dares, STMT."],
    ]


DARES_WIDE = {
    "Sommaire": [
        ["Demandeurs d'emploi inscrits à France Travail par zone d'emploi"],
        ["Cat. A : sans emploi"],
    ],
    "Cat A": _dares_sheet(
        "Demandeurs d'emploi tenus de rechercher un emploi, catégorie A",
        [["2705", "Besançon", 11_120, 11_050, 10_980], ["2707", "Dole", 3_040, "nd", 2_990]],
    ),
    "Cat ABC": _dares_sheet(
        "Demandeurs d'emploi tenus de rechercher un emploi, catégories A, B, C",
        [["2705", "Besançon", 21_500, 21_480, 21_450], [2707, "Dole", 6_560, 6_540, 6_500]],
    ),
    "Cat ABC femmes": _dares_sheet(
        "Femmes inscrites en catégories A, B, C", [["2705", "Besançon", 10_900, 10_950, 10_980]]
    ),
}


def test_dares_wide_tables_one_sheet_per_series_quarterly() -> None:
    result = em.parse_dares_job_seekers(xlsx(DARES_WIDE))
    assert result.report.sheet == "Cat A, Cat ABC, Cat ABC femmes"
    assert result.report.kept == 14 and result.report.rows_read == 5
    assert result.report.skipped == {"secret or missing value": 1, "total or note row": 6, "blank row": 3}
    besancon_a = [r for r in result.records if r.zone_code == "2705" and r.category == "A"]
    assert [(r.period, r.value) for r in besancon_a] == [
        ("2024-T4", 11_120),
        ("2025-T1", 11_050),
        ("2025-T2", 10_980),
    ]
    assert {r.territory_type for r in result.records} == {"ZE"}
    women = [r for r in result.records if r.sex == "Femmes"]
    assert len(women) == 3 and all(r.category == "ABC" for r in women)
    totals, period = em.zone_totals(result.records)
    assert period == "2025-T2" and totals == {"2705": 21_450, "2707": 6_500}  # women never added
    assert em.zone_totals(result.records, category="A") == ({"2705": 10_980, "2707": 2_990}, "2025-T2")


def test_dares_departement_table_in_xls_with_other_spellings() -> None:
    sheet = [
        ["Demandeurs d'emploi en catégorie A par département"],
        ["Département", "Libellé", "2e trimestre 2025", "2025T3"],
        [25, "Doubs", 19_870, 19_920],
        ["21", "Côte-d'Or", 17_400, 17_350],
        ["2A", "Corse-du-Sud", 4_210, 4_180],
    ]
    result = em.parse_dares_job_seekers(xls({"DEFM_DEP": sheet}))
    assert {(r.territory_type, r.zone_code, r.period, r.category, r.value) for r in result.records} >= {
        ("DEP", "25", "2025-T2", "A", 19_870),
        ("DEP", "21", "2025-T3", "A", 17_350),
        ("DEP", "2A", "2025-T3", "A", 4_180),
    }


def test_dares_refusals_name_the_sheet_row_and_column() -> None:
    sheets = dict(DARES_WIDE)
    sheets["Cat ABC"] = _dares_sheet("catégories A, B, C", [["2705", "Besançon", 21_500, "21 480,5", 21_450]])
    with pytest.raises(em.EmploymentFormatError) as error:
        em.parse_dares_job_seekers(xlsx(sheets))
    assert (error.value.sheet, error.value.row, error.value.column) == ("Cat ABC", 5, "T1 2025")
    unnamed = {"Feuil1": [["Code ZE", "T1 2025"], ["2705", 100]]}
    with pytest.raises(em.EmploymentFormatError, match="no category") as missing:
        em.parse_dares_job_seekers(xlsx(unnamed))
    assert (missing.value.sheet, missing.value.row) == ("Feuil1", 1)
    twice = {"Cat A": DARES_WIDE["Cat A"], "Catégorie A (bis)": DARES_WIDE["Cat A"]}
    with pytest.raises(em.EmploymentFormatError, match="already given on row 5 of sheet 'Cat A'"):
        em.parse_dares_job_seekers(xlsx(twice))


def test_periods_months_and_quarters() -> None:
    assert [em._period(v) for v in ("2025T2", "T2 2025", "2025-T2", "2025Q2", "2e trimestre 2025")] == [
        "2025-T2"
    ] * 5
    assert [em._period(v) for v in ("juin 2025", "2025-06", "06/2025", dt.date(2025, 6, 30))] == [
        "2025-06"
    ] * 4
    assert sorted(["2025-T2", "2025-05", "2024-T4", "2025-06"], key=em.period_sort_key) == [
        "2024-T4",
        "2025-05",
        "2025-06",
        "2025-T2",
    ]


# --- refusals as templates ------------------------------------------------------------------------------


def test_a_zip_without_a_workbook_is_refused_with_a_template(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "ZE2020_au_01-01-2024.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("documentation.pdf", b"%PDF-1.4")
    with pytest.raises(em.EmploymentFormatError) as info:
        em.parse_zones_emploi(path)
    assert info.value.template == "the archive holds no .xlsx, .xls or .csv file"
    assert (info.value.params, info.value.source) == ({}, "ZE2020_au_01-01-2024.zip")
    assert str(info.value) == "ZE2020_au_01-01-2024.zip: the archive holds no .xlsx, .xls or .csv file"


def test_a_bad_dares_count_keeps_the_cell_out_of_the_template() -> None:
    text = [*DARES_CSV.split("\n")[:2], "2705;Besançon;2025-06;A;Ensemble;Ensemble;12a"]
    with pytest.raises(em.EmploymentFormatError) as info:
        em.parse_dares_job_seekers("\n".join(text).encode("utf-8"))
    error = info.value
    assert (error.template, error.params) == ("%(cell)r is not a count", {"cell": "12a"})
    assert (error.row, error.column, error.reason) == (3, "Nombre", "'12a' is not a count")
