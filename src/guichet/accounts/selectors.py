"""Who the user is, for every permission decision: agency staff, an officer of one authority, or neither.

Each app's selectors scope its querysets with these; nothing else looks at roles.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise

from guichet.accounts.models import User
from guichet.accounts.types import Actor, Reader


def user_is_agency(user: Reader | None) -> bool:
    """Active agency staff (or an administrator), signed in."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_agency", False))


def user_authority_id(user: Reader | None) -> int | None:
    """The authority an active, signed-in officer acts for; None for anybody else."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    return user.authority_id


def require_agency(actor: Actor | None, message: str | Promise) -> None:
    if not user_is_agency(actor):
        raise PermissionDenied(message)


def agency_recipients() -> list[str]:
    """Where an e-mail to the agency goes: its shared address (GUICHET_AGENCY_EMAIL) and every active agency
    user's, each once (addresses compared without regard to case), the shared address first."""
    from django.conf import settings

    from guichet.accounts.models import Role, User

    addresses = [settings.GUICHET_AGENCY_EMAIL or ""]
    addresses += (
        User.objects.filter(role=Role.AGENCY, is_active=True).order_by("pk").values_list("email", flat=True)
    )
    seen: set[str] = set()
    recipients = []
    for address in (item.strip() for item in addresses):
        if address and address.lower() not in seen:
            seen.add(address.lower())
            recipients.append(address)
    return recipients
