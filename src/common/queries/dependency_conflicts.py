"""Which of a person's open items start before a predecessor allows (for My work).

A "depends on" link is finish-to-start with a lag in working days; a follower that starts
earlier than the first working day after its predecessor is due (plus the lag) is *violated* —
possible for manually scheduled items, which nobody moves for them. People must see this where
they plan their day, not only on the timeline.

One query reads every link of the given items with both ends' dates; the organisations' working
days cost the loader's fixed queries, and only when there is a link to judge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from common import working_days
from common.models import Status, WorkItemRelation

DEPENDS_ON = WorkItemRelation.Kind.DEPENDS_ON


@dataclass(frozen=True)
class Conflict:
    """The item starts before this predecessor allows: `earliest` is the first allowed day."""

    predecessor_id: int
    predecessor_title: str
    earliest: date


def conflicts_of(items: QuerySet) -> dict[int, list[Conflict]]:
    """`{item id: conflicts}` for the open items among `items` (a queryset of work items)."""
    links = list(
        WorkItemRelation.objects.filter(
            kind=DEPENDS_ON,
            source__in=items.exclude(status__in=(Status.COMPLETED, Status.CANCELLED)),
            source__start_date__isnull=False,
        )
        .order_by("source_id", "target_id")
        .values_list(
            "source_id",
            "source__start_date",
            "source__organization_id",
            "lag_days",
            "target_id",
            "target__title",
            "target__start_date",
            "target__due_date",
        )
    )
    if not links:
        return {}
    calendars = working_days.for_organizations({row[2] for row in links})
    found: dict[int, list[Conflict]] = defaultdict(list)
    for source, start, organization, lag, target, title, t_start, t_due in links:
        earliest = calendars[organization].earliest_after((t_start, t_due), lag)
        if earliest is not None and start < earliest:
            found[source].append(Conflict(target, title, earliest))
    return dict(found)
