"""Labour imports through the services and the command line, on small files in the real formats written by
the tests, with the real bundled territory (1,692 communes of Franche-Comté)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from guichet.accounts.models import User
from guichet.audit.models import AuditEvent
from guichet.cli import main
from guichet.data.dataset import read_unemployment
from guichet.labour import selectors, services
from guichet.labour.models import (
    CentreOrigin,
    CommuneZone,
    ContactCentre,
    EmploymentZone,
    ImportRun,
    JobSeekerCount,
)
from guichet.sources.employment import EmploymentFormatError
from guichet.sources.sirene import STOCK_ETABLISSEMENT_COLUMNS as HEADER
from guichet.sources.sirene import SireneFormatError
from guichet.territory.models import Commune, NationalCommune

pytestmark = pytest.mark.django_db


def counts(run: ImportRun, group: str) -> dict[str, int]:
    """A run's reasons of one group as {English template: count} (reasons without values)."""
    entries = run.reasons[group]
    assert all(set(entry) == {"template", "params", "count"} for entry in entries)
    return {entry["template"]: entry["count"] for entry in entries if not entry["params"]}


def around_besancon() -> selectors.LabourPanel:
    """The 30 km catchment of Besançon's representative point (the point a premises there falls back to)."""
    commune = Commune.objects.get(insee="25056")
    assert commune.latitude is not None and commune.longitude is not None
    return selectors.labour_pool_around(latitude=commune.latitude, longitude=commune.longitude)


# --- SIRENE ---------------------------------------------------------------------------------------------

