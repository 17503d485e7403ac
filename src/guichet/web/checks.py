"""Start-up checks: a production (DEBUG off) never runs with a missing or publicly known secret key.

The key signs sessions, password-reset links and CSRF tokens: with the development key, which is in this
repository, anyone could forge them. The WSGI and ASGI entry points refuse to load, so neither gunicorn nor
`runserver` starts; `check --deploy` reports it as error guichet.E001 (registered when the settings import
this module). Commands that serve nothing (`migrate`, `data load`, the background worker) still run, so an
operator can prepare a database first.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "django-insecure-guichet-development-key-set-SECRET_KEY-in-production"
UNSAFE_SECRET_KEY = (
    "SECRET_KEY is not set (or is the development key) while DEBUG is off: set SECRET_KEY to a long random "
    'value, e.g. python3 -c "import secrets; print(secrets.token_urlsafe(50))", or DEBUG=1 on a '
    "developer's machine."
)


def unsafe_settings() -> list[str]:
    """What makes these settings unfit for a production; empty when they are fine."""
    problems = []
    if not settings.DEBUG and settings.SECRET_KEY in {"", DEVELOPMENT_SECRET_KEY}:
        problems.append(UNSAFE_SECRET_KEY)
    return problems


@register(Tags.security, deploy=True)
def check_production_secret_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [Error(problem, id="guichet.E001") for problem in unsafe_settings()]


def refuse_unsafe_production() -> None:
    """Called by the WSGI and ASGI entry points: the server does not start on unsafe settings."""
    problems = unsafe_settings()
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


SITE_URL_MISSING = (
    "GUICHET_SITE_URL is not set: the links in e-mails point to http://127.0.0.1:8000. Set it to the "
    "address people reach the site at, e.g. https://guichet.example.org."
)


@register(deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """E-mails are written by services, often without a request: their links need the configured address."""
    return [] if settings.GUICHET_SITE_URL else [Warning(SITE_URL_MISSING, id="guichet.W001")]
