"""Labour imports speak in codes and values: a refused file, and the rows an import rejected, skipped or
warned about, are stored as English templates with their values, and each page phrases them in its
reader's language. Agnès (agency) uploads through the pages; the jobs run at once in the tests."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import User
from guichet.jobs.models import Job
from guichet.labour.models import ImportKind, ImportRun
from guichet.phrasing import jobs as phrasing
from tests.labour.test_imports import ft_answer, ft_item, write_sirene

pytestmark = pytest.mark.django_db


def english(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def upload(client: Client, kind: str, name: str, content: bytes, **extra: Any) -> tuple[Job, str]:
    """Upload a file to import: the refused job and its page."""
    data = {f"{kind}-file": SimpleUploadedFile(name, content), **extra}
    response = client.post(reverse("labour:import_upload", args=[kind]), data, follow=True)
    job = Job.objects.get(params__file_name=name)
    assert job.status == "failed", job.result
    return job, response.content.decode()


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("documentation.pdf", b"%PDF-1.4")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "name", "content", "template", "params", "english_text"),
    [
        (
            "zones",
            "ZE2020_au_01-01-2024.zip",
            zip_without_workbook(),
            "the archive holds no .xlsx, .xls or .csv file",
            {},
            "file ZE2020_au_01-01-2024.zip: the archive holds no .xlsx, .xls or .csv file",
        ),
        (
            "job_seekers",
            "dares.csv",
            "Code zone d'emploi;Mois;Catégorie;Nombre\n2705;2025-06;A;12a\n".encode(),
            "%(cell)r is not a count",
            {"cell": "12a"},
            "file dares.csv, row 2, column Nombre: &#x27;12a&#x27; is not a count",
        ),
        (
            "travel_times",
            "matrix.csv",
            b"from;to;km\n25056;90010;58\n",
            "no header row with origin, destination and minutes (or seconds) columns in the first "
            "%(rows)d rows",
            {"rows": 30},
            "file matrix.csv, row 1: no header row with origin, destination and minutes (or seconds) columns "
            "in the first 30 rows",
        ),
    ],
)
def test_a_refused_file_is_stored_as_a_template_and_phrased_by_the_page(
    agnes: User,
    kind: str,
    name: str,
    content: bytes,
    template: str,
    params: dict[str, Any],
    english_text: str,
) -> None:
    job, page = upload(english(agnes), kind, name, content)
    problem = job.result["problem"]
    assert (problem["template"], problem["params"], problem["source"]) == (template, params, name)
    assert english_text in page, page[page.find("Refused") :][:400]
    assert not ImportRun.objects.exists()


def test_a_geolocation_file_without_siret_is_refused_naming_it(agnes: User, tmp_path: Path) -> None:
    stock = write_sirene(tmp_path / "stock.csv").read_bytes()
    geolocation = SimpleUploadedFile("geo.csv", b"identifiant;x;y;epsg\n10000000100011;928300;6689000;2154\n")
    job, page = upload(
        english(agnes),
        "sirene",
        "StockEtablissement.csv",
        stock,
        **{"sirene-naf": "82.20Z", "sirene-geolocation": geolocation},
    )
    problem = job.result["problem"]
    assert problem["template"] == "required column missing: %(columns)s (is this SIRENE's geolocation file?)"
    assert (problem["params"], problem["row"], problem["column"]) == ({"columns": "siret"}, 1, "siret")
    # The file named as the user gave it, not as the job stored it.
    assert problem["source"] == "geo.csv"
    assert (
        "file geo.csv, line 1, column siret: required column missing: siret "
        "(is this SIRENE&#x27;s geolocation file?)" in page
    )


def test_the_reasons_of_an_import_are_templates_phrased_on_the_imports_page(
    agnes: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = english(agnes)
    sirene_stock = SimpleUploadedFile("StockEtablissement.csv", write_sirene(tmp_path / "s.csv").read_bytes())
    client.post(
        reverse("labour:import_upload", args=["sirene"]),
        {"sirene-file": sirene_stock, "sirene-naf": "82.20Z"},
    )
    region = {**ft_item("27", "D1408", 1200), "codeTypeTerritoire": "REG"}
    ft = SimpleUploadedFile("ft.json", ft_answer([ft_item("25", "D1408", 800), region]))
    client.post(reverse("labour:import_upload", args=["france_travail"]), {"france_travail-file": ft})
    sirene_run = ImportRun.objects.get(kind=ImportKind.SIRENE)
    assert {
        "template": "commune code unknown in France's commune index",
        "params": {},
        "count": 1,
    } in sirene_run.reasons["rejected"]
    ft_run = ImportRun.objects.get(kind=ImportKind.FRANCE_TRAVAIL)
    assert ft_run.reasons["warnings"] == [
        {
            "template": "territory type %(type)s kept but not used for the pool (COM, ZE, DEP are)",
            "params": {"type": "REG"},
            "count": 1,
        }
    ]
    # A run stored before reasons were templates keeps its English text.
    ImportRun.objects.create(
        kind=ImportKind.ZONES,
        sha256="0" * 64,
        file_name="old.zip",
        at=timezone.now(),
        reasons={"skipped": {}, "rejected": {}, "warnings": {"loaded communes absent from the zoning": 7}},
    )
    page = client.get(reverse("labour:imports")).content.decode()
    assert "commune code unknown in France&#x27;s commune index: 1" in page
    assert "territory type REG kept but not used for the pool (COM, ZE, DEP are): 1" in page
    assert "loaded communes absent from the zoning: 7" in page

    # The page asks the catalogue for each template and fills in the values after translating.
    catalogue = {
        "territory type %(type)s kept but not used for the pool (COM, ZE, DEP are)": "type %(type)s gardé",
        "loaded communes absent from the zoning": "communes absentes",
    }
    monkeypatch.setattr(phrasing, "_", lambda text: catalogue.get(text, text))
    page = client.get(reverse("labour:imports")).content.decode()
    assert "type REG gardé: 1" in page and "communes absentes: 7" in page


def test_a_reason_inside_a_reason_is_phrased_first() -> None:
    reasons = {
        "warnings": [
            {
                "template": "geolocation file: %(reason)s",
                "params": {"reason": {"template": "no coordinates for the SIRET", "params": {}}},
                "count": 3,
            }
        ]
    }
    with translation.override("en"):
        assert phrasing.phrase_reasons(reasons) == [
            ("warnings", [("geolocation file: no coordinates for the SIRET", 3)])
        ]
    assert phrasing.phrase_reasons(json.loads(json.dumps(reasons)))[0][1][0][1] == 3
