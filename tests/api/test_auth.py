"""API tokens: obtained with a password (rate-limited), stored as a SHA-256 only, refused when dead."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import admin
from django.utils import timezone

from guichet.accounts.models import User
from guichet.api.models import ApiToken
from guichet.api.services import api_token_create

from .conftest import Api, assert_problem


def test_a_token_for_a_username_and_password(anonymous: Api, alice: User) -> None:
    response = anonymous.post("/tokens", {"username": "alice", "password": "pw-alice-123", "name": "SIG"})
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "Bearer" and body["role"] == "officer"
    assert body["authority_id"] == alice.authority_id and body["expires_at"]
    token = body["token"]
    # Only the digest is stored.
    record = ApiToken.objects.get(user=alice)
    assert record.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert record.name == "SIG" and token not in str(ApiToken.objects.values_list().get())
    # The token works.
    assert Api(token).get("/my/premises").status_code == 200
    assert ApiToken.objects.get(user=alice).last_used_at is not None


def test_a_wrong_password_is_a_401_problem(anonymous: Api, alice: User) -> None:
    for username in ("alice", "nobody"):
        response = anonymous.post("/tokens", {"username": username, "password": "wrong"})
        body = assert_problem(response, 401)
        assert body["detail"] == "Wrong username or password."
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert not ApiToken.objects.exists()


def test_getting_tokens_is_rate_limited(anonymous: Api, alice: User) -> None:
    statuses = [
        anonymous.post("/tokens", {"username": "alice", "password": "guess"}).status_code for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    body = assert_problem(anonymous.post("/tokens", {"username": "alice", "password": "pw-alice-123"}), 429)
    assert body["type"] == "urn:guichet:problem:rate-limited"


def test_expired_revoked_or_inactive_tokens_are_refused(alice: User, bob: User) -> None:
    expired, revoked, inactive = (api_token_create(user=alice) for _ in range(3))
    ApiToken.objects.filter(token_sha256=hashlib.sha256(expired.encode()).hexdigest()).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    ApiToken.objects.filter(token_sha256=hashlib.sha256(revoked.encode()).hexdigest()).update(
        revoked_at=timezone.now()
    )
    for token in (expired, revoked, "gch_not-a-token"):
        assert_problem(Api(token).get("/my/premises"), 401)
        # A public endpoint answers anonymous requests, but a bad token is still refused.
        assert_problem(Api(token).get("/premises"), 401)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert_problem(Api(inactive).get("/my/premises"), 401)
    assert Api(api_token_create(user=bob)).get("/my/premises").status_code == 200


def test_a_token_that_never_expires_and_the_admin_registration(alice: User) -> None:
    token = api_token_create(user=alice, valid_days=None)
    assert ApiToken.objects.get(prefix=token[:12]).expires_at is None
    assert ApiToken in admin.site._registry


def test_a_token_signs_itself_out(alice: User) -> None:
    token = api_token_create(user=alice)
    client = Api(token)
    assert client.get("/my/premises").status_code == 200
    assert client.request("DELETE", "/tokens/current").status_code == 204
    assert_problem(client.get("/my/premises"), 401)
    assert_problem(client.request("DELETE", "/tokens/current"), 401)
