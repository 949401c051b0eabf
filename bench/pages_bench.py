"""The pages people open, over a realistic office, each beside its floor.

The office is `bench.core.generate(size)` (projects of 213 items six levels deep, one
1,000-item activity) dressed with dates over the year around today, a fifth of the tasks and
subtasks in progress, two teams of 20 projects each and a manager who belongs to one team and is
assigned the items of 20 more projects, so "my work" and "a team's month" stay the same size
whatever the office size. One more activity holds 1,000 tasks directly: the wide parent whose
expansion is measured. The database is analysed after the load (as autovacuum would soon do).

Every read goes through Django's test client signed in as that manager (middleware, session,
permissions, templates or serializers). Beside each read, its floor: the same rows (the columns
the page shows) fetched by one hand-written SQL statement and JSON encoded with the fastest
encoder installed (orjson if present, else the standard library), and the ratio page/floor.
Floors cover the rows the page lists: the detail floor is the item, its ancestors and children
(not its history), My work's the four short lists and the counts (not the dependency check),
the API's the page's columns with child counts and assignee names (not breadcrumbs or teams).
The tree page and the expansions are measured twice: as a person coming back finds them (their
content kept, `common.page_cache`, in the cache the settings name) and drawn every time (nothing
kept), which is what the first visit after any change in the organisation costs.
On PostgreSQL, My work is measured a second time with PostgreSQL's own default
`random_page_cost = 4` for the session (the application asks for 1.1, POSTGRES_RANDOM_PAGE_COST).
Writes reuse `bench.core.run_scenarios` on the same data, plus deleting a 17-item subtree.

Peak memory is `tracemalloc`'s peak over one extra request per scenario, after the timed runs
(tracing slows Python down, so it never runs during the timings): the Python heap one request
needs, not the process size. The process's own peak RSS is reported once per run.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.models import Organization, Team, TeamMembership, User
from accounts.roles import MANAGER, assign_role
from common.models import WorkItem
from common.services import NewItem, bulk_create_items, delete_work_item

from . import core

try:  # the fastest JSON encoder installed
    import orjson

    def encode(value) -> bytes:
        return orjson.dumps(value)

    ENCODER = "orjson"
except ImportError:
    import json

    def encode(value) -> bytes:
        return json.dumps(value, default=str).encode()

    ENCODER = "json (stdlib; orjson is not installed)"

WIDE = 1000
TEAM_PROJECTS = 20
SEARCH = "Big subtask 7"  # 50 matches at depth 5, under one project, at every size
TREE = "/oobc-management/work-items/"
FEED = "/oobc-management/calendar/work-items/feed/"
#: The label's ending for a page measured with nothing kept (every request draws it).
DRAWN = "drawn every time"


@dataclass
class Row:
    scenario: str
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    bytes: int
    peak_kb: float
    floor_ms: float | None = None
    floor_bytes: int | None = None

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.floor_ms if self.floor_ms else None


@dataclass
class Office:
    manager: User
    ids: dict[str, list[int]]
    wide: int
    team: int
    load_s: float
    today: dt.date
    analyze_s: float = 0.0


def build(size: int, seed: int = 3) -> Office:
    """The core office, dressed; timed from the first insert to the last."""
    started = time.perf_counter()
    office = Organization.objects.create(name="Pages bench office", acronym="BENCH")
    manager = User.objects.create_user(
        "bench-pages", organization=office, first_name="Mara", last_name="Manager"
    )
    assign_role(manager, MANAGER)
    colleague = User.objects.create_user(
        "bench-colleague", organization=office, first_name="Cole", last_name="League"
    )
    teams = [Team.objects.create(organization=office, name=f"Team {n}") for n in ("A", "B")]
    TeamMembership.objects.create(team=teams[0], user=manager)
    TeamMembership.objects.create(team=teams[1], user=colleague)
    today = timezone.localdate()
    rng = random.Random(seed)
    projects = max(2, (size - 1001) // 213)
    # The manager's own projects: 20, spread over the office, none of them a team's.
    step = max(1, (projects - 2 * TEAM_PROJECTS) // TEAM_PROJECTS)
    own = {2 * TEAM_PROJECTS + n * step for n in range(TEAM_PROJECTS)}

    def dress(spec: NewItem) -> None:
        key = str(spec.key)
        number = int(key[1:].split("/", 1)[0]) if key.startswith("p") else -1
        day = today + dt.timedelta(days=rng.randint(-200, 165))
        if spec.work_type in ("project", "sub_project", "activity", "sub_activity"):
            spec.fields["start_date"] = day
            spec.fields["due_date"] = day + dt.timedelta(days=rng.randint(0, 90))
        else:
            spec.fields["due_date"] = day
            if rng.random() < 0.2:
                spec.fields["status"] = "in_progress"
        if 0 <= number < 2 * TEAM_PROJECTS:
            spec.team_ids = [teams[number // TEAM_PROJECTS].pk]
        if number in own:
            spec.assignee_ids = [manager.pk]
        elif spec.work_type == "sub_activity":
            spec.assignee_ids = [colleague.pk]

    ids = core.generate(size, office=office, dress=dress)
    made = bulk_create_items(
        [
            NewItem("wide", "activity", "Wide activity", parent_id=ids["sub_project"][2]),
            *(NewItem(f"w{n}", "task", f"Wide task {n}", parent_key="wide") for n in range(WIDE)),
        ],
        batch_size=5000,
    )
    load_s = time.perf_counter() - started
    # Fresh statistics, as autovacuum would gather within a minute of such a load: without
    # them PostgreSQL plans from an empty table's guesses.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_s = time.perf_counter() - started
    return Office(manager, ids, made["wide"], teams[0].pk, load_s, today, analyze_s)


# --- floors: the same rows by one hand-written statement -------------------------------------

ROW = """w.id, w.title, w.work_type, w.status, w.priority, w.progress, w.start_date, w.due_date,
    w.parent_id, w.version, w.progress_mode,
    (SELECT COUNT(*) FROM common_workitem c WHERE c.parent_id = w.id) AS child_count,
    (SELECT {agg}(u.first_name || ' ' || u.last_name, ', ') FROM common_workitem_assignees a
      JOIN accounts_user u ON u.id = a.user_id WHERE a.workitem_id = w.id) AS assignees"""
ROW_KEYS = [
    *("id", "title", "type", "status", "priority", "progress", "start", "due", "parent"),
    *("version", "mode", "children", "assignees"),
]


def _sql(text: str) -> str:
    agg = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    return text.replace("{row}", ROW).replace("{agg}", agg)


def _fetch(sql: str, params: list, keys: list[str] | None = None) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(_sql(sql), params)
        names = keys or [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    return encode(
        [
            {
                k: (v.isoformat() if isinstance(v, dt.date) else v)
                for k, v in zip(names, r, strict=True)
            }
            for r in rows
        ]
    )


TREE_FLOOR = """SELECT {row} FROM common_workitem w
    WHERE w.organization_id = %s AND w.parent_id IS NULL ORDER BY w.position, w.id LIMIT 25"""
CHILDREN_FLOOR = """SELECT {row} FROM common_workitem w WHERE w.parent_id = %s
    ORDER BY w.position, w.id"""
SEARCH_FLOOR = """WITH RECURSIVE m AS (
      SELECT id FROM (SELECT id, position FROM common_workitem
        WHERE organization_id = %s AND (UPPER(title) LIKE UPPER(%s) OR UPPER(description)
        LIKE UPPER(%s)) ORDER BY position, id LIMIT 500) s),
    up(id, parent_id) AS (
      SELECT w.id, w.parent_id FROM common_workitem w WHERE w.id IN (SELECT id FROM m)
      UNION SELECT p.id, p.parent_id FROM common_workitem p JOIN up ON p.id = up.parent_id)
    SELECT {row} FROM common_workitem w WHERE w.id IN (SELECT id FROM up)"""
DETAIL_FLOOR = """WITH RECURSIVE up(id, parent_id) AS (
      SELECT id, parent_id FROM common_workitem WHERE id = %s
      UNION ALL SELECT p.id, p.parent_id FROM common_workitem p JOIN up ON p.id = up.parent_id)
    SELECT {row}, w.description FROM common_workitem w
    WHERE w.id IN (SELECT id FROM up
      UNION ALL SELECT id FROM common_workitem WHERE parent_id = %s)"""
API_FLOOR = """SELECT {row}, w.description, w.root_id, w.organization_id, w.position,
    w.weight, w.start_time, w.end_time, w.created_at, w.updated_at
    FROM common_workitem w WHERE w.organization_id = %s ORDER BY w.id LIMIT %s"""
MINE = """mine AS (SELECT w.* FROM common_workitem w WHERE w.organization_id = %s AND w.id IN (
      SELECT workitem_id FROM common_workitem_assignees WHERE user_id = %s
      UNION SELECT t.workitem_id FROM common_workitem_teams t
        JOIN accounts_teammembership m ON m.team_id = t.team_id WHERE m.user_id = %s))"""
OPEN = "status NOT IN ('completed', 'cancelled')"


def _mine_list(name: str, where: str) -> str:
    return f"""SELECT * FROM (SELECT '{name}' AS list, id, title, work_type, status, priority,
      progress, due_date,
      (SELECT r.title FROM common_workitem r WHERE r.id = mine.root_id) AS project
      FROM mine WHERE {where} ORDER BY due_date, priority_rank DESC, id LIMIT 10) x"""


MY_WORK_FLOOR = f"""WITH {MINE}
    {_mine_list("overdue", f"due_date < %s AND {OPEN}")}
    UNION ALL {_mine_list("week", f"due_date BETWEEN %s AND %s AND {OPEN}")}
    UNION ALL {_mine_list("upcoming", f"due_date BETWEEN %s AND %s AND {OPEN}")}
    UNION ALL {_mine_list("progress", "status = 'in_progress'")}
    UNION ALL SELECT 'counts', SUM(CASE WHEN due_date < %s AND {OPEN} THEN 1 ELSE 0 END),
      CAST(SUM(CASE WHEN due_date BETWEEN %s AND %s AND {OPEN} THEN 1 ELSE 0 END) AS VARCHAR),
      CAST(SUM(CASE WHEN due_date BETWEEN %s AND %s AND {OPEN} THEN 1 ELSE 0 END) AS VARCHAR),
      CAST(SUM(CASE WHEN status = 'in_progress' THEN 1 ELSE 0 END) AS VARCHAR),
      CAST(SUM(CASE WHEN {OPEN} THEN 1 ELSE 0 END) AS VARCHAR), NULL, NULL, NULL FROM mine"""
FEED_FLOOR = """SELECT w.id, w.title, w.work_type, w.status, w.priority, w.progress, w.start_date,
    w.due_date, w.parent_id, w.version, w.calendar_color, p.title
    FROM common_workitem w LEFT JOIN common_workitem p ON p.id = w.parent_id
    WHERE w.organization_id = %s AND w.is_calendar_visible
      AND w.id IN (SELECT workitem_id FROM common_workitem_teams WHERE team_id = %s)
      AND COALESCE(w.start_date, w.due_date) <= %s AND COALESCE(w.due_date, w.start_date) >= %s"""


def _my_work_params(org: int, user: int, today: dt.date) -> list:
    week_end = today + dt.timedelta(days=6 - today.weekday())
    two = today + dt.timedelta(days=13)
    windows = [today, today, week_end, today, two]
    return [org, user, user, *windows, *windows]


# --- measuring --------------------------------------------------------------------------------


def _timed(action: Callable[[], int], runs: int) -> tuple[float, float, int, int]:
    times, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            size = action()
            times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
    times.sort()
    return statistics.median(times), times[min(runs - 1, int(runs * 0.95))], queries, size


def _peak_kb(action: Callable[[], int]) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def run(size: int, runs: int = 15) -> tuple[int, Office, list[Row]]:
    # Whole pages are rendered: plain static storage, since the bench has no collectstatic.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, CALENDAR_BODY_CACHE_SECONDS=0):
        office = build(size)
        rows = reads(office, runs) + writes(office)
    return WorkItem.objects.count(), office, rows


def reads(office: Office, runs: int) -> list[Row]:
    manager, ids = office.manager, office.ids
    org = manager.organization_id
    client = Client()
    client.force_login(manager)
    deep = ids["subtask"][len(ids["subtask"]) // 2]
    api = "/api/v1/work-items/"
    first_api = client.get(api, {"page_size": 50}).json()
    cursor = parse_qs(urlparse(first_api["next"]).query)["cursor"][0]
    month_start = office.today.replace(day=1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
    window = {
        "start": f"{month_start.isoformat()}T00:00:00+08:00",
        "end": f"{month_end.isoformat()}T00:00:00+08:00",
        "team": office.team,
    }
    scenarios = [
        ("tree page (first 25 projects)", TREE, {}, (TREE_FLOOR, [org], ROW_KEYS)),
        (
            f"expand a wide parent ({WIDE:,} children)",
            f"{TREE}{office.wide}/children/",
            {"depth": 3},
            (CHILDREN_FLOOR, [office.wide], ROW_KEYS),
        ),
        (
            "expand a 50-child parent",
            f"{TREE}{ids['big'][0]}/children/",
            {"depth": 3},
            (CHILDREN_FLOOR, [ids["big"][0]], ROW_KEYS),
        ),
        (
            "nested search (50 matches at depth 5)",
            TREE,
            {"q": SEARCH},
            (SEARCH_FLOOR, [org, f"%{SEARCH}%", f"%{SEARCH}%"], ROW_KEYS),
        ),
        (
            # My work's "overdue" counter leads here: thousands of matches at 100,000 items.
            "tree filtered: Mine + Overdue (first page)",
            TREE,
            {"mine": "on", "due": "overdue"},
            None,
        ),
        (
            "detail page of a depth-6 subtask",
            f"{TREE}{deep}/",
            {},
            (DETAIL_FLOOR, [deep, deep], [*ROW_KEYS, "description"]),
        ),
        (
            "My work (home)",
            "/",
            {},
            (MY_WORK_FLOOR, _my_work_params(org, manager.pk, office.today), None),
        ),
        (
            "API list, first page of 50",
            api,
            {"page_size": 50},
            (API_FLOOR, [org, 50], None),
        ),
        (
            "API list, next page (cursor)",
            api,
            {"page_size": 50, "cursor": cursor},
            None,
        ),
        (
            "calendar feed, one month of one team",
            FEED,
            window,
            (FEED_FLOOR, [org, office.team, month_end, month_start], None),
        ),
    ]
    # Kept content (`common.page_cache`) answers a repeated tree page or expansion; what the
    # first visit after a change costs is measured apart, with nothing kept.
    scenarios += [
        (f"{label}, {DRAWN}", url, params, floor)
        for label, url, params, floor in scenarios
        if label.startswith(("tree ", "expand a"))
    ]
    if connection.vendor == "postgresql":
        # The same page with PostgreSQL's default planner costs (random_page_cost 4 prices an
        # index lookup like a spinning disk's seek), which the application's connections
        # replace with POSTGRES_RANDOM_PAGE_COST (1.1): what that setting is worth.
        mine = next(s for s in scenarios if s[0] == "My work (home)")
        scenarios.append((f"{mine[0]}, server default random_page_cost 4", *mine[1:]))
    results = []
    for label, url, params, floor in scenarios:

        def page(u=url, p=params) -> int:
            answer = client.get(u, p, HTTP_HOST="testserver")
            assert answer.status_code == 200, (u, answer.status_code, answer.content[:300])
            return len(answer.content)

        if "random_page_cost" in label:
            with connection.cursor() as cursor:
                cursor.execute("SET random_page_cost = 4")
        kept = 0 if label.endswith(DRAWN) else settings.PAGE_CONTENT_CACHE_SECONDS
        with override_settings(PAGE_CONTENT_CACHE_SECONDS=kept):
            page()  # warm the session, permission caches and templates
            median, p95, queries, body = _timed(page, runs)
            row = Row(label, runs, median, p95, queries, body, _peak_kb(page))
        if floor is not None:
            sql, args, keys = floor
            row.floor_ms, _, _, row.floor_bytes = _timed(
                lambda s=sql, a=args, k=keys: len(_fetch(s, a, k)), runs
            )
        if "random_page_cost" in label:
            with connection.cursor() as cursor:
                cursor.execute("RESET random_page_cost")
        results.append(row)
    return results


def writes(office: Office) -> list[Row]:
    """Core's write scenarios on this office, then a 17-item subtree deleted (cascade)."""
    rows = [
        Row(r.scenario, r.runs, r.median_ms, r.p95_ms, r.queries, 0, 0.0)
        for r in core.run_scenarios(office.ids)
        if r.scenario != "ancestors of a leaf"
    ]
    victims = office.ids["sub_activity"][-10:]
    deleted = core.measure(
        "delete a 17-item subtree (sub-activity, cascade)",
        len(victims),
        lambda n: delete_work_item(None, victims[n], cascade=True),
    )
    rows.append(
        Row(
            deleted.scenario,
            deleted.runs,
            deleted.median_ms,
            deleted.p95_ms,
            deleted.queries,
            0,
            0.0,
        )
    )
    return rows


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(engine: str, version, count: int, office: Office, rows: list[Row]) -> str:
    lines = [
        f"### {engine} {version} — {count:,} items (bulk load {office.load_s:.1f} s, "
        f"{count / office.load_s:,.0f} items/s, then ANALYZE {office.analyze_s:.1f} s; "
        f"process peak RSS {peak_rss_mb():,.0f} MB)\n",
        "| scenario | runs | median ms | p95 ms | queries | bytes | peak KB | floor ms "
        "| floor bytes | × floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        floor = (
            f"{r.floor_ms:.2f} | {r.floor_bytes:,} | {r.ratio:.1f}"
            if r.floor_ms is not None
            else "– | – | –"
        )
        body = f"{r.bytes:,} | {r.peak_kb:,.0f}" if r.bytes else "– | –"
        lines.append(
            f"| {r.scenario} | {r.runs} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.queries} "
            f"| {body} | {floor} |"
        )
    lines.append(f"\nFloors encoded with {ENCODER}.\n")
    return "\n".join(lines)
