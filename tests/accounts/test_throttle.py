"""The sign-in limit holds across gunicorn workers: five wrong passwords a minute on a username in all,
whichever worker answers, with Redis and without it (the database's shared cache).

Each test starts gunicorn with two workers on a free loopback port, on a SQLite file migrated once for the
module, and sends the attempts two at a time, so that both workers are busy and both answer (each
attempt checks an Argon2 hash, a few tenths of a second). The access log names the worker of each answer.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_SERVER = shutil.which("redis-server")

pytestmark = pytest.mark.skipif(
    not GUNICORN.exists() or REDIS_SERVER is None,
    reason="needs gunicorn (requirements/prod.txt) and redis-server (apt-get install redis-server)",
)

PASSWORD = "a long passphrase for zoe"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} does not listen on {port}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def base_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A production's settings (debug off, its own secret and signing keys) on a migrated SQLite file with
    one user."""
    folder = tmp_path_factory.mktemp("throttle")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env |= {
        "DATABASE_URL": f"sqlite:///{folder / 'guichet.sqlite3'}",
        "GUICHET_VAR_DIR": str(folder),
        "SECRET_KEY": "throttle-test-" + "k" * 50,
        "GUICHET_SIGNING_KEY_FILE": str(folder / "signing-key.pem"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "guichet.web.settings",
    }
    command = [sys.executable, "-m", "guichet.cli"]
    subprocess.run([*command, "audit", "generate-key", env["GUICHET_SIGNING_KEY_FILE"]], env=env, check=True)
    manage = [*command, "manage"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=folder)
    create = (
        "from guichet.accounts.models import User; "
        f"User.objects.create_user('zoe', password={PASSWORD!r}, role='agency')"
    )
    subprocess.run([*manage, "shell", "-c", create], env=env, check=True, cwd=folder)
    return env


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A private redis-server on a free port, gone after the test."""
    port = free_port()
    assert REDIS_SERVER is not None
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(port, server, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(server)


def serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "guichet.web.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            # The application is loaded before the workers fork, so that both take requests at once.
            "--preload",
            "--access-logfile",
            str(log),
            # the worker's process id, then the status and the request
            "--access-logformat",
            "%(p)s %(s)s %(r)s",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    wait_for(port, server, "gunicorn")
    # Both workers up: pages asked two at a time until each worker has answered one.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(50):
            list(pool.map(lambda _n: csrf(port), (0, 1)))
            if len(workers_of(log, "GET", "/accounts/login/")) == 2:
                break
    return server, port


def csrf(port: int) -> tuple[str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert response.status == 200 and cookie and token
    return cookie.group(1), token.group(1)


def attempt(port: int, cookie: str, token: str, password: str) -> int:
    """One sign-in through the web form, on a connection of its own (any worker may take it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urlencode({"csrfmiddlewaretoken": token, "username": "zoe", "password": password})
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
    )
    status = connection.getresponse().status
    connection.close()
    return status


def workers_of(log: Path, method: str, path: str) -> dict[str, list[int]]:
    """The statuses each worker (by process id) answered to `method path`."""
    answers: dict[str, list[int]] = {}
    for line in log.read_text().splitlines() if log.exists() else []:
        pid, status, request = line.split(" ", 2)
        if request.startswith(f"{method} {path}"):
            answers.setdefault(pid, []).append(int(status))
    return answers


@pytest.mark.parametrize("shared_cache", ["redis", "database"])
def test_five_wrong_passwords_then_refusals_whichever_of_two_workers_answers(
    base_env: dict[str, str], request: pytest.FixtureRequest, tmp_path: Path, shared_cache: str
) -> None:
    # Without REDIS_URL the counters go to the database's shared cache table, new with the module's database.
    env = dict(base_env)
    if shared_cache == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    log = tmp_path / "access.log"
    server, port = serve(env, log)
    try:
        cookie, token = csrf(port)
        with ThreadPoolExecutor(max_workers=2) as pool:
            statuses = []
            for _pair in range(5):
                statuses += sorted(pool.map(lambda n: attempt(port, cookie, token, f"wrong-{n}"), (0, 1)))
        right = attempt(port, cookie, token, PASSWORD)
    finally:
        stop(server)
    # Ten wrong passwords, two at a time: the form answers five of them (200, "wrong password"), the
    # limit refuses the other five (429), and then the right password too, within the minute.
    assert statuses == [200] * 5 + [429] * 5
    assert right == 429
    answers = workers_of(log, "POST", "/accounts/login/")
    assert len(answers) == 2, answers  # both workers answered...
    assert all(429 in statuses for statuses in answers.values()), answers  # ...and both refused
