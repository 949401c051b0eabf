"""Small helpers for planning tests: an API client per person and dated items."""

from __future__ import annotations

from datetime import date

from rest_framework.test import APIClient

from common.models import SchedulingMode, WorkItem
from common.services import set_scheduling_mode
from testing.builders import item

#: Monday 2 March 2026: a plain working week in the Philippines (no holiday until 2 April).
MONDAY = date(2026, 3, 2)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def dated(
    title: str, parent: WorkItem, start: date | None, due: date | None, automatic=False, **fields
) -> WorkItem:
    """A task with dates; `automatic=True` switches it to automatic scheduling."""
    made = item("task", title, parent=parent, start_date=start, due_date=due, **fields)
    if automatic:
        set_scheduling_mode(None, made, SchedulingMode.AUTOMATIC)
        made = fresh(made)
    return made


def fresh(work_item: WorkItem) -> WorkItem:
    return WorkItem.objects.get(pk=work_item.pk)
