from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from guichet.accounts.types import Reader
from guichet.audit.models import AuditEvent, SignedHead


def audit_events_visible_to(*, user: Reader) -> QuerySet[AuditEvent]:
    """The trail is the agency's to read; officers and visitors see none of it."""
    if getattr(user, "is_authenticated", False) and getattr(user, "is_agency", False):
        return AuditEvent.objects.select_related("actor")
    return AuditEvent.objects.none()


def audit_events_for(*, user: Reader, target: Any) -> QuerySet[AuditEvent]:
    return audit_events_visible_to(user=user).filter(
        object_type=target._meta.label_lower, object_id=str(target.pk)
    )


def latest_signed_head() -> SignedHead | None:
    return SignedHead.objects.order_by("-length", "-id").first()


def head_log_lines() -> Iterator[str]:
    """The head log as published: one signed head a line, oldest first (JSON Lines). Appending the new
    lines to a copy kept elsewhere keeps that copy whole; `guichet audit verify --heads` reads it back."""
    from guichet.audit.chain import head_document

    for head in SignedHead.objects.order_by("length", "id").iterator():
        yield json.dumps(head_document(head), ensure_ascii=False, sort_keys=True)
