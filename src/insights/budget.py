"""Budget: allocated against actual expenditure per project and sub-project.

Utilisation is computed in the database (actual × 100 / allocated, only where something was
allocated); totals per fiscal year and per funding source group on the project details' keys.
Over-spend: actual above allocated. Under-spend: a finished item that used less than
`INSIGHTS_UNDERSPEND_PERCENT` (default 80) of its allocation — money that could go elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.urls import reverse

from common.models import Status, WorkItem, WorkType

from .charts import Chart, Series

ROWS = 60
MONEY = DecimalField(max_digits=16, decimal_places=2)


def _money(value) -> Decimal:
    """Sums arrive as Decimal('2000') on SQLite and Decimal('2000.00') on PostgreSQL."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def underspend_percent() -> int:
    return int(getattr(settings, "INSIGHTS_UNDERSPEND_PERCENT", 80))


@dataclass
class BudgetRow:
    pk: int
    title: str
    work_type: str
    status: str
    allocated: Decimal | None
    actual: Decimal | None
    utilisation: Decimal | None

    @property
    def flag(self) -> str:
        if self.allocated is None or self.actual is None:
            return ""
        if self.actual > self.allocated:
            return "over"
        finished = self.status in (Status.COMPLETED, Status.CANCELLED)
        if finished and self.utilisation is not None and self.utilisation < underspend_percent():
            return "under"
        return ""


def _utilisation() -> ExpressionWrapper:
    return Case(
        When(
            allocated_budget__gt=0,
            actual_expenditure__isnull=False,
            then=ExpressionWrapper(
                F("actual_expenditure") * Value(Decimal(100)) / F("allocated_budget"),
                output_field=MONEY,
            ),
        ),
        default=None,
        output_field=MONEY,
    )


def budget_rows(items: QuerySet[WorkItem]) -> list[BudgetRow]:
    """Projects and sub-projects with a budget, largest allocation first (one query)."""
    rows = (
        items.filter(work_type__in=[WorkType.PROJECT, WorkType.SUB_PROJECT])
        .filter(Q(allocated_budget__isnull=False) | Q(actual_expenditure__isnull=False))
        .annotate(utilisation=_utilisation())
        .order_by(F("allocated_budget").desc(nulls_last=True), "title", "id")
        .values_list(
            "pk",
            "title",
            "work_type",
            "status",
            "allocated_budget",
            "actual_expenditure",
            "utilisation",
        )[:ROWS]
    )
    return [
        BudgetRow(pk, t, w, s, a, x, None if u is None else Decimal(u).quantize(Decimal("0.1")))
        for pk, t, w, s, a, x, u in rows
    ]


def totals(items: QuerySet[WorkItem]) -> dict[str, Decimal]:
    """Sums over projects only (a sub-project's money is part of its project's)."""
    row = items.filter(work_type=WorkType.PROJECT).aggregate(
        allocated=Coalesce(Sum("allocated_budget"), Value(Decimal(0)), output_field=MONEY),
        actual=Coalesce(Sum("actual_expenditure"), Value(Decimal(0)), output_field=MONEY),
    )
    return row


def budget_chart(rows: list[BudgetRow]) -> Chart:
    return Chart(
        name="budget",
        title="Allocated and spent, per project and sub-project",
        kind="hbar",
        unit="PHP",
        category_label="Project",
        categories=[r.title for r in rows],
        series=[
            Series("Allocated", [r.allocated for r in rows]),
            Series("Actual", [r.actual for r in rows]),
        ],
        links=[reverse("common:detail", args=[r.pk]) for r in rows],
    )


def grouped_chart(items: QuerySet[WorkItem], key: str, title: str, label: str) -> Chart:
    """Projects' allocated and actual money grouped by a details key (fiscal year, source)."""
    rows = list(
        items.filter(work_type=WorkType.PROJECT)
        .annotate(group=KT(f"details__{key}"))
        .order_by()
        .values("group")
        .annotate(allocated=Sum("allocated_budget"), actual=Sum("actual_expenditure"))
        .order_by("group")
        .values_list("group", "allocated", "actual")
    )
    return Chart(
        name=f"budget-{key.replace('_', '-')}",
        title=title,
        kind="bar",
        unit="PHP",
        category_label=label,
        categories=[str(g) if g not in (None, "") else "Not set" for g, _a, _x in rows],
        series=[
            Series("Allocated", [_money(a) for _g, a, _x in rows]),
            Series("Actual", [_money(x) for _g, _a, x in rows]),
        ],
    )
