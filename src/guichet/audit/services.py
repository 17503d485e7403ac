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

from guichet.accounts.models import User
from guichet.accounts.types import Reader
from guichet.audit.models import AuditEvent

SYSTEM_LABEL = "system"


def audit_record(
    *,
    actor: Reader | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    details: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. `target` names the record; without one (a failed sign-in on an unknown username),
    give `object_type` and `object_id` yourself. `actor_label` names an actor who is not signed in (the
    holder of a dossier link); the default is the signed-in user's name, else "system"."""
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    if target is not None:
        object_type, object_id = target._meta.label_lower, str(target.pk)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username()[:200] if user else (actor_label or SYSTEM_LABEL)[:200],
        action=action[:60],
        object_type=object_type[:60],
        object_id=str(object_id)[:60],
        summary=summary[:300],
        details=details or {},
    )


DOSSIER_LINK_LABEL = "dossier link"


def audit_read(
    *,
    actor: Reader | None,
    action: str,
    target: models.Model,
    summary: str = "",
    actor_label: str = "",
    **details: Any,
) -> AuditEvent:
    """A read worth keeping: the investor's dossier opened or downloaded (`offers.services.
    dossier_access_record`, actor_label "dossier link": whoever holds the link), a proposal's private
    attachment read (`offers.views.attachment`). Called after the permission check, by what serves the
    record, e.g. `audit_read(actor=request.user, action="attachment_read", target=item, sha256=digest)`.
    Nothing a sealed proposal holds goes into the trail before the deadline: an attachment by its digest,
    never its name."""
    return audit_record(
        actor=actor,
        action=action,
        target=target,
        summary=summary,
        details={"read": True, **details},
        actor_label=actor_label,
    )