BASE = {
    "statutDiffusionEtablissement": "O",
    "dateCreationEtablissement": "2012-05-01",
    "trancheEffectifsEtablissement": "22",
    "anneeEffectifsEtablissement": "2023",
    "etablissementSiege": "false",
    "nombrePeriodesEtablissement": "2",
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


def sirene_row(siret: str, **fields: str) -> dict[str, str]:
    values = {**BASE, "siren": siret[:9], "nic": siret[9:], "siret": siret, **fields}
    return {name: values.get(name, "") for name in HEADER}


SIRENE_ROWS = [
    # Besançon, 250-499 employees: in the 30 km catchment.
    sirene_row(
        "10000000100011",
        denominationUsuelleEtablissement="PLATEAU BESANCON",
        trancheEffectifsEtablissement="32",
    ),
    # Pontarlier, 100-199: kept, but 50 km away from Besançon.
    sirene_row(
        "10000000200012",
        enseigne1Etablissement="ALLO PONTARLIER",
        codeCommuneEtablissement="25462",
        coordonneeLambertAbscisseEtablissement="",
        coordonneeLambertOrdonneeEtablissement="",
    ),
    sirene_row("10000000300013", etatAdministratifEtablissement="F"),  # closed
    sirene_row("10000000400014", activitePrincipaleEtablissement="47.11F"),  # a supermarket
    sirene_row(  # partly masked: a person who opposed publication; size unknown
        "10000000600016",
        statutDiffusionEtablissement="P",
        trancheEffectifsEtablissement="NN",
        enseigne1Etablissement="[ND]",
        coordonneeLambertAbscisseEtablissement="[ND]",
        coordonneeLambertOrdonneeEtablissement="[ND]",
    ),
    sirene_row("1000000070001"),  # 13-digit SIRET: rejected by the reader
    sirene_row("10000000800018", codeCommuneEtablissement="25999"),  # no such commune: rejected
    # École-Valentin, 20-49 employees: in the catchment.
    sirene_row(
        "10000000900019",
        denominationUsuelleEtablissement="RELATION CLIENTS VALENTIN",
        codeCommuneEtablissement="25212",
        trancheEffectifsEtablissement="12",
        anneeEffectifsEtablissement="2022",
    ),
    sirene_row("10000001000010", codeCommuneEtablissement="75056"),  # Paris: département not selected
]


def write_sirene(
    path: Path, rows: list[dict[str, str]] = SIRENE_ROWS, header: tuple[str, ...] = HEADER
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- employment files -----------------------------------------------------------------------------------


def xlsx(rows: list[list[Any]], title: str = "Composition_communale") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ZONE_TITLE = [
    ["Zonage en zones d'emploi 2020"],
    ["Découpage de la France en zones d'emploi 2020 - Géographie au 01/01/2025"],
    ["Source : Insee"],
    [],
    ["CODGEO", "LIBGEO", "ZE2020", "LIBZE2020", "ZE2020_PARTIE_REG", "DEP", "REG"],
]


def zones_workbook(assign: dict[str, tuple[str, str]]) -> bytes:
    """INSEE's layout; ``assign`` maps a commune code to (zone code, zone name)."""
    names = dict(Commune.objects.filter(insee__in=assign).values_list("insee", "name"))
    rows = [
        [code, names.get(code, code), zone, zone_name, zone, code[:2], "27"]
        for code, (zone, zone_name) in sorted(assign.items())
    ]
    return xlsx([*ZONE_TITLE, *rows, [], ["Champ : France hors Mayotte"]])


def grand_besancon_codes() -> list[str]:
    epci = Commune.objects.get(insee="25056").epci_id
    return list(Commune.objects.filter(epci_id=epci).values_list("insee", flat=True))


DARES_CSV = (
    "Code zone d'emploi;Libellé zone d'emploi;Mois;Catégorie;Sexe;Âge;Nombre\n"
    "2705;Besançon;2025-05;ABC;Ensemble;Ensemble;21 340\n"
    "2705;Besançon;2025-06;ABC;Ensemble;Ensemble;21 450\n"
    "2705;Besançon;2025-06;ABC;Femmes;Ensemble;10 900\n"
    "2705;Besançon;2025-06;A;Ensemble;Ensemble;11 020\n"
)


def ft_answer(items: list[dict[str, Any]]) -> bytes:
    answer = {"codeTypeTerritoire": "DEP", "codeTypeActivite": "ROME", "listeValeursParPeriode": items}
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")


def ft_item(departement: str, rome: str, value: float | None) -> dict[str, Any]:
    return {
        "codeTerritoire": departement,
        "libTerritoire": departement,
        "codeTypeTerritoire": "DEP",
        "codeActivite": rome,
        "libActivite": rome,
        "codePeriode": "2025T2",
        "libPeriode": "2e trimestre 2025",
        "codeNomenclature": "CATCAND",
        "valeurPrincipaleNombre": value,
    }


# Customer-relation job seekers (D1408 + M1601) by département, as France Travail answers.
FT_VALUES = {"25": (420, 1130), "39": (150, 480), "70": (120, 390), "90": (110, 400)}


def ft_document() -> bytes:
    items = [
        ft_item(dep, rome, value)
        for dep, pair in FT_VALUES.items()
        for rome, value in zip(("D1408", "M1601"), pair, strict=True)
    ]
    items.append(ft_item("25", "D1435", None))  # not published
    return ft_answer(items)


# --- SIRENE tests ---------------------------------------------------------------------------------------


def test_sirene_import_reports_and_keeps_the_active_call_centres(tmp_path: Path, agnes: User) -> None:
    run = services.sirene_import(actor=agnes, path=write_sirene(tmp_path / "StockEtablissement_utf8.csv"))
    assert (run.rows_read, run.kept, run.rejected) == (9, 4, 2)
    assert counts(run, "skipped") == {
        "activity not selected": 1,
        "closed establishment": 1,
        "département not selected": 1,
    }
    assert counts(run, "rejected") == {
        "SIRET missing or not 14 digits": 1,
        "commune code unknown in France's commune index": 1,
    }
    # By default, the départements within reach of the territory: catchments cross its borders.
    reach = ["01", "21", "25", "38", "39", "52", "54", "55", "68", "69", "70", "71", "73", "74", "88", "90"]
    assert run.parameters == {"naf": ["82.20Z"], "departements": reach}
    assert run.vintage == "2022–2023" and run.by == agnes
    centres = {c.siret: c for c in ContactCentre.objects.all()}
    assert set(centres) == {"10000000100011", "10000000200012", "10000000600016", "10000000900019"}
    plateau = centres["10000000100011"]
    assert (plateau.jobs_low, plateau.jobs_mid, plateau.jobs_high) == (250, 374.5, 499)
    assert plateau.commune_id == "25056" and plateau.departement == "25" and plateau.latitude is not None
    masked = centres["10000000600016"]
    # Band NN, "unité non employeuse": no employee, 0 jobs (not "unknown size").
    assert masked.partially_masked and masked.jobs_mid == 0 and masked.name == ""
    assert AuditEvent.objects.filter(action="import", object_id=str(run.pk)).count() == 1

    # In the 30 km catchment of Besançon: Besançon (250-499) and École-Valentin (20-49), plus the masked one.
    pool = around_besancon().pool
    jobs = pool.contact_centre_jobs
    assert (jobs.low, jobs.mid, jobs.high) == (270, 409, 548)
    assert (jobs.establishments, jobs.from_sirene, jobs.unknown_size) == (3, 3, 0)
    assert "SIRENE · 2022–2023 · StockEtablissement_utf8.csv" in jobs.source
    assert pool.saturation.status == "known" and pool.saturation.band == "comfortable"


def test_sirene_import_twice_changes_nothing(tmp_path: Path) -> None:
    path = write_sirene(tmp_path / "stock.csv")
    first = services.sirene_import(actor=None, path=path)
    before = list(ContactCentre.objects.order_by("pk").values())
    second = services.sirene_import(actor=None, path=path)
    assert second.pk == first.pk and ImportRun.objects.count() == 1
    assert (second.rows_read, second.kept, second.rejected) == (9, 4, 2)
    after = list(ContactCentre.objects.order_by("pk").values())
    for row in before + after:
        row.pop("updated_at")
    assert after == before


def test_a_new_sirene_file_replaces_its_scope_only(tmp_path: Path, agnes: User) -> None:
    dole = sirene_row("20000000100017", codeCommuneEtablissement="39198", trancheEffectifsEtablissement="21")
    services.sirene_import(actor=agnes, path=write_sirene(tmp_path / "jura.csv", [dole]), departements=["39"])
    manual = services.contact_centre_create(
        actor=agnes, name="Plateau connu", commune=Commune.objects.get(insee="25056"), jobs_low=320
    )
    services.sirene_import(actor=agnes, path=write_sirene(tmp_path / "doubs.csv"), departements=["25"])
    # The Besançon centre closed in the next stock; Pontarlier moved to 200-249 employees.
    newer = [
        sirene_row("10000000200012", codeCommuneEtablissement="25462", trancheEffectifsEtablissement="31"),
        sirene_row("10000000900019", codeCommuneEtablissement="25212", trancheEffectifsEtablissement="12"),
    ]
    run = services.sirene_import(
        actor=agnes, path=write_sirene(tmp_path / "doubs-2.csv", newer), departements=["25"]
    )
    assert run.kept == 2
    sirene_rows = dict(
        ContactCentre.objects.filter(origin=CentreOrigin.SIRENE).values_list("siret", "jobs_high")
    )
    assert sirene_rows == {"20000000100017": 99, "10000000200012": 249, "10000000900019": 49}
    assert ContactCentre.objects.filter(pk=manual.pk).exists()


def test_a_malformed_sirene_file_changes_nothing(tmp_path: Path) -> None:
    services.sirene_import(actor=None, path=write_sirene(tmp_path / "good.csv"))
    state = (ContactCentre.objects.count(), ImportRun.objects.count(), AuditEvent.objects.count())
    token = selectors.labour_data_version()
    header = tuple(h for h in HEADER if h != "etatAdministratifEtablissement")
    bad = write_sirene(tmp_path / "bad.csv", SIRENE_ROWS[:2], header=header)
    with pytest.raises(SireneFormatError, match="required column missing") as info:
        services.sirene_import(actor=None, path=bad)
    assert (info.value.row, info.value.column) == (1, "etatAdministratifEtablissement")
    assert (ContactCentre.objects.count(), ImportRun.objects.count(), AuditEvent.objects.count()) == state
    assert selectors.labour_data_version() == token
    # A row with too many fields is named by its line.
    lines = write_sirene(tmp_path / "ragged.csv", SIRENE_ROWS[:3]).read_text().splitlines()
    lines[2] += ",extra"
    (tmp_path / "ragged.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(SireneFormatError) as info:
        services.sirene_import(actor=None, path=tmp_path / "ragged.csv")
    assert info.value.row == 3
    assert ContactCentre.objects.count() == state[0]


def test_only_agency_staff_import(tmp_path: Path, alice: User) -> None:
    with pytest.raises(PermissionDenied):
        services.sirene_import(actor=alice, path=write_sirene(tmp_path / "stock.csv"))
    with pytest.raises(PermissionDenied):
        services.job_seekers_import(actor=alice, content=DARES_CSV.encode(), file_name="dares.csv")
    assert not ImportRun.objects.exists()


# --- employment zones and job seekers -------------------------------------------------------------------


def test_zone_job_seekers_are_shared_over_the_zone_and_label_the_figure(agnes: User) -> None:
    pool = around_besancon().pool
    assert pool.job_seekers.kind == "estimate"
    estimate = pool.job_seekers.value
    members = grand_besancon_codes()
    assert len(members) == 67
    zones = services.zones_import(
        actor=agnes, content=zones_workbook(dict.fromkeys(members, ("2705", "Besançon"))), file_name="ZE.xlsx"
    )
    assert (zones.rows_read, zones.kept, zones.rejected) == (67, 67, 0)
    assert counts(zones, "warnings") == {"loaded communes absent from the zoning": 1692 - 67}
    assert EmploymentZone.objects.get().name == "Besançon" and CommuneZone.objects.count() == 67

    run = services.job_seekers_import(actor=agnes, content=DARES_CSV.encode("cp1252"), file_name="dares.csv")
    assert (run.rows_read, run.kept, run.rejected, run.vintage) == (4, 4, 0, "2025-06")
    assert JobSeekerCount.objects.filter(is_total=False).count() == 1

    pool = around_besancon().pool
    figure = pool.job_seekers
    # The 67 communes of Grand Besançon (all within 30 km) share the zone's 21,450; the other 275 communes
    # of the catchment are estimated.
    assert figure.kind == "mixed"
    assert (figure.communes_imported, figure.communes_estimated) == (67, 342 - 67)
    rest = NationalCommune.objects.filter(insee__in=set(around_besancon().catchment.ids) - set(members))
    rest_20_64 = localised_20_64(rest)
    assert figure.value == pytest.approx(21_450 + rest_20_64 * 0.8 * 0.175)
    assert figure.value != pytest.approx(estimate)
    assert figure.import_source.startswith("DARES · 2025-06 · dares.csv · ") and figure.apportioned == ("ZE",)
    assert figure.method == "category_abc_from_zone_unemployment"
    # Category A, imported for the zone too: 11,020 replace the estimate there.
    category_a = pool.job_seekers_a
    assert category_a.kind == "mixed" and category_a.value == pytest.approx(11_020 + rest_20_64 * 0.8 * 0.098)


def test_every_commune_zoned_makes_the_figure_imported(agnes: User) -> None:
    codes = list(Commune.objects.values_list("insee", "departement_id"))
    zone_of = {code: (f"27{dep}", f"Zone {dep}") for code, dep in codes}
    services.zones_import(actor=agnes, content=zones_workbook(zone_of), file_name="ZE.xlsx")
    totals = {"2725": 30_000, "2739": 12_000, "2770": 9_000, "2790": 6_000}
    text = "ZE2020;LIBZE2020;Mois;Catégorie;Nombre\n" + "".join(
        f"{zone};Zone;2025-06;ABC;{value}\n" for zone, value in totals.items()
    )
    services.job_seekers_import(actor=agnes, content=text.encode(), file_name="dares-all.csv")
    panel = around_besancon()
    figure = panel.pool.job_seekers
    assert figure.kind == "imported" and figure.complete
    # Expected share: each département's total x (its 20-64 in the catchment / all its 20-64).
    expected = 0.0
    inside = Commune.objects.filter(insee__in=panel.catchment.ids)
    for dep in ("25", "39", "70", "90"):
        part = sum(inside.filter(departement_id=dep).values_list("population_20_64", flat=True))
        whole = sum(Commune.objects.filter(departement_id=dep).values_list("population_20_64", flat=True))
        expected += totals[f"27{dep}"] * part / whole
    assert figure.value == pytest.approx(expected)


def test_a_malformed_dares_file_changes_nothing(agnes: User) -> None:
    services.job_seekers_import(actor=agnes, content=DARES_CSV.encode(), file_name="dares.csv")
    before = list(JobSeekerCount.objects.values_list("territory_code", "period", "category", "sex", "value"))
    bad = DARES_CSV.replace("2025-06;A;", "juin;A;").replace("11 020", "12 000")
    with pytest.raises(EmploymentFormatError, match="not a month") as info:
        services.job_seekers_import(actor=agnes, content=bad.encode(), file_name="dares-bad.csv")
    assert (info.value.row, info.value.column) == (5, "Mois")
    after = list(JobSeekerCount.objects.values_list("territory_code", "period", "category", "sex", "value"))
    assert after == before and ImportRun.objects.count() == 1


def test_france_travail_customer_relation_job_seekers(agnes: User) -> None:
    run = services.france_travail_import(actor=agnes, content=ft_document(), file_name="ft-rome.json")
    assert (run.rows_read, run.kept, run.rejected) == (9, 8, 0)
    assert counts(run, "skipped") == {"no value published (secret or missing)": 1}
    assert run.vintage == "2e trimestre 2025"
    again = services.france_travail_import(actor=agnes, content=ft_document(), file_name="ft-rome.json")
    assert again.pk == run.pk and JobSeekerCount.objects.count() == 8

    panel = around_besancon()
    figure = panel.pool.customer_relation_job_seekers
    assert figure.kind == "imported" and figure.complete
    inside = Commune.objects.filter(insee__in=panel.catchment.ids)
    expected = 0.0
    for dep, pair in FT_VALUES.items():
        part = sum(inside.filter(departement_id=dep).values_list("population_20_64", flat=True))
        whole = sum(Commune.objects.filter(departement_id=dep).values_list("population_20_64", flat=True))
        expected += sum(pair) * part / whole
    assert figure.value == pytest.approx(expected)
    assert figure.import_source.startswith("France Travail · 2e trimestre 2025 · ft-rome.json")
    assert "ROME D1408+M1601" in figure.import_source and figure.apportioned == ("DEP",)
    assert panel.pool.job_seekers_in_reach[1] == "customer_relation"


def test_duplicate_france_travail_items_are_rejected(agnes: User) -> None:
    items = [ft_item("25", "D1408", 420), ft_item("25", "D1408", 430)]
    run = services.france_travail_import(actor=agnes, content=ft_answer(items), file_name="dup.json")
    assert (run.rows_read, run.kept, run.rejected) == (2, 1, 1)
    assert counts(run, "rejected") == {"same territory, ROME code and period given twice": 1}


# --- centres recorded by hand and the cache -------------------------------------------------------------


def test_manual_centre_replaces_the_sirene_one_and_refreshes_the_cached_table(
    tmp_path: Path, agnes: User
) -> None:
    services.sirene_import(actor=agnes, path=write_sirene(tmp_path / "stock.csv"))
    table = selectors.commune_table()
    assert selectors.commune_table() is table  # cached while nothing changes
    centre = services.contact_centre_create(
        actor=agnes,
        name="Plateau Besançon (known headcount)",
        commune=Commune.objects.get(insee="25056"),
        siret="10000000100011",
        jobs_low=320,
    )
    assert selectors.commune_table() is not table
    jobs = around_besancon().pool.contact_centre_jobs
    # 320 known jobs replace the SIRENE band 250-499; École-Valentin still counts 20-49.
    assert (jobs.low, jobs.high, jobs.recorded_by_hand, jobs.duplicates_dropped) == (340, 369, 1, 1)
    services.contact_centre_update(actor=agnes, centre=centre, jobs_low=300, jobs_high=340)
    jobs = around_besancon().pool.contact_centre_jobs
    assert (jobs.low, jobs.mid, jobs.high) == (320, 354.5, 389)
    services.contact_centre_delete(actor=agnes, centre=centre)
    jobs = around_besancon().pool.contact_centre_jobs
    assert (jobs.low, jobs.high) == (270, 548)
    actions = list(
        AuditEvent.objects.filter(object_type="labour.contactcentre").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete", "update"]


def test_sirene_centres_cannot_be_edited_by_hand(tmp_path: Path, agnes: User) -> None:
    services.sirene_import(actor=agnes, path=write_sirene(tmp_path / "stock.csv"))
    centre = ContactCentre.objects.get(siret="10000000100011")
    with pytest.raises(PermissionDenied):
        services.contact_centre_update(actor=agnes, centre=centre, jobs_low=1)


# --- command line ---------------------------------------------------------------------------------------


def test_command_line_imports_print_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_sirene(tmp_path / "StockEtablissement_utf8.csv")
    assert main(["labour", "import-sirene", str(path), "--departements", "25,39"]) == 0
    out = capsys.readouterr().out
    assert "rows read: 9" in out and "kept:      4" in out and "rejected:  2" in out
    assert "commune code unknown in France's commune index" in out and "closed establishment" in out
    assert ImportRun.objects.get().by is None

    zones = tmp_path / "ZE2020_au_01-01-2025.xlsx"
    zones.write_bytes(zones_workbook(dict.fromkeys(grand_besancon_codes(), ("2705", "Besançon"))))
    assert main(["labour", "import-zones", str(zones)]) == 0
    dares = tmp_path / "dares.csv"
    dares.write_text(DARES_CSV, encoding="utf-8")
    assert main(["labour", "import-job-seekers", str(dares)]) == 0
    ft = tmp_path / "ft.json"
    ft.write_bytes(ft_document())
    assert main(["labour", "import-france-travail", str(ft)]) == 0
    out = capsys.readouterr().out
    assert "kept:      67" in out and "(2025-06)" in out and "kept:      8" in out


def test_command_line_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = tuple(h for h in HEADER if h != "siret")
    bad = write_sirene(tmp_path / "bad.csv", SIRENE_ROWS[:1], header=header)
    assert main(["labour", "import-sirene", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "guichet labour import-sirene: error: bad.csv, line 1, column 'siret': required column missing: "
        "siret (is this a StockEtablissement file?)"
    ]
    assert main(["labour", "import-zones", str(tmp_path / "missing.xlsx")]) == 2
    assert "missing.xlsx" in capsys.readouterr().err
    assert not ImportRun.objects.exists()


# --- files as published, travel times, unknown never read as good news ----------------------------------


def test_without_sirene_the_saturation_is_unknown_not_comfortable() -> None:
    pool = around_besancon().pool
    assert pool.saturation.status == "unknown" and pool.saturation.ratio_mid is None
    assert pool.saturation.band is None and not pool.contact_centre_jobs.known


def test_sirene_points_come_from_the_geolocation_file(tmp_path: Path, agnes: User) -> None:
    rows = [
        sirene_row(
            "10000000100011",
            coordonneeLambertAbscisseEtablissement="",
            coordonneeLambertOrdonneeEtablissement="",
        ),
        sirene_row(
            "10000000900019", codeCommuneEtablissement="25212", coordonneeLambertAbscisseEtablissement=""
        ),
        # Auxonne (Côte-d'Or), beyond the four départements but within reach: imported, and counted.
        sirene_row("30000000100016", codeCommuneEtablissement="21038", trancheEffectifsEtablissement="41"),
    ]
    stock = write_sirene(tmp_path / "StockEtablissement_utf8.csv", rows)
    geo = tmp_path / "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.zip"
    import zipfile

    with zipfile.ZipFile(geo, "w") as archive:
        archive.writestr(
            "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv",
            "siret;x;y;qualite_xy;epsg;plg_qp;plg_iris;plg_zus;plg_qva;plg_code_commune;distance_precision;"
            "qualite_qp;qualite_iris;qualite_zus;qualite_qva;y_latitude;x_longitude\n"
            "10000000100011;928300;6689000;11;2154;HZ;;HZ;HZ;25056;5;1;1;1;1;47.2618;6.0194\n"
            "30000000100016;873000;6675000;11;2154;HZ;;HZ;HZ;21038;5;1;1;1;1;47.19;5.39\n",
        )
    run = services.sirene_import(actor=agnes, path=stock, geolocation_path=geo)
    assert run.kept == 3 and "geolocation_sha256" in run.parameters
    assert counts(run, "warnings") == {
        "establishments absent from the geolocation file (no point)": 1,
        "only one coordinate given (ignored)": 1,
    }
    centres = {c.siret: c for c in ContactCentre.objects.all()}
    assert centres["10000000100011"].latitude == pytest.approx(47.2618, abs=2e-3)
    assert centres["10000000900019"].latitude is None
    auxonne = centres["30000000100016"]
    assert auxonne.commune is None and auxonne.commune_code == "21038" and auxonne.departement == "21"
    # Dole's 45-minute catchment reaches Auxonne: its 500-999 jobs count.
    dole = Commune.objects.get(insee="39198")
    panel = selectors.labour_pool_around(latitude=dole.latitude, longitude=dole.longitude, minutes=45)
    assert "21038" in panel.catchment.ids and panel.pool.contact_centre_jobs.low == 500


def test_published_zoning_zip_and_dares_wide_tables(agnes: User) -> None:
    import zipfile

    members = grand_besancon_codes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "ZE2020_au_01-01-2025.xlsx", zones_workbook(dict.fromkeys(members, ("2705", "Besançon")))
        )
    zones = services.zones_import(
        actor=agnes, content=archive.getvalue(), file_name="ZE2020_au_01-01-2025.zip"
    )
    assert zones.kept == 67
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, text, values in (
        ("Cat A", "catégorie A", (11_120, 10_980)),
        ("Cat ABC", "catégories A, B, C", (21_500, 21_450)),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append([f"Demandeurs d'emploi inscrits en fin de trimestre, {text}"])
        sheet.append([])
        sheet.append(["Code zone d'emploi 2020", "Libellé", "T1 2025", "T2 2025"])
        sheet.append(["2705", "Besançon", *values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = services.job_seekers_import(actor=agnes, content=buffer.getvalue(), file_name="defm-ze.xlsx")
    assert (run.kept, run.vintage) == (4, "2025-T2")
    pool = around_besancon().pool
    assert pool.job_seekers_a.communes_imported == 67 and pool.job_seekers.communes_imported == 67
    rest = NationalCommune.objects.filter(insee__in=set(around_besancon().catchment.ids) - set(members))
    rest_20_64 = localised_20_64(rest)
    assert pool.job_seekers_a.value == pytest.approx(10_980 + rest_20_64 * 0.8 * 0.098)
    assert pool.job_seekers.value == pytest.approx(21_450 + rest_20_64 * 0.8 * 0.175)
    workbook["Cat A"]["C4"] = "onze mille"
    broken = io.BytesIO()
    workbook.save(broken)
    with pytest.raises(EmploymentFormatError) as error:
        services.job_seekers_import(actor=agnes, content=broken.getvalue(), file_name="defm-ze.xlsx")
    assert str(error.value).startswith("defm-ze.xlsx, sheet 'Cat A', row 4, column 'T1 2025'")


def test_a_travel_time_matrix_replaces_the_model(agnes: User) -> None:
    besancon = Commune.objects.get(insee="25056")
    before = selectors.labour_pool_around(
        latitude=besancon.latitude, longitude=besancon.longitude, minutes=45
    )
    assert "39198" not in before.catchment.ids  # Dole: 47 minutes by the model
    content = b"origine;destination;minutes\n39198;25056;42\n25212;25056;50\n"
    run = services.travel_times_import(actor=agnes, content=content, file_name="osrm-besancon.csv")
    assert (run.rows_read, run.kept, run.rejected) == (2, 2, 0)
    after = selectors.labour_pool_around(
        latitude=besancon.latitude, longitude=besancon.longitude, minutes=45, workplace_insee="25056"
    )
    assert "39198" in after.catchment.ids and "25212" not in after.catchment.ids
    assert after.catchment.travel_times_source.startswith("osrm-besancon.csv · ")
    again = services.travel_times_import(actor=agnes, content=content, file_name="osrm-besancon.csv")
    assert again.pk == run.pk


def test_reloading_the_territory_refreshes_the_labour_table() -> None:
    from guichet.territory.services import territory_data_changed

    table = selectors.commune_table()
    assert selectors.commune_table() is table
    territory_data_changed()
    assert selectors.commune_table() is not table


# --- the write lock is held only while writing ----------------------------------------------------------


def _depth() -> int:
    from django.db import connection

    return len(connection.atomic_blocks)


def test_the_sirene_file_is_read_before_the_write_transaction_opens(tmp_path: Path, agnes: User) -> None:
    outside = _depth()
    depths: list[int] = []
    run = services.sirene_import(
        actor=agnes,
        path=write_sirene(tmp_path / "stock.csv"),
        on_progress=lambda done, total: depths.append(_depth()),
    )
    assert run.kept == 4
    assert depths and set(depths) == {outside}


@pytest.mark.parametrize(
    ("importer", "parser", "content", "file_name"),
    [
        ("job_seekers_import", "parse_dares_job_seekers", DARES_CSV.encode(), "dares.csv"),
        ("france_travail_import", "parse_france_travail_json", None, "ft.json"),
        (
            "travel_times_import",
            "parse_travel_times",
            b"origine;destination;minutes\n39198;25056;42\n",
            "t.csv",
        ),
    ],
)
def test_each_file_is_checked_before_the_write_transaction_opens_and_written_all_or_nothing(
    agnes: User, monkeypatch: pytest.MonkeyPatch, importer: str, parser: str, content: Any, file_name: str
) -> None:
    from guichet.sources import employment, travel_times

    content = content if content is not None else ft_document()
    module = travel_times if parser == "parse_travel_times" else employment
    real = getattr(module, parser)
    outside = _depth()
    depths: list[int] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        depths.append(_depth())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, parser, spy)
    writes: list[int] = []
    real_finish = services._finish

    def failing_finish(*args: Any, **kwargs: Any) -> Any:
        writes.append(_depth())
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_finish", failing_finish)
    with pytest.raises(RuntimeError):
        getattr(services, importer)(actor=agnes, content=content, file_name=file_name)
    assert depths == [outside]  # parsed outside any transaction of the import's
    assert writes == [outside + 1]  # written inside one
    # A failure while writing leaves nothing: no log entry, no row.
    assert not ImportRun.objects.exists()
    assert not JobSeekerCount.objects.exists()
    monkeypatch.setattr(services, "_finish", real_finish)
    run = getattr(services, importer)(actor=agnes, content=content, file_name=file_name)
    assert run.kept > 0


def test_the_zoning_workbook_is_checked_before_the_write_transaction_opens(
    agnes: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guichet.sources import employment

    real = employment.parse_zones_emploi
    outside = _depth()
    depths: list[int] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        depths.append(_depth())
        return real(*args, **kwargs)

    monkeypatch.setattr(employment, "parse_zones_emploi", spy)
    members = grand_besancon_codes()
    run = services.zones_import(
        actor=agnes, content=zones_workbook(dict.fromkeys(members, ("2705", "Besançon"))), file_name="ZE.xlsx"
    )
    assert run.kept == 67 and depths == [outside]


def localised_20_64(communes: Any) -> float:
    """People aged 20-64 of these communes, each weighted by its zone's unemployment rate over France's
    (2025-T4): what the national ratios multiply in the localised estimate."""
    data = read_unemployment()
    total = 0.0
    for insee, people in communes.values_list("insee", "population_20_64"):
        zone = data.zones.get(data.commune_zone.get(insee, ""))
        total += (people or 0) * (zone.rates_pct[-1] / data.national_pct[-1] if zone else 1.0)
    return total
