"""The migration from the old trackers into work items.

A run has two phases (docs/migration.md, "How a run works"):

1. **Staging** (`legacy.staging`): the old rows are read, mapped and written into a staging
   area batch by batch, each batch in its own committed transaction and recorded as a
   checkpoint. No work item, person or team changes. A run killed here (even `kill -9`) is
   continued by the next one, which reuses every batch whose old rows did not change.
2. **The final step**: one transaction of our database creates the people and teams, applies
   the staged rows to the work-item tree (through `common.services`' bulk path, in chunks of
   `--batch-size`, parents before children), links dependencies, hands over the old
   conversation, checks that every staged row now has its item and empties the staging area.
   It is all-or-nothing: killed or failed, it leaves nothing behind but the staging area, and
   the next run repeats only this step.

Items remember their row (`legacy_source`, `legacy_id`), so a second run updates instead of
duplicating: rows that changed in the old system are copied again, unless the item was edited
here since (its version moved on), in which case the edit here is kept and reported. A dry run
does all of the work inside one transaction and then rolls it back, staging included.
"""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

import orjson
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import Organization
from common import services
from common.id_lists import ids_in
from common.models import WorkItem, WorkItemRelation
from common.signals import legacy_conversation

from .errors import MigrationError
from .mapping.people import build_people
from .mapping.records import Mapped, Origin
from .models import ImportRecord, StagedBatch, StagedRow
from .progress import Progress
from .sources import LABEL, ORDER, TASKS
from .staging import conversation_of, decode, mark_applied, stage
from .state import ItemState, differences, migrated_ids, migrated_items

