"""Production settings, password hashing, login rate limiting and the security headers."""

from __future__ import annotations

import base64
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from guichet.accounts.models import User
from guichet.web.checks import DEVELOPMENT_SECRET_KEY

SIGNING_KEY = base64.b64encode(bytes(range(32))).decode()
PRODUCTION_ENV = {
    "DEBUG": "0",
    "GUICHET_SIGNING_KEY": SIGNING_KEY,
    "SECRET_KEY": "k3E9s-production-secret-with-plenty-of-entropy-8fJ2qLx7Vb0nW4tYz6Rr1Hc5Mg",
    "ALLOWED_HOSTS": "guichet.example.org",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "GUICHET_SITE_URL": "https://guichet.example.org",
}


def start_wsgi(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", *PRODUCTION_ENV}}
    return subprocess.run(
        [sys.executable, "-c", "import guichet.web.wsgi"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def run_check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", *PRODUCTION_ENV}}
    clean.pop("GUICHET_SIGNING_KEY_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", "guichet.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def readme_production_variables() -> dict[str, str]:
    """The variables the README's production recipe exports (its `export ...` line and continuations)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    recipe = readme[readme.index("## Production on PostgreSQL") :]
    block = recipe[recipe.index("```sh") : recipe.index("```", recipe.index("```sh") + 5)]
    text = block.replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("export "))
    return dict(shlex.split(item)[0].split("=", 1) for item in line.removeprefix("export ").split())


def test_the_readme_production_recipe_passes_check_deploy_at_warning_level(tmp_path: Path) -> None:
    variables = readme_production_variables()
    assert {"SECRET_KEY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "ALLOWED_HOSTS"} <= set(variables)
    assert "GUICHET_SIGNING_KEY_FILE" in variables
    # The recipe writes SECRET_KEY=... for the reader to fill in; DATABASE_URL is left to the suite; the
    # key file is the one `guichet audit generate-key` writes, here in a temporary folder.
    variables = {k: v for k, v in variables.items() if k not in {"DATABASE_URL", "GUICHET_VAR_DIR"}}
    variables["SECRET_KEY"] = PRODUCTION_ENV["SECRET_KEY"]
    key_file = tmp_path / "signing-key.pem"
    generated = subprocess.run(
        [sys.executable, "-m", "guichet.cli", "audit", "generate-key", str(key_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    assert key_file.stat().st_mode & 0o777 == 0o600
    variables["GUICHET_SIGNING_KEY_FILE"] = str(key_file)
    result = run_check_deploy({"DEBUG": "0", **variables})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_with_the_documented_production_variables() -> None:
    result = run_check_deploy(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_production_without_its_address_is_warned_that_e_mails_would_link_nowhere() -> None:
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "GUICHET_SITE_URL"}
    result = run_check_deploy(env)
    assert result.returncode != 0
    assert "guichet.W001" in result.stdout + result.stderr


@pytest.mark.parametrize("key", ["", DEVELOPMENT_SECRET_KEY])
def test_a_production_without_its_own_secret_key_fails_the_deploy_check(key: str) -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": key}
    result = run_check_deploy(env)
    assert result.returncode != 0
    assert "guichet.E001" in result.stdout + result.stderr
    assert "SECRET_KEY is not set" in result.stdout + result.stderr


@pytest.mark.parametrize("key", ["", DEVELOPMENT_SECRET_KEY])
def test_the_wsgi_application_refuses_to_start_without_its_own_secret_key(key: str) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", *PRODUCTION_ENV}}
    result = subprocess.run(
        [sys.executable, "-c", "import guichet.web.wsgi"],
        env={**clean, **PRODUCTION_ENV, "SECRET_KEY": key},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_the_wsgi_application_starts_with_debug_on_or_a_real_key() -> None:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", *PRODUCTION_ENV}}
    for env in ({"DEBUG": "1"}, PRODUCTION_ENV):
        result = subprocess.run(
            [sys.executable, "-c", "import guichet.web.wsgi"],
            env={**clean, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "key",
    [
        " ",
        "x",
        DEVELOPMENT_SECRET_KEY + " ",
        " " + DEVELOPMENT_SECRET_KEY,
        "short-but-varied-0123456789",  # 27 characters
        "ab" * 40,  # long, 2 different characters
        "abcd" * 20,  # long, 4 different characters
    ],
)
def test_a_production_refuses_a_weak_secret_key(key: str) -> None:
    result = run_check_deploy({**PRODUCTION_ENV, "SECRET_KEY": key})
    assert result.returncode != 0 and "guichet.E001" in result.stdout + result.stderr
    started = start_wsgi({**PRODUCTION_ENV, "SECRET_KEY": key})
    assert started.returncode != 0 and "ImproperlyConfigured: SECRET_KEY" in started.stderr


@pytest.mark.parametrize("hosts", ["guichet.example.org", "localhost,guichet.example.org", "*", "10.0.0.5"])
def test_debug_with_a_public_host_name_is_refused(hosts: str) -> None:
    env = {"DEBUG": "1", "ALLOWED_HOSTS": hosts}
    result = run_check_deploy(env)
    assert result.returncode != 0 and "guichet.E002" in result.stdout + result.stderr
    started = start_wsgi(env)
    assert started.returncode != 0 and "DEBUG is on with a public host name" in started.stderr


def test_debug_on_local_names_only_starts() -> None:
    started = start_wsgi(
        {"DEBUG": "1", "ALLOWED_HOSTS": "localhost,127.0.0.1,::1,guichet.localhost,testserver"}
    )
    assert started.returncode == 0, started.stderr


def test_a_production_refuses_to_start_without_a_private_signing_key(tmp_path: Path) -> None:
    without = {k: v for k, v in PRODUCTION_ENV.items() if k != "GUICHET_SIGNING_KEY"}
    result = run_check_deploy(without)
    assert result.returncode != 0 and "guichet.E003" in result.stdout + result.stderr
    assert "No signing key while DEBUG is off" in start_wsgi(without).stderr
    key_file = tmp_path / "key.pem"
    key_file.write_text(base64.b64encode(bytes(range(32))).decode())
    key_file.chmod(0o644)
    readable = {**without, "GUICHET_SIGNING_KEY_FILE": str(key_file)}
    assert "is readable by other users" in start_wsgi(readable).stderr
    key_file.chmod(0o600)
    assert start_wsgi(readable).returncode == 0


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
        for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]  # five guesses a minute on one username (the form, then refused)
    # Even the right password is refused while the limit holds.
    assert (
        client.post("/accounts/login/", {"username": "zoe", "password": "a long passphrase"}).status_code
        == 429
    )
    cache.clear()


@pytest.mark.django_db
def test_the_web_form_and_the_api_share_one_bucket_per_username() -> None:
    cache.clear()
    User.objects.create_user("zoe", password="a long passphrase", role="agency")
    web = [
        Client(REMOTE_ADDR=f"192.0.2.{i}")
        .post("/accounts/login/", {"username": "Zoe", "password": "x"})
        .status_code
        for i in range(3)
    ]
    api = [
        Client(REMOTE_ADDR=f"198.51.100.{i}")
        .post("/api/tokens", {"username": "zoe ", "password": "x"}, content_type="application/json")
        .status_code
        for i in range(3)
    ]
    # Six guesses from six addresses through two doors: the sixth is over the username's five a minute.
    assert web + api == [200, 200, 200, 401, 401, 429]
    cache.clear()


@pytest.mark.django_db
def test_one_client_is_limited_whatever_the_usernames() -> None:
    cache.clear()
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [
        client.post("/accounts/login/", {"username": f"user{i}", "password": "x"}).status_code
        for i in range(6)
    ] + [
        client.post(
            "/api/tokens", {"username": f"other{i}", "password": "x"}, content_type="application/json"
        ).status_code
        for i in range(5)
    ]
    assert statuses == [200] * 6 + [401] * 4 + [429]  # ten attempts a minute from one address
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
