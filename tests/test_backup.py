"""`guichet backup` and `guichet restore` round-trip the whole database, proven by content digests."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from guichet.sources import cnig


def guichet(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guichet.cli", *args], env=env, capture_output=True, text=True, check=False
    )


def sqlite_env(directory: Path) -> dict[str, str]:
    directory.mkdir(parents=True, exist_ok=True)
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


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty migrated SQLite data folder, copied by each test that restores into it."""
    folder = tmp_path_factory.mktemp("migrated")
    assert guichet(sqlite_env(folder), "manage", "migrate", "-v0").returncode == 0
    return folder


def empty_sqlite(migrated: Path, folder: Path) -> dict[str, str]:
    shutil.copytree(migrated, folder)
    return sqlite_env(folder)


def rewrite(
    source: Path,
    target: Path,
    *,
    manifest_media: dict[str, str] | None = None,
    extra: dict[str, bytes] | None = None,
    data: Any = None,
) -> Path:
    """A copy of a backup with its manifest's media list, extra members or data replaced."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "manifest.json" and manifest_media is not None:
                loaded = json.loads(content)
                loaded["media"] = manifest_media
                content = json.dumps(loaded).encode()
            if item.filename == "data.json" and data is not None:
                content = json.dumps(data(json.loads(content))).encode()
            copy.writestr(item, content)
        for name, content in (extra or {}).items():
            copy.writestr(name, content)
    return target


@pytest.mark.parametrize("name", ["../evil.txt", "/tmp/evil.txt", "a/../../evil.txt", "..\\\\evil.txt"])
def test_a_media_name_leaving_the_media_folder_refuses_the_restore(
    demo_backup: Path, migrated: Path, tmp_path: Path, name: str
) -> None:
    evil = b"owned"
    digest = hashlib.sha256(evil).hexdigest()
    backup = rewrite(
        demo_backup, tmp_path / "evil.zip", manifest_media={name: digest}, extra={f"media/{name}": evil}
    )
    env = empty_sqlite(migrated, tmp_path / "var")
    result = guichet(env, "restore", str(backup))
    assert result.returncode == 2 and "leaves the media folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("evil.txt"))
    assert not Path("/tmp/evil.txt").exists()


def test_a_corrupt_archive_gives_one_clear_line(demo_backup: Path, migrated: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(demo_backup.read_bytes()[: demo_backup.stat().st_size // 2])
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    env = empty_sqlite(migrated, tmp_path / "var")
    for path in (truncated, garbage):
        result = guichet(env, "restore", str(path))
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
        assert "Traceback" not in result.stderr


INTERRUPTED_RESTORE = """
import os, stat, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
import django
django.setup()
from pathlib import Path
from unittest import mock
import guichet.backup as backup

def interrupt(command, fixture, **options):
    folder = Path(fixture).parent
    print("folder", oct(stat.S_IMODE(folder.stat().st_mode)), oct(stat.S_IMODE(Path(fixture).stat().st_mode)))
    print("staged", sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()))
    raise KeyboardInterrupt

with mock.patch.object(backup, "call_command", interrupt):
    try:
        backup.backup_restore(path=Path(sys.argv[1]))
    except KeyboardInterrupt:
        print("interrupted")
