"""A card dropped on another column (or lane, or place in its column) becomes a service call.

The board never writes itself: a status or priority column is `update_work_item(status=…)`, an
assignee or team column swaps one person or team for another, a parent column (the children of
an item) is `move_work_item`. Every call names the version the card showed, so a card moved on a
stale page is refused (409) rather than overwriting someone else's change; rule refusals (400)
and permission refusals (403) come back with the service's own sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from common import services
from common.models import Priority, Status, WorkItem
from obcms.ids import is_id

from .board import NONE_KEY


@dataclass(frozen=True)
class Move:
    dimension: str
    source: str
    target: str


def _person_or_team(key: str, what: str) -> int | None:
    if key == NONE_KEY:
        return None
    if not is_id(key):
        raise ValidationError({what: f"“{key}” is not a {what}."})
    return int(key)


def _swap(current: list[int], source: str, target: str, what: str) -> list[int]:
    """Replace the source column's person (or team) by the target's, keeping the others."""
    old, new = _person_or_team(source, what), _person_or_team(target, what)
    kept = [pk for pk in current if pk != old]
    if new is not None and new not in kept:
        kept.append(new)
    return kept


def _index_before(item: WorkItem, parent_id: int | None, before: WorkItem | None) -> int:
    """Place among the new siblings: just before `before`, or last when none is given."""
    siblings = list(
        WorkItem.objects.filter(parent_id=parent_id)
        .exclude(pk=item.pk)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    if before is not None and before.pk in siblings:
        return siblings.index(before.pk)
    return len(siblings)


def _apply(
    user, item: WorkItem, move: Move, version: int | None, before: WorkItem | None
) -> WorkItem:
    if move.dimension == "status":
        if move.target not in Status.values:
            raise ValidationError({"status": f"“{move.target}” is not a status."})
        return services.update_work_item(
            user, item, expected_version=version, reason="board", status=move.target
        )
    if move.dimension == "priority":
        if move.target not in Priority.values:
            raise ValidationError({"priority": f"“{move.target}” is not a priority."})
        return services.update_work_item(
            user, item, expected_version=version, reason="board", priority=move.target
        )
    if move.dimension == "assignee":
        people = list(item.assignees.values_list("pk", flat=True))
        return services.update_work_item(
            user,
            item,
            expected_version=version,
            reason="board",
            assignees=_swap(people, move.source, move.target, "person"),
        )
    if move.dimension == "team":
        teams = list(item.teams.values_list("pk", flat=True))
        return services.update_work_item(
            user,
            item,
            expected_version=version,
            reason="board",
            teams=_swap(teams, move.source, move.target, "team"),
        )
    if move.dimension in ("parent", "children"):
        parent = _person_or_team(move.target, "parent")
        return services.move_work_item(
            user,
            item,
            parent=parent,
            index=_index_before(item, parent, before),
            expected_version=version,
            reason="board",
        )
    raise ValidationError({"columns": f"Cards cannot be moved by “{move.dimension}”."})


@transaction.atomic
def move_card(
    user,
    item: WorkItem,
    moves: list[Move],
    version: int | None,
    before: WorkItem | None = None,
) -> WorkItem:
    """Apply the column move, then the lane move, all or nothing.

    Only the first call checks the card's version: the second sees the version the first wrote.
    A drop within the same cell (a reorder) is a parent move to the same parent.
    """
    saved = item
    for number, move in enumerate(moves):
        saved = _apply(user, saved, move, version if number == 0 else None, before)
    return saved
