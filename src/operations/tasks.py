"""Scheduled operations jobs."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .backups import backup
from .models import RequestTiming

log = logging.getLogger(__name__)


@shared_task
def backup_database() -> str:
    made = backup(settings.BACKUP_DIR, keep=settings.BACKUP_KEEP)
    log.info("backup written: %s (%s bytes)", made.path, made.size)
    return str(made.path)


@shared_task
def prune_request_timings() -> int:
    deleted, _ = RequestTiming.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=14)
    ).delete()
    return deleted
