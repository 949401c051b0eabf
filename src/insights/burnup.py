"""Burn-up of a project or subtree from the change history (django-simple-history's records).

One query: each history record of the subtree's items, with the status of the record before it
(a window function), is turned into two changes — to the total (+1 created, −1 deleted) and to
the completed count (+1 on becoming completed, −1 on leaving it or being deleted while
completed) — and those are summed per week in the database. The running total of the weekly
sums is the burn-up. Items are those now in the subtree; an item deleted from it no longer
counts in any week.

`weighted_progress` reads the same records for the second picture: at the end of each week,
Σ(progress × weight) / Σ(weight) over the subtree's leaves (items with no children now) as they
stood then — with every weight 1 (the default) that is the sum of progress over the item count.
Leaves only, because theirs is the progress people enter (and the history records); a parent's
progress is a roll-up of its children and would count the same work twice. Each record adds
its own progress × weight and weight and takes back the previous record's (a window function),
so the weekly sums in the database add up to the state at each week's end.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections, router
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.utils import timezone

from common.models import WorkItem
from common.tree import subtree_ids_expression

from .charts import Chart, Series
from .periods import monday_of, week_label

MAX_WEEKS = 26


def _week_ends(first: dt.date, last: dt.date) -> list[dt.datetime]:
    """Local midnights after each week from `first`'s to `last`'s (at most MAX_WEEKS)."""
    start = max(monday_of(first), monday_of(last) - dt.timedelta(weeks=MAX_WEEKS - 1))
    ends, monday = [], start
    while monday <= last:
        monday += dt.timedelta(weeks=1)
        ends.append(timezone.make_aware(dt.datetime.combine(monday, dt.time.min)))
    return ends


def _previous(field: str) -> Window:
    """The same item's `field` in its record before this one."""
    return Window(Lag(field), partition_by=[F("id")], order_by=[F("history_date"), F("history_id")])


def _weekly(
    project: WorkItem,
    ends: list[dt.datetime],
    sums: str,
    leaves_only: bool = False,
    **previous: Window,
) -> dict:
    """`sums` (SQL over the history rows `h`) grouped by the week each record falls in."""
    records = WorkItem.history.model.objects.filter(id__in=subtree_ids_expression(project.pk))
    if leaves_only:
        parents = WorkItem.objects.filter(parent__isnull=False).values("parent_id")
        records = records.exclude(id__in=parents)
    history = records.annotate(**previous).values(
        "history_type", "history_date", "status", "progress", "weight", *previous
    )
    inner, params = history.query.sql_with_params()
    # The history's own database (a replica on the dashboards, obcms.replicas).
    db = connections[router.db_for_read(records.model)]
    adapt = db.ops.adapt_datetimefield_value
    bucket = " ".join(f"WHEN h.history_date < %s THEN {i}" for i in range(len(ends)))
    sql = f"""
        SELECT CASE {bucket} ELSE {len(ends)} END AS week, {sums}
        FROM ({inner}) h GROUP BY 1 ORDER BY 1
    """
    with db.cursor() as cursor:
        cursor.execute(sql, [*(adapt(e) for e in ends), *params])
        return {row[0]: row[1:] for row in cursor.fetchall()}


def _labels(ends: list[dt.datetime]) -> list[str]:
    return [week_label(e.date() - dt.timedelta(weeks=1)) for e in ends]


def weighted_progress(project: WorkItem, today: dt.date | None = None) -> Chart:
    """Weighted progress of the subtree (%) at the end of each week (one query)."""
    today = today or timezone.localdate()
    ends = _week_ends(timezone.localdate(project.created_at), today)
    weekly = _weekly(
        project,
        ends,
        """
          SUM(CASE WHEN h.history_type = '-' THEN -h.progress * h.weight
                   ELSE h.progress * h.weight - COALESCE(h.prev_progress * h.prev_weight, 0) END),
          SUM(CASE WHEN h.history_type = '-' THEN -h.weight
                   ELSE h.weight - COALESCE(h.prev_weight, 0) END)
        """,
        leaves_only=True,
        prev_progress=_previous("progress"),
        prev_weight=_previous("weight"),
    )
    values: list[float | None] = []
    points, weights = 0, 0
    for week in range(len(ends)):
        change = weekly.get(week, (0, 0))
        points, weights = points + int(change[0] or 0), weights + int(change[1] or 0)
        values.append(round(points / weights, 1) if weights else None)
    return Chart(
        name="weighted-progress",
        title=f"Weighted progress of {project.title}",
        kind="line",
        unit="%",
        category_label="Week",
        categories=_labels(ends),
        series=[Series("Weighted progress (%)", values)],
    )


def burnup(project: WorkItem, today: dt.date | None = None) -> Chart:
    today = today or timezone.localdate()
    ends = _week_ends(timezone.localdate(project.created_at), today)
    weekly = _weekly(
        project,
        ends,
        """
          SUM(CASE WHEN h.history_type = '+' THEN 1 WHEN h.history_type = '-' THEN -1 ELSE 0 END),
          SUM(CASE
            WHEN h.history_type = '-' THEN CASE WHEN h.status = 'completed' THEN -1 ELSE 0 END
            WHEN h.status = 'completed' AND (h.prev_status IS NULL OR h.prev_status <> 'completed')
              THEN 1
            WHEN h.status <> 'completed' AND h.prev_status = 'completed' THEN -1
            ELSE 0 END)
        """,
        prev_status=_previous("status"),
    )
    totals, completed, total, done = [], [], 0, 0
    for week in range(len(ends)):
        change = weekly.get(week, (0, 0))
        total, done = total + int(change[0] or 0), done + int(change[1] or 0)
        totals.append(total)
        completed.append(done)
    labels = _labels(ends)
    marks = {}
    if project.due_date:
        due_week = week_label(monday_of(project.due_date))
        marks["due"] = due_week if due_week in labels else ""
        marks["due_date"] = project.due_date.isoformat()
    return Chart(
        name="burnup",
        title=f"Burn-up of {project.title}",
        kind="line",
        category_label="Week",
        categories=labels,
        series=[Series("Items", totals), Series("Completed", completed)],
        marks=marks,
    )
