"""The Celery application. Tasks are discovered in each app's `tasks.py`.

Without a broker (`REDIS_URL` unset) settings make every task run eagerly in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obcms.settings")

app = Celery("obcms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
