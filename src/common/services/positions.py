"""Sibling order. Positions are spaced by 10 so appending never touches other rows."""

from __future__ import annotations

from django.db.models import Case, Max, Value, When

from common.models import WorkItem

STEP = 10


def next_position(parent_id: int | None, root_scope_org: int | None = None) -> int:
    """Position after the last sibling (one query)."""
    siblings = WorkItem.objects.filter(parent_id=parent_id)
    if parent_id is None and root_scope_org is not None:
        siblings = siblings.filter(organization_id=root_scope_org)
    last = siblings.order_by().aggregate(last=Max("position"))["last"]
    return (last or 0) + STEP


def place_at(item: WorkItem, parent_id: int | None, index: int, org_id: int) -> int:
    """Renumber siblings so `item` stands at `index` among them; returns its new position.

    Two queries whatever the number of siblings: read their ids, then one UPDATE with CASE.
    """
    siblings = WorkItem.objects.filter(parent_id=parent_id).exclude(pk=item.pk)
    if parent_id is None:
        siblings = siblings.filter(organization_id=org_id)
    order = list(siblings.order_by("position", "id").values_list("pk", flat=True))
    index = max(0, min(index, len(order)))
    order.insert(index, item.pk)
    positions = {pk: (i + 1) * STEP for i, pk in enumerate(order)}
    others = {pk: pos for pk, pos in positions.items() if pk != item.pk}
    if others:
        WorkItem.objects.filter(pk__in=others).update(
            position=Case(*(When(pk=pk, then=Value(pos)) for pk, pos in others.items()))
        )
    return positions[item.pk]
