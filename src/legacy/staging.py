"""The migration's staging area: old rows mapped batch by batch, each batch a checkpoint.

The first phase of a run reads the old trackers batch by batch (`--batch-size` rows, in key
order), maps each row and writes the result into `StagedRow`, one committed transaction per
batch, recorded as a `StagedBatch` with a digest of the batch's old rows. Nothing the operator
sees changes in this phase: no work item, person or team is written. A run killed here (even
`kill -9`) leaves only these staged batches, and the next run reuses every batch whose old rows
still give the same digest (and whose run signature still matches), so it continues where the
killed one stopped instead of starting again.

Staged rows name people and teams by their legacy ids (the people a run creates do not exist
before its final step); the final step translates them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson
from django.conf import settings
from django.db import connections, router, transaction

from accounts.models import Organization
from common.jsonb import jsonb

from .conversation import conversation_entries
from .mapping.people import plan_people
from .mapping.records import Context, Mapped, map_row
from .models import StagedBatch, StagedRow, StagingRun
from .parallel import run_shared, usable_processes
from .progress import Progress
from .snapshot import Snapshot, read_index, read_snapshot
from .sources import EVENTS, ORDER, PROJECTS, TASKS
from .state import migrated_origins_all

#: Staged tasks come after every event, whatever its depth.
TASK_LEVEL = 100
_DATES = ("start_date", "due_date")
_TIMES = ("start_time", "end_time")
_DECIMALS = ("allocated_budget", "actual_expenditure")


@dataclass
class StageResult:
    rows: int = 0
    #: batches reused from an interrupted run; reused as applied by an earlier run; staged now
    batches_reused: int = 0
    batches_applied: int = 0
    batches_staged: int = 0
    #: the index read for staging (its people tables serve the final step)
    index: Snapshot | None = None
    #: peak memory in MB of each helper process that staged beside this one
    helper_peaks_mb: list[float] = field(default_factory=list)


def _digest(value: Any, *, sort_keys: bool = True) -> str:
    options = orjson.OPT_NON_STR_KEYS | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    return hashlib.sha256(orjson.dumps(value, default=str, option=options)).hexdigest()


def run_signature(organization: Organization, sources, batch_size: int, index: Snapshot) -> str:
    """Everything a row's mapping depends on besides the row itself, as one digest."""
    return _digest(
        {
            "organization": organization.pk,
            "sources": list(sources),
            "batch_size": batch_size,
            "users": index.users,
            "teams": index.teams,
            "memberships": index.memberships,
            "patterns": index.patterns,
            "projects": list(index.projects),
            "events": index.events,
            "tasks": list(index.tasks),
            "instances": {f"{s}:{k}": sorted(d) for (s, k), d in index.instance_dates.items()},
            "migrated": sorted(migrated_origins_all()),
            "ours": _people_here(index),
        }
    )


def _people_here(index: Snapshot) -> list:
    """Our people the old usernames match (their state decides who may be assigned)."""
    from accounts.models import User

    names = {u["username"].lower() for u in index.users}
    return sorted(
        (u.lower(), active, org)
        for u, active, org in User.objects.values_list("username", "is_active", "organization_id")
        if u.lower() in names
    )


