"""Background jobs: the CNIG import runs as a job whose page shows progress, then the result or every
refused cell; only its owner sees it; the database queue and its worker run it outside the request."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Site
from guichet.jobs.models import Job, JobStatus
from guichet.jobs.services import job_submit
from guichet.sources import cnig

pytestmark = pytest.mark.django_db
EXAMPLE = (cnig.SCHEMA_DIR / cnig.SITE / "exemple-valide.csv").read_bytes()


def upload(client: Client, content: bytes, owner: Authority) -> Any:
    return client.post(
        "/space/cnig/import/",
        {"kind": cnig.SITE, "owner": owner.pk, "file": SimpleUploadedFile("sites.csv", content, "text/csv")},
    )


def test_an_upload_becomes_a_job_whose_page_shows_the_counts(
    client: Client, alice: User, grand_besancon: Authority
) -> None:
    client.force_login(alice)
    response = upload(client, EXAMPLE, grand_besancon)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.public_id}/"
    assert (job.owner, job.status, job.kind) == (alice, JobStatus.SUCCEEDED, "catalogue.cnig_import")
    assert {k: job.result[k] for k in ("rows_read", "kept", "created", "refused")} == {
        "rows_read": 1,
        "kept": 1,
        "created": 1,
        "refused": 0,
    }
    assert Site.objects.get().owner == grand_besancon
    assert job.input_path == "" and not list(Path(job_dir()).glob(f"{job.pk}-*"))
    page = client.get(f"/jobs/{job.public_id}/").content.decode()
    assert "jobs.js" not in page  # a finished job is not polled


def job_dir() -> str:
    from django.conf import settings

    return str(settings.GUICHET_JOB_DIR)


def test_a_refused_file_lists_each_wrong_cell_by_row_and_column(
    client: Client, alice: User, grand_besancon: Authority
) -> None:
    client.force_login(alice)
    header, row = EXAMPLE.decode().rstrip("\r\n").split("\r\n")
    bad = "\r\n".join([header, row.replace(";37.2;", ";1e308;").replace(";35.3;", ";-5;")]).encode()
    upload(client, bad, grand_besancon)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert {(c["row"], c["column"]) for c in job.result["refused"]} == {
        (2, "site_surf_brute"),
        (2, "site_surf_utile"),
    }
    page = client.get(f"/jobs/{job.public_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "site_surf_brute" in page and "site_surf_utile" in page
    assert not Site.objects.exists()


def test_a_job_is_seen_by_who_started_it_and_the_agency_only(
    client: Client, alice: User, bob: User, agnes: User, grand_besancon: Authority
) -> None:
    job = job_submit(owner=alice, kind="catalogue.cnig_import", label="x", params={}, enqueue=False)
    bobs = job_submit(owner=bob, kind="catalogue.cnig_import", label="y", params={}, enqueue=False)
    # Bob, officer of another authority, is told Alice's job does not exist, and she is told so of his.
    client.force_login(bob)
    assert client.get(f"/jobs/{job.public_id}/").status_code == 404
    assert client.get(f"/jobs/{job.public_id}/status.json").status_code == 404
    assert client.get(f"/jobs/{bobs.public_id}/").status_code == 200
    client.force_login(alice)
    assert client.get(f"/jobs/{bobs.public_id}/").status_code == 404
    status = client.get(f"/jobs/{job.public_id}/status.json").json()
    assert (status["id"], status["status"], status["finished"]) == (str(job.public_id), "queued", False)
    page = client.get(f"/jobs/{job.public_id}/").content.decode()
    assert f'data-job-status-url="/jobs/{job.public_id}/status.json"' in page and "jobs/jobs.js" in page
    assert "<script>" not in page  # the content security policy allows no inline script
    # Her list holds her job only.
    listing = client.get("/jobs/").content.decode()
    assert f"/jobs/{job.public_id}/" in listing and f"/jobs/{bobs.public_id}/" not in listing
    # The agency follows every authority's imports.
    client.force_login(agnes)
    assert client.get(f"/jobs/{job.public_id}/").status_code == 200
    assert client.get(f"/jobs/{bobs.public_id}/status.json").status_code == 200


def test_job_urls_carry_a_random_id_not_the_sequential_one(
    client: Client, alice: User, grand_besancon: Authority
) -> None:
    first = job_submit(owner=alice, kind="catalogue.cnig_import", label="x", params={}, enqueue=False)
    second = job_submit(owner=alice, kind="catalogue.cnig_import", label="y", params={}, enqueue=False)
    assert first.public_id != second.public_id
    client.force_login(alice)
    assert client.get(f"/jobs/{first.pk}/").status_code == 404
    assert client.get(f"/jobs/{first.pk}/status.json").status_code == 404
    assert client.get(f"/jobs/{first.public_id}/").status_code == 200


def test_the_database_queue_keeps_the_job_until_the_worker_runs_it(
    settings: Any, alice: User, grand_besancon: Authority
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = job_submit(
        owner=alice,
        kind="catalogue.cnig_import",
        label="sites",
        params={"kind": cnig.SITE, "owner_id": grand_besancon.pk, "file_name": "sites.csv"},
        content=EXAMPLE,
        suffix=".csv",
    )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id
    stored = Path(job.input_path)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert not Site.objects.exists()
    # The worker closes old connections between tasks; the test's connection holds its transaction.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["created"] == 1
    assert Site.objects.count() == 1 and not stored.exists()


def test_the_command_line_import_runs_the_same_job(tmp_path: Path, grand_besancon: Authority) -> None:
    from guichet.cli import main

    User.objects.create_superuser("root", "root@example.org", "a long passphrase")
    path = tmp_path / "sites.csv"
    path.write_bytes(EXAMPLE)
    assert (
        main(["catalogue", "import-cnig", "--kind", cnig.SITE, "--owner", grand_besancon.name, str(path)])
        == 0
    )
    job = Job.objects.get()
    assert (job.status, job.result["created"], job.owner.username) == (JobStatus.SUCCEEDED, 1, "root")


def test_a_file_above_the_upload_limit_is_refused_with_both_sizes(
    client: Client, alice: User, grand_besancon: Authority, settings: Any
) -> None:
    settings.GUICHET_UPLOAD_LIMITS = {**settings.GUICHET_UPLOAD_LIMITS, "cnig": 1}
    client.force_login(alice)
    big = EXAMPLE + b"x" * (2 * 1024 * 1024)
    response = client.post(
        "/space/cnig/import/",
        {
            "kind": cnig.SITE,
            "owner": grand_besancon.pk,
            "file": SimpleUploadedFile("big.csv", big, "text/csv"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == ["This file is 2.0\xa0MB; the limit for this import is 1.0\xa0MB."]
    assert not Job.objects.exists()


def test_refused_cells_are_phrased_in_the_language_of_who_reads_the_page(
    client: Client, alice: User, grand_besancon: Authority
) -> None:
    """The job runs in Alice's French; the cells are stored as English templates with their values and
    each page phrases them in its own reader's language (Django's French catalogue has these)."""
    client.force_login(alice)
    header, row = EXAMPLE.decode().rstrip("\r\n").split("\r\n")
    bad = "\r\n".join([header, row.replace(";35.3;", ";-5;")]).encode()
    upload(client, bad, grand_besancon)
    job = Job.objects.get()
    [cell] = job.result["refused"]
    assert (cell["row"], cell["column"], cell["params"]["limit_value"]) == (2, "site_surf_utile", 0)
    assert "%(limit_value)s" in cell["template"]
    english = client.get(f"/jobs/{job.public_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ensure this value is greater than or equal to 0." in english
    assert "The file has 1 wrong cells" in english
    french = client.get(f"/jobs/{job.public_id}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in french
    assert "Ensure this value" not in french


def test_a_cell_the_schema_refuses_is_a_template_with_its_values() -> None:
    header, row = EXAMPLE.decode().rstrip("\r\n").split("\r\n")
    bad = "\r\n".join([header, row.replace(";37.2;", ";beaucoup;")]).encode()
    with pytest.raises(cnig.CnigFormatError) as caught:
        cnig.read_table(cnig.SITE, bad)
    [error] = caught.value.errors
    assert (error.row, error.column, dict(error.params)) == (
        2,
        "site_surf_brute",
        {"cell": "beaucoup", "type": "number"},
    )
    assert error.message == "'beaucoup' is not a number"
    from guichet.phrasing.jobs import phrase

    with translation.override("fr"):
        assert phrase(error.template, error.params) == "'beaucoup' n’est pas un nombre"
