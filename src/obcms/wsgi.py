"""WSGI entry point (granian or gunicorn): `obcms.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obcms.settings")
application = get_wsgi_application()
