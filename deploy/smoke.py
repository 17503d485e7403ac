"""deploy/smoke's body: the deployment brought up on loopback, the journey played through nginx, then
everything stopped and the database dropped, whatever happened (deploy/smoke's trap is the net under this).

    .venv/bin/python deploy/smoke.py --run-dir DIR --database NAME [--keep-logs]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

from journey import Checks, Journey
from stack import ENV_FILE, REPO, Stack, read_env_file

# The recipe of docs/deployment.md, as the services' user runs it before starting them.
SETUP = (
    ("manage", "migrate", "--noinput", "-v", "0"),
    ("manage", "collectstatic", "--noinput", "-v", "0"),
    ("data", "load"),
    ("demo",),
)


def check_deploy(stack: Stack, checks: Checks) -> None:
    """The environment file as shipped, with its keys filled in, passes Django's deployment checklist."""
    env = {key: stack.localise(value) for key, value in read_env_file(ENV_FILE).items()}
    env |= {key: stack.env[key] for key in ("PATH", "SECRET_KEY", "GUICHET_SIGNING_KEY_FILE")}
    result = subprocess.run(
        [str(stack.bin / "guichet"), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=stack.run,
        capture_output=True,
        text=True,
    )
    output = (result.stdout + result.stderr).strip().splitlines()
    checks.check(
        "deploy/guichet.env as shipped (SECRET_KEY and the signing key filled in) passes check --deploy at "
        "WARNING",
        result.returncode == 0,
        output[-1] if output else "",
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--keep-logs", type=Path, help="copy the logs there before the run folder goes")
    args = parser.parse_args()
    # Stopped by deploy/smoke (Ctrl-C, a CI timeout): an exception, so that everything is stopped below.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))

    started = time.monotonic()
    stack = Stack(run=args.run_dir, database=args.database)
    checks = Checks()
    print(
        f"== deploy/smoke: the deployment of {REPO / 'deploy'} on loopback, run folder {stack.run}",
        flush=True,
    )
    try:
        stack.up(setup=SETUP)
        print(f"== up in {time.monotonic() - started:.0f} s; the checks:", flush=True)
        check_deploy(stack, checks)
        Journey(
            base_url=stack.base_url,
            web_url=stack.web_url,
            var=stack.var,
            database_url=stack.env["DATABASE_URL"],
            web_log=stack.run / "logs" / "web.log",
            worker_logs=[stack.run / "logs" / f"worker-{n}.log" for n in range(1, stack.workers + 1)],
            checks=checks,
        ).play()
        alive = [name for name, process in stack.processes.items() if process.poll() is None]
        checks.check(
            "every process is still running at the end",
            len(alive) == len(stack.processes),
            ", ".join(alive),
        )
    except BaseException as error:  # reported, then everything is stopped
        checks.check("the stack runs", False, f"{type(error).__name__}: {error}")
        traceback.print_exc()
        for name in ("setup", "web", "worker-1", "worker-2", "nginx"):
            tail = stack.tail(name)
            if tail:
                print(f"--- last lines of {name}.log\n{tail}")
    finally:
        if args.keep_logs:
            shutil.copytree(stack.run / "logs", args.keep_logs, dirs_exist_ok=True)
        stack.down()
        print(f"== stopped every process and dropped {stack.database}", flush=True)
    passed = len(checks.results) - checks.failed
    print(f"== {passed} of {len(checks.results)} checks passed in {time.monotonic() - started:.0f} s")
    return 1 if checks.failed or not checks.results else 0


if __name__ == "__main__":
    sys.exit(main())
