"""The migration from the old trackers into work items.

A run is all-or-nothing: it reads the old database once, maps every row, and writes everything
in one transaction of our database, so an interrupted run (even `kill -9`) leaves nothing behind
and is simply started again. Items remember their row (`legacy_source`, `legacy_id`), so a
second run updates instead of duplicating: rows that changed in the old system are copied again,
unless the item was edited here since (its version moved on), in which case the edit here is
kept and reported. A dry run does all of the work and then rolls it back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organization
from common import services
from common.models import WorkItemRelation
from common.signals import legacy_conversation

from .conversation import conversation_entries
from .mapping.people import build_people
from .mapping.records import Context, Mapped, Origin, map_row
from .models import ImportRecord
from .progress import Progress
from .snapshot import read_snapshot
from .sources import LABEL, ORDER, TASKS
from .state import ItemState, differences, migrated_items

REASON = "migrated from the old system"


class MigrationError(Exception):
    """The migration cannot run as asked; nothing was written."""


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=dict)
    notes: list[tuple[Origin, str]] = field(default_factory=list)
    created_users: list[str] = field(default_factory=list)
    created_teams: list[str] = field(default_factory=list)
    not_assignable: dict[str, str] = field(default_factory=dict)
    links_added: int = 0
    #: entries of the old conversation written into activity streams by this run
    conversation_added: int = 0
    dry_run: bool = False

    def count(self, source: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(source, Counter())[outcome] += n


class _DryRun(Exception):
    pass


def run_migration(
    organization: Organization,
    sources: list[str],
    *,
    batch_size: int = 2000,
    dry_run: bool = False,
    progress_stream=None,
) -> Report:
    report = Report(dry_run=dry_run)
    snapshot = read_snapshot(batch_size)
    try:
        with transaction.atomic():
            _migrate(organization, sources, snapshot, batch_size, report, progress_stream)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _migrate(organization, sources, snapshot, batch_size, report, progress_stream) -> None:
    people = build_people(
        organization, snapshot.users, snapshot.teams, snapshot.memberships, create=True
    )
    report.created_users, report.created_teams = people.created_users, people.created_teams
    report.not_assignable = {
        people.legacy_usernames.get(k, str(k)): v for k, v in people.not_assignable.items()
    }
    states = migrated_items()
    ctx = Context(snapshot, people, migrated=set(states))
    selected = [s for s in ORDER if s in sources]
    mapped: dict[Origin, Mapped] = {}
    bar = Progress("Mapping rows", sum(len(snapshot.rows(s)) for s in selected), progress_stream)
    for source in selected:
        for key, row in snapshot.rows(source).items():
            m = map_row(source, key, row, ctx)
            mapped[m.origin] = m
            report.notes.extend((m.origin, note) for note in m.notes)
            bar.advance()
    bar.finish()

    for m in mapped.values():
        if m.parent and m.parent not in states and m.parent not in mapped:
            raise MigrationError(
                f"{LABEL[m.source]} row {m.legacy_id} belongs to {LABEL[m.parent[0]]} row "
                f"{m.parent[1]}, which is not migrated yet; migrate {LABEL[m.parent[0]]} first "
                "(or run without --only)."
            )
    new = [m for m in mapped.values() if m.origin not in states]
    existing = [(m, states[m.origin]) for m in mapped.values() if m.origin in states]
    _create(organization, new, states, batch_size, report, progress_stream)
    _update(existing, states, report, progress_stream)
    if TASKS in selected:
        _link_dependencies(mapped, states, report)
    _hand_over_conversation(snapshot, selected, states, people, report)


def _hand_over_conversation(snapshot, selected, states, people, report: Report) -> None:
    """Give the old conversation of the migrated rows to the app that keeps conversations.

    Sent inside the run's transaction, so a failed or dry run leaves no entry behind either.
    """
    rows = {source: snapshot.rows(source) for source in selected}
    item_ids = {origin: state.pk for origin, state in states.items() if origin[0] in selected}
    entries = conversation_entries(rows, item_ids, people.known)
    answers = legacy_conversation.send(
        sender="legacy.importer", item_ids=sorted(item_ids.values()), conversation=entries
    )
    report.conversation_added = sum(n for _, n in answers if isinstance(n, int))


def _create(organization, new: list[Mapped], states, batch_size, report, progress_stream) -> None:
    if not new:
        return
    specs = []
    for m in new:
        in_run = m.parent is not None and m.parent not in states
        specs.append(
            services.NewItem(
                key=m.origin,
                work_type=m.work_type,
                title=m.title,
                parent_key=m.parent if in_run else None,
                parent_id=states[m.parent].pk if m.parent and not in_run else None,
                organization_id=organization.pk,
                fields=dict(m.fields),
                assignee_ids=m.assignees,
                team_ids=m.teams,
                legacy_source=m.source,
                legacy_id=m.legacy_id,
                legacy_data=m.legacy_data,
                created_by_id=m.created_by,
                completed_at=m.completed_at,
            )
        )
    bar = Progress("Creating items", len(specs), progress_stream)
    try:
        ids = services.bulk_create_items(specs, batch_size=batch_size, reason=REASON)
    except ValidationError as exc:
        raise MigrationError(" ".join(exc.messages)) from None
    bar.advance(len(specs))
    bar.finish()
    ImportRecord.objects.bulk_create(
        [ImportRecord(work_item_id=pk, synced_version=1) for pk in ids.values()],
        batch_size=batch_size,
    )
    for m in new:
        states[m.origin] = ItemState(ids[m.origin], 1, 1, {}, m.legacy_data)
        report.count(m.source, "created")


def _update(existing: list[tuple[Mapped, ItemState]], states, report, progress_stream) -> None:
    bar = Progress("Updating items", len(existing), progress_stream)
    refresh: dict[int, dict] = {}
    for m, state in existing:
        bar.advance()
        if state.legacy_data != m.legacy_data:
            refresh[state.pk] = m.legacy_data
        diff = differences(m, state)
        if not diff:
            report.count(m.source, "unchanged")
            continue
        if state.synced_version is not None and state.version != state.synced_version:
            report.count(m.source, "kept (edited here)")
            fields = ", ".join(sorted(diff))
            report.notes.append((m.origin, f"edited here since the last import; kept ({fields})"))
            continue
        try:
            with transaction.atomic():
                version = _apply(m, state, diff, states)
        except ValidationError as exc:
            report.count(m.source, "kept (cannot apply)")
            report.notes.append((m.origin, f"not updated: {' '.join(exc.messages)}"))
            continue
        ImportRecord.objects.update_or_create(
            work_item_id=state.pk, defaults={"synced_version": version}
        )
        report.count(m.source, "updated")
    bar.finish()
    services.refresh_legacy_data(refresh)


def _apply(m: Mapped, state: ItemState, diff: dict, states) -> int:
    item = state.pk
    if "parent" in diff:
        parent = states[m.parent].pk if m.parent else None
        if "work_type" in diff:
            # A new type may only fit the new place (or the other way round): try both orders.
            try:
                with transaction.atomic():
                    services.move_work_item(None, item, parent=parent, reason=REASON)
                    services.update_work_item(None, item, reason=REASON, work_type=m.work_type)
            except ValidationError:
                services.update_work_item(None, item, reason=REASON, work_type=m.work_type)
                services.move_work_item(None, item, parent=parent, reason=REASON)
        else:
            services.move_work_item(None, item, parent=parent, reason=REASON)
    changes = {k: new for k, (new, _) in diff.items() if k not in ("parent", "assignees", "teams")}
    kwargs = {}
    if "assignees" in diff:
        kwargs["assignees"] = m.assignees
    if "teams" in diff:
        kwargs["teams"] = m.teams
    updated = services.update_work_item(None, item, reason=REASON, **changes, **kwargs)
    return updated.version


def _link_dependencies(mapped: dict[Origin, Mapped], states, report: Report) -> None:
    """Dependencies between tasks, as links; `states` holds every migrated item by now."""
    pairs = []
    for m in mapped.values():
        for predecessor in m.depends_on:
            target = states.get((TASKS, predecessor))
            if target is None:
                report.notes.append((m.origin, f"depends on task {predecessor}, which is missing"))
                continue
            pairs.append((states[m.origin].pk, target.pk))
    report.links_added = services.bulk_link(pairs, WorkItemRelation.Kind.DEPENDS_ON)
