"""Weeks as the dashboards count them: Monday to Sunday, in the office's calendar."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from common.models import Status

WEEKS_AHEAD = 8
OPEN = ~Q(status__in=[Status.COMPLETED, Status.CANCELLED])


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_starts(today: dt.date, count: int = WEEKS_AHEAD) -> list[dt.date]:
    """Mondays of this week and the `count - 1` weeks after it."""
    first = monday_of(today)
    return [first + dt.timedelta(weeks=i) for i in range(count)]


def week_label(monday: dt.date) -> str:
    """'W14 · 30 Mar' — ISO week number and the Monday, short enough for an axis."""
    return f"W{monday.isocalendar().week:02d} · {monday.day} {monday:%b}"


def due_in_week(monday: dt.date, prefix: str = "") -> Q:
    """Open items due in the week starting `monday` (`prefix` for lookups through a relation)."""
    sunday = monday + dt.timedelta(days=6)
    return Q(**{f"{prefix}due_date__gte": monday, f"{prefix}due_date__lte": sunday})
