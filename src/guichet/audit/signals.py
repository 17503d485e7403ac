"""Sign-ins, failed sign-ins and admin changes go to the audit trail (the audit app listens: accounts does
not depend on it).

Django sends `user_logged_in` for the web form and `user_login_failed` from `authenticate()`, which both
the web form and the API token endpoint call. A failed attempt records the username tried (cut to its
field's length), never the password.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from guichet.accounts.models import User
from guichet.audit.services import audit_record


def _channel(request: Any) -> str:
    path = getattr(request, "path", "") or ""
    return "api" if path.startswith("/api/") else "web"


@receiver(user_logged_in, dispatch_uid="guichet.audit.sign_in")
def record_sign_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(
        actor=user,
        action="sign_in",
        target=user,
        summary=_channel(request),
        details={"via": _channel(request)},
    )


@receiver(user_login_failed, dispatch_uid="guichet.audit.sign_in_failed")
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")[:150]
    audit_record(
        actor=None,
        action="sign_in_failed",
        object_type="accounts.user",
        object_id=username[:60],
        summary=f"{username[:100]} ({_channel(request)})",
        details={"username": username, "via": _channel(request)},
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="guichet.audit.admin_change")
def record_admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """The Django admin writes a LogEntry for each addition, change and deletion it makes: copy it."""
    if not created:
        return
    action = {1: "admin_add", 2: "admin_change", 3: "admin_delete"}.get(instance.action_flag, "admin")
    content_type: Any = instance.content_type
    admin_user = cast(User, instance.user)  # the admin's LogEntry.user is the project's user model
    audit_record(
        actor=admin_user,
        action=action,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(instance.object_id or "")[:60],
        summary=str(instance.object_repr)[:300],
        details={"change": instance.get_change_message()[:2000]},
    )
