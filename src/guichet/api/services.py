"""Writes of API tokens: created for a user (the token is returned once), revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.types import Actor
from guichet.api.models import ApiToken
from guichet.audit.services import audit_record

TOKEN_PREFIX = "gch_"
TOKEN_BYTES = 32
DEFAULT_TOKEN_DAYS = 90


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: Actor, name: str = "", valid_days: int | None = DEFAULT_TOKEN_DAYS) -> str:
    """A new bearer token for ``user``; only its SHA-256 is kept, so the caller must hand it over now.

    ``valid_days=None`` makes a token that lasts until it is revoked."""
    if not getattr(user, "is_active", False):
        raise ValidationError(_("An inactive user cannot get an API token."))
    if valid_days is not None and not 1 <= valid_days <= 3650:
        raise ValidationError({"valid_days": _("A token lasts from 1 to 3650 days.")})
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    record = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=token[:12],
        token_sha256=token_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=valid_days) if valid_days is not None else None,
    )
    audit_record(actor=user, action="api_token", target=record, summary=record.prefix)
    return token


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="revoke", target=token, summary=token.prefix)
    return token
