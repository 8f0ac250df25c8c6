"""WSGI entry point (gunicorn parole_wizard.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parole_wizard.settings")
application = get_wsgi_application()
