"""The portfolio dashboard's numbers: each chart is one grouped query in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from common.models import Status, WorkItem, WorkType

from .charts import Chart, Series
from .periods import OPEN, WEEKS_AHEAD, week_label, week_starts
from .scope import Scope

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
PROJECT_BARS = 40
RECENT = 10


@dataclass
class Headline:
    total: int
    open: int
    overdue: int
    at_risk: int
    completed: int


def headline(items: QuerySet[WorkItem], today: dt.date) -> Headline:
    """All headline counts in one query (conditional counts)."""
    row = items.aggregate(
        total=Count("id"),
        open=Count("id", filter=OPEN),
        overdue=Count("id", filter=OPEN & Q(due_date__lt=today)),
        at_risk=Count("id", filter=Q(status=Status.AT_RISK)),
        completed=Count("id", filter=Q(status=Status.COMPLETED)),
    )
    return Headline(**row)


def _counts_by(items: QuerySet[WorkItem], column: str) -> dict[str, int]:
    rows = items.order_by().values(column).annotate(n=Count("id")).values_list(column, "n")
    return dict(rows)


def by_status(scope: Scope, drill: str) -> Chart:
    counts = _counts_by(scope.items, "status")
    return Chart(
        name="status",
        title="Items by status",
        kind="bar",
        category_label="Status",
        categories=[label for _value, label in Status.choices],
        series=[Series("Items", [counts.get(value, 0) for value, _ in Status.choices])],
        links=[f"{drill}&status={value}" for value, _ in Status.choices],
    )


def by_type(scope: Scope, drill: str) -> Chart:
    counts = _counts_by(scope.items, "work_type")
    return Chart(
        name="type",
        title="Items by type",
        kind="bar",
        category_label="Type",
        categories=[label for _value, label in WorkType.choices],
        series=[Series("Items", [counts.get(value, 0) for value, _ in WorkType.choices])],
        links=[f"{drill}&work_type={value}" for value, _ in WorkType.choices],
    )


def project_progress(scope: Scope) -> Chart:
    """Each project's rolled-up progress (sub-projects too when one project is chosen)."""
    types = [WorkType.PROJECT, WorkType.SUB_PROJECT] if scope.project else [WorkType.PROJECT]
    rows = list(
        scope.items.filter(work_type__in=types)
        .order_by("title", "id")
        .values_list("pk", "title", "progress")[:PROJECT_BARS]
    )
    return Chart(
        name="projects",
        title="Progress of each project",
        kind="hbar",
        unit="%",
        category_label="Project",
        categories=[title for _pk, title, _p in rows],
        series=[Series("Progress (%)", [progress for _pk, _t, progress in rows])],
        links=[reverse("common:detail", args=[pk]) for pk, _t, _p in rows],
        marks={"reports": [reverse("insights_report:page", args=[pk]) for pk, _t, _p in rows]},
    )


def due_heatmap(scope: Scope, today: dt.date, drill: str) -> Chart:
    """Open items due on each day of the next 8 weeks (rows: weeks, columns: weekdays)."""
    mondays = week_starts(today)
    end = mondays[-1] + dt.timedelta(days=6)
    counts = dict(
        scope.items.filter(OPEN, due_date__gte=mondays[0], due_date__lte=end)
        .order_by()
        .values("due_date")
        .annotate(n=Count("id"))
        .values_list("due_date", "n")
    )
    columns: list[list[Any]] = [[] for _ in WEEKDAYS]
    for monday in mondays:
        for offset in range(7):
            columns[offset].append(counts.get(monday + dt.timedelta(days=offset), 0))
    return Chart(
        name="heatmap",
        title=f"Open items due, next {WEEKS_AHEAD} weeks",
        kind="heatmap",
        category_label="Week",
        categories=[week_label(m) for m in mondays],
        series=[Series(day, columns[i]) for i, day in enumerate(WEEKDAYS)],
        links=[f"{drill}&open=1&due_from={m}&due_to={m + dt.timedelta(days=6)}" for m in mondays],
    )


def recently_completed(items: QuerySet[WorkItem]) -> list[dict[str, Any]]:
    return list(
        items.filter(status=Status.COMPLETED, completed_at__isnull=False)
        .order_by("-completed_at", "-id")
        .values("pk", "title", "work_type", "completed_at")[:RECENT]
    )
