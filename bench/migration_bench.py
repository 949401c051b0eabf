"""Legacy cut-over throughput: build an old OBCMS database of N rows, migrate, re-run, verify.

Each step after the build runs in a fresh Python process (as the operator's command would), so
the peak memory reported per step is that step's own (`ru_maxrss` of its process, Django and
the apps included); the time is the step's work, without the interpreter's start-up.

The legacy tables live in the same database as ours (LEGACY_DATABASE_URL unset), built from
the old system's schema. 2 % of the rows are project workflows, 18 % events (a quarter of them
nested in another event, half under a project) and 80 % staff tasks (two thirds linked to an
event or workflow, each with an assignee, one in ten depending on another task).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
import uuid

from django.db import connections

from accounts.models import Organization
from legacy import models as old
from legacy.guard import legacy_writes
from legacy.importer import run_migration
from legacy.parallel import peak_memory_mb
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


_STEP = "import django; django.setup(); from bench.migration_bench import step; step()"
STEPS = ("dry run", "first run", "second run (unchanged)", "verify")


def run(total: int) -> list[tuple[str, float, int, float, list[float]]]:
    """(step, seconds, rows, peak MB of the step's process, peak MB of each staging helper it
    forked) for the build and each step."""
    Organization.objects.create(name="Office")
    started = time.perf_counter()
    generate(total)
    build = time.perf_counter() - started
    results = [("build the legacy database", build, total, peak_memory_mb(), [])]
    connections.close_all()
    for label in STEPS:
        out = subprocess.run(
            [sys.executable, "-c", _STEP, label],
            env=os.environ,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise SystemExit(f"{label} failed:\n{out.stderr[-3000:]}")
        measured = json.loads(out.stdout.strip().splitlines()[-1])
        assert measured["rows"] == total, measured
        results.append(
            (label, measured["seconds"], total, measured["peak_mb"], measured["helpers_mb"])
        )
    return results


def step() -> None:
    """One step in this (fresh) process; prints its measurements as one line of JSON."""
    label = sys.argv[1]
    organization = Organization.objects.get(name="Office")
    started = time.perf_counter()
    helpers: list[float] = []
    if label == "verify":
        result = verify()
        assert result.clean, "verification found differences"
        rows = sum(result.rows.values())
    else:
        report = run_migration(
            organization,
            list(ORDER),
            batch_size=2000,
            dry_run=label == "dry run",
            progress_stream=io.StringIO(),
        )
        rows = sum(sum(c.values()) for c in report.counts.values())
        helpers = report.staging_helper_peaks_mb
    seconds = time.perf_counter() - started
    measured = {
        "seconds": seconds,
        "rows": rows,
        "peak_mb": peak_memory_mb(),
        "helpers_mb": helpers,
    }
    print(json.dumps(measured))


def vendor() -> str:
    return connections["default"].vendor
