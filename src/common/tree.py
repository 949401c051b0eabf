"""Recursive-CTE helpers over the work item tree.

Each query starts *from the node* (upwards for ancestors, downwards for a subtree), so its cost
depends on the depth or the subtree size, never on the size of the table. The SQL is the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

from .id_lists import ids_in
from .models import WorkItem

TABLE = WorkItem._meta.db_table
#: Recursion bound for every CTE. The services make cycles impossible; this bound only makes
#: sure a database edited by hand can never send a query into an endless loop.
GUARD = 64


def _reading() -> BaseDatabaseWrapper:
    """The connection for reading work items: the router's choice, so the read-only pages read
    their trees from a replica like their other queries (obcms.replicas), and writes and
    transactions from the primary."""
    return connections[router.db_for_read(WorkItem)]


@dataclass(frozen=True)
class AncestorRow:
    """One item on the path from a node to its root; `distance` 0 is the node itself."""

    id: int
    parent_id: int | None
    distance: int
    progress: int
    progress_mode: str


_ANCESTORS_SQL = f"""
WITH RECURSIVE path(id, parent_id, distance, progress, progress_mode) AS (
    SELECT id, parent_id, 0, progress, progress_mode FROM {TABLE} WHERE id = %s
    UNION ALL
    SELECT w.id, w.parent_id, path.distance + 1, w.progress, w.progress_mode
    FROM {TABLE} w JOIN path ON w.id = path.parent_id
    WHERE path.distance < {GUARD}
)
SELECT id, parent_id, distance, progress, progress_mode FROM path ORDER BY distance
"""


def path_to_root(item_id: int) -> list[AncestorRow]:
    """The node and all its ancestors, nearest first (one query)."""
    with _reading().cursor() as cursor:
        cursor.execute(_ANCESTORS_SQL, [item_id])
        return [AncestorRow(*row) for row in cursor.fetchall()]


def depths_of(item_ids: Iterable[int]) -> dict[int, int]:
    """Level of each of the items (1 for a top-level item), in one query for any number."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    chosen, params = ids_in(ids)
    sql = f"""
        WITH RECURSIVE up(start, id, parent_id, distance) AS (
            SELECT id, id, parent_id, 0 FROM {TABLE} WHERE id IN ({chosen})
            UNION ALL
            SELECT up.start, w.id, w.parent_id, up.distance + 1
            FROM {TABLE} w JOIN up ON w.id = up.parent_id
            WHERE up.distance < {GUARD}
        )
        SELECT start, MAX(distance) + 1 FROM up GROUP BY start
    """
    with _reading().cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def depth_of(item_id: int) -> int:
    """Level of an item: 1 for a top-level item."""
    return len(path_to_root(item_id))


def ancestors(item: WorkItem, *, include_self: bool = False) -> list[WorkItem]:
    """The item's ancestors as model instances, root first (one query)."""
    sql = f"""
        WITH RECURSIVE path(id, parent_id, distance) AS (
            SELECT id, parent_id, 0 FROM {TABLE} WHERE id = %s
            UNION ALL
            SELECT w.id, w.parent_id, path.distance + 1
            FROM {TABLE} w JOIN path ON w.id = path.parent_id
            WHERE path.distance < {GUARD}
        )
        SELECT w.* FROM {TABLE} w JOIN path ON path.id = w.id
        WHERE path.distance >= %s ORDER BY path.distance DESC
    """
    return list(WorkItem.objects.raw(sql, [item.pk, 0 if include_self else 1]))


_SUBTREE_CTE = f"""
WITH RECURSIVE subtree(id, distance) AS (
    SELECT id, 0 FROM {TABLE} WHERE id = %s
    UNION ALL
    SELECT w.id, subtree.distance + 1 FROM {TABLE} w JOIN subtree ON w.parent_id = subtree.id
    WHERE subtree.distance < {GUARD}
)
"""


def subtree_ids_expression(item_id: int) -> RawSQL:
    """An expression for `filter(pk__in=…)`: the item and all its descendants."""
    return RawSQL(_SUBTREE_CTE + "SELECT id FROM subtree", [item_id])


def subtree_ids(item_id: int) -> list[int]:
    with _reading().cursor() as cursor:
        cursor.execute(_SUBTREE_CTE + "SELECT id FROM subtree ORDER BY distance DESC", [item_id])
        return [row[0] for row in cursor.fetchall()]


def subtree_size_and_height(item_id: int) -> tuple[int, int]:
    """How many items the subtree holds (the node included) and how many levels it spans."""
    with _reading().cursor() as cursor:
        cursor.execute(
            _SUBTREE_CTE + "SELECT COUNT(*), COALESCE(MAX(distance), 0) FROM subtree", [item_id]
        )
        count, max_distance = cursor.fetchone()
    return int(count), int(max_distance) + 1 if count else 0


def ancestor_ids_of_many(item_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each item, the ids on its path to the root (root first), in one query.

    Used where many items need breadcrumbs at once (feeds, search results).
    """
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    chosen, params = ids_in(ids)
    sql = f"""
        WITH RECURSIVE path(start_id, id, parent_id, distance) AS (
            SELECT id, id, parent_id, 0 FROM {TABLE} WHERE id IN ({chosen})
            UNION ALL
            SELECT path.start_id, w.id, w.parent_id, path.distance + 1
            FROM {TABLE} w JOIN path ON w.id = path.parent_id
            WHERE path.distance < {GUARD}
        )
        SELECT start_id, id FROM path WHERE distance > 0 ORDER BY start_id, distance DESC
    """
    result: dict[int, list[int]] = {item_id: [] for item_id in ids}
    with _reading().cursor() as cursor:
        cursor.execute(sql, params)
        for start_id, ancestor_id in cursor.fetchall():
            result[start_id].append(ancestor_id)
    return result


def ancestor_trails(item_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """For each item, `(id, title)` from the root down to the item itself, in one query.

    Breadcrumbs for many rows at once: the feed and ICS pass parent ids and keep the titles;
    the API keeps ids and titles.
    """
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    chosen, params = ids_in(ids)
    sql = f"""
        WITH RECURSIVE path(start_id, id, parent_id, title, distance) AS (
            SELECT id, id, parent_id, title, 0 FROM {TABLE} WHERE id IN ({chosen})
            UNION ALL
            SELECT path.start_id, w.id, w.parent_id, w.title, path.distance + 1
            FROM {TABLE} w JOIN path ON w.id = path.parent_id
            WHERE path.distance < {GUARD}
        )
        SELECT start_id, id, title FROM path ORDER BY start_id, distance DESC
    """
    trails: dict[int, list[tuple[int, str]]] = {item_id: [] for item_id in ids}
    with _reading().cursor() as cursor:
        cursor.execute(sql, params)
        for start_id, ancestor_id, title in cursor.fetchall():
            trails[start_id].append((ancestor_id, title))
    return trails
