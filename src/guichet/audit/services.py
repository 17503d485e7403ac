"""Recording audit events, inside the service's own transaction: an event exists iff the change does."""

from __future__ import annotations

from typing import Any

from django.db import models

from guichet.audit.models import AuditEvent


def audit_record(
    *, actor: Any, action: str, target: models.Model, summary: str = "", details: dict[str, Any] | None = None
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "system",
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        summary=summary[:300],
        details=details or {},
    )
