"""Dual-write during a parallel run: failures are recorded and retried, never silent, and a
status change in either direction leaves the legacy row saying the same as the item."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings

from common.models import Status
from common.services import update_work_item
from legacy import models as old
from legacy.dualwrite import apply_pending
from legacy.guard import ALIAS
from legacy.models import OutboxEntry
from legacy.sources import EVENTS, PROJECTS, TASKS
from legacy.verify import verify

pytestmark = pytest.mark.django_db(databases=["default", "legacy"], transaction=False)
PARALLEL_RUN = {
    **settings.FEATURE_FLAGS,
    "DUAL_WRITE_ENABLED": True,
    "LEGACY_MODELS_READONLY": False,
}


@pytest.fixture
def parallel_run(migrated):
    with override_settings(FEATURE_FLAGS=PARALLEL_RUN):
        yield migrated


def rename_legacy_table(old_name: str, new_name: str) -> None:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{old_name}" RENAME TO "{new_name}"')


def test_a_failed_read_of_the_old_database_is_recorded_on_the_entry(
    parallel_run, item_of, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        update_work_item(cast.manager, item_of(parallel_run.prepare), title="Kits, revised")
    rename_legacy_table("common_stafftask", "common_stafftask_renamed")

    counts = apply_pending()

    entry = OutboxEntry.objects.get(legacy_id=str(parallel_run.prepare.pk))
    assert counts == {"applied": 0, "failed": 1}
    assert entry.state == OutboxEntry.State.FAILED
    assert entry.attempts == 1
    assert entry.last_attempt_at is not None
    assert entry.note.startswith("could not read the old database:")
    assert "common_stafftask" in entry.note


def test_a_failed_entry_is_retried_and_applied_once_the_old_database_is_back(
    parallel_run, item_of, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        update_work_item(cast.manager, item_of(parallel_run.prepare), title="Kits, revised")
    rename_legacy_table("common_stafftask", "common_stafftask_renamed")
    apply_pending()
    apply_pending(retry_failed=True)
    assert OutboxEntry.objects.get().attempts == 2
    rename_legacy_table("common_stafftask_renamed", "common_stafftask")

    counts = apply_pending(retry_failed=True)

    entry = OutboxEntry.objects.get()
    assert counts == {"applied": 1, "failed": 0}
    assert (entry.state, entry.attempts) == (OutboxEntry.State.APPLIED, 3)
    assert old.StaffTask.objects.get(pk=parallel_run.prepare.pk).title == "Kits, revised"


def test_the_admin_lists_when_and_why_an_entry_failed(parallel_run, cast, client, item_of):
    OutboxEntry.objects.create(
        work_item_id=item_of(parallel_run.prepare).pk,
        legacy_source=TASKS,
        legacy_id=str(parallel_run.prepare.pk),
        action="sync",
        state="failed",
        attempts=3,
        note="could not read the old database: connection refused",
    )
    client.force_login(cast.administrator)
    page = client.get("/admin/legacy/outboxentry/").content.decode()
    assert "connection refused" in page
    assert "Last attempt" in page or "last attempt" in page


def _statuses(source: str) -> list[str]:
    # Statuses the old tracker can say; the others are reported as not representable.
    every = [s.value for s in Status]
    if source == PROJECTS:
        return [s for s in every if s != Status.CANCELLED]
    if source == TASKS:
        return [s for s in every if s not in (Status.BLOCKED, Status.CANCELLED)]
    return [s for s in every if s != Status.AT_RISK]


def _row_says_the_same(source: str, key: str) -> dict:
    """The status and progress drift verification finds between the row and its item."""
    return {
        name: pair
        for drift in verify().drifted
        if (drift["table"], drift["id"]) == (source, key)
        for name, pair in drift["fields"].items()
        if name in ("status", "progress")
    }


@pytest.mark.parametrize("source", [TASKS, EVENTS, PROJECTS])
def test_every_status_change_in_both_directions_keeps_the_row_in_step(
    source, parallel_run, item_of, cast, django_capture_on_commit_callbacks
):
    row = {
        TASKS: parallel_run.prepare,
        EVENTS: parallel_run.workshop,
        PROJECTS: parallel_run.water,
    }[source]
    item = item_of(row)
    for before, after in itertools.permutations(_statuses(source), 2):
        for status in (before, after):
            # A person sets the progress that goes with the status, as the forms suggest.
            progress = {Status.NOT_STARTED: 0, Status.COMPLETED: 100}.get(status, 50)
            changes = {"status": status}
            if source != EVENTS:  # activities roll up from their tasks
                changes["progress"] = progress
            with django_capture_on_commit_callbacks(execute=True):
                item = update_work_item(cast.manager, item.pk, **changes)
        assert OutboxEntry.objects.exclude(state="applied").count() == 0, (before, after)
        assert _row_says_the_same(source, str(row.pk)) == {}, (before, after)
        fresh = type(row).objects.get(pk=row.pk)
        completed = after == Status.COMPLETED
        if source == TASKS:
            assert (fresh.completed_at is not None) == completed, (before, after)
        elif source == PROJECTS:
            assert (fresh.actual_completion_date is not None) == completed, (before, after)
            assert (fresh.current_stage == "completion") == completed, (before, after)
