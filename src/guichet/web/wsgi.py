"""WSGI entry point: `gunicorn guichet.web.wsgi` in production (see README)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
application = get_wsgi_application()

from guichet.web.checks import refuse_unsafe_production  # noqa: E402  (needs the settings loaded)

refuse_unsafe_production()
