"""A run killed (kill -9) while staging is continued from its checkpoint by the next run.

The command runs in a subprocess against committed PostgreSQL data and is killed once a few
staged batches are committed. The next run must reuse exactly those batches (not map them
again), stage the rest, and end with the same work items, fields, people, links and old
conversation as a clean run of the same data, with verification clean.
"""

import io
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from accounts.models import Organization, User
from collaboration.models import Comment
from common.models import WorkItem, WorkItemRelation
from common.services import EDITABLE_FIELDS
from legacy import models as old
from legacy.guard import legacy_writes
from legacy.importer import run_migration
from legacy.models import StagedBatch, StagedRow, StagingRun
from legacy.sources import ORDER
from legacy.staging import stage

from .conftest import OFFICE, _Sink
from .oldsystem import OfficeHistory, drop_schema, many_tasks
from .test_interrupted_migration import _url, _writing_backends

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(databases=["default", "legacy"], transaction=True),
]

ROUTINE = 6_000
BATCH = 100


@pytest.fixture
def committed_history(cast, on_postgres):
    if not on_postgres:
        pytest.skip("needs PostgreSQL: the run is killed in a separate process")
    history = OfficeHistory()
    many_tasks(ROUTINE)
    yield history
    drop_schema()


class _Rollback(Exception):
    pass


def _outcome() -> dict:
    """Everything the migration wrote, by legacy origin (ids differ between runs)."""
    items = {}
    origin_of = {
        pk: (source, key)
        for pk, source, key in WorkItem.objects.values_list("pk", "legacy_source", "legacy_id")
    }
    names = dict(User.objects.values_list("pk", "username"))
    for item in WorkItem.objects.exclude(legacy_source="").prefetch_related("assignees", "teams"):
        values = {name: getattr(item, name) for name in sorted(EDITABLE_FIELDS)}
        values.update(
            work_type=item.work_type,
            parent=origin_of.get(item.parent_id),
            root=origin_of.get(item.root_id),
            position=item.position,
            version=item.version,
            completed_at=item.completed_at,
            legacy_data=item.legacy_data,
            created_by=names.get(item.created_by_id),
            assignees=sorted(u.username for u in item.assignees.all()),
            teams=sorted(t.name for t in item.teams.all()),
            history=item.history.count(),
        )
        items[(item.legacy_source, item.legacy_id)] = values
    links = {
        (origin_of[a], origin_of[b], kind)
        for a, b, kind in WorkItemRelation.objects.values_list("source_id", "target_id", "kind")
    }
    comments = {
        (c.legacy_key, origin_of[c.work_item_id], c.body, c.created_at, names.get(c.author_id))
        for c in Comment.objects.exclude(legacy_key__isnull=True).exclude(legacy_key="")
    }
    return {"items": items, "links": links, "comments": comments}


def _migrate() -> str:
    out = io.StringIO()
    call_command("migrate_to_workitem", organization=OFFICE, batch_size=BATCH, stdout=out)
    return out.getvalue()


def _env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "obcms.settings",
        "SECRET_KEY": "interrupt-" + "x" * 50,
        "DATABASE_URL": _url("default"),
        "LEGACY_DATABASE_URL": _url("legacy"),
        "REDIS_URL": "",
    }


def _command() -> list[str]:
    """The operator's command line for this office's migration."""
    return [
        sys.executable,
        "manage.py",
        "migrate_to_workitem",
        "--organization",
        OFFICE,
        "--batch-size",
        str(BATCH),
    ]


