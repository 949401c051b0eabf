"""Dual-write: changes to migrated items are copied back to their legacy rows.

With `DUAL_WRITE_ENABLED=1` (and the legacy tables writable) every change the write path makes
to an item that came from the old system adds an outbox entry in the same transaction; after
commit a task applies pending entries. Applying copies the item's *state* (not a delta) into the
row, so re-applying is harmless and the newest entry for a row wins. Failures stay in the outbox
(admin: Legacy cut-over → dual-write entries) and are retried hourly.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from functools import partial

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Organization
from common.models import WorkItem
from obcms.flags import flag

from . import models as legacy
from .guard import ALIAS, legacy_writes
from .mapping.people import build_people
from .mapping.records import Context, map_row, parent_origins
from .mapping.reverse import build_patch
from .mapping.values import key_of
from .messages import first_line
from .models import ImportRecord, OutboxEntry
from .snapshot import read_snapshot
from .sources import EVENTS, PROJECTS, TASKS
from .state import differences, migrated_items, migrated_origins

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 24
_MODEL = {TASKS: legacy.StaffTask, EVENTS: legacy.Event, PROJECTS: legacy.ProjectWorkflow}
_LINKS = {
    "assignees": (legacy.StaffTaskAssignee, "stafftask_id", "user_id"),
    "teams": (legacy.StaffTaskTeam, "stafftask_id", "staffteam_id"),
    "co_organizers": (legacy.EventCoOrganizer, "event_id", "user_id"),
    "facilitators": (legacy.EventFacilitator, "event_id", "user_id"),
}


def active() -> bool:
    return flag("DUAL_WRITE_ENABLED") and not flag("LEGACY_MODELS_READONLY")


def record_changes(sender, kind: str, item_ids: list[int], deleted, **kwargs) -> None:
    """`work_items_changed` receiver: queue the legacy rows those changes concern."""
    if not active() or kind == "+":
        return
    if kind == "-":
        entries = [
            OutboxEntry(work_item_id=pk, legacy_source=s, legacy_id=k, action="delete")
            for pk, s, k in deleted
        ]
    else:
        migrated = WorkItem.objects.filter(pk__in=item_ids).exclude(legacy_source="")
        waiting = set(
            OutboxEntry.objects.filter(
                work_item_id__in=item_ids, state=OutboxEntry.State.PENDING, action="sync"
            ).values_list("work_item_id", flat=True)
        )
        entries = [
            OutboxEntry(work_item_id=pk, legacy_source=s, legacy_id=k, action="sync")
            for pk, s, k in migrated.values_list("pk", "legacy_source", "legacy_id")
            if pk not in waiting
        ]
    if entries:
        OutboxEntry.objects.bulk_create(entries)
        from .tasks import apply_dual_writes

        transaction.on_commit(partial(apply_dual_writes.delay), robust=True)


def apply_pending(*, retry_failed: bool = False, limit: int = 500) -> dict[str, int]:
    """Apply waiting entries (and, with `retry_failed`, failed ones). Returns counts."""
    states = [OutboxEntry.State.PENDING]
    if retry_failed:
        states.append(OutboxEntry.State.FAILED)
    entries = list(
        OutboxEntry.objects.filter(state__in=states, attempts__lt=MAX_ATTEMPTS).order_by("id")[
            :limit
        ]
    )
    counts = {"applied": 0, "failed": 0}
    if not entries or not active():
        return counts
    latest: OrderedDict = OrderedDict()
    for entry in entries:
        latest.setdefault((entry.legacy_source, entry.legacy_id), []).append(entry)
    syncs = [group[-1] for group in latest.values() if group[-1].action == "sync"]
    context, unreadable = None, ""
    try:
        # One consistent read; a failure rolls back only this read, not the caller's work.
        with transaction.atomic(using=ALIAS):
            context = _Context(syncs) if syncs else None
    except (DatabaseError, LookupError, ValueError) as exc:
        # The legacy side could not even be read (a renamed table, a lost connection): every
        # sync of the batch failed this attempt, and each entry says why.
        log.warning("dual-write could not read the old database: %s", exc)
        unreadable = f"could not read the old database: {first_line(exc)}"
    for origin, group in latest.items():
        last = group[-1]
        if unreadable and last.action == "sync":
            _failed(group, unreadable)
            counts["failed"] += 1
            continue
        try:
            note = _delete(*origin) if last.action == "delete" else context.sync(last)
        except (DatabaseError, LookupError, ValueError) as exc:
            log.warning("dual-write of %s %s failed: %s", *origin, exc)
            _failed(group, first_line(exc))
            counts["failed"] += 1
            continue
        now = timezone.now()
        OutboxEntry.objects.filter(pk__in=[e.pk for e in group]).update(
            state=OutboxEntry.State.APPLIED,
            note=note,
            applied_at=now,
            last_attempt_at=now,
            attempts=F("attempts") + 1,
        )
        counts["applied"] += 1
    return counts


def _failed(group: list[OutboxEntry], reason: str) -> None:
    """Record a failed attempt on every entry of one row: the count, the reason and the time."""
    OutboxEntry.objects.filter(pk__in=[e.pk for e in group]).update(
        state=OutboxEntry.State.FAILED,
        note=reason[:2000],
        attempts=F("attempts") + 1,
        last_attempt_at=timezone.now(),
    )


def outbox_summary() -> tuple[int, int, OutboxEntry | None]:
    """Entries waiting, entries failed, and the most recent failure (for reports)."""
    pending = OutboxEntry.objects.filter(state=OutboxEntry.State.PENDING).count()
    failed = OutboxEntry.objects.filter(state=OutboxEntry.State.FAILED)
    return pending, failed.count(), failed.order_by("-last_attempt_at", "-id").first()


class _Context:
    """What applying a batch of syncs needs, read once: rows, people, the items' state."""

    def __init__(self, syncs: list[OutboxEntry]) -> None:
        keys: dict[str, list] = {TASKS: [], EVENTS: [], PROJECTS: []}
        for entry in syncs:
            keys[entry.legacy_source].append(entry.legacy_id)
        self.snapshot = read_snapshot(only=keys)
        # Only the synced items and the rows their rows point at, not every migrated item.
        self.states = migrated_items((e.legacy_source, e.legacy_id) for e in syncs)
        parents = migrated_origins(
            origin
            for source in keys
            for row in self.snapshot.rows(source).values()
            for origin in parent_origins(source, row)
        )
        organization = (
            Organization.objects.filter(work_items__pk=syncs[0].work_item_id).first()
            or Organization.objects.first()
        )
        self.people = build_people(
            organization,
            self.snapshot.users,
            self.snapshot.teams,
            self.snapshot.memberships,
            create=False,
        )
        self.legacy_user_of = {ours: old for old, ours in self.people.known.items()}
        self.legacy_team_of = {ours: old for old, ours in self.people.teams.items()}
        self.ctx = Context(self.snapshot, self.people, migrated=set(self.states) | parents)

    def sync(self, entry: OutboxEntry) -> str:
        origin = (entry.legacy_source, entry.legacy_id)
        state = self.states.get(origin)
        row = self.snapshot.rows(entry.legacy_source).get(entry.legacy_id)
        if state is None:
            return "the item no longer exists; nothing to write"
        if row is None:
            raise LookupError(f"the row {entry.legacy_id} is gone from {entry.legacy_source}")
        diff = differences(map_row(*origin, row, self.ctx), state)
        if not diff:
            self._in_step(state)
            return "already in step"
        now = timezone.now()
        patch = build_patch(
            entry.legacy_source, row, diff, self.legacy_user_of, self.legacy_team_of, now
        )
        if patch:
            _write(entry.legacy_source, row, patch, now)
        # Map the written row forward again: what still differs cannot be said there.
        after = read_snapshot(only={entry.legacy_source: [entry.legacy_id]}, lookups=False)
        written_row = after.rows(entry.legacy_source)[entry.legacy_id]
        self.snapshot.rows(entry.legacy_source)[entry.legacy_id] = written_row
        remaining = differences(map_row(*origin, written_row, self.ctx), state)
        self._in_step(state)
        written = ", ".join(sorted(patch.columns) + sorted(patch.links) + sorted(patch.need))
        note = f"wrote {written}" if written else "nothing to write"
        reasons = sorted(set(patch.notes))
        if remaining:
            reasons.append("not representable there: " + ", ".join(sorted(remaining)))
        return "; ".join([note, *reasons])

    @staticmethod
    def _in_step(state) -> None:
        ImportRecord.objects.update_or_create(
            work_item_id=state.pk, defaults={"synced_version": state.version}
        )


