"""Start-up checks: a production (DEBUG off) never runs with weak settings.

- E001: the secret key signs sessions, password-reset links and CSRF tokens. With DEBUG off it must be
  set, at least 50 characters long, of at least 5 different characters, and not the development key (which
  is in this repository) even with spaces around it.
- E002: DEBUG shows settings and code to whoever triggers an error: it is refused with a host name in
  ALLOWED_HOSTS that is not this machine's own (localhost, 127.0.0.1, ::1, testserver, *.localhost).
- E003: the Ed25519 key that signs the audit chain's head and the backups (guichet.audit.signing) must be
  configured with DEBUG off (`GUICHET_SIGNING_KEY` or `GUICHET_SIGNING_KEY_FILE`), and its file readable by
  its owner only: the development key generated in var/ proves nothing.

The WSGI and ASGI entry points refuse to load, so neither gunicorn nor `runserver` starts; `check
--deploy` reports each problem under its id (registered when the settings import this module). Commands
that serve nothing (`migrate`, `data load`, the background worker) still run, so an operator can prepare a
database first.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "django-insecure-guichet-development-key-set-SECRET_KEY-in-production"
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_CHARACTERS = 5
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver"}
UNSAFE_SECRET_KEY = (
    "SECRET_KEY is not set, is the development key, or is weak (under 50 characters or under 5 different "
    "characters) while DEBUG is off: set SECRET_KEY to a long random value, e.g. python3 -c "
    '"import secrets; print(secrets.token_urlsafe(50))", or DEBUG=1 on a developer\'s machine.'
)
UNSAFE_DEBUG = (
    "DEBUG is on with a public host name in ALLOWED_HOSTS ({hosts}): debug pages show settings and code to "
    "anyone. Turn DEBUG off in production; with DEBUG on, only localhost, 127.0.0.1, ::1 and *.localhost."
)
MISSING_SIGNING_KEY = (
    "No signing key while DEBUG is off: set GUICHET_SIGNING_KEY_FILE to a key file written by "
    "`guichet audit generate-key FILE` (or GUICHET_SIGNING_KEY to its text). It signs the audit chain's "
    "head and the backups; see docs/audit.md."
)


def weak_secret_key(key: str) -> bool:
    stripped = key.strip()
    return (
        stripped == DEVELOPMENT_SECRET_KEY
        or len(stripped) < MIN_SECRET_KEY_LENGTH
        or len(set(stripped)) < MIN_SECRET_KEY_CHARACTERS
    )


def is_local_host(host: str) -> bool:
    name = host.strip().lower()
    return name in LOCAL_HOSTS or name == ".localhost" or name.endswith(".localhost")


def _signing_key_problems() -> list[tuple[str, str]]:
    from guichet.audit.signing import SigningKeyError, current_key, key_file_problem

    if not settings.GUICHET_SIGNING_KEY and not settings.GUICHET_SIGNING_KEY_FILE:
        return [("guichet.E003", MISSING_SIGNING_KEY)]
    if not settings.GUICHET_SIGNING_KEY and (
        problem := key_file_problem(str(settings.GUICHET_SIGNING_KEY_FILE))
    ):
        return [("guichet.E003", problem)]
    try:
        current_key()
    except SigningKeyError as error:
        return [("guichet.E003", str(error))]
    return []


def unsafe_settings_with_ids() -> list[tuple[str, str]]:
    """What makes these settings unfit for a production, with each problem's check id; empty when fine."""
    problems = []
    if settings.DEBUG:
        public = [host for host in settings.ALLOWED_HOSTS if not is_local_host(host)]
        if public:
            problems.append(("guichet.E002", UNSAFE_DEBUG.format(hosts=", ".join(public))))
        return problems
    if weak_secret_key(settings.SECRET_KEY):
        problems.append(("guichet.E001", UNSAFE_SECRET_KEY))
    problems.extend(_signing_key_problems())
    return problems


def unsafe_settings() -> list[str]:
    return [problem for _id, problem in unsafe_settings_with_ids()]


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [Error(problem, id=check_id) for check_id, problem in unsafe_settings_with_ids()]


def refuse_unsafe_production() -> None:
    """Called by the WSGI and ASGI entry points: the server does not start on unsafe settings. Then the
    restores a SIGKILL left behind are removed (their folders are private meanwhile)."""
    problems = unsafe_settings()
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
    from guichet.backup import restore_folders_cleanup

    restore_folders_cleanup()


SITE_URL_MISSING = (
    "GUICHET_SITE_URL is not set: the links in e-mails point to http://127.0.0.1:8000. Set it to the "
    "address people reach the site at, e.g. https://guichet.example.org."
)


@register(deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """E-mails are written by services, often without a request: their links need the configured address."""
    return [] if settings.GUICHET_SITE_URL else [Warning(SITE_URL_MISSING, id="guichet.W001")]
