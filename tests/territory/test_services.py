"""Loading the real bundled territory data (Etalab, IGN, INSEE) into the database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.db.models import Count, Sum

from guichet.data.dataset import BUNDLED_TERRITORY_DIR, DatasetError
from guichet.territory.models import Commune, DatasetSource, Epci, FormerCommune
from guichet.territory.selectors import commune_resolve
from guichet.territory.services import territory_load_dataset

pytestmark = pytest.mark.django_db


def test_loaded_communes_per_departement_match_the_official_geography() -> None:
    counts = dict(Commune.objects.values_list("departement").annotate(n=Count("insee")).order_by())
    assert counts == {"25": 563, "39": 492, "70": 536, "90": 101}
    assert Commune.objects.aggregate(total=Sum("population"))["total"] == 1_178_576


def test_named_communes_carry_their_2023_population_and_their_epci() -> None:
    besancon = Commune.objects.select_related("epci").get(insee="25056")
    assert (besancon.name, besancon.population, besancon.population_20_64) == ("Besançon", 118_489, 69_098)
    assert besancon.epci is not None and besancon.epci.name == "CU Grand Besançon Métropole"
    belfort = Commune.objects.select_related("epci").get(insee="90010")
    assert (belfort.population, belfort.epci_id) == (45_912, "200069052")


def test_epci_member_counts_and_populations() -> None:
    assert Epci.objects.count() == 51
    besancon = Epci.objects.get(siren="242500361")
    assert (besancon.member_count, besancon.population_municipal) == (67, 198_387)
    assert besancon.communes.count() == 67
    assert Epci.objects.get(siren="200069052").communes.count() == 52


def test_a_former_commune_code_resolves_to_the_current_commune() -> None:
    former = FormerCommune.objects.get(insee="25010")
    assert former.current_id == "25223"
    resolved = commune_resolve(insee="25010")
    assert resolved is not None and resolved.insee == "25223"
    assert commune_resolve(insee="99999") is None


def test_a_second_load_changes_nothing() -> None:
    summary = territory_load_dataset()
    assert not summary.changed
    assert summary.tables["communes"].unchanged == 1692
    assert summary.tables["former_communes"].unchanged == FormerCommune.objects.count()


def test_every_figure_source_is_recorded_with_its_vintage() -> None:
    communes = DatasetSource.objects.get(key="communes.csv")
    assert "etalab" in communes.package.lower() or "etalab" in communes.source.lower()
    assert communes.vintage


def _copy_bundled(tmp_path: Path) -> Path:
    target = tmp_path / "territory"
    shutil.copytree(BUNDLED_TERRITORY_DIR, target)
    return target


def test_a_bad_value_names_file_row_and_column_and_nothing_is_saved(tmp_path: Path) -> None:
    directory = _copy_bundled(tmp_path)
    path = directory / "communes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # Row 3 (the second commune) gets a population that is not a number, after row 2 was changed.
    lines[1] = lines[1].replace("Abbans-Dessous", "Abbans-Renamed")
    fields = lines[2].split(",")
    fields[6] = "many"
    lines[2] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"communes\.csv, row 3, column population: .*'many'"):
        territory_load_dataset(directory=directory)
    assert Commune.objects.get(insee="25001").name == "Abbans-Dessous"


def test_an_unknown_epci_reference_is_refused(tmp_path: Path) -> None:
    directory = _copy_bundled(tmp_path)
    path = directory / "communes.csv"
    text = path.read_text(encoding="utf-8")
    # 732829320 passes the SIREN check digit but is no EPCI of the dataset.
    path.write_text(text.replace(",200068070,", ",732829320,", 1), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"communes\.csv: 25001 EPCI refers to unknown code '732829320'"):
        territory_load_dataset(directory=directory)
    assert Commune.objects.get(insee="25001").epci_id == "200068070"


def test_a_siren_failing_its_check_digit_is_refused(tmp_path: Path) -> None:
    directory = _copy_bundled(tmp_path)
    path = directory / "epci.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("242500361,", "242500362,", 1), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"epci\.csv, row \d+, column siren: SIREN fails its check digit"):
        territory_load_dataset(directory=directory)
