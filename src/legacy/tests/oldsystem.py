"""Builds an old OBCMS database for the tests and fills it with a realistic office history.

On SQLite the three trackers' tables are created from the old system's own DDL (so UUIDs are
`char(32)`, decimals come back as integers or floats, JSON is text); on PostgreSQL from the
schema models, which produce the types the old Django application created (uuid, bigint
identity, jsonb, numeric).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from pathlib import Path

from django.db import connections
from django.utils import timezone

from legacy import models as old
from legacy.guard import ALIAS, legacy_writes

DDL = Path(__file__).with_name("legacy_sqlite.sql")
SUPPORT = (
    old.LegacyUser,
    old.LegacyTeam,
    old.LegacyTeamMembership,
    old.LegacyNeed,
    old.LegacyRecurrencePattern,
)
TRACKERS = (
    old.StaffTask,
    old.StaffTaskAssignee,
    old.StaffTaskTeam,
    old.StaffTaskDependency,
    old.Event,
    old.EventOrganization,
    old.EventCoOrganizer,
    old.EventFacilitator,
    old.ProjectWorkflow,
)
NOW = timezone.now()


def create_schema() -> None:
    connection = connections[ALIAS]
    # SQL is generated without entering the schema editor, so it can run inside the test's
    # transaction (SQLite's editor refuses to start there).
    editor = connection.schema_editor(collect_sql=True)
    statements = [editor.table_sql(model)[0] for model in SUPPORT]
    if connection.vendor == "sqlite":
        ddl = [s for s in DDL.read_text().splitlines() if s.startswith("CREATE")]
        wanted = {t for s in ddl for t in re.findall(r'REFERENCES "(\w+)"', s)}
        ours = {m._meta.db_table for m in SUPPORT + TRACKERS}
        # The old system's other modules, as stubs, so references to them resolve.
        statements += [
            f'CREATE TABLE "{t}" ("id" char(32) NOT NULL PRIMARY KEY)'
            for t in sorted(wanted - ours)
        ]
        statements += ddl
    else:
        statements += [editor.table_sql(model)[0] for model in TRACKERS]
    with legacy_writes(force=True), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def user(username: str, **extra) -> old.LegacyUser:
    values = {
        "password": "pbkdf2_sha256$870000$salt$hash",
        "username": username,
        "first_name": username.split(".")[0].title(),
        "last_name": "",
        "email": f"{username}@old.example.org",
        "date_joined": NOW,
        "user_type": "oobc_staff",
        **extra,
    }
    return _save(old.LegacyUser(**values))


def team(name: str, **extra) -> old.LegacyTeam:
    values = {"name": name, "slug": name.lower().replace(" ", "-"), "created_at": NOW}
    return _save(old.LegacyTeam(**values, updated_at=NOW, **extra))


def pattern(kind: str, **extra) -> old.LegacyRecurrencePattern:
    return _save(
        old.LegacyRecurrencePattern(recurrence_type=kind, created_at=NOW, modified_at=NOW, **extra)
    )


def workflow(title: str, lead=None, **extra) -> old.ProjectWorkflow:
    with legacy_writes(force=True):
        need = old.LegacyNeed.objects.create(
            title=title, description=f"Need: {title}", updated_at=NOW
        )
    values = {
        "id": uuid.uuid4(),
        "primary_need_id": need.pk,
        "initiated_date": dt.date(2025, 3, 1),
        "created_at": NOW,
        "updated_at": NOW,
        "project_lead_id": lead.pk if lead else None,
        **extra,
    }
    return _save(old.ProjectWorkflow(**values))


def event(title: str, organizer, **extra) -> old.Event:
    values = {
        "id": uuid.uuid4(),
        "title": title,
        "event_type": "meeting",
        "description": f"About {title}",
        "start_date": dt.date(2025, 6, 10),
        "venue": "OOBC Conference Room",
        "address": "Cotabato City",
        "created_at": NOW,
        "updated_at": NOW,
        "created_by_id": organizer.pk,
        "organizer_id": organizer.pk,
        **extra,
    }
    return _save(old.Event(**values))


def task(title: str, assignees=(), teams=(), **extra) -> old.StaffTask:
    values = {"title": title, "created_at": NOW, "updated_at": NOW, **extra}
    row = _save(old.StaffTask(**values))
    with legacy_writes(force=True):
        for person in assignees:
            old.StaffTaskAssignee.objects.create(stafftask_id=row.pk, user_id=person.pk)
        for group in teams:
            old.StaffTaskTeam.objects.create(stafftask_id=row.pk, staffteam_id=group.pk)
    return row


def depends(a: old.StaffTask, b: old.StaffTask) -> None:
    with legacy_writes(force=True):
        old.StaffTaskDependency.objects.create(from_stafftask_id=a.pk, to_stafftask_id=b.pk)


def link(model, event_row: old.Event, **values) -> None:
    with legacy_writes(force=True):
        model.objects.create(event_id=event_row.pk, **values)


def _save(row):
    with legacy_writes(force=True):
        row.save(force_insert=True)
    return row


class OfficeHistory:
    """The old system's records of the office, with the awkward cases real databases hold."""

    def __init__(self) -> None:
        create_schema()
        self.sofia = user("sofia", first_name="Sofia", last_name="Reyes")
        self.marco = user("MARCO", first_name="Marco")  # matched ignoring case
        self.lina = user("lina.old", first_name="Lina", last_name="Ampatuan")  # created
        self.jose = user("josé.dela.cruz", first_name="José", user_type="lgu")  # created, viewer
        self.ghost = user("ghost", is_active=False)  # inactive: cannot be assigned
        self.paolo = user("paolo")  # a partner agency's person here: not assignable
        self.field = team("Field Coordination")
        self.policy = team("Policy Unit", description="Drafts policy papers")
        with legacy_writes(force=True):
            old.LegacyTeamMembership.objects.create(
                team_id=self.policy.pk,
                user_id=self.lina.pk,
                role="lead",
                joined_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )

        self.water = workflow(
            "Water system for Barangay Tambunan",
            lead=self.sofia,
            current_stage="budget_planning",
            priority_level="high",
            target_completion_date=dt.date(2025, 12, 15),
            overall_progress=40,
            estimated_budget=Decimal("250000.00"),
            stage_history=[
                {
                    "stage": "need_validation",
                    "previous_stage": "need_identification",
                    "timestamp": "2025-03-05T02:00:00+00:00",
                    "user": "sofia",
                    "user_id": self.sofia.pk,
                    "notes": "",
                }
            ],
            notes="Coordinate with the MAO.",
        )
        self.blocked = workflow(
            "Madrasah repairs",
            current_stage="approval",
            is_blocked=True,
            blocker_description="Waiting for funds",
        )
        self.done = workflow(
            "Livelihood kits",
            current_stage="completion",
            overall_progress=80,
            actual_completion_date=dt.date(2025, 9, 30),
        )
        self.urgent = workflow(
            "Flood relief",
            priority_level="urgent",
            is_on_track=False,
            current_stage="implementation",
            overall_progress=150,
            target_completion_date=dt.date(2025, 1, 1),
        )  # before its start

        self.workshop = event(
            "Validation workshop",
            self.sofia,
            event_type="workshop",
            status="confirmed",
            priority="high",
            start_time=dt.time(9, 0),
            end_time=dt.time(16, 30),
            is_virtual=True,
            virtual_platform="Zoom",
            virtual_link="https://zoom.us/j/123",
            virtual_meeting_id="123",
            virtual_passcode="s3cret",
            expected_participants=40,
            budget_allocated=Decimal("15000.50"),
            related_project_id=self.water.pk,
            agenda="1. Welcome\n2. Findings",
            coordinates={"type": "Point", "coordinates": [124.24, 7.22]},
        )
        link(old.EventCoOrganizer, self.workshop, user_id=self.marco.pk)
        link(old.EventFacilitator, self.workshop, user_id=self.lina.pk)
        self.session = event(
            "Breakout session",
            self.marco,
            parent_event_id=self.workshop.pk,
            event_type="consultation",
            status="in_progress",
        )
        self.fieldwork = event(
            "Field visit to Tulunan",
            self.marco,
            event_type="field_visit",
            start_date=dt.date(2025, 7, 1),
            end_date=dt.date(2025, 7, 3),
            status="postponed",
            priority="critical",
        )
        self.backwards = event(
            "Misdated forum",
            self.sofia,
            event_type="forum",
            start_date=dt.date(2025, 8, 5),
            end_date=dt.date(2025, 8, 1),
            start_time=dt.time(15, 0),
            end_time=dt.time(10, 0),
        )
        weekly = pattern("weekly", by_weekday=[1], count=4, exception_dates=["2025-06-23"])
        self.series = event(
            "Weekly coordination",
            self.sofia,
            start_date=dt.date(2025, 6, 2),
            is_recurring=True,
            recurrence_pattern_id=weekly.pk,
            status="scheduled",
            start_time=dt.time(8, 0),
            end_time=dt.time(9, 0),
        )
        self.instance = event(
            "Weekly coordination (moved room)",
            self.sofia,
            start_date=dt.date(2025, 6, 9),
            recurrence_parent_id=self.series.pk,
            is_recurrence_exception=True,
            venue="Room 2",
        )
        self.by_status = {
            status: event(f"Event {status}", self.sofia, status=status)
            for status in ("draft", "planned", "cancelled", "completed", "rescheduled")
        }

        self.prepare = task(
            "Prepare workshop kits",
            assignees=[self.sofia, self.lina, self.ghost, self.paolo],
            teams=[self.field, self.policy],
            linked_event_id=self.workshop.pk,
            linked_workflow_id=self.water.pk,
            status="in_progress",
            priority="high",
            progress=60,
            start_date=dt.date(2025, 6, 1),
            due_date=dt.date(2025, 6, 9),
            domain="coordination",
            estimated_hours=Decimal("6.5"),
            task_context="project_activity",
            board_position=3,
        )
        self.budget = task(
            "Draft the budget",
            assignees=[self.sofia],
            linked_workflow_id=self.water.pk,
            workflow_stage="budget_planning",
            auto_generated=True,
            domain="project_central",
            due_date=dt.date(2025, 7, 15),
        )
        self.report = task(
            "Write the report ✍️ — Bangsamoro",
            description="é" * 10_000,
            status="completed",
            priority="critical",
            progress=40,
            completed_at=dt.datetime(2025, 8, 1, 3, 0, tzinfo=dt.UTC),
        )
        self.undated = task("Call the MAO", status="at_risk", priority="low")
        self.only_start = task("Collect forms", start_date=dt.date(2025, 9, 1))
        self.inverted = task(
            "Backwards dates",
            start_date=dt.date(2025, 9, 10),
            due_date=dt.date(2025, 9, 1),
            progress=150,
        )
        monthly = pattern("monthly", by_monthday=31, count=3)
        self.monthly = task(
            "Month-end report",
            is_recurring=True,
            recurrence_pattern_id=monthly.pk,
            start_date=dt.date(2025, 1, 31),
        )
        depends(self.report, self.prepare)
        depends(self.report, self.report)  # the old database allowed a task to wait for itself

    @property
    def row_count(self) -> int:
        return 4 + 11 + 7


def drop_schema() -> None:
    """Remove every table `create_schema` made (for tests whose data is committed)."""
    connection = connections[ALIAS]
    tables = set(connection.introspection.table_names())
    with legacy_writes(force=True), connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def many_tasks(count: int, **extra) -> None:
    """`count` more staff tasks, inserted in bulk."""
    with legacy_writes(force=True):
        old.StaffTask.objects.bulk_create(
            [
                old.StaffTask(
                    title=f"Routine task {n}",
                    created_at=NOW,
                    updated_at=NOW,
                    due_date=dt.date(2025, 1, 1) + dt.timedelta(days=n % 365),
                    **extra,
                )
                for n in range(count)
            ],
            batch_size=5000,
        )
