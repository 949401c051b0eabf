"""Parents whose dates follow their children (the per-item option "dates from children").

Such an item starts on its earliest child's start and is due on its latest child's due date
(a child with only one date counts with that date; cancelled children are left out, as in the
progress roll-up). Whenever children's dates change — edited, pushed, created, moved away or in,
cancelled, deleted — the services call `derive_upwards` with the parents concerned, inside the
same transaction, so the tree never shows a parent's bar that its children contradict.

Set-based per tree level: one query finds which of the given parents follow their children, one
aggregate gives their children's span, one lock and one UPDATE store the changed ones and one
bulk insert records their history. A change rises level by level and stops where nothing
changes or where an ancestor does not follow its children, so the cost is at most a few small
queries per level of depth, whatever the number of moved children.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Max, Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from common.models import Status, WorkItem
from common.tree import GUARD

from . import history
from .date_writes import write_dates
from .locking import lock_items

REASON = "Dates follow its children"


def children_span(parent_ids: Iterable[int]) -> dict[int, tuple]:
    """`{parent: (earliest start, latest due)}` over each parent's dated, not cancelled children."""
    ids = sorted(set(parent_ids))
    if not ids:
        return {}
    rows = (
        WorkItem.objects.filter(parent_id__in=ids)
        .exclude(status=Status.CANCELLED)
        .values("parent_id")
        .order_by()
        .annotate(
            first=Min(Coalesce("start_date", "due_date")),
            last=Max(Coalesce("due_date", "start_date")),
        )
    )
    return {row["parent_id"]: (row["first"], row["last"]) for row in rows if row["first"]}


#: An item whose dates followed its children: the stored row, and its dates before.
Derived = tuple[WorkItem, date | None, date | None]


def derive_upwards(actor: User | None, parent_ids: Iterable[int | None]) -> list[Derived]:
    """Give every parent among `parent_ids` (and, in turn, their ancestors) that follows its
    children the span of those children. Returns the items whose dates changed, each with its
    dates before the change.

    Call inside the write's transaction, after the children's new dates are stored. A parent
    whose children carry no dates keeps its own (there is nothing to follow).
    """
    wanted = {pk for pk in parent_ids if pk is not None}
    changed: list[Derived] = []
    for _ in range(GUARD):
        if not wanted:
            break
        following = list(
            WorkItem.objects.filter(pk__in=wanted, dates_from_children=True)
            .order_by()
            .values_list("pk", "start_date", "due_date")
        )
        spans = children_span(pk for pk, _, _ in following)
        moving = {
            pk: spans[pk]
            for pk, start, due in following
            if pk in spans and spans[pk] != (start, due)
        }
        if not moving:
            break
        locked = lock_items(moving)
        level = []
        for pk, (first, last) in sorted(moving.items()):
            row = locked[pk]
            changed.append((row, row.start_date, row.due_date))
            row.start_date, row.due_date = first, last
            row.version += 1
            level.append(row)
        now = timezone.now()
        for row in level:
            row.updated_at = now
        write_dates(level, now)
        history.record(level, history.CHANGED, actor, REASON)
        wanted = {row.parent_id for row in level if row.parent_id is not None}
    return changed
