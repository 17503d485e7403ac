"""Recording audit events, inside the service's own transaction: an event exists iff the change does.

The trail is append-only, enforced by the database itself (triggers refuse UPDATE and DELETE on the
table, migration 0002), so neither a queryset `update()`/`delete()` nor a raw SQL statement rewrites it.

Besides the services' writes it records reads that matter (a dossier viewed or downloaded, a private
attachment read), sign-ins and failed sign-ins (the username tried, never the password), imports and
changes made in the Django admin.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from guichet.audit.models import AuditEvent

SYSTEM_LABEL = "system"


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `target` names the record; without one (a failed sign-in on an unknown username),
    give `object_type` and `object_id` yourself."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if target is not None:
        object_type, object_id = target._meta.label_lower, str(target.pk)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor.get_username()[:200] if authenticated else SYSTEM_LABEL,
        action=action[:60],
        object_type=object_type[:60],
        object_id=str(object_id)[:60],
        summary=summary[:300],
        details=details or {},
    )


def audit_read(*, actor: Any, action: str, target: models.Model, summary: str = "", **details: Any) -> None:
    """A read worth keeping (dossier viewed or downloaded, private attachment read): call it from the view
    that serves the record, after the permission check, e.g.
    `audit_read(actor=request.user, action="dossier_download", target=call, summary="pdf")`."""
    audit_record(actor=actor, action=action, target=target, summary=summary, details=details)
