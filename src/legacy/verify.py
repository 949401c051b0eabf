"""Field-by-field comparison of every legacy row with its work item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import Organization
from common.models import WorkItem, WorkItemRelation

from .mapping.people import build_people
from .mapping.records import Context, map_row
from .mapping.values import plain
from .models import ArchiveRecord, OutboxEntry
from .snapshot import read_snapshot
from .sources import ORDER, TASKS
from .state import differences, migrated_items


@dataclass
class Verification:
    rows: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    missing: list[dict] = field(default_factory=list)
    orphaned: list[dict] = field(default_factory=list)
    drifted: list[dict] = field(default_factory=list)
    missing_links: list[dict] = field(default_factory=list)
    outbox: dict[str, int] = field(default_factory=dict)
    archived: dict[str, int] = field(default_factory=dict)
    archive: dict[str, str] | None = None

    @property
    def clean(self) -> bool:
        return not (self.missing or self.orphaned or self.drifted or self.missing_links)

    def as_json(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "legacy_rows": self.rows,
            "migrated_items": self.items,
            "missing": self.missing,
            "orphaned": self.orphaned,
            "drifted": self.drifted,
            "missing_dependencies": self.missing_links,
            "dual_write_outbox": self.outbox,
            "archived_items": self.archived,
            "archive": self.archive,
        }


def verify() -> Verification:
    result = Verification()
    snapshot = read_snapshot()
    states = migrated_items()
    organization_id = (
        WorkItem.objects.exclude(legacy_source="").values_list("organization_id", flat=True).first()
    )
    organization = (
        Organization.objects.filter(pk=organization_id).first() or Organization.objects.first()
    )
    people = build_people(
        organization, snapshot.users, snapshot.teams, snapshot.memberships, create=False
    )
    ctx = Context(snapshot, people, migrated=set(states))
    archived = ArchiveRecord.objects.filter(deleted_at__isnull=False, restored_at=None).first()
    if archived is not None:
        result.archive = {"path": archived.path, "deleted_at": archived.deleted_at.isoformat()}
    for source in ORDER:
        rows = snapshot.rows(source)
        result.rows[source] = len(rows)
        result.items[source] = sum(1 for s, _ in states if s == source)
        for key, row in rows.items():
            state = states.get((source, key))
            if state is None:
                result.missing.append({"table": source, "id": key})
                continue
            diff = differences(map_row(source, key, row, ctx), state)
            if diff:
                result.drifted.append(
                    {
                        "table": source,
                        "id": key,
                        "item": state.pk,
                        "fields": {
                            name: {"legacy": _show(old), "work_item": _show(new)}
                            for name, (old, new) in sorted(diff.items())
                        },
                    }
                )
        if not rows and archived is not None:
            result.archived[source] = result.items[source]
            continue  # the rows were archived and removed on purpose
        for src, key in states:
            if src == source and key not in rows:
                result.orphaned.append({"table": source, "id": key, "item": states[(src, key)].pk})
    links = set(
        WorkItemRelation.objects.filter(kind=WorkItemRelation.Kind.DEPENDS_ON).values_list(
            "source_id", "target_id"
        )
    )
    for key, row in snapshot.tasks.items():
        for predecessor in row["depends_on"]:
            a, b = states.get((TASKS, key)), states.get((TASKS, predecessor))
            if a and b and predecessor != key and (a.pk, b.pk) not in links:
                result.missing_links.append({"task": key, "depends_on": predecessor})
    for state_name in (OutboxEntry.State.PENDING, OutboxEntry.State.FAILED):
        result.outbox[state_name] = OutboxEntry.objects.filter(state=state_name).count()
    return result


def _show(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_show(v) for v in value]
    if isinstance(value, dict):
        return {k: _show(v) for k, v in value.items()}
    return plain(value)
