"""Reading dependencies with their scheduling state: lags, and which links are violated.

A link is violated when the follower starts before the first working day after its predecessor
is due plus the lag — possible for manual followers (never moved by others) or after editing
working days. Two queries for the links of one item, two for the working days.
"""

from __future__ import annotations

from datetime import date

from common import working_days
from common.models import WorkItem, WorkItemRelation
from common.working_days import WorkingDays

DEPENDS_ON = WorkItemRelation.Kind.DEPENDS_ON


def violates(
    calendar: WorkingDays,
    predecessor: tuple[date | None, date | None],
    follower_start: date | None,
    lag: int,
) -> bool:
    earliest = calendar.earliest_after(predecessor, lag)
    return earliest is not None and follower_start is not None and follower_start < earliest


def dependencies_of(item: WorkItem) -> dict:
    """The item's predecessors and followers, each with its lag and whether it is violated."""
    calendar = working_days.for_organization(item.organization_id)
    fields = ("id", "title", "work_type", "start_date", "due_date", "scheduling_mode")
    before = WorkItemRelation.objects.filter(kind=DEPENDS_ON, source=item).values(
        "lag_days", *(f"target__{f}" for f in fields)
    )
    after = WorkItemRelation.objects.filter(kind=DEPENDS_ON, target=item).values(
        "lag_days", *(f"source__{f}" for f in fields)
    )
    mine = (item.start_date, item.due_date)

    def row(link: dict, side: str, violated: bool) -> dict:
        return {f: link[f"{side}__{f}"] for f in fields} | {
            "lag_days": link["lag_days"],
            "violated": violated,
        }

    return {
        "item": item.pk,
        "scheduling_mode": item.scheduling_mode,
        "predecessors": [
            row(
                link,
                "target",
                violates(
                    calendar,
                    (link["target__start_date"], link["target__due_date"]),
                    item.start_date,
                    link["lag_days"],
                ),
            )
            for link in before.order_by("target_id")
        ],
        "followers": [
            row(
                link,
                "source",
                violates(calendar, mine, link["source__start_date"], link["lag_days"]),
            )
            for link in after.order_by("source_id")
        ],
    }
