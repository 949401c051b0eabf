"""What migrated work items hold now, in the shape the forward mapping produces.

Read with a fixed number of queries (items, assignees, teams, import records), so comparing
100,000 items with their rows costs four queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.models import WorkItem

from .mapping.records import Mapped, Origin
from .models import ImportRecord

_FIELDS = (
    "id",
    "legacy_source",
    "legacy_id",
    "version",
    "work_type",
    "title",
    "parent_id",
    "description",
    "status",
    "priority",
    "start_date",
    "due_date",
    "start_time",
    "end_time",
    "progress",
    "progress_mode",
    "details",
    "allocated_budget",
    "actual_expenditure",
    "recurrence_rule",
    "recurrence_exdates",
    "legacy_data",
)


@dataclass
class ItemState:
    pk: int
    version: int
    synced_version: int | None
    values: dict[str, Any]
    legacy_data: dict[str, Any]


def migrated_items(sources: list[str] | None = None) -> dict[Origin, ItemState]:
    rows = WorkItem.objects.exclude(legacy_source="").order_by()
    origin_of = {
        pk: (source, key)
        for pk, source, key in rows.values_list("pk", "legacy_source", "legacy_id")
    }
    if sources is not None:
        rows = rows.filter(legacy_source__in=sources)
    items = list(rows.values(*_FIELDS))
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
        parent = origin_of.get(parent_id, ("", str(parent_id))) if parent_id else None
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
