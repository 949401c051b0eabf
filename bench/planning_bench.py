"""Planning at scale: a 2,000-item project among about N items in the database.

* timeline data of the project (the JSON the timeline page draws from), as its manager;
* a push through a 2,000-item chain: the head moves one day later and every automatic
  follower is pushed (one UPDATE for all of them, one history row each);
* the preview of that push ("1,999 items will move"), which writes nothing;
* the critical path of the project through the API.

Background data comes from `bench.core.generate`; the project is bulk-loaded the same way.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import MANAGER, assign_role
from bench.core import generate
from common.models import SchedulingMode, WorkItem
from common.services import (
    NewItem,
    bulk_create_items,
    bulk_link,
    create_work_item,
    preview_push,
    update_work_item,
)

CHAIN = 2000


def _timed(action, runs: int) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, queries, UPDATE statements) of `action` over `runs` runs."""
    times, queries, updates = [], 0, 0
    for n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action(n)
            times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
        updates = max(updates, sum(q["sql"].startswith("UPDATE") for q in captured))
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries, updates


def _chain(project: WorkItem) -> list[int]:
    days, day = [], date(2027, 1, 4)
    while len(days) < CHAIN:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    keys = bulk_create_items(
        [
            NewItem(
                n,
                "task",
                f"Step {n}",
                parent_id=project.pk,
                fields={"start_date": d, "due_date": d},
            )
            for n, d in enumerate(days)
        ]
    )
    ids = [keys[n] for n in range(CHAIN)]
    bulk_link(list(zip(ids[1:], ids[:-1], strict=True)), "depends_on")
    # Bench set-up: the bulk loader has no scheduling-mode field.
    WorkItem.objects.filter(pk__in=ids).update(scheduling_mode=SchedulingMode.AUTOMATIC)
    return ids


def run(size: int) -> tuple[int, list[tuple[str, float, float, int, int]]]:
    generate(size)
    office = WorkItem.objects.order_by("pk").first().organization
    manager = User.objects.create_user("bench-planner", organization=office, password="x" * 12)
    assign_role(manager, MANAGER)
    project = create_work_item(None, work_type="project", title="Chain", organization=office)
    ids = _chain(project)
    head = WorkItem.objects.get(pk=ids[0])
    client = Client()
    client.force_login(manager)
    client.get("/api/v1/working-days/", HTTP_HOST="testserver")
    results = []
    timeline = f"/oobc-management/timeline/data/?root={project.pk}"
    median, p95, queries, _ = _timed(lambda n: client.get(timeline, HTTP_HOST="testserver"), 7)
    results.append((f"timeline data of a {CHAIN + 1:,}-item project", median, p95, queries, 0))

    def preview(n: int) -> None:
        moves = preview_push(
            head, head.start_date + timedelta(days=1), head.due_date + timedelta(days=1)
        )
        assert len(moves) == CHAIN - 1, len(moves)

    median, p95, queries, _ = _timed(preview, 5)
    results.append((f"preview of a push through {CHAIN:,} items", median, p95, queries, 0))

    def push(n: int) -> None:
        current = WorkItem.objects.get(pk=ids[0])
        moved = current.start_date + timedelta(days=1)
        while moved.weekday() >= 5:  # onto the next weekday, so every follower must move
            moved += timedelta(days=1)
        saved = update_work_item(None, current, start_date=moved, due_date=moved)
        assert len(saved.pushed) == CHAIN - 1, len(saved.pushed)

    # The push itself, inside its transaction; what runs after commit (watchers' notices,
    # webhooks, dual-write: background jobs, eager here without Redis) is timed on its own.
    in_transaction, after_commit, queries, updates = [], [], 0, 0
    for n in range(5):
        started = time.perf_counter()
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                push(n)
            done = time.perf_counter()
        after_commit.append((time.perf_counter() - done) * 1000)
        in_transaction.append((done - started) * 1000)
        queries = max(queries, len(captured))
        updates = max(updates, sum(q["sql"].startswith("UPDATE") for q in captured))
    in_transaction.sort()
    after_commit.sort()
    results.append(
        (
            f"push through a {CHAIN:,}-item chain (in its transaction)",
            statistics.median(in_transaction),
            in_transaction[-1],
            queries,
            updates,
        )
    )
    results.append(
        (
            f"after-commit jobs of that push ({CHAIN - 1:,} notices), eager without Redis",
            statistics.median(after_commit),
            after_commit[-1],
            0,
            0,
        )
    )
    path = f"/api/v1/work-items/{project.pk}/critical-path/"
    median, p95, queries, _ = _timed(lambda n: client.get(path, HTTP_HOST="testserver"), 7)
    results.append((f"critical path of a {CHAIN + 1:,}-item project", median, p95, queries, 0))
    return WorkItem.objects.count(), results
