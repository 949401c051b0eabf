"""The home page: what is on my plate, counted and listed with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from common.models import Status, WorkItem

from .tree_rows import decorate

LIST_LIMIT = 10
OPEN = ~Q(status__in=[Status.COMPLETED, Status.CANCELLED])


@dataclass
class MyWork:
    overdue_count: int
    due_this_week_count: int
    in_progress_count: int
    open_count: int
    overdue: list[WorkItem]
    due_this_week: list[WorkItem]
    in_progress: list[WorkItem]


def mine(user):
    """Items assigned to the user directly or through one of their teams."""
    return WorkItem.objects.visible_to(user).filter(
        pk__in=WorkItem.objects.filter(Q(assignees=user) | Q(teams__memberships__user=user)).values(
            "pk"
        )
    )


def load_my_work(user) -> MyWork:
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    overdue = Q(due_date__lt=today) & OPEN
    this_week = Q(due_date__gte=today, due_date__lte=week_end) & OPEN
    in_progress = Q(status=Status.IN_PROGRESS)
    base = mine(user)
    counts = base.aggregate(
        overdue=Count("pk", filter=overdue),
        week=Count("pk", filter=this_week),
        progress=Count("pk", filter=in_progress),
        open=Count("pk", filter=OPEN),
    )

    def listing(condition: Q, order: tuple[str, ...]) -> list[WorkItem]:
        rows = list(base.filter(condition).select_related("parent").order_by(*order)[:LIST_LIMIT])
        return decorate(user, rows)

    return MyWork(
        overdue_count=counts["overdue"],
        due_this_week_count=counts["week"],
        in_progress_count=counts["progress"],
        open_count=counts["open"],
        overdue=listing(overdue, ("due_date", "-priority_rank")),
        due_this_week=listing(this_week, ("due_date", "-priority_rank")),
        in_progress=listing(in_progress, ("due_date", "-priority_rank")),
    )
