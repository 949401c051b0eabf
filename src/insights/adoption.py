"""Adoption and satisfaction, week by week: who is using the product and what they think.

"Active" means a person changed a work item or wrote a comment that week (read-only visits are
not recorded per person). Each chart is one grouped query over the last `WEEKS` weeks.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from collaboration.models import Comment
from common.models import WorkItem
from operations.models import Feedback

from .charts import Chart, Series

WEEKS = 12


def week_starts(today: dt.date, weeks: int = WEEKS) -> list[dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _since(weeks: list[dt.date]) -> dt.datetime:
    return dt.datetime.combine(weeks[0], dt.time(), tzinfo=timezone.get_current_timezone())


def _day(week) -> dt.date:
    """TruncWeek gives a datetime on PostgreSQL and SQLite alike; compare by its date."""
    return week.date() if isinstance(week, dt.datetime) else week


def _by_week(rows, weeks: list[dt.date], field: str = "n") -> list:
    found = {_day(row["week"]): row[field] for row in rows}
    return [found.get(w, 0) for w in weeks]


def _labels(weeks: list[dt.date]) -> list[str]:
    return [f"{w:%b %-d}" for w in weeks]


def activity(organization_ids, weeks: list[dt.date]) -> Chart:
    """Active people, items created and items changed per week (four grouped queries)."""
    since = _since(weeks)
    history = WorkItem.history.filter(history_date__gte=since, organization_id__in=organization_ids)
    changers = (
        history.exclude(history_user=None)
        .annotate(week=TruncWeek("history_date"))
        .values_list("week", "history_user")
        .distinct()
    )
    created = (
        history.filter(history_type="+")
        .annotate(week=TruncWeek("history_date"))
        .values("week")
        .annotate(n=Count("id"))
    )
    changed = (
        history.filter(history_type="~")
        .annotate(week=TruncWeek("history_date"))
        .values("week")
        .annotate(n=Count("id", distinct=True))
    )
    commenters = (
        Comment.objects.filter(
            created_at__gte=since, work_item__organization_id__in=organization_ids
        )
        .exclude(author=None)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week", "author")
        .distinct()
    )
    # A person who both changed and commented counts once: distinct (week, person) pairs.
    people: dict[dt.date, set[int]] = {}
    for week, person in [*changers, *commenters]:
        people.setdefault(_day(week), set()).add(person)
    active = [len(people.get(w, ())) for w in weeks]
    return Chart(
        name="activity",
        title="Use per week",
        kind="line",
        categories=_labels(weeks),
        category_label="Week of",
        series=[
            Series("Active people", active),
            Series("Items created", _by_week(created, weeks)),
            Series("Items changed", _by_week(changed, weeks)),
        ],
    )


def satisfaction(organization_ids, weeks: list[dt.date]) -> Chart:
    """Feedback given per week and its average rating (one grouped query)."""
    rows = (
        Feedback.objects.filter(
            created_at__gte=_since(weeks), user__organization_id__in=organization_ids
        )
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("id"), score=Avg("rating"))
    )
    rows = list(rows)
    scores = _by_week(rows, weeks, "score")
    return Chart(
        name="satisfaction",
        title="Feedback per week and average rating (1–5)",
        kind="bar",
        categories=_labels(weeks),
        category_label="Week of",
        series=[
            Series("Feedback given", _by_week(rows, weeks)),
            Series("Average rating", [round(s, 2) if s else None for s in scores]),
        ],
    )


def by_category(organization_ids, since: dt.datetime) -> Chart:
    rows = (
        Feedback.objects.filter(created_at__gte=since, user__organization_id__in=organization_ids)
        .values("category")
        .annotate(n=Count("id"), score=Avg("rating"), low=Count("id", filter=Q(rating__lte=2)))
        .order_by("category")
    )
    labels = dict(Feedback.Category.choices)
    rows = list(rows)
    return Chart(
        name="categories",
        title="Feedback by subject",
        kind="bar",
        categories=[labels.get(r["category"], r["category"]) for r in rows],
        category_label="Subject",
        series=[
            Series("Feedback given", [r["n"] for r in rows]),
            Series("Rated 1 or 2", [r["low"] for r in rows]),
            Series("Average rating", [round(r["score"], 2) for r in rows]),
        ],
    )


def latest_comments(organization_ids, limit: int = 20) -> list[Feedback]:
    return list(
        Feedback.objects.filter(user__organization_id__in=organization_ids)
        .exclude(comment="")
        .select_related("user")
        .order_by("-created_at")[:limit]
    )
