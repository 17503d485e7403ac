"""`guichet backup` and `guichet restore` round-trip the whole database, signed, proven by content
digests and by the audit chain; a rewritten backup is refused; a stopped restore leaves nothing readable."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import signal
import stat
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


# The platform's signing key, the same for every data folder of these tests (each would otherwise make its
# own development key): a backup made in one folder restores in another, as between two servers.
PLATFORM_SEED = bytes(range(32))
PLATFORM_KEY = base64.b64encode(PLATFORM_SEED).decode()


def sqlite_env(directory: Path) -> dict[str, str]:
    directory.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GUICHET_SIGNING_KEY"}}
    env["GUICHET_VAR_DIR"] = str(directory)
    env["GUICHET_SIGNING_KEY"] = PLATFORM_KEY
    return env


def signature_of(manifest_bytes: bytes, seed: bytes = PLATFORM_SEED) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from guichet.audit.signing import key_id_of

    key = Ed25519PrivateKey.from_private_bytes(seed)
    signature = base64.b64encode(key.sign(manifest_bytes)).decode()
    return json.dumps(
        {"algorithm": "Ed25519", "key_id": key_id_of(key.public_key()), "signature": signature}
    ).encode()


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
    assert result.returncode == 2 and "data.json is not the one the manifest describes" in result.stderr
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
    """A copy of a backup with its manifest's media list, extra members or data replaced, signed again with
    the platform's key (these tests reach the checks behind the signature)."""
    with zipfile.ZipFile(source) as original:
        members = {item.filename: original.read(item.filename) for item in original.infolist()}
    if data is not None:
        members["data.json"] = json.dumps(data(json.loads(members["data.json"]))).encode()
    loaded = json.loads(members["manifest.json"])
    if manifest_media is not None:
        loaded["media"] = manifest_media
    loaded["data_sha256"] = hashlib.sha256(members["data.json"]).hexdigest()
    members["manifest.json"] = json.dumps(loaded).encode()
    members["manifest.sig"] = signature_of(members["manifest.json"])
    with zipfile.ZipFile(target, "w") as copy:
        for name, content in members.items():
            copy.writestr(name, content)
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


STOPPED_RESTORE = """
import os, stat, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
import django
django.setup()
from pathlib import Path
from unittest import mock
import guichet.backup as backup
from guichet.commands.backup import _interrupted
import signal

def stop(fixture):
    [folder] = [p for p in backup.restore_folders().iterdir()]
    print("folder", oct(stat.S_IMODE(backup.restore_folders().stat().st_mode)),
          oct(stat.S_IMODE(folder.stat().st_mode)), flush=True)
    print("staged", sorted((str(p.relative_to(folder)), oct(stat.S_IMODE(p.stat().st_mode)))
                           for p in folder.rglob("*") if p.is_file()), flush=True)
    print("loading", len(fixture), flush=True)
    if sys.argv[2] == "interrupt":
        raise KeyboardInterrupt
    time.sleep(60)  # stopped from outside meanwhile

signal.signal(signal.SIGTERM, _interrupted)
with mock.patch.object(backup, "_load", stop):
    try:
        backup.backup_restore(path=Path(sys.argv[1]))
    except KeyboardInterrupt:
        print("interrupted", flush=True)
"""


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def with_media(demo_backup: Path, tmp_path: Path) -> Path:
    photo = b"\x89PNG fake photo"
    return rewrite(
        demo_backup,
        tmp_path / "with-media.zip",
        manifest_media={"premises/1/photo.png": hashlib.sha256(photo).hexdigest()},
        extra={"media/premises/1/photo.png": photo},
    )