def _write(source: str, row: dict, patch, now) -> None:
    with legacy_writes(), transaction.atomic(using=ALIAS):
        model = _MODEL[source]
        if patch.columns:
            model.objects.filter(pk=row["id"]).update(**patch.columns, updated_at=now)
        if patch.need:
            legacy.LegacyNeed.objects.filter(pk=row["primary_need_id"]).update(
                **patch.need, updated_at=now
            )
        for name, keys in patch.links.items():
            link_model, owner, other = _LINKS[name]
            link_model.objects.filter(**{owner: row["id"]}).exclude(
                **{f"{other}__in": keys}
            ).delete()
            present = set(
                link_model.objects.filter(**{owner: row["id"]}).values_list(other, flat=True)
            )
            link_model.objects.bulk_create(
                [link_model(**{owner: row["id"], other: k}) for k in keys if k not in present]
            )
        if patch.links and not patch.columns:
            model.objects.filter(pk=row["id"]).update(updated_at=now)


def _delete(source: str, key: str) -> str:
    """Remove a row whose item was deleted here, with its links and references to it."""
    with legacy_writes(), transaction.atomic(using=ALIAS):
        if source == TASKS:
            pk = int(key)
            legacy.StaffTaskAssignee.objects.filter(stafftask_id=pk).delete()
            legacy.StaffTaskTeam.objects.filter(stafftask_id=pk).delete()
            legacy.StaffTaskDependency.objects.filter(from_stafftask_id=pk).delete()
            legacy.StaffTaskDependency.objects.filter(to_stafftask_id=pk).delete()
            legacy.StaffTask.objects.filter(recurrence_parent_id=pk).update(
                recurrence_parent_id=None
            )
            deleted, _ = legacy.StaffTask.objects.filter(pk=pk).delete()
        elif source == EVENTS:
            pk = key_of(key)
            for link in (
                legacy.EventCoOrganizer,
                legacy.EventFacilitator,
                legacy.EventOrganization,
            ):
                link.objects.filter(event_id=pk).delete()
            legacy.StaffTask.objects.filter(linked_event_id=pk).update(linked_event_id=None)
            legacy.Event.objects.filter(parent_event_id=pk).update(parent_event_id=None)
            legacy.Event.objects.filter(recurrence_parent_id=pk).update(recurrence_parent_id=None)
            deleted, _ = legacy.Event.objects.filter(pk=pk).delete()
        else:
            pk = key_of(key)
            legacy.StaffTask.objects.filter(linked_workflow_id=pk).update(linked_workflow_id=None)
            legacy.Event.objects.filter(related_project_id=pk).update(related_project_id=None)
            deleted, _ = legacy.ProjectWorkflow.objects.filter(pk=pk).delete()
    return "deleted the row" if deleted else "the row was already gone"
