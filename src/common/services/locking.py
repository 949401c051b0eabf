"""Row locks that serialise structural writes per tree.

Every write locks the rows it reads (the item, its parent, …) *and the roots of their trees*
with one `SELECT … FOR UPDATE ORDER BY id`. Because all writers to a tree queue on its root row,
two concurrent moves cannot both pass the cycle check on stale data, and locks are always taken
in ascending id order, so writers cannot deadlock one another. On SQLite, `transaction_mode =
IMMEDIATE` serialises writers instead and the FOR UPDATE clause is dropped by Django.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from common.models import WorkItem

_ATTEMPTS = 5


class TreeChangedWhileLocking(RuntimeError):
    """An item moved to another tree between reading it and locking; callers retry."""


def lock_items(item_ids: Iterable[int]) -> dict[int, WorkItem]:
    """Lock the given items and the roots of their trees; return fresh copies by id.

    Must run inside `transaction.atomic()`. Raises WorkItem.DoesNotExist if an item is gone.
    """
    wanted = {i for i in item_ids if i is not None}
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_items() must run inside transaction.atomic().")
    for _ in range(_ATTEMPTS):
        roots = dict(WorkItem.objects.filter(pk__in=wanted).order_by().values_list("pk", "root_id"))
        missing = wanted - roots.keys()
        if missing:
            raise WorkItem.DoesNotExist(f"Work item {min(missing)} does not exist.")
        to_lock = wanted | {r for r in roots.values() if r is not None}
        locked = {
            item.pk: item
            for item in WorkItem.objects.select_for_update().filter(pk__in=to_lock).order_by("pk")
        }
        if all(locked.get(pk) is not None and locked[pk].root_id == roots[pk] for pk in wanted):
            return locked
    raise TreeChangedWhileLocking("The tree kept changing while it was being locked; try again.")
