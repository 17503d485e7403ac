"""Who acts and who reads, as the services, selectors and views type them."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from guichet.accounts.models import User

# A signed-in person who changes something: services check the role and record them in the audit trail.
Actor: TypeAlias = User
# Anyone who reads a page or an API operation, signed in or not: selectors decide what each may see.
Reader: TypeAlias = User | AnonymousUser


class SignedInRequest(HttpRequest):
    """A request that reached a view behind a sign-in check (``login_required``, ``agency_required``...):
    its user is a signed-in person, whom the view may hand to a service as the actor."""

    user: User
