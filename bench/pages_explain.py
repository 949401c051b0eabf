#!/usr/bin/env python
"""EXPLAIN (ANALYZE, BUFFERS) of the hot queries behind each page of the `pages` suite.

Run against a database the `pages` suite left behind (PostgreSQL), e.g. after
`BENCH_DATABASE=obcms_pages_bench .venv/bin/python bench/run.py --suite pages --engines postgres
--sizes 1000000`:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/obcms_pages_bench \\
        .venv/bin/python bench/pages_explain.py > /tmp/plans.md

Each page is requested once through the test client as the suite's manager (warm), its SQL is
captured, and the `--top` slowest statements touching work items (sessions, users and
permissions left out) are explained with their real parameters. Prints Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obcms.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("REDIS_URL", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=3, help="statements explained per page")
    parser.add_argument(
        "--random-page-cost", help="planner cost of a random page for this session (e.g. 1.1)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from accounts.models import Team, User
    from bench.pages_bench import FEED, SEARCH, TREE
    from common.models import WorkItem

    manager = User.objects.get(username="bench-pages")
    org = manager.organization_id
    wide = WorkItem.objects.get(organization_id=org, title="Wide activity").pk
    team = Team.objects.get(organization_id=org, name="Team A").pk
    # A depth-6 subtask in the middle of the office (the suite's own pick is the middle one too).
    leaves = WorkItem.objects.filter(organization_id=org, work_type="subtask", title="subtask 1")
    deep = leaves.order_by("pk").values_list("pk", flat=True)[leaves.count() // 2]
    today = timezone.localdate()
    month_start = today.replace(day=1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
    pages = [
        ("tree page (first 25 projects)", TREE, {}),
        ("expand the wide parent (1,000 children)", f"{TREE}{wide}/children/", {"depth": 3}),
        ("nested search", TREE, {"q": SEARCH}),
        (f"detail page of subtask {deep}", f"{TREE}{deep}/", {}),
        ("My work", "/", {}),
        ("API list, first page of 50", "/api/v1/work-items/", {"page_size": 50}),
        (
            "calendar feed, one month of one team",
            FEED,
            {
                "start": f"{month_start.isoformat()}T00:00:00+08:00",
                "end": f"{month_end.isoformat()}T00:00:00+08:00",
                "team": team,
            },
        ),
    ]
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(manager)
    settings_note = ""
    if args.random_page_cost:
        with connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = %s", [args.random_page_cost])
        settings_note = f", random_page_cost {args.random_page_cost}"
    skip = ("django_session", "SAVEPOINT")
    count = WorkItem.objects.count()
    print(f"## Query plans at {count:,} work items — PostgreSQL{settings_note}, {today}\n")
    with override_settings(STORAGES=storages, CALENDAR_BODY_CACHE_SECONDS=0):
        for label, url, params in pages:
            client.get(url, params)  # warm
            with CaptureQueriesContext(connection) as captured:
                answer = client.get(url, params)
            assert answer.status_code == 200, (url, answer.status_code)
            queries = [
                q
                for q in captured.captured_queries
                if "common_workitem" in q["sql"] and not any(s in q["sql"] for s in skip)
            ]
            queries.sort(key=lambda q: float(q["time"]), reverse=True)
            print(f"### {label} — `{url}` ({len(captured)} statements)\n")
            for q in queries[: args.top]:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    plan = "\n".join(r[0] for r in cursor.fetchall())
                print(f"```sql\n{q['sql']}\n```\n\n```\n{plan}\n```\n")


if __name__ == "__main__":
    main()
