"""Zonings on a premises' labour page ("not known" until a list is loaded), and the AFR / FRR upload on the
agency's imports page: the command line's service, one transaction, the wrong row and column named."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.catalogue.models import Premises
from guichet.territory.models import CommuneZoning, ZoningList

from .test_pages import besancon_premises, english, panel_url

pytestmark = pytest.mark.django_db
__all__ = ["besancon_premises"]  # the fixture, imported for this module's tests


def _upload(client: Client, content: bytes, *, kind: str = "afr", departements: str = "25, 90") -> str:
    response = client.post(
        reverse("labour:zoning_upload"),
        {
            "zoning-kind": kind,
            "zoning-file": SimpleUploadedFile("afr.csv", content, content_type="text/csv"),
            "zoning-source": "décret n° 2022-968, annexe",
            "zoning-vintage": "2022-2027",
            "zoning-departements": departements,
        },
    )
    return response.content.decode() if response.status_code == 200 else response["Location"]


def _afr_row(page: str) -> str:
    return page.split('data-zoning="afr"', 1)[1].split("</tr>", 1)[0]


def test_the_labour_page_shows_the_zonings_and_not_known_without_a_list(
    besancon_premises: Premises, agnes: User
) -> None:
    page = english().get(panel_url(besancon_premises)).content.decode()
    assert "Zonings and the aid they open" in page
    assert 'data-status="not_known"' in _afr_row(page)
    assert "The list has not been loaded: ask the agency." in _afr_row(page)
    assert _upload(english(agnes), b"insee;zone\n25056;c_predefined\n") == reverse("labour:imports")
    page = english().get(panel_url(besancon_premises)).content.decode()
    row = _afr_row(page)
    assert 'data-status="in"' in row and "In a predefined 'c' zone" in row
    assert "Regional investment aid (GBER art. 14)" in row
    assert "décret n° 2022-968, annexe — 2022-2027" in row
    # FRR is still not loaded: not known
    frr = page.split('data-zoning="frr"', 1)[1].split("</tr>", 1)[0]
    assert 'data-status="not_known"' in frr


def test_the_agency_uploads_an_afr_list_and_a_wrong_row_writes_nothing(agnes: User, alice: User) -> None:
    client = english(agnes)
    assert _upload(
        client, b"insee;zone;partial\n25056;c_predefined;\n39478;pr\xc3\xa9d\xc3\xa9finie;P\n"
    ) == (reverse("labour:imports"))
    afr = ZoningList.objects.get(kind="afr")
    assert (afr.rows, afr.departements, afr.vintage) == (2, "25|90", "2022-2027")
    assert CommuneZoning.objects.get(kind="afr", insee="39478").partial is True
    page = client.get(reverse("labour:imports")).content.decode()
    assert "AFR — décret n° 2022-968, annexe, 2022-2027 (2 communes, départements 25|90)" in page
    # A wrong zone on row 3: refused whole, the row and column named, the previous list kept.
    page = _upload(client, b"insee;zone\n90010;c_predefined\n25056;zone b\n")
    assert "row 3, column zone: c_predefined or c_non_predefined" in page
    assert set(CommuneZoning.objects.filter(kind="afr").values_list("insee", flat=True)) == {"25056", "39478"}
    # A wrong département code is a form error too.
    assert "is not a département code" in _upload(
        client, b"insee;zone\n90010;c_predefined\n", departements="x-1"
    )
    # An authority's officer may not upload.
    response = english(alice).post(reverse("labour:zoning_upload"), {})
    assert response.status_code in (302, 403)
    assert ZoningList.objects.get(kind="afr").rows == 2
