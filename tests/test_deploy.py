"""deploy/'s files agree with the application and with each other (deploy/smoke runs them for real)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from guichet.files import file_response

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
sys.path.insert(0, str(DEPLOY))

import stack  # noqa: E402  (deploy/stack.py, not a package)


def private_location() -> str:
    rules = (DEPLOY / "nginx" / "guichet-locations.conf").read_text()
    match = re.search(r"location /_private_files/ \{(.*?)\}", rules, flags=re.S)
    assert match is not None
    return match.group(1)


def test_nginx_sets_again_the_security_headers_of_a_private_file_that_it_drops(settings: Any) -> None:
    """nginx keeps Content-Type, Content-Disposition and Cache-Control when it follows X-Accel-Redirect, not
    the others: its internal location sets them again, with the values the view gives."""
    settings.GUICHET_SENDFILE = "nginx"
    stored = SimpleNamespace(name="private/attachments/0123abcd")
    response = file_response(stored, download_name="a.pdf", content_type="application/pdf")  # type: ignore[arg-type]
    assert response["X-Accel-Redirect"] == "/_private_files/private/attachments/0123abcd"
    added = {
        name: value.strip('"')
        for name, value in re.findall(r'add_header ([\w-]+) ("[^"]*"|\S+) always;', private_location())
    }
    kept = {"Content-Type", "Content-Disposition", "Cache-Control"}
    expected = {key: value for key, value in response.items() if key not in kept | {"X-Accel-Redirect"}}
    assert added == expected
    assert set(added) == {"X-Content-Type-Options", "Content-Security-Policy", "Cross-Origin-Resource-Policy"}


def test_the_private_location_is_internal_and_serves_the_media_folder() -> None:
    location = private_location()
    assert re.search(r"^\s*internal;", location, flags=re.M)
    assert "alias /srv/guichet/var/media/;" in location
    env = stack.read_env_file(stack.ENV_FILE)
    assert env["GUICHET_SENDFILE"] == "nginx" and env["GUICHET_SENDFILE_PREFIX"] == "/_private_files/"
    assert env["GUICHET_VAR_DIR"] == "/srv/guichet/var"


def test_the_units_commands_take_their_variables_from_the_environment_file() -> None:
    env = stack.read_env_file(stack.ENV_FILE)
    web = stack.read_unit(stack.WEB_UNIT).command(env)
    assert web[:2] == ["/srv/guichet/venv/bin/gunicorn", "guichet.web.wsgi"]
    assert web[web.index("--bind") + 1] == env["GUICHET_BIND"] == "127.0.0.1:8000"
    assert web[web.index("--workers") + 1] == "3"
    worker = stack.read_unit(stack.WORKER_UNIT).command(env, instance="2")
    assert worker[:4] == ["/srv/guichet/venv/bin/guichet", "manage", "db_worker", "--no-reload"]
    assert worker[-1].endswith("-2")
    # nginx's upstream is where gunicorn listens.
    assert env["GUICHET_BIND"] in stack.upstream_block((DEPLOY / "nginx" / "guichet.conf").read_text())


def test_the_environment_file_has_every_variable_of_the_readme_production_recipe() -> None:
    from tests.web.test_security import readme_production_variables

    env = stack.read_env_file(stack.ENV_FILE)
    assert set(readme_production_variables()) <= set(env)
    assert env["SECRET_KEY"] == ""  # the application refuses to start until it is set
    assert env["DEBUG"] == "0" and env["RATELIMIT_IP_META_KEY"] == "HTTP_X_REAL_IP"
