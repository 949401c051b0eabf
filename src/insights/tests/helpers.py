"""Raw rows for the dashboard tests: items written straight to the table, as many as a test
needs, so the numbers can be recomputed from exactly what was written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accounts.models import Organization, User
from common.models import WorkItem

#: Titles of raw rows: a test's next `write_rows` replaces them, and only them.
RAW = "Raw item "


@dataclass
class Row:
    work_type: str
    status: str
    due_in: int | None
    assignees: list[int] = field(default_factory=list)


def write_rows(organization: Organization, rows: list[Row], today: dt.date) -> list[WorkItem]:
    """Replace the previous raw rows by top-level items with these fields and assignees."""
    earlier = WorkItem.objects.filter(title__startswith=RAW, root__isnull=True)
    WorkItem.assignees.through.objects.filter(workitem__in=earlier).delete()
    earlier.delete()
    items = WorkItem.objects.bulk_create(
        WorkItem(
            organization=organization,
            work_type=row.work_type,
            title=f"{RAW}{i}",
            status=row.status,
            due_date=None if row.due_in is None else today + dt.timedelta(days=row.due_in),
        )
        for i, row in enumerate(rows)
    )
    links = [
        WorkItem.assignees.through(workitem_id=item.pk, user_id=user_id)
        for item, row in zip(items, rows, strict=True)
        for user_id in row.assignees
    ]
    WorkItem.assignees.through.objects.bulk_create(links)
    return items


def people(*users: User) -> list[int]:
    return [u.pk for u in users]
