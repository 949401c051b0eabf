"""During a parallel run, edits to migrated items reach their legacy rows."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from common.services import delete_work_item, move_work_item, update_work_item
from legacy import models as old
from legacy.dualwrite import apply_pending
from legacy.models import OutboxEntry

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])
PARALLEL_RUN = {
    **settings.FEATURE_FLAGS,
    "DUAL_WRITE_ENABLED": True,
    "LEGACY_MODELS_READONLY": False,
}


@pytest.fixture
def parallel_run(migrated, django_capture_on_commit_callbacks):
    with override_settings(FEATURE_FLAGS=PARALLEL_RUN):
        yield migrated


def edit(capture, *args, **changes):
    with capture(execute=True):
        return update_work_item(*args, **changes)


def verified() -> bool:
    try:
        call_command("verify_workitem_migration", stdout=io.StringIO())
    except SystemExit as exc:
        return exc.code == 0
    return True


def test_editing_a_task_rewrites_its_row(
    parallel_run, item_of, cast, django_capture_on_commit_callbacks
):
    item = item_of(parallel_run.prepare)
    edit(
        django_capture_on_commit_callbacks,
        cast.manager,
        item,
        title="Prepare kits for 60 people",
        status="completed",
        due_date=dt.date(2025, 6, 8),
        assignees=[cast.staff],
    )
    row = old.StaffTask.objects.get(pk=parallel_run.prepare.pk)
    assert (row.title, row.status, row.due_date, row.progress) == (
        "Prepare kits for 60 people",
        "completed",
        dt.date(2025, 6, 8),
        100,
    )
    assert row.completed_at is not None
    assert list(
        old.StaffTaskAssignee.objects.filter(stafftask_id=row.pk).values_list("user_id", flat=True)
    ) == [parallel_run.sofia.pk]
    entry = OutboxEntry.objects.get(legacy_id=str(parallel_run.prepare.pk))
    assert entry.state == "applied" and "wrote" in entry.note
    assert verified()


def test_editing_an_event_keeps_equivalent_old_words(
    parallel_run, item_of, cast, django_capture_on_commit_callbacks
):
    workshop = item_of(parallel_run.workshop)
    details = {**workshop.details, "venue": "Bigger hall"}
    edit(django_capture_on_commit_callbacks, cast.manager, workshop, details=details)
    row = old.Event.objects.get(pk=parallel_run.workshop.pk)
    assert row.venue == "Bigger hall"
    assert row.status == "confirmed"  # still "not started" here, so the old word stays
    edit(django_capture_on_commit_callbacks, cast.manager, workshop, status="blocked")
    assert old.Event.objects.get(pk=parallel_run.workshop.pk).status == "postponed"
    assert verified()


def test_editing_a_project_writes_its_need_and_stage(
    parallel_run, item_of, cast, django_capture_on_commit_callbacks
):
    project = item_of(parallel_run.water)
    edit(
        django_capture_on_commit_callbacks,
        cast.manager,
        project,
        title="Water system, phase 1",
        details={**project.details, "workflow_stage": "approval"},
        priority="urgent",
    )
    row = old.ProjectWorkflow.objects.get(pk=parallel_run.water.pk)
    assert (row.current_stage, row.priority_level) == ("approval", "urgent")
    assert old.LegacyNeed.objects.get(pk=row.primary_need_id).title == "Water system, phase 1"
    assert verified()


def test_moving_a_task_relinks_it(parallel_run, item_of, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        move_work_item(
            cast.manager, item_of(parallel_run.undated), parent=item_of(parallel_run.done)
        )
    row = old.StaffTask.objects.get(pk=parallel_run.undated.pk)
    assert row.linked_workflow_id == parallel_run.done.pk and row.linked_event_id is None


def test_deleting_an_item_deletes_its_row(
    parallel_run, item_of, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delete_work_item(cast.manager, item_of(parallel_run.report))
    assert not old.StaffTask.objects.filter(pk=parallel_run.report.pk).exists()
    assert not old.StaffTaskDependency.objects.filter(from_stafftask_id=parallel_run.report.pk)
    assert verified()


def test_what_the_old_system_cannot_hold_is_reported(
    parallel_run, item_of, cast, django_capture_on_commit_callbacks
):
    edit(
        django_capture_on_commit_callbacks,
        cast.manager,
        item_of(parallel_run.undated),
        status="cancelled",
    )
    entry = OutboxEntry.objects.get()
    assert entry.state == "applied"
    assert "not representable there:" in entry.note and "status" in entry.note
    assert old.StaffTask.objects.get(pk=parallel_run.undated.pk).status == "completed"
    assert not verified()  # the difference stays visible


def test_failures_stay_in_the_outbox_and_are_retried(
    parallel_run, item_of, cast, django_capture_on_commit_callbacks, client
):
    from legacy.guard import legacy_writes

    with legacy_writes():
        old.StaffTask.objects.filter(pk=parallel_run.undated.pk).delete()
    edit(django_capture_on_commit_callbacks, cast.manager, item_of(parallel_run.undated), title="X")
    entry = OutboxEntry.objects.get()
    assert (entry.state, entry.attempts) == ("failed", 1)
    assert "is gone" in entry.note
    assert apply_pending(retry_failed=True) == {"applied": 0, "failed": 1}
    client.force_login(cast.administrator)
    page = client.get("/admin/legacy/outboxentry/?state=failed")
    assert page.status_code == 200 and "is gone" in page.content.decode()


def test_nothing_is_queued_outside_a_parallel_run(migrated, item_of, cast):
    update_work_item(cast.manager, item_of(migrated.undated), title="Quiet")
    assert not OutboxEntry.objects.exists()
    assert old.StaffTask.objects.get(pk=migrated.undated.pk).title == "Call the MAO"
