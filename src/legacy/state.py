"""What migrated work items hold now, in the shape the forward mapping produces.

Read with a fixed number of queries (items, their parents' origins, assignees, teams, import
records), so comparing 100,000 items with their rows costs five queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from common.models import WorkItem
from common.services import EDITABLE_FIELDS

from .mapping.records import Mapped, Origin
from .models import ImportRecord

#: What an item holds that the mapping compares (its editable fields), plus its bookkeeping.
_FIELDS = (
    "id",
    "legacy_source",
    "legacy_id",
    "version",
    "parent_id",
    "legacy_data",
    *sorted(EDITABLE_FIELDS),
)


@dataclass
class ItemState:
    pk: int
    version: int
    synced_version: int | None
    values: dict[str, Any]
    legacy_data: dict[str, Any]


def _matching(origins: Iterable[Origin]) -> Q:
    by_source: dict[str, list[str]] = {}
    for source, key in origins:
        by_source.setdefault(source, []).append(key)
    query = Q(pk__in=[])
    for source, keys in by_source.items():
        query |= Q(legacy_source=source, legacy_id__in=keys)
    return query


def migrated_origins(candidates: Iterable[Origin]) -> set[Origin]:
    """Which of `candidates` (table, key) already have a work item (one query)."""
    return set(
        WorkItem.objects.filter(_matching(candidates)).values_list("legacy_source", "legacy_id")
    )


def migrated_ids() -> dict[Origin, int]:
    """Every migrated item's id by its origin (one query, three small values per item)."""
    return {
        (source, key): pk
        for pk, source, key in WorkItem.objects.exclude(legacy_source="")
        .order_by()
        .values_list("pk", "legacy_source", "legacy_id")
        .iterator(chunk_size=5000)
    }


def migrated_origins_all() -> set[Origin]:
    return set(migrated_ids())


def migrated_items(origins: Iterable[Origin] | None = None) -> dict[Origin, ItemState]:
    """Every migrated item's state, or only those of `origins` (five queries either way)."""
    rows = WorkItem.objects.exclude(legacy_source="").order_by()
    if origins is not None:
        rows = rows.filter(_matching(origins))
    items = list(rows.values(*_FIELDS))
    parent_ids = {r["parent_id"] for r in items if r["parent_id"]}
    origin_of = {
        pk: (source, key)
        for pk, source, key in WorkItem.objects.filter(pk__in=parent_ids).values_list(
            "pk", "legacy_source", "legacy_id"
        )
    }
    ids = [r["id"] for r in items]
    people: dict[int, list[int]] = {}
    teams: dict[int, list[int]] = {}
    for item_id, user_id in WorkItem.assignees.through.objects.filter(
        workitem_id__in=ids
    ).values_list("workitem_id", "user_id"):
        people.setdefault(item_id, []).append(user_id)
    for item_id, team_id in WorkItem.teams.through.objects.filter(workitem_id__in=ids).values_list(
        "workitem_id", "team_id"
    ):
        teams.setdefault(item_id, []).append(team_id)
    synced = dict(
        ImportRecord.objects.filter(work_item_id__in=ids).values_list(
            "work_item_id", "synced_version"
        )
    )
    states: dict[Origin, ItemState] = {}
    for row in items:
        parent_id = row.pop("parent_id")
        parent = origin_of.get(parent_id) if parent_id else None
        if parent is not None and not parent[0]:
            parent = ("", str(parent_id))  # a parent made here, not migrated
        values = {
            **row,
            "parent": parent,
            "assignees": sorted(people.get(row["id"], [])),
            "teams": sorted(teams.get(row["id"], [])),
        }
        states[(row["legacy_source"], row["legacy_id"])] = ItemState(
            pk=row["id"],
            version=row["version"],
            synced_version=synced.get(row["id"]),
            values=values,
            legacy_data=row["legacy_data"],
        )
    return states


def differences(mapped: Mapped, state: ItemState) -> dict[str, tuple[Any, Any]]:
    """Fields where the item differs from its row: {field: (from the row, on the item)}."""
    return {
        name: (expected, state.values.get(name))
        for name, expected in mapped.compared().items()
        if state.values.get(name) != expected
    }
