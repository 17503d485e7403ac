"""ASGI entry point (same refusal of unsafe settings as the WSGI one)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
application = get_asgi_application()

from guichet.web.checks import refuse_unsafe_production  # noqa: E402  (needs the settings loaded)

refuse_unsafe_production()
