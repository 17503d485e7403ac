"""Optimistic locking and field-level saves: no update is ever lost, none is merged silently.

Each guarded model has a `version` integer. `locked_update` is the one way services change such a record:

- it locks the stored row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transactions already
  serialise writers) and reads it afresh, so a change made meanwhile is not overwritten;
- with an `expected_version` (a form or an API client that read the record first) it refuses a stale one
  with ConflictError (HTTP 409 in the API, a form error on a page); a malformed version is refused too;
- it applies only the given values, validates the whole record (`full_clean`), and writes only the fields
  that changed (plus `version` and `updated_at`), so two clients changing different fields both win.

A form sends every field, including the ones its user did not touch: it must carry the version it showed
(`VersionField`), or its stale copies of other fields would undo someone else's save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ConflictError(ValidationError):
    """Someone else saved the record after this copy was read (HTTP 409 in the API)."""


MAX_VERSION = 2_147_483_647


def parse_version(value: Any) -> int | None:
    """A version as a client sent it: None/"" (not given), an int or a string of digits; else refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _malformed(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
    else:
        raise _malformed(value)
    if not 1 <= number <= MAX_VERSION:
        raise _malformed(value)
    return number


def _malformed(value: Any) -> ValidationError:
    return ValidationError(
        {
            "version": _("The record's version %(value)s is not a version number; reload the page.")
            % {"value": str(value)[:20]}
        },
        code="invalid_version",
    )


class VersionField(forms.IntegerField):
    """The hidden version of the record a form shows; required when the form edits a stored record."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_VERSION)
        kwargs.setdefault(
            "error_messages",
            {
                "required": gettext_lazy(
                    "This form lost the record's version; reload the page and redo your changes."
                )
            },
        )
        super().__init__(**kwargs)


@dataclass
class LockedSave:
    instance: Any
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, models.Model) or isinstance(after, models.Model):
        before, after = getattr(before, "pk", before), getattr(after, "pk", after)
    return bool(before == after)


def locked_update(
    *,
    model: type[models.Model],
    pk: Any,
    values: dict[str, Any],
    expected_version: Any = None,
    exclude_from_clean: list[str] | None = None,
    prepare: Callable[[Any, dict[str, Any]], None] | None = None,
) -> LockedSave:
    """Lock, check the version, apply `values`, validate, save the changed fields. Call inside the
    service's transaction; raises ConflictError on a stale version, ValidationError on invalid values.

    `prepare(stored, values)`, when given, runs on the locked, fresh record before the values are applied:
    it may complete or correct `values` from what is stored (it must not change `stored` itself)."""
    expected = parse_version(expected_version)
    manager: Any = model._default_manager
    stored = manager.select_for_update().get(pk=pk)
    if expected is not None and stored.version != expected:
        raise ConflictError(
            _("%(record)s was changed by someone else since you opened it; reload it and redo your changes.")
            % {"record": stored},
            code="conflict",
        )
    if prepare is not None:
        values = dict(values)
        prepare(stored, values)
    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in values.items():
        before = getattr(stored, name)
        if not _same(before, value):
            setattr(stored, name, value)
            changed[name] = (before, value)
    stored.full_clean(exclude=exclude_from_clean)
    if changed:
        stored.version += 1
        update_fields = [*changed, "version"]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.append("updated_at")
        stored.save(update_fields=update_fields)
    return LockedSave(instance=stored, changed=changed)


def check_and_bump_version(instance: models.Model, expected_version: Any) -> None:
    """For services that save a whole record they build themselves (e.g. a proposal): lock the stored
    row, refuse a stale or malformed version, bump the instance's version. Prefer `locked_update`."""
    expected = parse_version(expected_version)
    model: Any = type(instance)
    stored = model._default_manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    if expected is not None and stored != expected:
        raise ConflictError(
            _("%(record)s was changed by someone else since you opened it; reload it and redo your changes.")
            % {"record": instance},
            code="conflict",
        )
    instance.version = stored + 1  # type: ignore[attr-defined]
