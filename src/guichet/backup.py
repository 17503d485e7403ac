"""Whole-database backup and restore, portable between SQLite and PostgreSQL, signed and checked.

A backup is a zip holding `data.json` (Django's serialisation of every model, read in one snapshot), the
uploaded media files, `manifest.json` (one SHA-256 digest per model over its rows in primary-key order, the
digest of data.json and of each media file, the audit chain's head) and `manifest.sig`, the manifest's
Ed25519 signature by the platform's key (guichet.audit.signing). The archive is written with mode 0600.

A restore refuses an archive whose signature does not verify, and an unsigned one (a backup made before
signatures) unless asked explicitly (`accept_unsigned`, `guichet restore --accept-unsigned`), which it
then says loudly. It loads the data into a migrated, empty database in one transaction, copies the media
back, recomputes the digests and verifies the whole audit chain with its signed heads: any difference
aborts the restore and nothing stays loaded. So a backup whose content and manifest were both rewritten is
refused twice: by the manifest's signature, and by the chain's signed heads, which nobody can re-sign
without the key.

The dump is never written to disk: it goes from the archive to the database through memory. Media files
are staged in a private folder of the data folder (`GUICHET_VAR_DIR/restore/<random>`, mode 0700, files
0600), removed on every exit path; a restore killed outright (SIGKILL) leaves that folder, unreadable to
others, and the next restore or server start removes it (`restore_folders_cleanup`).

For large PostgreSQL databases `pg_dump -Fc` / `pg_restore` are faster (see the README); this format is
the one that round-trips between database engines and proves, model by model, that nothing was lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Model

FORMAT_VERSION = 2
UNSIGNED_FORMATS = (1,)  # backups made before signed manifests: restored only when asked explicitly
SIGNATURE_MEMBER = "manifest.sig"
RESTORE_FOLDER = "restore"
_EMPTY_MILLISECONDS = re.compile(r"(T\d{2}:\d{2}:\d{2})\.000(?=Z|[+-]\d{2}:\d{2}|\")")
# Derived and volatile tables are rebuilt by Django itself.
SKIPPED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}


class BackupError(RuntimeError):
    """A backup that cannot be restored, said in one line."""


def _models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in SKIPPED_MODELS and model._meta.managed and not model._meta.proxy
    ]


def model_digest(model: type[Model]) -> tuple[int, str]:
    """(rows, SHA-256) over the model's rows serialised in primary-key order."""
    digest = hashlib.sha256()
    count = 0
    for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000):
        text = serializers.serialize("json", [obj], use_natural_foreign_keys=True)
        # Django's JSON keeps milliseconds: 12:00:01.000400 is written 12:00:01.000 and read back as
        # 12:00:01, written without a fraction. Compare at the precision a backup keeps.
        text = _EMPTY_MILLISECONDS.sub(r"\1", text)
        record = json.loads(text)[0]
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        count += 1
    return count, digest.hexdigest()


def database_digests() -> dict[str, dict[str, Any]]:
    return {
        model._meta.label_lower: dict(zip(("rows", "sha256"), model_digest(model), strict=True))
        for model in _models()
    }


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    models: int
    rows: int
    media_files: int
    signed: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.rows} rows in {self.models} tables, {self.media_files} media files"


@contextlib.contextmanager
def _one_snapshot() -> Iterator[None]:
    """Every table read as of one moment, while the site keeps running: a repeatable-read, read-only
    transaction on PostgreSQL; SQLite's transaction holds its write lock, so nothing changes meanwhile."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _chain_head() -> dict[str, Any]:
    from guichet.audit.models import ChainHead

    head = ChainHead.objects.filter(pk=1).first()
    return {"length": head.length, "sha256": head.sha256} if head else {"length": 0, "sha256": None}


def _signature(manifest: bytes) -> bytes:
    from guichet.audit.signing import ALGORITHM, sign

    key_id, signature = sign(manifest)
    return json.dumps({"algorithm": ALGORITHM, "key_id": key_id, "signature": signature}).encode("utf-8")


def _private_file(path: Path) -> Any:
    """A new file beside `path`, mode 0600 whatever the umask, moved over `path` once complete."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "w+b"), Path(temporary)


