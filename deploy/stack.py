"""The deployment of deploy/ brought up on loopback: for deploy/smoke and bench/bench_nginx_search.py.

Each process is started with the command its systemd unit runs: the unit's ExecStart and Environment=,
`${VAR}` taken from the environment file (deploy/guichet.env) and `%i`, `%H` expanded as systemd does. The
run folder stands for /srv/guichet (the virtual environment excepted: this interpreter's), so the unit
files, the environment file and nginx's rules are used as written, their production paths moved under the
run folder. nginx runs from a small main configuration of its own under the run folder (no system file is
read or written) holding the site's upstream block and its rules file (deploy/nginx/), on a free port.
Redis is a private redis-server on a free port; PostgreSQL a database of its own, created and dropped.

Every process is started in a session of its own and its process group id written to `<run>/pids/`, so
that whoever stops it (this module, or deploy/smoke's trap if this process dies) ends it and its children
by id. Nothing else on the machine is touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
REPO = DEPLOY.parent
PRODUCTION_ROOT = "/srv/guichet"
PRODUCTION_VENV = "/srv/guichet/venv"
ENV_FILE = DEPLOY / "guichet.env"
WEB_UNIT = DEPLOY / "systemd" / "guichet-web.service"
WORKER_UNIT = DEPLOY / "systemd" / "guichet-worker@.service"
NGINX_SITE = DEPLOY / "nginx" / "guichet.conf"
NGINX_RULES = DEPLOY / "nginx" / "guichet-locations.conf"
POSTGRES_URL = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def read_env_file(path: Path) -> dict[str, str]:
    """An EnvironmentFile= as systemd reads the simple form: KEY=VALUE lines, comments, optional quotes."""
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()):
            raise ValueError(f"{path}:{number}: not KEY=VALUE: {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class Unit:
    path: Path
    exec_start: str
    environment: dict[str, str]
    working_directory: str

    def command(self, env: dict[str, str], *, instance: str = "") -> list[str]:
        """ExecStart as systemd runs it: split like a shell, `${VAR}` replaced by the environment's value
        (a whole word each here), specifiers `%i` (the instance) and `%H` (the host name) expanded."""

        def variable(match: re.Match[str]) -> str:
            if match.group(1) not in env:
                raise KeyError(f"{self.path.name}: ${{{match.group(1)}}} is not in the environment file")
            return env[match.group(1)]

        return [
            re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", variable, specifiers(word, instance))
            for word in shlex.split(self.exec_start)
        ]


def specifiers(text: str, instance: str) -> str:
    return re.sub(
        r"%([%iH])", lambda m: {"%": "%", "i": instance, "H": socket.gethostname()}[m.group(1)], text
    )


def read_unit(path: Path) -> Unit:
    exec_start, workdir = "", "/"
    environment: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if not sep or line.startswith("#"):
            continue
        if key == "ExecStart":
            exec_start = value
        elif key == "Environment":
            for item in shlex.split(value):
                name, _, setting = item.partition("=")
                environment[name] = setting
        elif key == "WorkingDirectory":
            workdir = value
    if not exec_start:
        raise ValueError(f"{path}: no ExecStart")
    return Unit(path=path, exec_start=exec_start, environment=environment, working_directory=workdir)


def upstream_block(site: str) -> str:
    match = re.search(r"^upstream guichet_app \{.*?^\}", site, flags=re.M | re.S)
    if match is None:
        raise ValueError(f"{NGINX_SITE}: no `upstream guichet_app` block")
    return match.group(0)


@dataclass
class Stack:
    """The processes of a deployment on loopback, started from deploy/'s files and stopped by id."""

    run: Path
    database: str
    overrides: dict[str, str] = field(default_factory=dict)
    workers: int = 2
    log: Callable[[str], None] = field(default=lambda text: print(text, flush=True))
    web_port: int = field(default_factory=free_port)
    nginx_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    database_created: bool = False

    def __post_init__(self) -> None:
        self.run = self.run.resolve()
        # nginx's workers run as another user when this one is root: they must reach the static and media
        # files through the run folder, as www-data reaches /srv/guichet/var through the guichet group.
        self.run.chmod(0o755)
        for folder in ("logs", "pids", "nginx", "redis", "var"):
            (self.run / folder).mkdir(mode=0o755, exist_ok=True)
        self.venv = Path(sys.prefix)
        self.bin = self.venv / "bin"

    # --- paths and environment ------------------------------------------------------------------------
    def localise(self, text: str) -> str:
        """Production paths moved under the run folder; the virtual environment is this interpreter's."""
        return text.replace(PRODUCTION_VENV, str(self.venv)).replace(PRODUCTION_ROOT, str(self.run))

    @property
    def var(self) -> Path:
        return Path(self.env["GUICHET_VAR_DIR"])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def build_env(self) -> None:
        """The environment file as shipped, its paths moved, with the values a loopback run needs. An
        override must name a variable the file has: the file stays the complete list."""
        shipped = {key: self.localise(value) for key, value in read_env_file(ENV_FILE).items()}
        loopback = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "GUICHET_SIGNING_KEY_FILE": str(self.run / "signing-key.pem"),
            "DATABASE_URL": f"{POSTGRES_URL}/{self.database}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "GUICHET_BIND": f"127.0.0.1:{self.web_port}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GUICHET_SITE_URL": self.base_url,
            "CSRF_TRUSTED_ORIGINS": self.base_url,
            # Plain HTTP on loopback: no TLS to insist on.
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            **self.overrides,
        }
        unknown = set(loopback) - set(shipped)
        if unknown:
            raise KeyError(f"{ENV_FILE.name} lacks {sorted(unknown)}")
        self.changed = sorted(key for key in loopback if loopback[key] != shipped[key])
        # What systemd gives a service: its own variables, no inherited shell environment.
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": str(self.run)}
        self.env |= shipped | loopback

    def unit_env(self, unit: Unit) -> dict[str, str]:
        return self.env | {key: self.localise(value) for key, value in unit.environment.items()}

    # --- processes -----------------------------------------------------------------------------------
    def start(self, name: str, argv: list[str], *, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
        log = (self.run / "logs" / f"{name}.log").open("ab")
        process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        (self.run / "pids" / name).write_text(str(process.pid))
        self.processes[name] = process
        return process

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # The group may outlive its leader (a gunicorn worker): ended too, by the same id.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        (self.run / "pids" / name).unlink(missing_ok=True)

    def manage(self, *args: str) -> None:
        """A command of the deployment's recipe (docs/deployment.md), with the services' environment."""
        command = [str(self.bin / "guichet"), *args]
        started = time.monotonic()
        with (self.run / "logs" / "setup.log").open("ab") as log:
            log.write(f"$ {shlex.join(command)}\n".encode())
            log.flush()
            result = subprocess.run(command, env=self.env, cwd=self.run, stdout=log, stderr=subprocess.STDOUT)
        if result.returncode:
            raise RuntimeError(f"{shlex.join(args)} failed ({result.returncode}): see {log.name}")
        self.log(f"   {shlex.join(['guichet', *args])}  ({time.monotonic() - started:.1f} s)")

    def wait_http(self, url: str, process: subprocess.Popen[bytes], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with {process.returncode}: {self.tail(what)}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    response.read()
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{what} does not answer at {url} after {timeout:.0f} s")

    def tail(self, name: str, lines: int = 20) -> str:
        path = self.run / "logs" / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    # --- the services ------------------------------------------------------------------------------------
    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self.database_created = True

    def drop_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self.database_created = False

    def start_redis(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError("redis-server is missing: apt-get install redis-server")
        argv = [server, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", ""]
        argv += ["--appendonly", "no", "--dir", str(self.run / "redis")]
        process = self.start("redis", argv, env={"PATH": self.env["PATH"]}, cwd=self.run / "redis")
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.redis_port), timeout=1).close()
                return
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {self.tail('redis')}") from None
                time.sleep(0.1)

    def start_unit(self, name: str, unit_path: Path, *, instance: str = "") -> list[str]:
        unit = read_unit(unit_path)
        env = self.unit_env(unit)
        argv = [self.localise(word) for word in unit.command(env, instance=instance)]
        self.start(name, argv, env=env, cwd=Path(self.localise(unit.working_directory)))
        return argv

    def nginx_conf(self) -> Path:
        folder = self.run / "nginx"
        rules = folder / "guichet-locations.conf"
        rules.write_text(self.localise(NGINX_RULES.read_text(encoding="utf-8")))
        upstream = upstream_block(NGINX_SITE.read_text(encoding="utf-8"))
        bind = read_env_file(ENV_FILE)["GUICHET_BIND"]
        if bind not in upstream:
            raise ValueError(f"{NGINX_SITE.name}'s upstream does not name GUICHET_BIND ({bind})")
        upstream = upstream.replace(bind, self.env["GUICHET_BIND"])
        temp = "\n".join(
            f"    {kind}_temp_path {folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = folder / "nginx.conf"
        conf.write_text(
            f"""# deploy/stack.py: a private nginx for a loopback run; the site's rules are deploy/nginx/'s.
worker_processes 2;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    access_log {folder / "access.log"};
{temp}

{upstream}

    server {{
        listen 127.0.0.1:{self.nginx_port};
        server_name 127.0.0.1 localhost;
        include {rules};
    }}
}}
"""
        )
        return conf

    def start_nginx(self) -> list[str]:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError("nginx is missing: apt-get install nginx")
        conf = self.nginx_conf()
        folder = self.run / "nginx"
        argv = [nginx, "-p", f"{folder}/", "-c", str(conf), "-e", str(folder / "error.log")]
        test = subprocess.run([*argv, "-t", "-q"], capture_output=True, text=True)
        if test.returncode:
            raise RuntimeError(f"nginx refuses its configuration: {test.stderr.strip()}")
        self.start("nginx", [*argv, "-g", "daemon off;"], env={"PATH": self.env["PATH"]}, cwd=folder)
        return argv

    def prepare(self) -> None:
        """The environment, the PostgreSQL database and Redis: what the recipe's commands need."""
        self.build_env()
        self.log(f"== environment: deploy/guichet.env, changed for loopback: {', '.join(self.changed)}")
        self.create_database()
        self.log(f"== PostgreSQL database {self.database} created")
        self.start_redis()
        self.log(f"== redis-server on 127.0.0.1:{self.redis_port}")

    def start_services(self) -> None:
        """gunicorn, the background workers and nginx, as their units and site file say."""
        argv = self.start_unit("web", WEB_UNIT)
        self.log(f"== guichet-web.service: {shlex.join(argv)}")
        self.wait_http(self.web_url + "/", self.processes["web"], "web")
        for instance in range(1, self.workers + 1):
            argv = self.start_unit(f"worker-{instance}", WORKER_UNIT, instance=str(instance))
            self.log(f"== guichet-worker@{instance}.service: {shlex.join(argv)}")
        argv = self.start_nginx()
        self.log(f"== nginx: {shlex.join(argv)} (listening on {self.base_url})")
        self.wait_http(self.base_url + "/", self.processes["nginx"], "nginx")

    def up(self, *, setup: Iterable[tuple[str, ...]]) -> None:
        """PostgreSQL database, Redis, the recipe's commands, then gunicorn, the workers and nginx."""
        self.prepare()
        self.manage("audit", "generate-key", self.env["GUICHET_SIGNING_KEY_FILE"])
        for command in setup:
            self.manage(*command)
        self.start_services()

    def down(self) -> None:
        """Everything started, in reverse order, then the database; whatever happened before."""
        for name in reversed(list(self.processes)):
            self.stop(name)
        if self.database_created:
            self.drop_database()
