"""Django for the subcommands that need it: the project's settings, set up once."""

from __future__ import annotations

import os

SETTINGS_MODULE = "guichet.web.settings"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()
