"""Celery tasks of the insights app (scheduled in obcms/celery.py)."""

from __future__ import annotations

from celery import shared_task

from .weekly import send_weekly_status as send


@shared_task
def send_weekly_status() -> int:
    """Monday morning: the weekly status e-mail to each manager who opted in (once a week)."""
    return len(send())
