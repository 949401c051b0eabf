"""The Celery application and the one place the periodic schedule lives.

Tasks are discovered in each app's `tasks.py`. Without a broker (`REDIS_URL` unset) settings make
every task run eagerly in-process, so a single-server trial needs neither Redis nor a worker.
`celery -A obcms beat` runs the schedule below (times in the office time zone).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obcms.settings")

app = Celery("obcms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "reminders-hourly": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(minute=5),
    },
    "retry-unsent-emails-hourly": {
        "task": "notifications.tasks.send_pending_emails",
        "schedule": crontab(minute=35),
    },
    "daily-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    "weekly-status-monday": {
        "task": "insights.tasks.send_weekly_status",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    "verify-rollups-nightly": {
        "task": "common.tasks.verify_rollups",
        "schedule": crontab(hour=2, minute=0),
    },
    "prune-notifications-nightly": {
        "task": "notifications.tasks.prune_notifications",
        "schedule": crontab(hour=2, minute=30),
    },
    "prune-request-timings-nightly": {
        "task": "operations.tasks.prune_request_timings",
        "schedule": crontab(hour=2, minute=45),
    },
    "legacy-dual-write-retry-hourly": {
        "task": "legacy.tasks.retry_dual_writes",
        "schedule": crontab(minute=50),
    },
    "webhook-retries-every-minute": {
        "task": "integrations.tasks.retry_due_webhooks",
        "schedule": crontab(),
    },
    "backup-daily": {
        "task": "operations.tasks.backup_database",
        "schedule": crontab(hour=1, minute=30),
    },
}
