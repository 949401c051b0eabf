"""Field-by-field comparison of every legacy row with its work item."""

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
    _count_conversation(result, snapshot, states, people.known)
    for state_name in (OutboxEntry.State.PENDING, OutboxEntry.State.FAILED):
        result.outbox[state_name] = OutboxEntry.objects.filter(state=state_name).count()
    return result


def _count_conversation(result: Verification, snapshot, states, known_people) -> None:
    """How many entries of the old conversation the rows call for, and how many are kept.

    Counted through `legacy_conversation_count`, answered by the app that keeps conversations,
    so this module names no app built on the core.
    """
    rows = {source: snapshot.rows(source) for source in ORDER}
    expected = conversation_entries(rows, {o: s.pk for o, s in states.items()}, known_people)
    keys = [entry["key"] for entry in expected]
    answers = [
        found
        for _, found in legacy_conversation_count.send(sender="legacy.verify", keys=keys)
        if isinstance(found, set)
    ]
    if not answers:
        result.conversation = {"expected": len(keys), "present": None}
        return
    present = set().union(*answers)
    result.conversation = {"expected": len(keys), "present": len(present & set(keys))}
    result.missing_conversation = [
        {"key": entry["key"], "item": entry["work_item_id"]}
        for entry in expected
        if entry["key"] not in present
    ]


def _show(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_show(v) for v in value]
    if isinstance(value, dict):
        return {k: _show(v) for k, v in value.items()}
    return plain(value)
