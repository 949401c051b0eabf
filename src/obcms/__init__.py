"""OBCMS Work project package: settings, URLs, the Celery app and system checks."""

from .celery import app as celery_app

__all__ = ["celery_app"]
