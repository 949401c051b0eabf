"""The board with a 5,000-card column, among ~100k items in the database.

The core forest (`bench.core.generate`) plus one project whose activity holds 5,000 tasks in
progress. Measured through Django's test client as a signed-in manager, so the numbers include
the filters, permission checks, rendering and the session:

* the status board of that project's tasks (`q` filter): one column of 5,000 cards;
* the board whose columns are the project's children (the 5,000-task activity is one column);
* the whole organisation's status board (the "not started" column holds ~100k cards);
* "load more" deep in the 5,000-card column (offset 2,500);
* one card dragged to another column (a status change through `common.services`).

"cards sent" is how many cards the answer carries: pages, never whole columns.
"""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import Organization, User
from accounts.roles import MANAGER, assign_role
from bench.core import generate
from common.models import WorkItem
from common.services import NewItem, bulk_create_items

COLUMN = 5000


def _timed(action, runs: int) -> tuple[float, float, int, object]:
    times, queries, last = [], 0, None
    for n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            last = action(n)
            times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
    times.sort()
    return (
        statistics.median(times),
        times[min(len(times) - 1, int(len(times) * 0.95))],
        queries,
        last,
    )


def run(size: int) -> tuple[int, list[tuple[str, float, float, int, int]]]:
    # Whole pages are rendered: plain static storage, since the bench has no collectstatic.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        return _run(size)


def _run(size: int) -> tuple[int, list[tuple[str, float, float, int, int]]]:
    generate(size)
    office = Organization.objects.get(acronym="BENCH")
    ids = bulk_create_items(
        [
            NewItem("board", "project", "Board bench project", organization_id=office.pk),
            NewItem("lane", "activity", "Board bench activity", parent_key="board"),
            NewItem("other", "activity", "Board bench other activity", parent_key="board"),
            *(
                NewItem(
                    f"card{n}",
                    "task",
                    f"Board card {n}",
                    parent_key="lane",
                    fields={"status": "in_progress", "priority": ("low", "high")[n % 2]},
                )
                for n in range(COLUMN)
            ),
        ],
        batch_size=5000,
    )
    manager = User.objects.create_user("bench-board", organization=office, password="x" * 12)
    assign_role(manager, MANAGER)
    client = Client()
    client.force_login(manager)

    def get(url: str, params: dict):
        answer = client.get(url, params, HTTP_HOST="testserver")
        assert answer.status_code == 200, answer.status_code
        return answer.content.decode().count('data-testid="card-')

    board = "/oobc-management/board/"
    scenarios = [
        (f"status board, one column of {COLUMN:,} cards", board, {"q": "Board card"}),
        (
            f"children board, a {COLUMN:,}-task activity as one column",
            board,
            {"columns": "children", "parent": ids["board"]},
        ),
        ("the organisation's status board (all items)", board, {}),
        (
            f"load more at card 2,500 of {COLUMN:,}",
            "/oobc-management/board/cards/",
            {"q": "Board card", "column": "in_progress", "lane": "", "offset": 2500},
        ),
    ]
    results = []
    for label, url, params in scenarios:
        get(url, params)  # warm the session and permission caches
        median, p95, queries, cards = _timed(lambda _n, u=url, p=params: get(u, p), 15)
        results.append((label, median, p95, queries, cards))

    cards = [ids[f"card{n}"] for n in range(20)]

    def drag(n: int):
        card = WorkItem.objects.only("version").get(pk=cards[n])
        answer = client.post(
            f"/oobc-management/board/{cards[n]}/move/",
            {
                "columns": "status",
                "from_column": "in_progress",
                "to_column": "completed",
                "version": card.version,
            },
            HTTP_HOST="testserver",
        )
        assert answer.status_code == 200, answer.content
        return 1

    median, p95, queries, _ = _timed(drag, 15)
    results.append(("drag one card to another column (status change)", median, p95, queries, 1))
    return WorkItem.objects.count(), results