@pytest.mark.parametrize("stop", ["interrupt", "SIGTERM"])
def test_an_interrupted_restore_leaves_no_dump_and_no_media(
    with_media: Path, migrated: Path, tmp_path: Path, stop: str
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    var = tmp_path / "var"
    env = {**empty_sqlite(migrated, var), "TMPDIR": str(temporary)}
    process = subprocess.Popen(
        [sys.executable, "-c", STOPPED_RESTORE, str(with_media), stop],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(3)]
    if stop == "SIGTERM":
        process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    output = "".join(lines) + out
    assert "interrupted" in output, err
    assert "folder 0o700 0o700" in output  # the data folder's restore area and this restore's folder
    # Media staged before the database is touched, readable by its owner only; the dump is not on disk.
    assert "('media/premises/1/photo.png', '0o600')" in output and "data.json" not in output
    assert list(temporary.iterdir()) == []
    assert not list((var / "restore").iterdir())  # removed on the way out
    assert not (var / "media").exists() or not list((var / "media").rglob("*.png"))


def test_a_killed_restore_leaves_nothing_readable_and_the_next_start_removes_it(
    with_media: Path, migrated: Path, tmp_path: Path
) -> None:
    """SIGKILL runs no code: what the restore left is private, holds no dump, and goes at the next start."""
    var = tmp_path / "var"
    env = empty_sqlite(migrated, var)
    process = subprocess.Popen(
        [sys.executable, "-c", STOPPED_RESTORE, str(with_media), "kill"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for _ in range(3):
        process.stdout.readline()
    process.kill()
    process.communicate(timeout=60)
    [left] = list((var / "restore").iterdir())
    assert stat.S_IMODE(left.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files_under(left))
    assert sorted(p.name for p in files_under(left)) == [".lock", "photo.png"]  # no dump
    assert not any(p.name == "data.json" for p in files_under(tmp_path))
    start = subprocess.run(
        [sys.executable, "-c", "import guichet.web.wsgi"],
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert start.returncode == 0, start.stderr
    assert list((var / "restore").iterdir()) == []


def test_a_backup_is_private_and_signed(demo_backup: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from guichet.audit.signing import key_id_of, signature_holds

    assert stat.S_IMODE(demo_backup.stat().st_mode) == 0o600
    with zipfile.ZipFile(demo_backup) as archive:
        raw = archive.read("manifest.json")
        signature = json.loads(archive.read("manifest.sig"))
        data = archive.read("data.json")
    public = Ed25519PrivateKey.from_private_bytes(PLATFORM_SEED).public_key()
    key_id = key_id_of(public)
    assert signature["key_id"] == key_id
    assert signature_holds(raw, key_id=key_id, signature=signature["signature"], keys={key_id: public})
    loaded = json.loads(raw)
    assert loaded["format"] == 2 and loaded["data_sha256"] == hashlib.sha256(data).hexdigest()
    assert loaded["chain"]["length"] == loaded["models"]["audit.chainentry"]["rows"] > 0


ATTACKER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
import django
django.setup()
from django.db import connection, transaction
from guichet.audit.chain import chain_sign, entry_digest, event_content_digest
from guichet.audit.models import AuditEvent, ChainEntry

# Mallory rewrites an event, recomputes its entry and every entry after it, and signs a new head log with
# her own key (the platform's she does not have).
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
    for (name,) in cursor.fetchall():
        cursor.execute(f'DROP TRIGGER "{name}"')
    event = AuditEvent.objects.order_by("pk").first()
    cursor.execute("UPDATE audit_auditevent SET summary = 'rewritten' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    chained = ChainEntry.objects.get(record_type="audit.auditevent", record_id=str(event.pk))
    start = chained.position
    previous = ChainEntry.objects.get(position=start - 1).sha256 if start > 1 else "0" * 64
    fields = ("id", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "summary",
              "details")
    for entry in ChainEntry.objects.filter(position__gte=start).order_by("position"):
        content = entry.content_sha256
        if entry.position == start:
            content = event_content_digest(**{n: getattr(event, n) for n in fields})
        digest = entry_digest(position=entry.position, previous_sha256=previous,
                              record_type=entry.record_type, record_id=entry.record_id,
                              content_sha256=content)
        cursor.execute("UPDATE audit_chainentry SET content_sha256 = %s, previous_sha256 = %s, sha256 = %s "
                       "WHERE position = %s", [content, previous, digest, entry.position])
        previous = digest
    cursor.execute("UPDATE audit_chainhead SET sha256 = %s", [previous])
    cursor.execute("DELETE FROM audit_signedhead")
chain_sign()
"""


def test_a_backup_rewritten_content_and_manifest_alike_is_refused(
    demo_backup: Path, migrated: Path, tmp_path: Path
) -> None:
    """Mallory restores a backup, rewrites the trail with its chain, and backs it up with a manifest of
    her own: the signature gives her away, and without it the chain's signed heads do."""
    mallory_seed = bytes(range(100, 132))
    mallory = {
        **empty_sqlite(migrated, tmp_path / "mallory"),
        "GUICHET_SIGNING_KEY": base64.b64encode(mallory_seed).decode(),
    }
    platform_public = tmp_path / "platform.pem"
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from guichet.audit.signing import public_pem

    platform_public.write_text(public_pem(Ed25519PrivateKey.from_private_bytes(PLATFORM_SEED).public_key()))
    mallory["GUICHET_TRUSTED_PUBLIC_KEYS"] = str(platform_public)  # she can read a genuine backup
    assert guichet(mallory, "restore", str(demo_backup)).returncode == 0
    forged = subprocess.run(
        [sys.executable, "-c", ATTACKER], env=mallory, capture_output=True, text=True, check=False
    )
    assert forged.returncode == 0, forged.stderr
    rewritten = tmp_path / "rewritten.zip"
    assert guichet(mallory, "backup", str(rewritten)).returncode == 0
    assert guichet(mallory, "audit", "verify").returncode == 0  # consistent, by her own key

    env = empty_sqlite(migrated, tmp_path / "var")
    refused = guichet(env, "restore", str(rewritten))
    assert refused.returncode == 2 and "the manifest's signature does not verify" in refused.stderr
    with zipfile.ZipFile(rewritten) as archive:
        members = {name: archive.read(name) for name in archive.namelist() if name != "manifest.sig"}
    unsigned = tmp_path / "unsigned.zip"
    with zipfile.ZipFile(unsigned, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    refused = guichet(env, "restore", str(unsigned))
    assert refused.returncode == 2 and "the backup is not signed: refused" in refused.stderr
    refused = guichet(env, "restore", "--accept-unsigned", str(unsigned))
    assert refused.returncode == 2
    assert "the audit chain does not hold in this backup: signed head #" in refused.stderr
    assert "which is not a trusted key" in refused.stderr
    count = "from guichet.audit.models import AuditEvent; print(AuditEvent.objects.count())"
    assert guichet(env, "manage", "shell", "-c", count).stdout.strip().splitlines()[-1] == "0"


def test_an_old_unsigned_backup_restores_only_when_asked_and_gets_its_chain(
    demo_backup: Path, migrated: Path, tmp_path: Path
) -> None:
    """A backup made before signatures and before the chain: format 1, no signature, no chain tables."""
    with zipfile.ZipFile(demo_backup) as archive:
        records = [
            r
            for r in json.loads(archive.read("data.json"))
            if not r["model"].startswith("audit.") or r["model"] == "audit.auditevent"
        ]
        manifest = json.loads(archive.read("manifest.json"))
    for label in ("audit.chainentry", "audit.chainhead", "audit.signedhead"):
        del manifest["models"][label]
    manifest["format"] = 1
    for key in ("data_sha256", "chain"):
        del manifest[key]
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(old, "w") as archive:
        archive.writestr("data.json", json.dumps(records))
        archive.writestr("manifest.json", json.dumps(manifest))
    env = empty_sqlite(migrated, tmp_path / "var")
    refused = guichet(env, "restore", str(old))
    assert refused.returncode == 2 and "--accept-unsigned" in refused.stderr
    restored = guichet(env, "restore", "--accept-unsigned", str(old))
    assert restored.returncode == 0, restored.stderr
    assert "NOT SIGNED" in restored.stderr
    verified = guichet(env, "audit", "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("valid: "), verified.stdout


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
