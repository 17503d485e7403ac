"""The contact centres the agency records by hand, through the API: the same service as the imports page;
centres imported from SIRENE are not theirs to change."""

from __future__ import annotations

from typing import Any

from guichet.labour.models import CentreOrigin, ContactCentre
from guichet.territory.models import Commune

from .conftest import Api, assert_problem


def test_the_agency_records_changes_and_deletes_a_contact_centre(as_agnes: Api) -> None:
    sirene = ContactCentre.objects.create(
        origin=CentreOrigin.SIRENE, name="Importé", commune=Commune.objects.get(insee="25056")
    )
    created = as_agnes.post(
        "/contact-centres", {"name": "Centre clients Mutuelle de l'Est", "commune": "25056", "jobs_low": 120}
    )
    assert created.status_code == 201
    centre = created.json()
    assert (centre["kind"], centre["jobs_low"], centre["jobs_high"]) == ("in_house", 120.0, 120.0)
    url = f"/contact-centres/{centre['id']}"
    inverted = assert_problem(as_agnes.patch(url, {"jobs_high": 100}), 422)
    assert [e["field"] for e in inverted["errors"]] == ["jobs_high"]
    assert as_agnes.patch(url, {"jobs_high": 150, "commune": "90010"}).json()["commune"] == "90010"
    assert [c["name"] for c in as_agnes.get("/contact-centres").json()["items"]] == [
        "Centre clients Mutuelle de l'Est"
    ]
    assert_problem(as_agnes.patch(f"/contact-centres/{sirene.pk}", {"jobs_low": 1}), 404)
    assert_problem(as_agnes.post("/contact-centres", {"name": "X", "commune": "00000", "jobs_low": 1}), 422)
    assert as_agnes.request("DELETE", url).status_code == 204
    assert not ContactCentre.objects.filter(pk=centre["id"]).exists()
    assert ContactCentre.objects.filter(pk=sirene.pk).exists()


def test_the_agency_loads_an_frr_list_and_a_wrong_row_is_a_422_on_the_file(as_agnes: Api) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guichet.territory.models import CommuneZoning

    def load(content: bytes) -> Any:
        return as_agnes.multipart(
            "/zoning-lists/frr",
            {
                "file": SimpleUploadedFile("frr.csv", content, content_type="text/csv"),
                "source": "Observatoire des territoires",
                "vintage": "2025-07",
                "departements": "39, 70",
            },
        )

    loaded = load(b"insee;category\n39198;frr\n70550;frr_plus\n")
    assert loaded.status_code == 200
    assert loaded.json() == {
        "kind": "frr",
        "source": "Observatoire des territoires",
        "vintage": "2025-07",
        "departements": ["39", "70"],
        "rows": 2,
    }
    body = assert_problem(load(b"insee;category\n39198;frr\n70550;zrr\n"), 422)
    assert [e["field"] for e in body["errors"]] == ["file"]
    assert "row 3, column category" in body["errors"][0]["message"]
    assert CommuneZoning.objects.filter(kind="frr").count() == 2  # nothing written
