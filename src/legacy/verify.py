"""Field-by-field comparison of every legacy row with its work item, batch by batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import Organization
from common.models import WorkItem, WorkItemRelation
from common.signals import legacy_conversation_count

from .conversation import conversation_entries
from .mapping.people import build_people
from .mapping.records import Context, map_row
from .mapping.values import plain
from .models import ArchiveRecord, OutboxEntry
from .snapshot import read_index, read_snapshot
from .sources import ORDER, TASKS
from .state import differences, migrated_ids, migrated_items


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
    #: entries of the old conversation: expected from the rows, present in activity streams
    #: (None when no installed app keeps conversations, so nothing can be counted)
    conversation: dict[str, int | None] = field(default_factory=dict)
    missing_conversation: list[dict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (
            self.missing
            or self.orphaned
            or self.drifted
            or self.missing_links
            or self.missing_conversation
        )

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
            "conversation": self.conversation,
            "missing_conversation": self.missing_conversation,
        }


def verify(batch_size: int = 2000) -> Verification:
    """Compare every row with its item, `batch_size` rows at a time.

    Only the index (keys, how events nest, people, patterns) and the migrated items' ids are
    held for the whole run; rows and item states are read batch by batch, so memory stays flat
    whatever the volume (the same reading the migration's staging does).
    """
    result = Verification()
    index = read_index(batch_size)
    ids = migrated_ids()
    organization_id = (
        WorkItem.objects.exclude(legacy_source="").values_list("organization_id", flat=True).first()
    )
    organization = (
        Organization.objects.filter(pk=organization_id).first() or Organization.objects.first()
    )
    people = build_people(organization, index.users, index.teams, index.memberships, create=False)
    ctx = Context(index, people, migrated=set(ids))
    archived = ArchiveRecord.objects.filter(deleted_at__isnull=False, restored_at=None).first()
    if archived is not None:
        result.archive = {"path": archived.path, "deleted_at": archived.deleted_at.isoformat()}
    links = set(
        WorkItemRelation.objects.filter(kind=WorkItemRelation.Kind.DEPENDS_ON).values_list(
            "source_id", "target_id"
        )
    )
    expected: list[tuple[str, int]] = []
    for source in ORDER:
        keys = list(index.rows(source))
        result.rows[source] = len(keys)
        result.items[source] = sum(1 for s, _ in ids if s == source)
        for start in range(0, len(keys), batch_size):
            chunk = keys[start : start + batch_size]
            batch = read_snapshot(batch_size, only={source: chunk}, lookups=False, span=True)
            rows = batch.rows(source)
            _compare(result, source, rows, ctx, ids, links)
            entries = conversation_entries({source: rows}, ids, people.known)
            expected.extend((e["key"], e["work_item_id"]) for e in entries)
        if not keys and archived is not None:
            result.archived[source] = result.items[source]
            continue  # the rows were archived and removed on purpose
        present = set(keys)
        for src, key in ids:
            if src == source and key not in present:
                result.orphaned.append({"table": source, "id": key, "item": ids[(src, key)]})
    _count_conversation(result, expected, batch_size)
    for state_name in (OutboxEntry.State.PENDING, OutboxEntry.State.FAILED):
        result.outbox[state_name] = OutboxEntry.objects.filter(state=state_name).count()
    return result


def _compare(result: Verification, source: str, rows: dict, ctx, ids, links) -> None:
    """One batch of rows against their items (five queries), and the tasks' dependencies."""
    states = migrated_items([(source, key) for key in rows if (source, key) in ids])
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
    if source != TASKS:
        return
    for key, row in rows.items():
        for predecessor in row["depends_on"]:
            a, b = ids.get((TASKS, key)), ids.get((TASKS, predecessor))
            if a and b and predecessor != key and (a, b) not in links:
                result.missing_links.append({"task": key, "depends_on": predecessor})


def _count_conversation(result: Verification, expected: list[tuple[str, int]], size) -> None:
    """How many entries of the old conversation the rows call for, and how many are kept.

    Counted through `legacy_conversation_count`, answered by the app that keeps conversations,
    so this module names no app built on the core. Asked `size` keys at a time.
    """
    present: set[str] = set()
    answered = False
    for start in range(0, max(len(expected), 1), size):
        keys = [key for key, _ in expected[start : start + size]]
        for _, found in legacy_conversation_count.send(sender="legacy.verify", keys=keys):
            if isinstance(found, set):
                answered = True
                present |= found & set(keys)
    if not answered:
        result.conversation = {"expected": len(expected), "present": None}
        return
    result.conversation = {"expected": len(expected), "present": len(present)}
    result.missing_conversation = [
        {"key": key, "item": item} for key, item in expected if key not in present
    ]


def _show(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_show(v) for v in value]
    if isinstance(value, dict):
        return {k: _show(v) for k, v in value.items()}
    return plain(value)
