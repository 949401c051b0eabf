"""The project report: everything the page, the PDF and the XLSX show, read once.

The three formats render the same `Report`, so they can never disagree. Reading it costs a fixed
number of queries whatever the size of the project (one per section); each section is bounded
(`*_ROWS`) so a very large project still renders in the same time budget, and says when it was
cut short. Milestones are the project's sub-projects and activities (the structural checkpoints
of the tree; the model has no separate milestone type), ordered by due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common.models import Status, WorkItem, WorkType
from common.tree import subtree_ids_expression

from . import budget as budget_q
from . import portfolio as portfolio_q
from .burnup import burnup, weighted_progress
from .charts import Chart
from .periods import OPEN
from .scope import Scope

TREE_ROWS = 1000
LATE_ROWS = 200
MILESTONE_ROWS = 200
ACTIVITY_ROWS = 30
History = WorkItem.history.model
HISTORY_KINDS = {"+": "created", "~": "changed", "-": "deleted"}
STATUS_LABELS = dict(Status.choices)
TYPE_LABELS = dict(WorkType.choices)


@dataclass
class Row:
    """One item as a report line (tree, milestones, late items)."""

    pk: int
    title: str
    work_type: str
    status: str
    progress: int
    due_date: dt.date | None
    depth: int = 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.work_type, self.work_type)

    @property
    def indent(self) -> str:
        """Dots before a title show its level where no inline style may indent it."""
        return "· " * self.depth


@dataclass
class Activity:
    when: dt.datetime
    who: str
    kind: str
    title: str
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class Report:
    item: WorkItem
    today: dt.date
    headline: portfolio_q.Headline
    allocated: Decimal
    actual: Decimal
    charts: list[Chart]
    budget_rows: list[budget_q.BudgetRow]
    milestones: list[Row]
    late: list[Row]
    tree: list[Row]
    activity: list[Activity]
    cut: dict[str, bool] = field(default_factory=dict)

    @property
    def utilisation(self) -> Decimal | None:
        if not self.allocated:
            return None
        return (self.actual * 100 / self.allocated).quantize(Decimal("0.1"))

    def chart(self, name: str) -> Chart:
        return next(c for c in self.charts if c.name == name)

    @property
    def summary_text(self) -> list[tuple[str, str]]:
        return [(label, as_text(value)) for label, value in summary_pairs(self)]


def as_text(value: Any) -> str:
    """A summary value as the page and the PDF print it."""
    if value is None:
        return "–"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def report_item(user: User, pk: int) -> WorkItem:
    """The item if `user` may see it; otherwise 404, so its existence is not revealed."""
    return get_object_or_404(
        WorkItem.objects.visible_to(user).select_related("organization"), pk=pk
    )


def _rows(queryset: QuerySet[WorkItem], limit: int) -> tuple[list[Row], bool]:
    found = list(
        queryset.values_list("pk", "title", "work_type", "status", "progress", "due_date")[
            : limit + 1
        ]
    )
    return [Row(*values) for values in found[:limit]], len(found) > limit


def _tree(items: QuerySet[WorkItem], top: WorkItem) -> tuple[list[Row], bool]:
    """The subtree in outline order with depths (one query; ordered here from parent links)."""
    found = list(
        items.order_by("position", "id").values_list(
            "pk", "parent_id", "title", "work_type", "status", "progress", "due_date"
        )[: TREE_ROWS + 1]
    )
    children: dict[int | None, list[tuple]] = {}
    for values in found[:TREE_ROWS]:
        children.setdefault(values[1], []).append(values)
    rows: list[Row] = []
    stack = [(v, 0) for v in children.get(top.parent_id, []) if v[0] == top.pk]
    while stack:
        (pk, _parent, title, work_type, status, progress, due), depth = stack.pop()
        rows.append(Row(pk, title, work_type, status, progress, due, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(pk, [])))
    return rows, len(found) > TREE_ROWS


def _activity(items: QuerySet[WorkItem]) -> list[Activity]:
    records = (
        History.objects.filter(id__in=items.values("pk"))
        .order_by("-history_date", "-history_id")
        .values_list(
            "history_date",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
            "history_type",
            "title",
            "status",
        )[:ACTIVITY_ROWS]
    )
    return [
        Activity(
            when,
            f"{first or ''} {last or ''}".strip() or username or "The system",
            HISTORY_KINDS.get(kind, kind),
            title,
            status,
        )
        for when, first, last, username, kind, title, status in records
    ]


def load_report(user: User, pk: int, today: dt.date | None = None) -> Report:
    """Everything in the report, in eleven queries whatever the project's size."""
    today = today or timezone.localdate()
    item = report_item(user, pk)
    items = WorkItem.objects.visible_to(user).filter(pk__in=subtree_ids_expression(item.pk))
    params = {"organization": str(item.organization_id), "project": str(item.pk)}
    scope = Scope(items, item.organization, item.title, params, project=item)
    rows = budget_q.budget_rows(items)
    milestones, milestones_cut = _rows(
        items.filter(work_type__in=[WorkType.SUB_PROJECT, WorkType.ACTIVITY]).order_by(
            F("due_date").asc(nulls_last=True), "title", "id"
        ),
        MILESTONE_ROWS,
    )
    late, late_cut = _rows(
        items.filter(OPEN & Q(due_date__lt=today)).order_by("due_date", "title", "id"), LATE_ROWS
    )
    tree, tree_cut = _tree(items, item)
    return Report(
        item=item,
        today=today,
        headline=portfolio_q.headline(items, today),
        allocated=budget_q._money(item.allocated_budget),
        actual=budget_q._money(item.actual_expenditure),
        charts=[
            burnup(item, today),
            weighted_progress(item, today),
            portfolio_q.by_status(scope, f"{reverse('insights:items')}?{scope.query}"),
            budget_q.budget_chart(rows),
        ],
        budget_rows=rows,
        milestones=milestones,
        late=late,
        tree=tree,
        activity=_activity(items),
        cut={"milestones": milestones_cut, "late": late_cut, "tree": tree_cut},
    )


def summary_pairs(report: Report) -> list[tuple[str, Any]]:
    """The summary as (label, value) pairs: one list for the page, the PDF and the XLSX."""
    item, h = report.item, report.headline
    return [
        ("Title", item.title),
        ("Type", TYPE_LABELS.get(item.work_type, item.work_type)),
        ("Organisation", str(item.organization)),
        ("Status", STATUS_LABELS.get(item.status, item.status)),
        ("Progress (%)", item.progress),
        ("Start date", item.start_date),
        ("Due date", item.due_date),
        ("Items", h.total),
        ("Open", h.open),
        ("Completed", h.completed),
        ("Overdue", h.overdue),
        ("At risk", h.at_risk),
        ("Allocated budget (PHP)", report.allocated),
        ("Actual expenditure (PHP)", report.actual),
        ("Utilisation (%)", report.utilisation),
        ("Report date", report.today),
    ]
