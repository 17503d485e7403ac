"""Production settings, password hashing, login rate limiting and the security headers."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from guichet.accounts.models import User

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3E9s-production-secret-with-plenty-of-entropy-8fJ2qLx7Vb0nW4tYz6Rr1Hc5Mg",
    "ALLOWED_HOSTS": "guichet.example.org",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}


def run_check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", *PRODUCTION_ENV}}
    return subprocess.run(
        [sys.executable, "-m", "guichet.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_production_variables() -> None:
    result = run_check_deploy(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_production_without_its_secret_key_is_flagged() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_check_deploy(env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings: Any) -> None:
    from guichet.web import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the suite's own fixture swaps in a fast one
    user = User.objects.create_user("zoe", password="a long passphrase", role="agency")
    assert user.password.startswith("argon2$")


@pytest.mark.django_db
def test_sign_in_is_refused_after_too_many_attempts(client: Client) -> None:
    cache.clear()
    User.objects.create_user("zoe", password="a long passphrase", role="agency")
    statuses = [
        client.post("/accounts/login/", {"username": "zoe", "password": f"wrong-{i}"}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [200] * 10  # the form again, with an error
    assert statuses[10] == 429
    # Even the right password is refused while the limit holds.
    assert (
        client.post("/accounts/login/", {"username": "zoe", "password": "a long passphrase"}).status_code
        == 429
    )
    cache.clear()


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "script-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admin_login_goes_through_the_rate_limited_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


@pytest.mark.django_db
def test_nul_characters_are_refused_before_reaching_the_database(client: Client) -> None:
    # PostgreSQL cannot store U+0000 in text: without this, the request would end in a server error there.
    assert client.get("/premises/?departement=2%005").status_code == 400
    response = client.post(
        "/api/tokens", data='{"username": "a\\u0000b", "password": "x"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/premises/?departement=25").status_code == 200
