"""WSGI entry point (gunicorn micic.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "micic.settings")

application = get_wsgi_application()
