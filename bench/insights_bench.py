#!/usr/bin/env python
"""Insights benchmark: the project report of a 500-item project (page, PDF, XLSX) and the
dashboards over a whole organisation, at 1k and 100k items.

    .venv/bin/python bench/insights_bench.py                         # PostgreSQL, 1k and 100k
    .venv/bin/python bench/insights_bench.py --engines sqlite,postgres --sizes 1000

Its own database (`insights_bench` on BENCH_POSTGRES_URL, or a file under /tmp), so it can run
next to the other suites. Items are loaded through `common.services.bulk_create_items` (with
history): projects of 213 items with statuses, progress, due dates around today and budgets,
plus one project of 500 items the report is measured on. Requests go through Django's test
client as the office's manager (session, permissions, queries, rendering). The table is written
to bench/results/insights.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
STATUSES = ["not_started", "in_progress", "in_progress", "at_risk", "blocked", "completed"]
FAN_OUT = {
    "project": ("sub_project", 2),
    "sub_project": ("activity", 3),
    "activity": ("sub_activity", 2),
    "sub_activity": ("task", 4),
    "task": ("subtask", 3),
}


def database_url(engine: str) -> str:
    if engine == "sqlite":
        path = Path("/tmp/insights_bench.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS insights_bench")
        conn.execute("CREATE DATABASE insights_bench")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/insights_bench"


def _fields(rng: random.Random, today: dt.date) -> dict:
    status = rng.choice(STATUSES)
    return {
        "status": status,
        "progress": 100 if status == "completed" else rng.randint(0, 90),
        "due_date": today + dt.timedelta(days=rng.randint(-40, 80)),
    }


def _grow(specs, parent_key: str, parent_type: str, rng, today, fan_out=FAN_OUT) -> None:
    from common.services import NewItem

    if parent_type not in fan_out:
        return
    child_type, count = fan_out[parent_type]
    for n in range(count):
        key = f"{parent_key}/{n}"
        specs.append(
            NewItem(
                key,
                child_type,
                f"{child_type} {n}",
                parent_key=parent_key,
                fields=_fields(rng, today),
            )
        )
        _grow(specs, key, child_type, rng, today, fan_out)


def generate(total: int, seed: int = 17):
    """About `total` items in one office; returns the manager and the 500-item project's id."""
    from accounts.models import Organization, User
    from accounts.roles import MANAGER, assign_role
    from common.services import NewItem, bulk_create_items

    rng = random.Random(seed)
    today = dt.date.today()
    office = Organization.objects.create(name="Insights bench office", acronym="INS")
    manager = User.objects.create_user("insights-manager", organization=office)
    assign_role(manager, MANAGER)
    specs = []

    def project(key: str, title: str) -> None:
        allocated = Decimal(rng.randint(100, 5000) * 1000)
        specs.append(
            NewItem(
                key,
                "project",
                title,
                organization_id=office.pk,
                fields={
                    **_fields(rng, today),
                    "allocated_budget": allocated,
                    "actual_expenditure": allocated * Decimal(rng.randint(20, 120)) / 100,
                    "details": {"fiscal_year": str(rng.choice([2025, 2026, 2027]))},
                },
            )
        )

    # The report's project: 2 sub-projects × 5 activities × 7 tasks × 6 subtasks + … = 500 items.
    report_fan_out = {
        "project": ("sub_project", 2),
        "sub_project": ("activity", 5),
        "activity": ("task", 7),
        "task": ("subtask", 6),
    }
    project("report", "Report programme")
    _grow(specs, "report", "project", rng, today, report_fan_out)
    while len(specs) < 500:
        specs.append(
            NewItem(
                f"report/extra/{len(specs)}",
                "task",
                "Extra task",
                parent_key="report/0/0",
                fields=_fields(rng, today),
            )
        )
    for p in range(max(0, (total - 500) // 213)):
        project(f"p{p}", f"Project {p}")
        _grow(specs, f"p{p}", "project", rng, today)
    ids = bulk_create_items(specs, batch_size=5000)
    return manager, ids["report"]


def measure(client, url: str, runs: int):
    """Median and p95 wall time, median CPU time of this process (Django, rendering, WeasyPrint;
    the database server's share is in the wall time only), queries and response size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, cpu, queries, size = [], [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries, size = len(captured), len(response.content)
    timings.sort()
    cpu.sort()
    median = timings[len(timings) // 2]
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return median, p95, cpu[len(cpu) // 2], queries, size


def child(engine: str, size: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from common.models import WorkItem

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    manager, report_id = generate(size)
    load_s = time.perf_counter() - started
    count = WorkItem.objects.count()
    client = Client()
    client.force_login(manager)
    org = manager.organization_id
    base = "/oobc-management"
    scenarios = [
        ("report page (500-item project)", f"{base}/work-items/{report_id}/report/", 5),
        ("report PDF (500-item project)", f"{base}/work-items/{report_id}/report.pdf", 3),
        ("report XLSX (500-item project)", f"{base}/work-items/{report_id}/report.xlsx", 5),
        ("portfolio dashboard (organisation)", f"{base}/dashboard/?organization={org}", 10),
        ("workload dashboard (organisation)", f"{base}/dashboard/workload/?organization={org}", 10),
        ("budget dashboard (organisation)", f"{base}/dashboard/budget/?organization={org}", 10),
        (
            "progress (burn-up of the 500-item project)",
            f"{base}/dashboard/progress/?organization={org}&project={report_id}",
            10,
        ),
    ]
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=plain).enable()  # no collectstatic manifest in a bench database
    client.get(scenarios[0][1])  # warm caches (session, permissions, templates, pango)
    version = (
        connection.cursor().connection.info.server_version
        if engine == "postgres"
        else connection.Database.sqlite_version
    )
    load_average = os.getloadavg()[0]
    print(
        f"### {engine} {version} — {count:,} items (data load {load_s:.1f} s; "
        f"load average {load_average:.1f} on {os.cpu_count()} cores)\n"
    )
    print("| scenario | runs | median ms | p95 ms | CPU ms (median) | queries | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, url, runs in scenarios:
        median, p95, cpu, queries, length = measure(client, url, runs)
        print(
            f"| {label} | {runs} | {median:.0f} | {p95:.0f} | {cpu:.0f} | {queries} | {length:,} |"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="postgres")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    header = (
        f"## insights benchmarks — {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}\n\n"
        "Targets: dashboards within 300 ms at 100k items on PostgreSQL; the PDF of a 500-item "
        "project within 10 s. Query counts are per request (session and permission look-ups "
        "included). The machine is shared (other test runs), so wall times include waiting for "
        "a core (the load average is printed with each table); CPU ms is this process's own "
        "work.\n"
    )
    tables = [header]
    print(header)
    for engine in args.engines.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            env = {
                **os.environ,
                "DATABASE_URL": database_url(engine),
                "DEBUG": "0",
                "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
                "SECURE_SSL_REDIRECT": "0",
                "SECRET_KEY": "bench-only-" + "k" * 50,
                "REDIS_URL": "",
                "LOG_LEVEL": "WARNING",
                "DJANGO_SETTINGS_MODULE": "obcms.settings",
                "PYTHONPATH": f"{REPO / 'src'}:{REPO}",
            }
            out = subprocess.run(
                [sys.executable, __file__, "--child", engine, str(size)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                raise SystemExit(f"{engine} ({size}) failed:\n{out.stderr[-3000:]}")
            print(out.stdout)
            tables.append(out.stdout)
    target = REPO / "bench" / "results" / "insights.md"
    target.write_text("\n".join(tables))
    print(f"written to {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
