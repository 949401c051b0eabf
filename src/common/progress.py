"""Progress roll-up.

Rules (the same everywhere, shown to users on the detail page):

* a leaf carries its own progress, 0–100; completing a leaf sets it to 100;
* an item in *auto* mode with children shows the mean of its children's progress, weighted by
  each child's `weight`; cancelled children are left out; a completed child counts as 100;
* an item in *manual* mode keeps the value set by hand;
* when every child is cancelled the item keeps its own value, as a leaf would.

A change is propagated up the ancestor path inside the caller's transaction: one aggregate per
level, and it stops at the first ancestor whose value does not change (or is manual), so the
cost is at most O(depth) small queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .id_lists import ids_in
from .models import ProgressMode, Status, WorkItem
from .signals import announce
from .tree import path_to_root


@dataclass(frozen=True)
class ChildShare:
    """How one child counts towards its parent's progress."""

    status: str
    progress: int
    weight: int

    @property
    def counted(self) -> bool:
        return self.status != Status.CANCELLED

    @property
    def effective_progress(self) -> int:
        return 100 if self.status == Status.COMPLETED else self.progress


def weighted_progress(children: Iterable[ChildShare]) -> int | None:
    """The roll-up of `children`, or None when no child counts."""
    total_weight = 0
    weighted_sum = 0
    for child in children:
        if child.counted:
            total_weight += child.weight
            weighted_sum += child.weight * child.effective_progress
    if total_weight == 0:
        return None
    return _round(Decimal(weighted_sum) / Decimal(total_weight))


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_EFFECTIVE = Case(
    When(status=Status.COMPLETED, then=Value(100)),
    default=F("progress"),
    output_field=IntegerField(),
)


def rolled_up_value(item_id: int) -> int | None:
    """The roll-up of one item's direct children, computed by the database (one query)."""
    totals = (
        WorkItem.objects.filter(parent_id=item_id)
        .exclude(status=Status.CANCELLED)
        .order_by()
        .aggregate(total_weight=Sum("weight"), weighted_sum=Sum(F("weight") * _EFFECTIVE))
    )
    if not totals["total_weight"]:
        return None
    return _round(Decimal(totals["weighted_sum"]) / Decimal(totals["total_weight"]))


def propagate_from(item_id: int | None) -> dict[int, int]:
    """Recompute `item_id` (if auto) and its ancestors after a change below them.

    Returns `{id: new progress}` for the items whose stored progress changed. Call inside the
    write's transaction, after the change below `item_id` has been written.
    """
    if item_id is None:
        return {}
    changed: dict[int, int] = {}
    now = timezone.now()
    for row in path_to_root(item_id):
        if row.progress_mode == ProgressMode.MANUAL:
            break
        value = rolled_up_value(row.id)
        if value is None or value == row.progress:
            break
        WorkItem.objects.filter(pk=row.id).update(progress=value, updated_at=now)
        changed[row.id] = value
    announce("~", list(changed))
    return changed


def expected_progress(item: WorkItem, children: list[WorkItem]) -> int | None:
    """What an item's stored progress must be given its children (None: unconstrained).

    Used by the nightly consistency check and by tests that compare the stored tree with a
    recomputation from scratch.
    """
    if item.progress_mode == ProgressMode.MANUAL:
        return None
    return weighted_progress(ChildShare(c.status, c.progress, c.weight) for c in children)


def recompute_trees(root_ids: Iterable[int]) -> dict[int, int]:
    """Recompute every roll-up in the given trees from scratch, bottom-up, set-based.

    Used after bulk loads and by the nightly consistency check: it reads each tree once, works
    out every auto item's value from its children in memory (deepest level first) and writes only
    the items whose stored value was wrong. Returns `{id: corrected progress}`.
    """
    roots = sorted(set(root_ids))
    if not roots:
        return {}
    chosen, params = ids_in(roots)  # thousands of roots after a migration: one parameter
    rows = list(
        WorkItem.objects.filter(root_id__in=RawSQL(chosen, params))
        .order_by()
        .values_list("pk", "parent_id", "status", "progress", "weight", "progress_mode")
    )
    children: dict[int, list[int]] = {}
    info: dict[int, list] = {}
    for pk, parent_id, status, progress, weight, mode in rows:
        info[pk] = [parent_id, status, progress, weight, mode]
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    # Breadth-first from the top items gives an order in which parents precede children.
    top_down = [pk for pk, row in info.items() if row[0] is None or row[0] not in info]
    for pk in top_down:
        top_down.extend(children.get(pk, ()))

    corrected: dict[int, int] = {}
    for pk in reversed(top_down):
        kids = children.get(pk)
        if not kids or info[pk][4] == ProgressMode.MANUAL:
            continue
        value = weighted_progress(ChildShare(info[k][1], info[k][2], info[k][3]) for k in kids)
        if value is not None and value != info[pk][2]:
            info[pk][2] = value
            corrected[pk] = value
    if corrected:
        now = timezone.now()
        by_value: dict[int, list[int]] = {}
        for pk, value in corrected.items():
            by_value.setdefault(value, []).append(pk)
        for value, pks in by_value.items():
            WorkItem.objects.filter(pk__in=pks).update(progress=value, updated_at=now)
        announce("~", list(corrected))
    return corrected
