"""Sign-in attempts are limited per username and per client, whichever door they come through.

The web form and the API token endpoint count in the same two buckets, kept in the "shared" cache (Redis,
else a table of the database: never one process's memory, so that the limits hold whichever gunicorn
worker or machine answers): a username gets LOGIN_USERNAME_RATE_LIMIT guesses in all, not that many per
door or per process, and a client LOGIN_RATE_LIMIT attempts whatever the usernames.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

USERNAME_GROUP = "guichet:sign-in:username"
CLIENT_GROUP = "guichet:sign-in:client"


def _client_address(group: str, request: HttpRequest) -> str:
    """The client's address (behind a proxy, RATELIMIT_IP_META_KEY names the header holding it). A request
    without one (a unix socket, some test clients) shares the 'unknown' bucket."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    if isinstance(meta_key, str) and meta_key:
        value = request.META.get(meta_key, "")
        return str(value).split(",")[0].strip() or "unknown"
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def normalised_username(username: object) -> str:
    return str(username or "").strip().lower()[:150]


def sign_in_attempt_limited(request: HttpRequest, username: object) -> bool:
    """Count one sign-in attempt for `username` from this client; True when either limit is exceeded."""
    name = normalised_username(username)
    by_client = is_ratelimited(
        request, group=CLIENT_GROUP, key=_client_address, rate=settings.LOGIN_RATE_LIMIT, increment=True
    )
    by_username = is_ratelimited(
        request,
        group=USERNAME_GROUP,
        key=lambda _group, _request: name,
        rate=settings.LOGIN_USERNAME_RATE_LIMIT,
        increment=True,
    )
    return bool(by_client or by_username)