"""


def test_an_interrupted_restore_leaves_no_dump_and_no_media(
    demo_backup: Path, migrated: Path, tmp_path: Path
) -> None:
    photo = b"\x89PNG fake photo"
    backup = rewrite(
        demo_backup,
        tmp_path / "with-media.zip",
        manifest_media={"premises/1/photo.png": hashlib.sha256(photo).hexdigest()},
        extra={"media/premises/1/photo.png": photo},
    )
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**empty_sqlite(migrated, tmp_path / "var"), "TMPDIR": str(temporary)}
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_RESTORE, str(backup)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "interrupted" in result.stdout, result.stderr
    assert "folder 0o700 0o600" in result.stdout  # private while it exists
    assert "'media/premises/1/photo.png'" in result.stdout  # staged before the database is touched
    assert list(temporary.iterdir()) == []  # the dump is gone
    assert not (tmp_path / "var" / "media").exists() or not list((tmp_path / "var" / "media").rglob("*.png"))
    assert not list((tmp_path / "var").glob(".restore-*"))


FILL_OTHER_DOORS = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
import django
django.setup()
from django.contrib.auth import authenticate
from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.labour import services as labour
from guichet.territory.models import Commune
admin = User.objects.get(username="admin")
api_token_create(user=admin, name="backup test")
authenticate(None, username="admin", password="a wrong guess")  # a failed sign-in in the trail
labour.contact_centre_create(
    actor=admin, name="Centre témoin", commune=Commune.objects.get(insee="25056"), jobs_low=120, jobs_high=150
)
"""


def fill_through_every_door(env: dict[str, str], folder: Path) -> None:
    """The demo (catalogue through its services, projects, logins), the CNIG imports as jobs from the
    command line, an API token, a failed sign-in, a contact centre recorded by hand."""
    for command in (["manage", "migrate", "-v0"], ["data", "load"], ["demo"]):
        result = guichet(env, *command)
        assert result.returncode == 0, result.stderr
    for kind in (cnig.SITE, cnig.PLOT):
        example = str(cnig.SCHEMA_DIR / kind / "exemple-valide.csv")
        result = guichet(
            env, "catalogue", "import-cnig", "--kind", kind, "--owner", "Grand Besançon Métropole", example
        )
        assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [sys.executable, "-c", FILL_OTHER_DOORS], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def fresh_postgresql(name: str) -> str:
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL run only")
@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
def test_a_database_filled_through_every_door_restores_on_the_other_engine(
    tmp_path: Path, direction: str
) -> None:
    sqlite = sqlite_env(tmp_path / "sqlite")
    postgresql = {**sqlite_env(tmp_path / "pg"), "DATABASE_URL": fresh_postgresql("guichet_backup_source")}
    source, target = (sqlite, postgresql) if direction == "sqlite-to-postgresql" else (postgresql, sqlite)
    if target is postgresql:
        target["DATABASE_URL"] = fresh_postgresql("guichet_backup_target")
    fill_through_every_door(source, tmp_path)
    backup = tmp_path / "source.zip"
    assert guichet(source, "backup", str(backup)).returncode == 0
    assert guichet(target, "manage", "migrate", "-v0").returncode == 0
    restored = guichet(target, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    again = tmp_path / "again.zip"
    assert guichet(target, "backup", str(again)).returncode == 0
    before, after = manifest(backup)["models"], manifest(again)["models"]
    assert before == after
    counts = {label: digest["rows"] for label, digest in before.items()}  # type: ignore[index]
    assert counts["catalogue.site"] == 2 and counts["catalogue.plot"] >= 1  # the demo's park and the CNIG one
    assert counts["jobs.job"] == 2 and counts["api.apitoken"] == 1 and counts["labour.contactcentre"] == 1
    assert counts["audit.auditevent"] > 30


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL run only")
def test_a_value_postgresql_refuses_is_named_by_model_and_field(demo_backup: Path, tmp_path: Path) -> None:
    def oversize(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        premises = next(r for r in records if r["model"] == "catalogue.premises")
        premises["fields"]["parking_spaces"] = (
            2_147_483_648  # SQLite stores it, PostgreSQL's integer does not
        )
        return records

    backup = rewrite(demo_backup, tmp_path / "oversize.zip", data=oversize)
    env = {**sqlite_env(tmp_path), "DATABASE_URL": fresh_postgresql("guichet_restore_test")}
    assert guichet(env, "manage", "migrate", "-v0").returncode == 0
    result = guichet(env, "restore", str(backup))
    assert result.returncode == 2
    assert "catalogue.premises #" in result.stderr and "parking_spaces" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
