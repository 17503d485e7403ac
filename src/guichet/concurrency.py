"""Optimistic locking: a save based on an out-of-date copy of a record is refused, never merged silently.

Each guarded model has a `version` integer. A form or API client sends back the version it read; the
service locks the row, compares, and increments it in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class ConflictError(ValidationError):
    """Someone else saved the record after this copy was read (HTTP 409 in the API)."""


def check_and_bump_version(instance: models.Model, expected_version: int | None) -> None:
    """Lock the stored row; refuse if its version is not the expected one; bump the instance's version.

    Call inside the service's transaction, before saving. `expected_version=None` means the caller did
    not read the record first (a script, a service acting alone): the row is still locked and bumped.
    """
    model: Any = type(instance)
    stored = model._default_manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    if expected_version is not None and stored != expected_version:
        raise ConflictError(
            _("%(record)s was changed by someone else since you opened it; reload it and redo your changes.")
            % {"record": instance},
            code="conflict",
        )
    instance.version = stored + 1  # type: ignore[attr-defined]
