"""A project for the report tests: a few items through the services (with history), and as many
more as a test asks written straight to the table, so size does not slow the tests down."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from common.models import WorkItem
from common.services import update_work_item
from testing.builders import item


def project_with_items(cast, title: str = "Coastal Livelihood Programme") -> WorkItem:
    today = timezone.localdate()
    project = item(
        "project",
        title,
        organization=cast.office,
        due_date=today + dt.timedelta(days=60),
        allocated_budget=Decimal("100000.00"),
        actual_expenditure=Decimal("25000.00"),
    )
    phase = item("sub_project", "Phase one", parent=project, due_date=today + dt.timedelta(days=30))
    activity = item("activity", "Training", parent=phase, due_date=today + dt.timedelta(days=20))
    item("task", "Book the venue", parent=activity, due_date=today - dt.timedelta(days=3))
    done = item("task", "Invite trainers", parent=activity)
    update_work_item(cast.manager, done, status="completed")
    project.refresh_from_db()
    return project


def grow(project: WorkItem, count: int, prefix: str = "Bulk task") -> None:
    """`count` more tasks under a new activity of `project` (half of them late, a third done)."""
    today = timezone.localdate()
    activity = item("activity", f"{prefix} activity", parent=project)
    WorkItem.objects.bulk_create(
        WorkItem(
            organization_id=project.organization_id,
            work_type="task",
            title=f"{prefix} {n}",
            parent=activity,
            root_id=project.root_id or project.pk,
            position=n,
            status="completed" if n % 3 == 0 else "in_progress",
            progress=100 if n % 3 == 0 else 40,
            due_date=today + dt.timedelta(days=-5 if n % 2 else 5),
        )
        for n in range(count)
    )