REASON = "migrated from the old system"


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
    #: rows read from the old system; staged batches reused from an interrupted run, reused as
    #: applied by an earlier run (their old rows unchanged since), and staged now
    rows: int = 0
    batches_reused: int = 0
    batches_applied: int = 0
    batches_staged: int = 0
    #: origins of the items this run created
    created: set[Origin] = field(default_factory=set)
    #: peak memory in MB of each helper process that staged beside the run's own
    staging_helper_peaks_mb: list[float] = field(default_factory=list)

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
    try:
        with transaction.atomic() if dry_run else nullcontext():
            staged = stage(organization, sources, batch_size, progress_stream)
            report.rows = staged.rows
            report.batches_reused = staged.batches_reused
            report.batches_applied = staged.batches_applied
            report.batches_staged = staged.batches_staged
            report.staging_helper_peaks_mb = staged.helper_peaks_mb
            with transaction.atomic():
                _final_step(
                    organization, sources, staged.index, batch_size, report, progress_stream
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _final_step(organization, sources, index, batch_size, report, progress_stream) -> None:
    """Every staged row onto the work-item tree; the caller holds the one transaction."""
    people = build_people(organization, index.users, index.teams, index.memberships, create=True)
    report.created_users, report.created_teams = people.created_users, people.created_teams
    report.not_assignable = {
        people.legacy_usernames.get(k, str(k)): v for k, v in people.not_assignable.items()
    }
    ids = migrated_ids()
    selected = [s for s in ORDER if s in sources]
    # The old tables' key order within a level, whichever process staged a batch and when:
    # a batch's rows were written in key order, but batches commit in any order.
    staged = StagedRow.objects.filter(source__in=selected).order_by("level", "batch__number", "id")
    applied = set(StagedBatch.objects.filter(applied=True).values_list("id", flat=True))
    bar = Progress("Writing items", staged.count(), progress_stream)
    dependencies: list[tuple[Origin, str]] = []
    unsettled: set[int] = set()
    # The payload as text, decoded by orjson: Django's JSONField decodes with the json module,
    # at a cost that showed in every migrated row.
    rows = staged.annotate(text=Cast("payload", TextField())).values_list(
        "source", "legacy_id", "text", "batch_id"
    )
    for chunk in _chunks(_decoded(rows.iterator(chunk_size=batch_size)), batch_size):
        in_step = _in_step([ids[(s, k)] for s, k, _, b in chunk if b in applied and (s, k) in ids])
        mapped: list[Mapped] = []
        for source, key, data, _ in chunk:
            origin = (source, key)
            if ids.get(origin) in in_step:
                # Applied before from these very rows, and not changed here since: in step.
                report.count(source, "unchanged")
                notes, depends_on = data["notes"], data["depends_on"]
            else:
                m = decode(source, key, data, people)
                mapped.append(m)
                notes, depends_on = m.notes, m.depends_on
            report.notes.extend((origin, note) for note in notes)
            dependencies.extend((origin, d) for d in depends_on)
        existing = [m for m in mapped if m.origin in ids]
        _create(organization, [m for m in mapped if m.origin not in ids], ids, report)
        if existing:
            states = migrated_items([m.origin for m in existing])
            refused = _update([(m, states[m.origin]) for m in existing], ids, report)
            unsettled.update(b for s, k, _, b in chunk if (s, k) in refused)
        entries = [e for s, k, data, _ in chunk for e in conversation_of(data, ids[(s, k)], people)]
        answers = legacy_conversation.send(
            sender="legacy.importer",
            item_ids=sorted(ids[(s, k)] for s, k, _, _ in chunk),
            conversation=entries,
        )
        report.conversation_added += sum(n for _, n in answers if isinstance(n, int))
        bar.advance(len(chunk))
    bar.finish()
    services.roll_up_trees([ids[origin] for origin in report.created])
    if TASKS in selected:
        _link_dependencies(dependencies, ids, report)
    has_item = WorkItem.objects.filter(
        legacy_source=OuterRef("source"), legacy_id=OuterRef("legacy_id")
    )
    missing = staged.exclude(Exists(has_item)).order_by().count()
    if missing:
        raise MigrationError(f"{missing} staged rows have no work item after the final step.")
    mark_applied(organization, sources, batch_size, index, unsettled)


def _in_step(item_ids: list[int]) -> set[int]:
    """Which of these items are still at the version the last import left (one query)."""
    if not item_ids:
        return set()
    ids_sql, params = ids_in(item_ids)
    return set(
        ImportRecord.objects.filter(
            work_item_id__in=RawSQL(ids_sql, params), synced_version=F("work_item__version")
        ).values_list("work_item_id", flat=True)
    )


def _decoded(rows):
    for source, key, text, batch in rows:
        yield source, key, orjson.loads(text), batch


def _chunks(iterable, size: int):
    chunk = []
    for value in iterable:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _create(organization, new: list[Mapped], ids: dict[Origin, int], report: Report) -> None:
    if not new:
        return
    in_chunk = {m.origin for m in new}
    specs = []
    for m in new:
        if m.parent and m.parent not in ids and m.parent not in in_chunk:
            raise MigrationError(
                f"{LABEL[m.source]} row {m.legacy_id} belongs to {LABEL[m.parent[0]]} row "
                f"{m.parent[1]}, which is not migrated yet; migrate {LABEL[m.parent[0]]} first "
                "(or run without --only)."
            )
        specs.append(
            services.NewItem(
                key=m.origin,
                work_type=m.work_type,
                title=m.title,
                parent_key=m.parent if m.parent in in_chunk else None,
                parent_id=ids.get(m.parent) if m.parent else None,
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
    try:
        created = services.bulk_create_items(
            specs, batch_size=len(specs), reason=REASON, roll_up=False
        )
    except ValidationError as exc:
        raise MigrationError(" ".join(exc.messages)) from None
    _record_imports(list(created.values()))
    ids.update(created)
    report.created.update(created)
    for m in new:
        report.count(m.source, "created")


def _record_imports(item_ids: list[int]) -> None:
    """Each new item is in step with its row at version 1 (one INSERT … SELECT)."""
    ids_sql, params = ids_in(item_ids)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ImportRecord._meta.db_table)} "
            "(work_item_id, synced_version, synced_at) "
            f"SELECT id, 1, %s FROM {quote(WorkItem._meta.db_table)} WHERE id IN ({ids_sql})",
            [connection.ops.adapt_datetimefield_value(timezone.now()), *params],
        )


def _update(existing: list[tuple[Mapped, ItemState]], ids, report) -> set[Origin]:
    """Bring existing items in step with their rows; return the rows that could not be applied
    (their items stay at the imported version, so only comparing them again finds them)."""
    refresh: dict[int, dict] = {}
    refused: set[Origin] = set()
    for m, state in existing:
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
                version = _apply(m, state, diff, ids)
        except ValidationError as exc:
            report.count(m.source, "kept (cannot apply)")
            report.notes.append((m.origin, f"not updated: {' '.join(exc.messages)}"))
            refused.add(m.origin)
            continue
        ImportRecord.objects.update_or_create(
            work_item_id=state.pk, defaults={"synced_version": version}
        )
        report.count(m.source, "updated")
    services.refresh_legacy_data(refresh)
    return refused


def _apply(m: Mapped, state: ItemState, diff: dict, ids: dict[Origin, int]) -> int:
    item = state.pk
    if "parent" in diff:
        parent = ids[m.parent] if m.parent else None
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


def _link_dependencies(dependencies: list[tuple[Origin, str]], ids, report: Report) -> None:
    """Dependencies between tasks, as links; `ids` holds every migrated item by now."""
    pairs = []
    for origin, predecessor in dependencies:
        target = ids.get((TASKS, predecessor))
        if target is None:
            report.notes.append((origin, f"depends on task {predecessor}, which is missing"))
            continue
        pairs.append((ids[origin], target))
    report.links_added = services.bulk_link(pairs, WorkItemRelation.Kind.DEPENDS_ON)
