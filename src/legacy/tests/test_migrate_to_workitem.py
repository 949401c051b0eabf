"""Migrating the old trackers: every field lands, re-runs update, dry runs write nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Team, User
from common.models import WorkItem, WorkItemRelation
from common.services import update_work_item
from legacy import models as old
from legacy.guard import legacy_writes

from .conftest import OFFICE

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])


def migrate(*args, **options) -> str:
    out = io.StringIO()
    call_command("migrate_to_workitem", *args, organization=OFFICE, stdout=out, **options)
    return out.getvalue()


def test_every_legacy_row_becomes_one_work_item(history):
    output = migrate()
    assert WorkItem.objects.exclude(legacy_source="").count() == history.row_count
    assert "project workflows  4 created" in output
    assert "events             11 created" in output
    assert "staff tasks        7 created" in output


def test_workflow_becomes_a_project_named_by_its_need(migrated, item_of, cast):
    project = item_of(migrated.water)
    assert project.work_type == "project" and project.parent_id is None
    assert project.title == "Water system for Barangay Tambunan"
    assert project.description == "Need: Water system for Barangay Tambunan"
    assert (project.status, project.priority, project.progress) == ("in_progress", "high", 40)
    assert project.progress_mode == "manual"
    assert (project.start_date, project.due_date) == (dt.date(2025, 3, 1), dt.date(2025, 12, 15))
    assert project.details == {"workflow_stage": "budget_planning", "estimated_budget": "250000.00"}
    assert project.legacy_data["stage_history"][0]["stage"] == "need_validation"
    assert project.legacy_data["notes"] == "Coordinate with the MAO."
    assert list(project.assignees.all()) == [cast.staff]
    assert project.organization == cast.office


def test_workflow_health_decides_the_project_status(migrated, item_of):
    assert item_of(migrated.blocked).status == "blocked"
    assert item_of(migrated.blocked).legacy_data["blocker_description"] == "Waiting for funds"
    done = item_of(migrated.done)
    assert (done.status, done.progress) == ("completed", 100)
    assert timezone.localtime(done.completed_at).date() == dt.date(2025, 9, 30)
    urgent = item_of(migrated.urgent)
    assert (urgent.status, urgent.priority, urgent.progress) == ("at_risk", "urgent", 100)
    # Its target date lies before its start: the start is kept aside, the deadline kept.
    assert (urgent.start_date, urgent.due_date) == (None, dt.date(2025, 1, 1))
    assert urgent.legacy_data["original_start_date"] == "2025-03-01"


def test_event_becomes_an_activity_under_its_project(migrated, item_of, cast):
    workshop = item_of(migrated.workshop)
    assert workshop.work_type == "activity"
    assert workshop.parent == item_of(migrated.water)
    assert (workshop.status, workshop.priority) == ("not_started", "high")
    assert (workshop.start_time, workshop.end_time) == (dt.time(9), dt.time(16, 30))
    assert workshop.start_date == workshop.due_date == dt.date(2025, 6, 10)
    assert workshop.details == {
        "event_type": "workshop",
        "venue": "OOBC Conference Room",
        "address": "Cotabato City",
        "is_virtual": True,
        "virtual_platform": "Zoom",
        "virtual_link": "https://zoom.us/j/123",
        "virtual_meeting_id": "123",
        "virtual_passcode": "s3cret",
        "expected_participants": 40,
    }
    assert workshop.allocated_budget == Decimal("15000.50")
    assert workshop.legacy_data["agenda"] == "1. Welcome\n2. Findings"
    assert workshop.legacy_data["coordinates"]["type"] == "Point"
    assert workshop.legacy_data["facilitators"] == ["lina.old"]
    lina = User.objects.get(username="lina.old")
    assert set(workshop.assignees.all()) == {cast.staff, cast.manager, lina}


def test_nested_event_becomes_a_sub_activity(migrated, item_of):
    session = item_of(migrated.session)
    assert session.work_type == "sub_activity"
    assert session.parent == item_of(migrated.workshop)
    assert session.status == "in_progress"


def test_every_event_status_has_its_meaning(migrated, item_of):
    statuses = {s: item_of(row).status for s, row in migrated.by_status.items()}
    assert statuses == {
        "draft": "not_started",
        "planned": "not_started",
        "rescheduled": "not_started",
        "cancelled": "cancelled",
        "completed": "completed",
    }
    assert item_of(migrated.fieldwork).status == "blocked"  # postponed
    fieldwork = item_of(migrated.fieldwork)
    assert (fieldwork.start_date, fieldwork.due_date) == (dt.date(2025, 7, 1), dt.date(2025, 7, 3))


def test_misdated_event_is_repaired_and_the_originals_kept(migrated, item_of):
    forum = item_of(migrated.backwards)
    assert forum.start_date == forum.due_date == dt.date(2025, 8, 5)
    assert (forum.start_time, forum.end_time) == (dt.time(15), None)
    assert forum.legacy_data["original_end_date"] == "2025-08-01"
    assert forum.legacy_data["original_end_time"] == "10:00:00"


def test_recurring_series_keeps_its_dates_and_stored_instances_stand_alone(migrated, item_of):
    series = item_of(migrated.series)
    # Weekly on Mondays, four dates, 23 June excepted (exceptions do not count): 2, 9, 16, 30 June.
    assert series.recurrence_rule == "FREQ=WEEKLY;BYDAY=MO;INTERVAL=1;UNTIL=20250630"
    # The stored instance of 9 June is an item of its own, so the series skips that date.
    assert series.recurrence_exdates == ["2025-06-09", "2025-06-23"]
    instance = item_of(migrated.instance)
    assert instance.parent_id == series.parent_id and instance.start_date == dt.date(2025, 6, 9)
    assert instance.legacy_data["recurrence_parent_id"] == str(migrated.series.pk)


def test_monthly_day_31_falls_on_each_month_end(migrated, item_of):
    monthly = item_of(migrated.monthly)
    assert monthly.recurrence_rule == (
        "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;INTERVAL=1;UNTIL=20250331"
    )


def test_task_lands_under_its_event_with_people_teams_and_details(migrated, item_of, cast):
    prepare = item_of(migrated.prepare)
    assert prepare.work_type == "task" and prepare.parent == item_of(migrated.workshop)
    assert (prepare.status, prepare.priority, prepare.progress) == ("in_progress", "high", 60)
    assert prepare.details == {"domain": "coordination", "estimated_hours": "6.50"}
    assert prepare.legacy_data["board_position"] == 3
    assert prepare.legacy_data["task_context"] == "project_activity"
    assert prepare.legacy_data["linked_workflow_id"] == str(migrated.water.pk)
    lina = User.objects.get(username="lina.old")
    # ghost is inactive and paolo works for the partner agency: neither can be assigned here.
    assert set(prepare.assignees.all()) == {cast.staff, lina}
    assert {t.name for t in prepare.teams.all()} == {"Field Coordination", "Policy Unit"}
    assert item_of(migrated.budget).parent == item_of(migrated.water)


def test_task_edge_cases_survive(migrated, item_of):
    report = item_of(migrated.report)
    assert report.title == "Write the report ✍️ — Bangsamoro"
    assert len(report.description) == 10_000
    assert (report.status, report.progress, report.priority) == ("completed", 100, "critical")
    assert report.parent_id is None
    undated = item_of(migrated.undated)
    assert (undated.start_date, undated.due_date, undated.status) == (None, None, "at_risk")
    assert item_of(migrated.only_start).start_date == dt.date(2025, 9, 1)
    inverted = item_of(migrated.inverted)
    assert (inverted.start_date, inverted.due_date, inverted.progress) == (
        None,
        dt.date(2025, 9, 1),
        100,
    )


def test_dependencies_become_links_and_self_dependencies_are_dropped(migrated, item_of):
    report, prepare = item_of(migrated.report), item_of(migrated.prepare)
    links = list(WorkItemRelation.objects.values_list("source_id", "target_id", "kind"))
    assert links == [(report.pk, prepare.pk, "depends_on")]


def test_people_and_teams_are_matched_or_created_and_reported(history):
    output = migrate()
    assert "People created: lina.old, josé.dela.cruz" in output or (
        "People created: josé.dela.cruz, lina.old" in output
    )
    assert "Teams created: Policy Unit" in output
    assert "Cannot be assigned here: ghost (inactive)" in output
    assert "Cannot be assigned here: paolo (belongs to another organisation)" in output
    lina = User.objects.get(username="lina.old")
    assert lina.password == "pbkdf2_sha256$870000$salt$hash"  # signs in with the old password
    assert lina.groups.get().name == "Staff"
    assert User.objects.get(username="josé.dela.cruz").groups.get().name == "Viewer"
    assert not User.objects.filter(username="MARCO").exists()  # matched marco
    policy = Team.objects.get(name="Policy Unit")
    assert policy.memberships.get().user == lina and policy.memberships.get().is_lead


def test_dry_run_reports_and_writes_nothing(history):
    output = migrate(dry_run=True)
    assert "Would migrate:" in output and "staff tasks        7 created" in output
    assert "Dry run: nothing was written." in output
    assert WorkItem.objects.count() == 0
    assert not User.objects.filter(username="lina.old").exists()
    assert not Team.objects.filter(name="Policy Unit").exists()


def test_second_run_changes_nothing(migrated):
    before = sorted(WorkItem.objects.values_list("pk", "version"))
    output = migrate()
    assert "staff tasks        7 unchanged" in output
    assert "events             11 unchanged" in output
    assert sorted(WorkItem.objects.values_list("pk", "version")) == before
    assert WorkItemRelation.objects.count() == 1


def test_rerun_copies_changes_made_in_the_old_system(migrated, item_of):
    with legacy_writes(force=True):
        old.StaffTask.objects.filter(pk=migrated.undated.pk).update(
            title="Call the MAO again", status="completed"
        )
    output = migrate()
    assert "staff tasks        6 unchanged, 1 updated" in output
    undated = item_of(migrated.undated)
    assert (undated.title, undated.status) == ("Call the MAO again", "completed")


def test_rerun_keeps_edits_made_here(migrated, item_of, cast):
    item = item_of(migrated.undated)
    update_work_item(cast.manager, item, title="Renamed here")
    with legacy_writes(force=True):
        old.StaffTask.objects.filter(pk=migrated.undated.pk).update(title="Renamed there")
    output = migrate()
    assert "1 kept (edited here)" in output
    assert item_of(migrated.undated).title == "Renamed here"


def test_only_tasks_before_their_events_is_refused_and_writes_nothing(history):
    with pytest.raises(CommandError, match=r"Nothing migrated: .*migrate events first"):
        migrate(only="tasks")
    assert WorkItem.objects.count() == 0


def test_only_in_order_is_the_same_as_all_at_once(history):
    for word in ("projects", "events", "tasks"):
        migrate(only=word)
    assert WorkItem.objects.exclude(legacy_source="").count() == history.row_count
    assert "unchanged" in migrate()


def test_bad_arguments_are_one_line_errors(history):
    with pytest.raises(CommandError, match="--only: unknown boats"):
        migrate(only="boats")
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        migrate(batch_size=0)


def test_several_organisations_need_one_named(history):
    with pytest.raises(CommandError, match="Name the organisation"):
        call_command("migrate_to_workitem", stdout=io.StringIO())


def test_detail_page_shows_what_came_from_the_old_system(migrated, item_of, client, cast):
    client.force_login(cast.staff)
    url = f"/oobc-management/work-items/{item_of(migrated.workshop).pk}/"
    page = client.get(url).content.decode()
    assert "From the old system" in page and "coordination_event" in page
    assert "1. Welcome" in page
