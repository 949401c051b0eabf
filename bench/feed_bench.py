"""Calendar feed benchmark: a one-month window over a year of dated work.

Every item gets dates spread over 2026 (projects span months, activities a day or three, some
with times; tasks and subtasks have due dates), so a one-month window holds roughly a twelfth of
the leaves plus the long-running items around them. Each request goes through Django's test
client as a signed-in manager: authentication, permissions, validator, query, encoding.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from django.db import connection
from django.test import Client, override_settings

from accounts.models import Organization, User
from accounts.roles import MANAGER, assign_role
from common.services import NewItem, bulk_create_items

from .core import FAN_OUT, Result, measure

YEAR = dt.date(2026, 1, 1)
WINDOW = {"start": "2026-06-01T00:00:00+08:00", "end": "2026-07-06T00:00:00+08:00"}


def generate(total: int, seed: int = 5) -> User:
    rng = random.Random(seed)
    office = Organization.objects.create(name="Calendar bench office", acronym="CAL")
    manager = User.objects.create_user("bench-manager", organization=office)
    assign_role(manager, MANAGER)
    specs: list[NewItem] = []
    for p in range(max(1, total // 213)):
        start = YEAR + dt.timedelta(days=rng.randint(0, 200))
        key = f"p{p}"
        specs.append(
            NewItem(
                key,
                "project",
                f"Project {p}",
                organization_id=office.pk,
                fields={
                    "start_date": start,
                    "due_date": start + dt.timedelta(days=rng.randint(90, 330)),
                },
            )
        )
        _grow(specs, key, "project", rng)
    bulk_create_items(specs, batch_size=5000)
    return manager


def _dates(work_type: str, rng: random.Random) -> dict:
    day = YEAR + dt.timedelta(days=rng.randint(0, 364))
    if work_type == "sub_project":
        return {"start_date": day, "due_date": day + dt.timedelta(days=rng.randint(30, 120))}
    if work_type in ("activity", "sub_activity"):
        dates = {"start_date": day, "due_date": day + dt.timedelta(days=rng.randint(0, 2))}
        if rng.random() < 0.3:
            dates.update(due_date=day, start_time=dt.time(9), end_time=dt.time(12))
        return dates
    return {"due_date": day}


def _grow(specs, parent_key, parent_type, rng) -> None:
    if parent_type not in FAN_OUT:
        return
    child_type, count = FAN_OUT[parent_type]
    for n in range(count):
        key = f"{parent_key}/{n}"
        specs.append(
            NewItem(
                key,
                child_type,
                f"{child_type} {n}",
                parent_key=parent_key,
                fields=_dates(child_type, rng),
            )
        )
        _grow(specs, key, child_type, rng)


FLOOR_SQL = """
    SELECT w.id, w.title, w.work_type, w.status, w.priority, w.progress, w.start_date,
           w.due_date, w.parent_id, w.version, w.calendar_color, p.title
    FROM common_workitem w LEFT JOIN common_workitem p ON p.id = w.parent_id
    WHERE w.organization_id = %s AND w.is_calendar_visible
      AND COALESCE(w.start_date, w.due_date) <= %s AND COALESCE(w.due_date, w.start_date) >= %s
"""


def floor(organization_id: int) -> int:
    """The same window's rows by one hand-written query, JSON encoded: what no feed can beat."""
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [organization_id, dt.date(2026, 7, 6), dt.date(2026, 5, 31)])
        rows = cursor.fetchall()
    body = json.dumps(
        [
            {
                "id": r[0],
                "title": r[1],
                "type": r[2],
                "status": r[3],
                "priority": r[4],
                "progress": r[5],
                "start": r[6].isoformat() if r[6] else None,
                "end": r[7].isoformat() if r[7] else None,
                "parent": r[8],
                "version": r[9],
                "color": r[10],
                "parentTitle": r[11],
            }
            for r in rows
        ]
    )
    return len(body)


def run_scenarios(manager: User) -> tuple[list[Result], int]:
    client = Client()
    client.force_login(manager)
    first = client.get("/oobc-management/calendar/work-items/feed/", WINDOW)
    assert first.status_code == 200, (first.status_code, first.content[:300])
    events = len(first.json())
    etag = first["ETag"]
    feed = "/oobc-management/calendar/work-items/feed/"
    built = override_settings(CALENDAR_BODY_CACHE_SECONDS=0)
    shared = override_settings(
        PERMISSION_CACHE_SECONDS=900,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    )
    results = [
        measure(
            "floor: the window's rows by one SQL query, JSON encoded",
            15,
            lambda n: floor(manager.organization_id),
        )
    ]
    with built:
        results += [
            measure(
                "feed, one month (200, built and JSON encoded)",
                15,
                lambda n: client.get(feed, WINDOW),
            ),
            measure(
                "feed, one month, tasks only (built)",
                15,
                lambda n: client.get(feed, {**WINDOW, "type": "task"}),
            ),
        ]
    results.append(
        measure(
            "feed, one month, unchanged window (200 from the body cache)",
            30,
            lambda n: client.get(feed, WINDOW),
        )
    )
    results.append(
        measure(
            "feed, one month, matching ETag (304)",
            30,
            lambda n: client.get(feed, WINDOW, HTTP_IF_NONE_MATCH=etag),
        )
    )
    with shared:
        client.get(feed, WINDOW)
        results.append(
            measure(
                "feed, one month, unchanged, shared cache (sessions, permissions, body)",
                30,
                lambda n: client.get(feed, WINDOW),
            )
        )
        results.append(
            measure(
                "feed, one month, 304 with the shared cache",
                30,
                lambda n: client.get(feed, WINDOW, HTTP_IF_NONE_MATCH=etag),
            )
        )
    return results, events