def stage(
    organization: Organization,
    sources: list[str],
    batch_size: int,
    progress_stream=None,
) -> StageResult:
    """Map and stage every selected row, reusing batches staged before; see the module text.

    The batches are shared among `LEGACY_STAGING_PROCESSES` processes (see `legacy.parallel`
    for when a run stages alone)."""
    index = read_index(batch_size)
    signature = run_signature(organization, sources, batch_size, index)
    run = StagingRun.objects.first()
    if run is None or run.signature != signature:
        with transaction.atomic():
            StagingRun.objects.all().delete()
            StagedBatch.objects.all().delete()  # their rows go with them
            StagingRun.objects.create(
                signature=signature,
                organization_id=organization.pk,
                sources=",".join(sources),
                batch_size=batch_size,
            )
    people = plan_people(organization, index.users, index.teams)
    ctx = Context(index, people, migrated=migrated_origins_all())
    ctx.place_events()  # once, here: helpers forked below inherit the placement
    done = {
        (b.source, b.number): b
        for b in StagedBatch.objects.only("id", "source", "number", "fingerprint", "applied")
    }
    selected = [s for s in ORDER if s in sources]
    result = StageResult(index=index)
    result.rows = sum(len(index.rows(s)) for s in selected)
    jobs = []
    for source in selected:
        keys = list(index.rows(source))
        for number in range((len(keys) + batch_size - 1) // batch_size):
            chunk = keys[number * batch_size : (number + 1) * batch_size]
            jobs.append(_Batch(source, number, chunk, done.pop((source, number), None)))
    bar = Progress("Staging rows", result.rows, progress_stream)

    outcomes: Counter[str] = Counter()

    def counted(batch: _Batch, outcome: str) -> None:
        outcomes[outcome] += 1
        bar.advance(len(batch.keys))

    result.helper_peaks_mb = run_shared(
        jobs,
        usable_processes(settings.LEGACY_STAGING_PROCESSES),
        lambda batch: _stage_batch(batch, ctx, batch_size),
        counted,
    )
    bar.finish()
    result.batches_applied, result.batches_reused = outcomes["applied"], outcomes["reused"]
    result.batches_staged = outcomes["staged"]
    # Batches past the end of a table that has shrunk since, or of a table not selected now.
    stale = [b.pk for b in done.values()]
    if stale:
        StagedBatch.objects.filter(pk__in=stale).delete()
    return result


@dataclass
class _Batch:
    """One batch of a table to stage: its keys, and what an earlier run staged of it."""

    source: str
    number: int
    keys: list[str]
    earlier: StagedBatch | None


def _stage_batch(batch: _Batch, ctx: Context, batch_size: int) -> str:
    """Stage one batch in its own transaction, or reuse the earlier one if its old rows are
    unchanged: "applied" (reused, written by an earlier run), "reused" or "staged"."""
    source, chunk, earlier = batch.source, batch.keys, batch.earlier
    old_rows = read_snapshot(batch_size, only={source: chunk}, lookups=False, span=True)
    rows = old_rows.rows(source)
    fingerprint = fingerprint_of(chunk, rows)
    if earlier is not None and earlier.fingerprint == fingerprint:
        return "applied" if earlier.applied else "reused"
    with transaction.atomic():
        if earlier is not None:
            earlier.delete()
        staged = StagedBatch.objects.create(
            source=source,
            number=batch.number,
            first_key=chunk[0],
            last_key=chunk[-1],
            rows=len(chunk),
            fingerprint=fingerprint,
        )
        known = ctx.people.known
        _write_staged(
            staged,
            [
                (
                    source,
                    key,
                    _level(source, key, ctx),
                    encode(map_row(source, key, rows[key], ctx), rows[key], known),
                )
                for key in chunk
            ],
        )
    return "staged"


def fingerprint_of(keys: list[str], rows: dict[str, dict[str, Any]]) -> str:
    """A digest of a batch's old rows, to know them unchanged by the next run.

    Encoded with orjson (dates, times and ids as ISO text, decimals as text) rather than
    `repr`, which was 6 % of a first run at 100,000 rows. Equal rows give equal digests in
    any process. Digests and run signatures made by an older release differ: the first run
    after an upgrade stages every batch again and compares every row with its item, as a
    first run does, once.
    """
    return _digest([keys, rows], sort_keys=False)  # the old rows' columns come in one order


def _write_staged(batch: StagedBatch, rows: list[tuple[str, str, int, dict]]) -> None:
    """The batch's staged rows: one COPY on PostgreSQL, a bulk insert elsewhere."""
    connection = connections[router.db_for_write(StagedRow)]
    if connection.vendor != "postgresql":
        StagedRow.objects.bulk_create(
            [
                StagedRow(batch=batch, source=s, legacy_id=k, level=level, payload=payload)
                for s, k, level, payload in rows
            ]
        )
        return

    table = connection.ops.quote_name(StagedRow._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} (batch_id, source, legacy_id, level, payload) FROM STDIN"
        ) as copy,
    ):
        for source, key, level, payload in rows:
            copy.write_row((batch.pk, source, key, level, jsonb(payload)))


