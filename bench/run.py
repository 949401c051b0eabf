#!/usr/bin/env python
"""Run the benchmarks on SQLite and PostgreSQL at several sizes and record the tables.

    .venv/bin/python bench/run.py                       # core tree benchmarks, 10k and 100k
    .venv/bin/python bench/run.py --engines sqlite --sizes 10000

Each engine and size gets a fresh database (SQLite: a file under /tmp; PostgreSQL: the database
`obcms_bench`, dropped and re-created, on BENCH_POSTGRES_URL or 127.0.0.1:5432). Results print as
Markdown tables and are written to bench/results/.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
#: Name of the throwaway database (and SQLite file), so two suites can run side by side.
BENCH_NAME = os.environ.get("BENCH_DATABASE", "obcms_bench")


def database_url(engine: str) -> str:
    if engine == "sqlite":
        path = Path(f"/tmp/{BENCH_NAME}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_NAME}")
        conn.execute(f"CREATE DATABASE {BENCH_NAME}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{BENCH_NAME}"


def run_one(engine: str, size: int, suite: str) -> str:
    """Run one suite in a child process (fresh Django, fresh database); return its table."""
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
        [sys.executable, __file__, "--child", suite, engine, str(size)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{suite} on {engine} ({size}) failed:\n{out.stderr[-3000:]}")
    return out.stdout


def child(suite: str, engine: str, size: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if suite == "core":
        from bench.core import generate, run_scenarios

        started = time.perf_counter()
        ids = generate(size)
        load_s = time.perf_counter() - started
        from common.models import WorkItem

        count = WorkItem.objects.count()
        results = run_scenarios(ids)
        version = (
            connection.cursor().connection.info.server_version
            if engine == "postgres"
            else (connection.Database.sqlite_version)
        )
        print(
            f"### {engine} {version} — {count:,} items (bulk load {load_s:.1f} s, "
            f"{count / load_s:,.0f} items/s)\n"
        )
        print("| scenario | runs | median ms | p95 ms | queries |")
        print("|---|---:|---:|---:|---:|")
        for r in results:
            print(f"| {r.scenario} | {r.runs} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.queries} |")
        print()
    elif suite == "feed":
        from bench.feed_bench import generate as generate_calendar
        from bench.feed_bench import run_scenarios as run_calendar
        from common.models import WorkItem

        started = time.perf_counter()
        manager = generate_calendar(size)
        load_s = time.perf_counter() - started
        results, events = run_calendar(manager)
        count = WorkItem.objects.count()
        version = (
            connection.cursor().connection.info.server_version
            if engine == "postgres"
            else (connection.Database.sqlite_version)
        )
        print(
            f"### {engine} {version} — {count:,} items, {events:,} events in the window "
            f"(load {load_s:.1f} s)\n"
        )
        print("| scenario | runs | median ms | p95 ms | queries |")
        print("|---|---:|---:|---:|---:|")
        for r in results:
            print(f"| {r.scenario} | {r.runs} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.queries} |")
        print()
    elif suite == "migration":
        from bench.migration_bench import peak_memory_mb, run

        results = run(size)
        print(f"### {engine} — {size:,} legacy rows\n")
        print(
            "| step | seconds | rows/s | peak MB of its process | peak MB of each staging helper |"
        )
        print("|---|---:|---:|---:|---:|")
        for label, seconds, rows, peak, helpers in results:
            beside = ", ".join(f"{mb:,.0f}" for mb in helpers) or "–"
            print(f"| {label} | {seconds:.1f} | {rows / seconds:,.0f} | {peak:,.0f} | {beside} |")
        print(f"\nPeak memory of the bench process (the build): {peak_memory_mb():,.0f} MB\n")
    elif suite == "collaboration":
        from bench.collaboration_bench import run as run_collaboration

        print(f"### {engine} — {size:,} comments on one item\n")
        print("| scenario | median ms | p95 ms | queries |")
        print("|---|---:|---:|---:|")
        for label, median, p95, queries in run_collaboration(size):
            print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} |")
        print()
    elif suite == "rollback":
        from bench.rollback_bench import run as run_rollback

        print(f"### {engine} — {size:,} work items\n")
        print("| step | seconds | result |")
        print("|---|---:|---|")
        for label, seconds, result in run_rollback(size):
            print(f"| {label} | {seconds:.1f} | {result} |")
        print()
    elif suite == "board":
        from bench.board_bench import run as run_board

        count, results = run_board(size)
        print(f"### {engine} — {count:,} work items in the database\n")
        print("| scenario | median ms | p95 ms | queries | cards sent |")
        print("|---|---:|---:|---:|---:|")
        for label, median, p95, queries, cards in results:
            print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} | {cards} |")
        print()
    elif suite == "planning":
        from bench.planning_bench import run as run_planning

        count, results = run_planning(size)
        print(f"### {engine} — {count:,} work items in the database\n")
        print("| scenario | median ms | p95 ms | queries | UPDATEs |")
        print("|---|---:|---:|---:|---:|")
        for label, median, p95, queries, updates in results:
            print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} | {updates} |")
        print()
    elif suite == "pages":
        from bench.pages_bench import run as run_pages
        from bench.pages_bench import table as pages_table

        count, office, rows = run_pages(size)
        version = (
            connection.cursor().connection.info.server_version
            if engine == "postgres"
            else (connection.Database.sqlite_version)
        )
        print(pages_table(engine, version, count, office, rows))
    elif suite == "replicas":
        from bench.replica_bench import run as run_replicas

        if engine != "postgres":
            raise SystemExit("the replicas suite needs PostgreSQL: --engines postgres")
        events, rows = run_replicas(size)
        print(
            f"### {engine} — {size:,} work items, calendar feed: one month, {events:,} events, "
            "built each time\n"
        )
        print("| reads | median ms | p95 ms | queries on primary | on replica | req/s, 4 threads |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, median, p95, on_primary, on_replica, rate in rows:
            cells = f"{median:.1f} | {p95:.1f} | {on_primary} | {on_replica} | {rate:.1f}"
            print(f"| {label} | {cells} |")
        print()
    elif suite == "throughput":
        from bench.throughput_bench import run as run_throughput
        from bench.throughput_bench import table as throughput_table

        items, events, redis, rows = run_throughput(size)
        version = (
            connection.cursor().connection.info.server_version
            if engine == "postgres"
            else (connection.Database.sqlite_version)
        )
        print(throughput_table(engine, version, items, events, redis, rows))
    else:
        raise SystemExit(f"unknown suite {suite}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--suite", default="core")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        suite, engine, size = args.child
        child(suite, engine, int(size))
        return
    header = (
        f"## {args.suite} benchmarks — {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    tables = [header]
    print(header)
    for engine in args.engines.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            table = run_one(engine, size, args.suite)
            print(table)
            tables.append(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{args.suite}.md"
    target.write_text("\n".join(tables))
    print(f"written to {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
