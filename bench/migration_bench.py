"""Legacy cut-over throughput: build an old OBCMS database of N rows, migrate, re-run, verify.

The legacy tables live in the same database as ours (LEGACY_DATABASE_URL unset), built from
the old system's schema. 2 % of the rows are project workflows, 18 % events (a quarter of them
nested in another event, half under a project) and 80 % staff tasks (two thirds linked to an
event or workflow, each with an assignee, one in ten depending on another task).
"""

from __future__ import annotations

import datetime as dt
import io
import resource
import time
import uuid

from django.db import connections

from accounts.models import Organization
from legacy import models as old
from legacy.guard import legacy_writes
from legacy.importer import run_migration
from legacy.sources import ORDER
from legacy.tests.oldsystem import NOW, create_schema
from legacy.verify import verify


def generate(total: int) -> None:
    create_schema()
    n_projects, n_events = max(total // 50, 1), total * 18 // 100
    n_tasks = total - n_projects - n_events
    with legacy_writes(force=True):
        users = old.LegacyUser.objects.bulk_create(
            [
                old.LegacyUser(
                    id=i + 1,
                    password="!",
                    username=f"staff{i}",
                    date_joined=NOW,
                    user_type="oobc_staff",
                )
                for i in range(50)
            ]
        )
        old.LegacyNeed.objects.bulk_create(
            [
                old.LegacyNeed(id=i + 1, title=f"Need {i}", description="…", updated_at=NOW)
                for i in range(n_projects)
            ]
        )
        projects = [
            old.ProjectWorkflow(
                id=uuid.uuid4(),
                primary_need_id=i + 1,
                initiated_date=dt.date(2025, 1, 1),
                created_at=NOW,
                updated_at=NOW,
                project_lead_id=users[i % 50].pk,
                current_stage="implementation",
                overall_progress=i % 100,
            )
            for i in range(n_projects)
        ]
        old.ProjectWorkflow.objects.bulk_create(projects, batch_size=5000)
        events = []
        for i in range(n_events):
            parent = events[i - 1].id if i % 4 == 3 else None
            events.append(
                old.Event(
                    id=uuid.uuid4(),
                    title=f"Event {i}",
                    event_type="meeting",
                    description="",
                    start_date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 365),
                    venue="Hall",
                    address="Cotabato",
                    created_at=NOW,
                    updated_at=NOW,
                    created_by_id=users[i % 50].pk,
                    organizer_id=users[i % 50].pk,
                    parent_event_id=parent,
                    related_project_id=projects[i % n_projects].id if i % 2 else None,
                )
            )
        old.Event.objects.bulk_create(events, batch_size=5000)
        tasks = [
            old.StaffTask(
                id=i + 1,
                title=f"Task {i}",
                created_at=NOW,
                updated_at=NOW,
                due_date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 365),
                linked_event_id=events[i % n_events].id if i % 3 == 1 else None,
                linked_workflow_id=projects[i % n_projects].id if i % 3 == 2 else None,
                status=("not_started", "in_progress", "at_risk", "completed")[i % 4],
            )
            for i in range(n_tasks)
        ]
        old.StaffTask.objects.bulk_create(tasks, batch_size=5000)
        old.StaffTaskAssignee.objects.bulk_create(
            [old.StaffTaskAssignee(stafftask_id=t.id, user_id=users[t.id % 50].pk) for t in tasks],
            batch_size=5000,
        )
        old.StaffTaskDependency.objects.bulk_create(
            [
                old.StaffTaskDependency(from_stafftask_id=t.id, to_stafftask_id=t.id - 1)
                for t in tasks[1::10]
            ],
            batch_size=5000,
        )


def run(total: int) -> list[tuple[str, float, int]]:
    organization = Organization.objects.create(name="Office")
    started = time.perf_counter()
    generate(total)
    build = time.perf_counter() - started
    results = [("build the legacy database", build, total)]
    for label, dry in (("dry run", True), ("first run", False), ("second run (unchanged)", False)):
        started = time.perf_counter()
        report = run_migration(
            organization, list(ORDER), batch_size=2000, dry_run=dry, progress_stream=io.StringIO()
        )
        results.append((label, time.perf_counter() - started, total))
        assert sum(sum(c.values()) for c in report.counts.values()) == total
    started = time.perf_counter()
    result = verify()
    results.append(("verify", time.perf_counter() - started, total))
    assert result.clean, "verification found differences"
    return results


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vendor() -> str:
    return connections["default"].vendor