def clear() -> None:
    """Empty the staging area (archiving the old data does this; so may an operator)."""
    StagedRow.objects.all().delete()
    StagedBatch.objects.all().delete()
    StagingRun.objects.all().delete()


def mark_applied(
    organization: Organization,
    sources: list[str],
    batch_size: int,
    index: Snapshot,
    unsettled: set[int],
) -> None:
    """After a final step: its batches are applied, and the run is signed as the next one will be.

    The final step's transaction calls this. Batches of tables not chosen this time are dropped;
    a batch with a row that could not be applied (`unsettled` batch ids) stays unapplied, so the
    next run compares that row again. The signature is taken again now, when the people and items
    this run created exist, so an unchanged next run gives the same one and keeps every batch.
    """
    StagedBatch.objects.exclude(source__in=sources).delete()
    StagedBatch.objects.filter(source__in=sources).exclude(pk__in=unsettled).update(applied=True)
    StagingRun.objects.update(signature=run_signature(organization, sources, batch_size, index))


def _level(source: str, key: str, ctx: Context) -> int:
    if source == PROJECTS:
        return 0
    if source == TASKS:
        return TASK_LEVEL
    ctx.event_parent(key)  # places every event once
    return 1 + sum(1 for origin in ctx._path(key) if origin[0] == EVENTS)


# --- a mapped row as JSON, and back ----------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    return value


def encode(m: Mapped, row: dict, known: dict[int, int]) -> dict[str, Any]:
    """A mapped row (and its old conversation, authors by legacy id) as JSON."""
    entries = conversation_entries({m.source: {m.legacy_id: row}}, {m.origin: 0}, known)
    return {
        "work_type": m.work_type,
        "title": m.title,
        "parent": list(m.parent) if m.parent else None,
        "fields": {k: _plain(v) for k, v in m.fields.items()},
        "assignees": m.assignees,
        "teams": m.teams,
        "created_by": m.created_by,
        "completed_at": _plain(m.completed_at),
        "legacy_data": m.legacy_data,
        "notes": m.notes,
        "depends_on": m.depends_on,
        "conversation": [
            {
                "key": e["key"],
                "author": e["author_id"],
                "created_at": _plain(e["created_at"]),
                "body": e["body"],
            }
            for e in entries
        ],
    }


def decode(source: str, legacy_id: str, data: dict[str, Any], people) -> Mapped:
    """The staged row as the mapping made it, people and teams translated to ours."""
    fields = dict(data["fields"])
    for name in _DATES:
        if fields.get(name) is not None:
            fields[name] = dt.date.fromisoformat(fields[name])
    for name in _TIMES:
        if fields.get(name) is not None:
            fields[name] = dt.time.fromisoformat(fields[name])
    for name in _DECIMALS:
        if fields.get(name) is not None:
            fields[name] = Decimal(fields[name])
    completed = data["completed_at"]
    return Mapped(
        source=source,
        legacy_id=legacy_id,
        work_type=data["work_type"],
        title=data["title"],
        parent=tuple(data["parent"]) if data["parent"] else None,
        fields=fields,
        assignees=sorted({people.users[u] for u in data["assignees"]}),
        teams=sorted({people.teams[t] for t in data["teams"]}),
        created_by=people.known.get(data["created_by"]),
        completed_at=dt.datetime.fromisoformat(completed) if completed else None,
        legacy_data=data["legacy_data"],
        notes=data["notes"],
        depends_on=data["depends_on"],
    )


def conversation_of(data: dict[str, Any], item_id: int, people) -> list[dict[str, Any]]:
    return [
        {
            "key": e["key"],
            "work_item_id": item_id,
            "author_id": people.known.get(e["author"]),
            "created_at": dt.datetime.fromisoformat(e["created_at"]) if e["created_at"] else None,
            "body": e["body"],
        }
        for e in data["conversation"]
    ]
