from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guichet.accounts.types import Reader
from guichet.audit.models import AuditEvent


def audit_events_visible_to(*, user: Reader) -> QuerySet[AuditEvent]:
    """The trail is the agency's to read; officers and visitors see none of it."""
    if getattr(user, "is_authenticated", False) and getattr(user, "is_agency", False):
        return AuditEvent.objects.select_related("actor")
    return AuditEvent.objects.none()


def audit_events_for(*, user: Reader, target: Any) -> QuerySet[AuditEvent]:
    return audit_events_visible_to(user=user).filter(
        object_type=target._meta.label_lower, object_id=str(target.pk)
    )
