"""Writes of accounts: users and the agency's group of permissions."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from guichet.accounts.models import Role, User

AGENCY_GROUP = "Agency staff"
# Agency staff manage the catalogue in the admin and read the rest; territory data is never edited by hand.
AGENCY_MANAGED_APPS = ("catalogue",)
AGENCY_READ_APPS = ("territory", "accounts", "offers", "notifications")


def agency_group_ensure() -> Group:
    group, _created = Group.objects.get_or_create(name=AGENCY_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label__in=AGENCY_MANAGED_APPS
    ) | Permission.objects.filter(content_type__app_label__in=AGENCY_READ_APPS, codename__startswith="view_")
    group.permissions.set(permissions)
    return group


@transaction.atomic
def user_set_role(*, user: User, role: str, authority_id: int | None = None) -> User:
    """Give a user its role; agency staff reach the admin through the agency group."""
    user.role = role
    user.authority_id = authority_id if role == Role.OFFICER else None
    user.is_staff = role == Role.AGENCY or user.is_superuser
    user.full_clean(exclude=["password"])
    user.save()
    group = agency_group_ensure()
    if role == Role.AGENCY:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    return user
