"""Small helpers for planning tests: an API client per person and dated items."""

from __future__ import annotations

from datetime import date, timedelta

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


def long_chain(project: WorkItem, length: int, automatic: bool = True) -> list[int]:
    """`length` one-day tasks under `project`, on consecutive working days, each following the
    one before — loaded in bulk, so a 2,000-item chain takes seconds."""
    from common.services import NewItem, bulk_create_items, bulk_link

    days, day = [], MONDAY
    while len(days) < length:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    keys = bulk_create_items(
        [
            NewItem(
                key=n,
                work_type="task",
                title=f"Step {n}",
                parent_id=project.pk,
                fields={"start_date": d, "due_date": d},
            )
            for n, d in enumerate(days)
        ]
    )
    ids = [keys[n] for n in range(length)]
    bulk_link(list(zip(ids[1:], ids[:-1], strict=True)), "depends_on")
    if automatic:  # test set-up only: the loader has no scheduling-mode field
        WorkItem.objects.filter(pk__in=ids).update(scheduling_mode=SchedulingMode.AUTOMATIC)
    return ids