def backup_create(*, path: Path) -> BackupSummary:
    from guichet.audit.chain import chain_sign
    from guichet.audit.models import HeadReason

    chain_sign(reason=HeadReason.BACKUP, unless_signed=True)  # the backup's head is in the head log too
    labels = [model._meta.label for model in _models()]
    data = io.StringIO()
    with _one_snapshot():
        call_command(
            "dumpdata", *labels, format="json", indent=None, stdout=data, use_natural_foreign_keys=True
        )
        digests = database_digests()
        chain = _chain_head()
    dump = data.getvalue().encode("utf-8")
    media_root = Path(settings.MEDIA_ROOT)
    media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
    manifest = {
        "format": FORMAT_VERSION,
        "database_vendor": connection.vendor,
        "models": digests,
        "data_sha256": hashlib.sha256(dump).hexdigest(),
        "chain": chain,
        "media": {str(p.relative_to(media_root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in media},
    }
    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
    handle, temporary = _private_file(path)
    try:
        with handle, zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", dump)
            archive.writestr("manifest.json", manifest_bytes)
            archive.writestr(SIGNATURE_MEMBER, _signature(manifest_bytes))
            for file in media:
                archive.write(file, f"media/{file.relative_to(media_root)}")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return BackupSummary(path, len(digests), sum(d["rows"] for d in digests.values()), len(media))


def _media_name(name: Any) -> str:
    """A media file's name from a manifest, refused unless it stays inside MEDIA_ROOT."""
    text = str(name)
    parts = PurePosixPath(text).parts
    if (
        not text
        or "\\" in text
        or "\x00" in text
        or text.startswith("/")
        or PureWindowsPath(text).drive
        or any(part in {"..", "."} for part in parts)
    ):
        raise BackupError(f"media file name {text[:100]!r} leaves the media folder: the backup is refused")
    return "/".join(parts)


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise BackupError(f"{name} is missing from the backup") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise BackupError(f"{name} is corrupt in the backup ({error})") from None


def _refusal(error: Exception, fixture: str) -> BackupError:
    """One line naming the model, the record and, when its validators can tell, the field that the target
    database refused (a value SQLite stored but PostgreSQL's types do not hold, a broken reference...)."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    found = re.search(r"Could not load (?P<label>[\w.]+)\(pk=(?P<pk>[^)]*)\)", message)
    if found is None:
        return BackupError(f"the target database refused the data: {message}")
    label, pk = found["label"], found["pk"]
    database_message = message[found.end() :].lstrip(": ")
    fields = []
    try:
        for item in serializers.deserialize(
            "json", fixture, ignorenonexistent=True, handle_forward_references=True
        ):
            obj = item.object
            if obj._meta.label == label and str(obj.pk) == pk:
                related = [f.name for f in obj._meta.concrete_fields if f.is_relation]
                try:
                    obj.clean_fields(exclude=related)
                except ValidationError as invalid:
                    fields = [f"{name}: {' '.join(texts)}" for name, texts in invalid.message_dict.items()]
                break
    except Exception:  # the diagnosis is a courtesy; the refusal stands without it
        fields = []
    where = f"{label.lower()} #{pk}"
    detail = "; ".join(fields) if fields else database_message
    return BackupError(f"the target database refused {where}: {detail} ({type(error).__name__})")


def restore_folders() -> Path:
    return Path(settings.GUICHET_VAR_DIR) / RESTORE_FOLDER


def restore_folders_cleanup() -> int:
    """Remove what restores killed outright left behind (their folder's lock is free once the process is
    gone); a restore still running holds its lock and is left alone. Returns how many were removed."""
    root = restore_folders()
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        lock = folder / ".lock"
        try:
            descriptor = os.open(lock, os.O_RDONLY)
        except FileNotFoundError:
            descriptor = None
        except OSError:
            continue
        try:
            if descriptor is not None:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a restore in progress
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        finally:
            if descriptor is not None:
                os.close(descriptor)
    return removed


@contextlib.contextmanager
def _private_folder() -> Iterator[Path]:
    """A folder of this restore's own, inside the data folder: mode 0700 (its parent too), locked while
    the restore runs, removed on every exit path that runs code."""
    root = restore_folders()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    folder = root / secrets.token_hex(8)
    folder.mkdir(mode=0o700)
    descriptor = os.open(folder / ".lock", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(descriptor)


def _write_private(path: Path, content: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def _manifest(archive: zipfile.ZipFile, path: Path, *, accept_unsigned: bool) -> tuple[dict[str, Any], bool]:
    """(manifest, signed): the manifest once its signature verified, or unsigned when asked explicitly."""
    from guichet.audit.signing import signature_holds

    names = set(archive.namelist())
    if not {"data.json", "manifest.json"} <= names:
        raise BackupError(f"{path}: data.json or manifest.json is missing")
    raw = _read_member(archive, "manifest.json")
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        raise BackupError(f"{path}: manifest.json is not JSON ({error})") from None
    found = manifest.get("format") if isinstance(manifest, dict) else None
    if found not in (FORMAT_VERSION, *UNSIGNED_FORMATS):
        raise BackupError(f"{path}: backup format {found!r}, expected {FORMAT_VERSION}")
    if SIGNATURE_MEMBER in names:
        try:
            signature = json.loads(_read_member(archive, SIGNATURE_MEMBER))
            key_id, value = str(signature["key_id"]), str(signature["signature"])
        except (ValueError, KeyError, TypeError):
            raise BackupError(
                f"{path}: {SIGNATURE_MEMBER} is not a signature: the backup is refused"
            ) from None
        if not signature_holds(raw, key_id=key_id, signature=value):
            raise BackupError(
                f"{path}: the manifest's signature does not verify with a trusted key (key {key_id}): the "
                "backup was changed or signed by another key; it is refused"
            )
        signed = True
    elif accept_unsigned:
        signed = False
    else:
        raise BackupError(
            f"{path}: the backup is not signed: refused. A backup made before signed backups is restored "
            "with --accept-unsigned, which trusts its content as it is"
        )
    if not isinstance(manifest.get("media", {}), dict) or not isinstance(manifest.get("models"), dict):
        raise BackupError(f"{path}: manifest.json lists no models or media in the expected form")
    return manifest, signed


def _stage_media(archive: zipfile.ZipFile, media: dict[str, Any], folder: Path) -> dict[str, Path]:
    staged: dict[str, Path] = {}
    for name, sha256 in media.items():
        relative = _media_name(name)
        content = _read_member(archive, f"media/{name}")
        if hashlib.sha256(content).hexdigest() != sha256:
            raise BackupError(f"media file {relative} is corrupt in the backup")
        target = folder / "media" / relative
        _write_private(target, content)
        staged[relative] = target
    return staged


def _load(fixture: str) -> None:
    """loaddata reads the dump from memory (its "-" fixture is standard input): no copy on disk."""
    saved = sys.stdin
    sys.stdin = io.StringIO(fixture)
    try:
        call_command("loaddata", "-", format="json", verbosity=0)
    finally:
        sys.stdin = saved


def _check_chain(manifest: dict[str, Any]) -> None:
    """The restored chain must hold with its signed heads; a backup older than the chain gets one."""
    from guichet.audit.chain import chain_backfill
    from guichet.audit.verify import chain_verify

    if "audit.chainentry" not in manifest["models"]:
        chain_backfill(force=True)
    report = chain_verify()
    if report.problem is not None:
        raise BackupError(f"the audit chain does not hold in this backup: {report.problem}")


def _copy_media(staged: dict[str, Path], written: list[Path]) -> None:
    media_root = Path(settings.MEDIA_ROOT).resolve()
    for relative, source in staged.items():
        target = (media_root / relative).resolve()
        if not target.is_relative_to(media_root):
            raise BackupError(f"media file name {relative!r} leaves the media folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)


def _different(expected: dict[str, Any], restored: dict[str, Any]) -> list[str]:
    """The models whose digests differ; a model the backup predates matches an empty table."""
    return sorted(
        label
        for label in set(expected) | set(restored)
        if expected.get(label) != restored.get(label)
        and not (label not in expected and restored[label]["rows"] == 0)
    )


def backup_restore(*, path: Path, accept_unsigned: bool = False) -> BackupSummary:
    """Restore into a migrated, empty database; any problem refuses the whole restore with one line.

    Media files are staged in the restore's private folder and checked against the manifest before the
    database transaction; they reach MEDIA_ROOT only inside it, once every digest matched, and are removed
    again if the transaction does not commit."""
    restore_folders_cleanup()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path}: not a Guichet backup ({error})") from None
    written: list[Path] = []
    committed = False
    with _private_folder() as folder:
        try:
            with archive:
                manifest, signed = _manifest(archive, path, accept_unsigned=accept_unsigned)
                occupied = [m._meta.label_lower for m in _models() if m._default_manager.exists()]
                if occupied:
                    raise BackupError(
                        f"the database is not empty ({', '.join(occupied[:5])}...): restore into a new one"
                    )
                staged = _stage_media(archive, manifest.get("media", {}), folder)
                dump = _read_member(archive, "data.json")
            if "data_sha256" in manifest and hashlib.sha256(dump).hexdigest() != manifest["data_sha256"]:
                raise BackupError(f"{path}: data.json is not the one the manifest describes")
            fixture = dump.decode("utf-8")
            del dump
            try:
                with transaction.atomic():
                    _load(fixture)
                    _reset_sequences()
                    restored = database_digests()
                    expected = manifest["models"]
                    different = _different(expected, restored)
                    if different:
                        raise BackupError(f"content digests differ after restore for: {', '.join(different)}")
                    _check_chain(manifest)
                    _copy_media(staged, written)
                committed = True
            except BackupError:
                raise
            except (DatabaseError, DeserializationError, ValueError) as error:
                raise _refusal(error, fixture) from None
        finally:
            if not committed:
                for file in written:
                    file.unlink(missing_ok=True)
    rows = sum(d["rows"] for d in manifest["models"].values())
    return BackupSummary(path, len(manifest["models"]), rows, len(manifest.get("media", {})), signed)


def _reset_sequences() -> None:
    """PostgreSQL keeps sequences apart from the rows: move them past the restored primary keys."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
