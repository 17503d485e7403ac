"""Whole-database backup and restore, portable between SQLite and PostgreSQL, checked by content digests.

A backup is a zip holding `data.json` (Django's serialisation of every model), the uploaded media files and
`manifest.json` with one SHA-256 digest per model over its rows in primary-key order. A restore loads the
data into a migrated, empty database in one transaction, copies the media back and recomputes the digests:
any difference aborts the restore and nothing stays loaded.

For large PostgreSQL databases `pg_dump -Fc` / `pg_restore` are faster (see the README); this format is
the one that round-trips between database engines and proves, model by model, that nothing was lost.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
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

FORMAT_VERSION = 1
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

    def __str__(self) -> str:
        return f"{self.path}: {self.rows} rows in {self.models} tables, {self.media_files} media files"


def backup_create(*, path: Path) -> BackupSummary:
    labels = [model._meta.label for model in _models()]
    data = io.StringIO()
    call_command("dumpdata", *labels, format="json", indent=None, stdout=data, use_natural_foreign_keys=True)
    digests = database_digests()
    media_root = Path(settings.MEDIA_ROOT)
    media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
    manifest = {
        "format": FORMAT_VERSION,
        "database_vendor": connection.vendor,
        "models": digests,
        "media": {str(p.relative_to(media_root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in media},
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", data.getvalue())
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
        for file in media:
            archive.write(file, f"media/{file.relative_to(media_root)}")
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


def _refusal(error: Exception, fixture: Path) -> BackupError:
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
        with fixture.open(encoding="utf-8") as handle:
            for item in serializers.deserialize(
                "json", handle, ignorenonexistent=True, handle_forward_references=True
            ):
                obj = item.object
                if obj._meta.label == label and str(obj.pk) == pk:
                    related = [f.name for f in obj._meta.concrete_fields if f.is_relation]
                    try:
                        obj.clean_fields(exclude=related)
                    except ValidationError as invalid:
                        fields = [
                            f"{name}: {' '.join(texts)}" for name, texts in invalid.message_dict.items()
                        ]
                    break
    except Exception:  # the diagnosis is a courtesy; the refusal stands without it
        fields = []
    where = f"{label.lower()} #{pk}"
    detail = "; ".join(fields) if fields else database_message
    return BackupError(f"the target database refused {where}: {detail} ({type(error).__name__})")


def backup_restore(*, path: Path) -> BackupSummary:
    """Restore into a migrated, empty database; any problem refuses the whole restore with one line.

    The data is unpacked into a private temporary folder (mode 0700) that is removed on every exit path,
    interruption included. Media files are staged there and checked against the manifest before the
    database transaction; they reach MEDIA_ROOT only inside it, once every digest matched, and are
    removed again if the transaction does not commit."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path}: not a Guichet backup ({error})") from None
    staging = Path(tempfile.mkdtemp(prefix="guichet-restore-"))  # created with mode 0700
    written: list[Path] = []
    committed = False
    try:
        with archive:
            names = set(archive.namelist())
            if not {"data.json", "manifest.json"} <= names:
                raise BackupError(f"{path}: data.json or manifest.json is missing")
            try:
                manifest = json.loads(_read_member(archive, "manifest.json"))
            except ValueError as error:
                raise BackupError(f"{path}: manifest.json is not JSON ({error})") from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
                found = manifest.get("format") if isinstance(manifest, dict) else None
                raise BackupError(f"{path}: backup format {found!r}, expected {FORMAT_VERSION}")
            media = manifest.get("media", {})
            if not isinstance(media, dict) or not isinstance(manifest.get("models"), dict):
                raise BackupError(f"{path}: manifest.json lists no models or media in the expected form")
            occupied = [m._meta.label_lower for m in _models() if m._default_manager.exists()]
            if occupied:
                raise BackupError(
                    f"the database is not empty ({', '.join(occupied[:5])}...): restore into a new one"
                )
            staged: dict[str, Path] = {}
            for name, sha256 in media.items():
                relative = _media_name(name)
                content = _read_member(archive, f"media/{name}")
                if hashlib.sha256(content).hexdigest() != sha256:
                    raise BackupError(f"media file {relative} is corrupt in the backup")
                target = staging / "media" / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                staged[relative] = target
            fixture = staging / "data.json"
            descriptor = os.open(fixture, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_read_member(archive, "data.json"))
        try:
            with transaction.atomic():
                call_command("loaddata", str(fixture), verbosity=0)
                _reset_sequences()
                restored = database_digests()
                expected = manifest["models"]
                different = sorted(
                    label
                    for label in set(expected) | set(restored)
                    if expected.get(label) != restored.get(label)
                )
                if different:
                    raise BackupError(f"content digests differ after restore for: {', '.join(different)}")
                media_root = Path(settings.MEDIA_ROOT).resolve()
                for relative, source in staged.items():
                    target = (media_root / relative).resolve()
                    if not target.is_relative_to(media_root):
                        raise BackupError(f"media file name {relative!r} leaves the media folder")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)
                    written.append(target)
            committed = True
        except BackupError:
            raise
        except (DatabaseError, DeserializationError, ValueError) as error:
            raise _refusal(error, fixture) from None
    finally:
        if not committed:
            for file in written:
                file.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    rows = sum(d["rows"] for d in manifest["models"].values())
    return BackupSummary(path, len(manifest["models"]), rows, len(media))


def _reset_sequences() -> None:
    """PostgreSQL keeps sequences apart from the rows: move them past the restored primary keys."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
