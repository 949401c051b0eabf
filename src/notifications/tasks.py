"""Celery tasks for notifications. Each is idempotent, so retries and overlaps are harmless."""

from __future__ import annotations

import logging

from celery import shared_task

from . import delivery

log = logging.getLogger(__name__)


@shared_task
def notify_assignment(
    item_id: int, user_ids: list[int], team_ids: list[int], actor_id: int | None
) -> int:
    return delivery.notify_assignment(item_id, user_ids, team_ids, actor_id)


@shared_task
def send_reminders() -> dict[str, int]:
    """Due-soon reminders and overdue notices (scheduled hourly; sends each one once)."""
    result = {"due_soon": delivery.send_due_reminders(), "overdue": delivery.send_overdue_notices()}
    log.info("reminders sent: %s", result)
    return result


@shared_task
def send_pending_emails() -> int:
    """E-mails that failed (mail server down) are retried hourly for a day."""
    return delivery.send_pending_emails()


@shared_task
def send_daily_digests() -> int:
    return delivery.send_daily_digests()


@shared_task
def prune_notifications() -> int:
    return delivery.prune()
