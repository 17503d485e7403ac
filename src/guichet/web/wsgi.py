"""WSGI entry point: `gunicorn guichet.web.wsgi` in production (see README)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
application = get_wsgi_application()
