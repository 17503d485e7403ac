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
    with pytest.raises(em.EmploymentFormatError, match="not an xlsx"):
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
    assert result.report.skipped == {"blank row": 1, "note line": 1}
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