def _start():
    return subprocess.Popen(
        _command(),
        cwd=settings.SRC_DIR,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _clean_run() -> dict:
    """What a clean, uninterrupted run writes (then rolled back: staging and all)."""
    try:
        with transaction.atomic():
            _migrate()
            clean = _outcome()
            raise _Rollback
    except _Rollback:
        pass
    assert WorkItem.objects.count() == 0 and not StagedBatch.objects.exists()
    return clean


def _kill_while_staging() -> list[tuple]:
    run = _start()
    deadline = time.monotonic() + 120
    while run.poll() is None and time.monotonic() < deadline:
        if StagedBatch.objects.count() >= 3:
            break
        time.sleep(0.01)
    assert run.poll() is None, "the run finished before it could be interrupted"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    staged = sorted(StagedBatch.objects.values_list("source", "number", "fingerprint", "staged_at"))
    # The run's staging helper ended with it: nothing goes on writing beside the next run.
    time.sleep(1.5)
    assert _writing_backends() == 0
    assert sorted(
        StagedBatch.objects.values_list("source", "number", "fingerprint", "staged_at")
    ) == (staged)
    return staged


def test_killed_run_continues_from_its_checkpoint_and_equals_a_clean_run(committed_history):
    total_batches = sum(-(-rows // BATCH) for rows in (4, 11, 7 + ROUTINE))  # per table

    clean = _clean_run()
    assert len(clean["items"]) == committed_history.row_count + ROUTINE

    staged_before = _kill_while_staging()
    # Killed while staging: the operator sees nothing migrated, and a checkpoint is left.
    assert 3 <= len(staged_before) < total_batches, len(staged_before)
    assert WorkItem.objects.count() == 0
    assert not User.objects.filter(username="lina.old").exists()
    assert StagingRun.objects.count() == 1

    output = _migrate()
    reused = re.search(r"(\d+) staged batches reused, (\d+) staged now", output)
    assert reused, output
    assert int(reused[1]) == len(staged_before)
    assert int(reused[1]) + int(reused[2]) == total_batches

    assert _outcome() == clean
    # Every batch is now applied and kept, so an unchanged next run maps nothing again.
    assert StagedBatch.objects.count() == total_batches
    assert not StagedBatch.objects.filter(applied=False).exists()
    assert StagedRow.objects.count() == len(clean["items"])
    assert StagingRun.objects.count() == 1
    try:
        call_command("verify_workitem_migration", stdout=_Sink())
    except SystemExit as exc:
        pytest.fail(f"verification failed after the resumed run (exit {exc.code})")


def test_run_killed_in_its_final_step_leaves_no_item_and_repeats_only_that_step(
    committed_history,
):
    total_batches = sum(-(-rows // BATCH) for rows in (4, 11, 7 + ROUTINE))
    clean = _clean_run()
    run = _start()
    deadline = time.monotonic() + 120
    while run.poll() is None and time.monotonic() < deadline:
        if StagedBatch.objects.count() == total_batches and _writing_backends():
            break  # every batch is staged and the final transaction has begun writing
        time.sleep(0.005)
    assert run.poll() is None, "the run finished before its final step could be interrupted"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 30
    while _writing_backends() and time.monotonic() < deadline:
        time.sleep(0.05)  # PostgreSQL rolls the dead session's transaction back
    assert WorkItem.objects.count() == 0
    assert not User.objects.filter(username="lina.old").exists()
    assert StagedBatch.objects.count() == total_batches

    output = _migrate()
    assert f"{total_batches} staged batches reused, 0 staged now" in output
    assert _outcome() == clean


def test_a_batch_whose_rows_changed_is_staged_again(committed_history):
    """The checkpoint trusts a staged batch only while its old rows are unchanged."""
    organization, _ = Organization.objects.get_or_create(name=OFFICE)
    stage(organization, list(ORDER), BATCH)
    staged = StagedBatch.objects.count()
    assert staged > 3
    first = old.StaffTask.objects.order_by("pk").first()
    with legacy_writes(force=True):
        old.StaffTask.objects.filter(pk=first.pk).update(title="Renamed in the old system")
    report = run_migration(organization, list(ORDER), batch_size=BATCH)
    assert (report.batches_staged, report.batches_reused) == (1, staged - 1)
    item = WorkItem.objects.get(legacy_source="common_stafftask", legacy_id=str(first.pk))
    assert item.title == "Renamed in the old system"
