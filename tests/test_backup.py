"""`guichet backup` and `guichet restore` round-trip the whole database, proven by content digests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


def guichet(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guichet.cli", *args], env=env, capture_output=True, text=True, check=False
    )


def sqlite_env(directory: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GUICHET_VAR_DIR"] = str(directory)
    return env


def manifest(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    env = sqlite_env(source)
    for command in (["manage", "migrate", "-v0"], ["data", "load"], ["demo"]):
        assert guichet(env, *command).returncode == 0
    path = source / "backup.zip"
    result = guichet(env, "backup", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_a_backup_restores_into_an_empty_database_with_identical_digests(
    demo_backup: Path, tmp_path: Path
) -> None:
    env = sqlite_env(tmp_path)
    assert guichet(env, "manage", "migrate", "-v0").returncode == 0
    restored = guichet(env, "restore", str(demo_backup))
    assert restored.returncode == 0, restored.stderr
    again = tmp_path / "again.zip"
    assert guichet(env, "backup", str(again)).returncode == 0
    before, after = manifest(demo_backup)["models"], manifest(again)["models"]
    assert before == after
    assert before["territory.commune"]["rows"] == 1692  # type: ignore[index]
    assert before["catalogue.premises"]["rows"] == 26  # type: ignore[index]


def test_restore_refuses_a_database_that_is_not_empty(demo_backup: Path, tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    guichet(env, "manage", "migrate", "-v0")
    guichet(env, "data", "load")
    result = guichet(env, "restore", str(demo_backup))
    assert result.returncode == 2 and "not empty" in result.stderr


def test_a_tampered_backup_is_refused_and_leaves_nothing(demo_backup: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(demo_backup) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "data.json":
                records = json.loads(content)
                commune = next(r for r in records if r["model"] == "territory.commune")
                commune["fields"]["population"] += 1
                content = json.dumps(records).encode("utf-8")
            target.writestr(item, content)
    env = sqlite_env(tmp_path)
    guichet(env, "manage", "migrate", "-v0")
    result = guichet(env, "restore", str(tampered))
    assert result.returncode == 2 and "territory.commune" in result.stderr
    count = "from guichet.territory.models import Commune; print(Commune.objects.count())"
    check = guichet(env, "manage", "shell", "-c", count)
    assert check.stdout.strip().splitlines()[-1] == "0"


ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL run only")
def test_a_sqlite_backup_restores_into_postgresql(demo_backup: Path, tmp_path: Path) -> None:
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS guichet_restore_test")
        connection.execute("CREATE DATABASE guichet_restore_test")
    env = {**sqlite_env(tmp_path), "DATABASE_URL": f"{base}/guichet_restore_test"}
    assert guichet(env, "manage", "migrate", "-v0").returncode == 0
    result = guichet(env, "restore", str(demo_backup))
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.zip"
    assert guichet(env, "backup", str(again)).returncode == 0
    assert manifest(again)["models"] == manifest(demo_backup)["models"]


@pytest.mark.django_db
def test_digests_compare_at_the_millisecond_a_backup_keeps() -> None:
    import datetime as dt
    from unittest import mock

    from django.db import transaction

    from guichet.audit.models import AuditEvent
    from guichet.backup import model_digest

    def digest_with_event_at(moment: dt.datetime) -> tuple[int, str]:
        # The trail is append-only: each variant is written in a transaction rolled back afterwards.
        with transaction.atomic():
            with mock.patch("django.utils.timezone.now", return_value=moment):
                AuditEvent.objects.bulk_create(
                    [AuditEvent(pk=999, action="test", object_type="x", object_id="1")]
                )
            digest = model_digest(AuditEvent)
            transaction.set_rollback(True)
        return digest

    moment = dt.datetime(2026, 11, 26, 11, 5, 1, 400, tzinfo=dt.UTC)
    kept = digest_with_event_at(moment)
    # What a restore reads back: the sub-millisecond part is gone.
    assert digest_with_event_at(moment.replace(microsecond=0)) == kept
    assert digest_with_event_at(moment.replace(microsecond=2000)) != kept
