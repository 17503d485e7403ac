"""Token authentication (``Authorization: Bearer <token>``) and the endpoint that hands out tokens.

Access rules, decided once for every endpoint:

- no token where one is needed, or a bad, expired or revoked token anywhere: 401;
- the wrong role for the endpoint (an officer on an agency endpoint, agency staff on an officer's ``/my/``
  endpoint): 403, whatever the object, so it says nothing about which objects exist;
- the right role but an object the user's selector does not return: 404.

The role gates here only say *who* an endpoint is for; *which* objects a user reaches is decided by the
apps' selectors (``premises_editable_by``, ``calls_visible_to``, ``proposals_readable_by``...).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.exceptions import Ratelimited
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from pydantic import Field

from guichet.accounts.models import User
from guichet.accounts.selectors import user_authority_id, user_is_agency
from guichet.accounts.throttle import sign_in_attempt_limited
from guichet.api import services
from guichet.api.errors import ApiProblem
from guichet.api.models import ApiToken
from guichet.api.schemas import problems

LAST_USED_PRECISION = dt.timedelta(minutes=5)

Role = Literal["agency", "officer"]


class AuthedRequest(HttpRequest):
    """What a handler behind a token receives: ``auth`` is the token's user."""

    auth: User


def user_for_token(token: str) -> Any | None:
    """The active user behind a live token, or None."""
    if not token or len(token) > 200:
        return None
    record = (
        ApiToken.objects.select_related("user", "user__authority")
        .filter(token_sha256=services.token_digest(token))
        .first()
    )
    if record is None or not record.is_live or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


class BearerToken(HttpBearer):
    """A valid token, and optionally a role: ``agency`` (agency staff) or ``officer`` (a user of an
    authority). One class, so that the OpenAPI schema has one security scheme."""

    def __init__(self, role: Role | None = None) -> None:
        super().__init__()
        self.role = role

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token.strip())
        if user is None:
            return None
        if self.role == "agency" and not user_is_agency(user):
            raise PermissionDenied("This endpoint is for agency staff.")
        if self.role == "officer" and user_authority_id(user) is None:
            raise PermissionDenied("This endpoint is for the officers of an authority.")
        return user


any_user = BearerToken()
agency_only = BearerToken("agency")
officer_only = BearerToken("officer")


def optional_user(request: HttpRequest) -> Any:
    """For public endpoints: the token's user when a token is sent (a bad one is a 401), else anonymous.

    Public endpoints answer anonymous requests; with a token, the same selectors widen what they return
    (an officer also sees its own unpublished premises, agency staff everything)."""
    header = request.headers.get("Authorization", "")
    if not header:
        return AnonymousUser()
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise AuthenticationError()
    return user


router = Router(tags=["tokens"])


class TokenRequest(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)
    name: str = Field("", max_length=100, description="A label for this token (the client using it).")


class TokenResponse(Schema):
    token: str = Field(
        description="Send it as 'Authorization: Bearer <token>'. Shown once: only a digest is kept."
    )
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: dt.datetime | None
    username: str
    role: str
    authority_id: int | None


@router.post(
    "/tokens",
    response={201: TokenResponse, **problems(401, 422, 429)},
    summary="Get an API token with a username and password",
    description=(
        f"Rate-limited: {settings.LOGIN_RATE_LIMIT} per client address and "
        f"{settings.LOGIN_USERNAME_RATE_LIMIT} per username, counted together with the web sign-in form "
        "(429 beyond). A wrong username or "
        "password is a 401, the same for both."
    ),
)
def token_create(request: HttpRequest, payload: TokenRequest) -> Status[dict[str, Any]]:
    if sign_in_attempt_limited(request, payload.username):
        raise Ratelimited()
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise ApiProblem(
            401, "Wrong username or password.", headers={"WWW-Authenticate": 'Bearer realm="guichet"'}
        )
    # A sign-in like the web form's: recorded in the audit trail (audit.signals), last_login updated.
    user_logged_in.send(sender=type(user), request=request, user=user)
    token = services.api_token_create(user=user, name=payload.name)
    record = ApiToken.objects.get(token_sha256=services.token_digest(token))
    return Status(
        201,
        {
            "token": token,
            "expires_at": record.expires_at,
            "username": user.get_username(),
            "role": "agency" if user_is_agency(user) else "officer",
            "authority_id": user_authority_id(user),
        },
    )


@router.delete(
    "/tokens/current",
    auth=any_user,
    response={204: None, **problems(401)},
    summary="Revoke the token this request is signed with (the API's sign-out)",
)
def token_revoke_current(request: AuthedRequest) -> Status[None]:
    _scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    record = ApiToken.objects.get(token_sha256=services.token_digest(token.strip()))
    services.api_token_revoke(actor=request.auth, token=record)
    return Status(204, None)
