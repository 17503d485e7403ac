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
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

FORMAT_VERSION = 1
_EMPTY_MILLISECONDS = re.compile(r"(T\d{2}:\d{2}:\d{2})\.000(?=Z|[+-]\d{2}:\d{2}|\")")
# Derived and volatile tables are rebuilt by Django itself.
SKIPPED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}


class BackupError(RuntimeError):
    pass


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


def backup_restore(*, path: Path) -> BackupSummary:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path}: not a Guichet backup ({error})") from None
    with archive:
        names = set(archive.namelist())
        if not {"data.json", "manifest.json"} <= names:
            raise BackupError(f"{path}: data.json or manifest.json is missing")
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"{path}: backup format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
        occupied = [m._meta.label_lower for m in _models() if m._default_manager.exists()]
        if occupied:
            raise BackupError(
                f"the database is not empty ({', '.join(occupied[:5])}...): restore into a new one"
            )
        fixture = Path(settings.MEDIA_ROOT).parent / ".restore-data.json"
        fixture.parent.mkdir(parents=True, exist_ok=True)
        fixture.write_bytes(archive.read("data.json"))
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
        finally:
            fixture.unlink(missing_ok=True)
        media_root = Path(settings.MEDIA_ROOT)
        for name, sha256 in manifest.get("media", {}).items():
            content = archive.read(f"media/{name}")
            if hashlib.sha256(content).hexdigest() != sha256:
                raise BackupError(f"media file {name} is corrupt in the backup")
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    rows = sum(d["rows"] for d in manifest["models"].values())
    return BackupSummary(path, len(manifest["models"]), rows, len(manifest.get("media", {})))


def _reset_sequences() -> None:
    """PostgreSQL keeps sequences apart from the rows: move them past the restored primary keys."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
