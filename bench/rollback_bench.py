"""The checklist's rollback plan, timed on a large database.

Loads N work items (the core benchmark's forest), takes the checklist's backup (`pg_dump` to a
plain SQL file; on SQLite the checklist's `cp`), changes 1,000 items as people would after a
deployment, then times the checklist's literal `psql db < backup.sql` (which restores nothing
into a live database: its errors are counted and the data compared) and
`manage.py rollback_deployment backup --yes` end to end (reading and checking the file,
maintenance, the one-transaction restore, the count comparison).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench.core import generate
from common.models import WorkItem


def _fingerprint() -> str:
    rows = WorkItem.objects.order_by("pk").values_list("pk", "title", "version")
    return str(hash(tuple(rows)))


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "PGHOST": db.get("HOST") or "127.0.0.1",
        "PGPORT": str(db.get("PORT") or 5432),
        "PGUSER": db.get("USER") or "postgres",
    }


def run(size: int) -> list[tuple[str, float, str]]:
    workdir = Path(tempfile.mkdtemp(prefix="obcms-rollback-bench-"))
    settings.MAINTENANCE_FILE = workdir / "maintenance"
    results: list[tuple[str, float, str]] = []
    started = time.perf_counter()
    generate(size)
    count = WorkItem.objects.count()
    results.append(("load the database", time.perf_counter() - started, f"{count:,} items"))
    before = _fingerprint()
    postgres = connection.vendor == "postgresql"
    name = settings.DATABASES["default"]["NAME"]

    started = time.perf_counter()
    if postgres:
        backup = workdir / f"backup_workitem_deployment_{time.strftime('%Y%m%d')}.sql"
        with backup.open("w") as handle:
            subprocess.run(["pg_dump", name], stdout=handle, env=_pg_env(), check=True)
        step = "pg_dump obcms_prod > backup_….sql"
    else:
        backup = workdir / f"db.sqlite3.backup.{time.strftime('%Y%m%d')}"
        connection.close()
        shutil.copy(name, backup)
        step = "cp src/db.sqlite3 src/db.sqlite3.backup.…"
    size_mb = backup.stat().st_size / 1e6
    results.append((step, time.perf_counter() - started, f"{size_mb:,.0f} MB"))

    ids = list(WorkItem.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    WorkItem.objects.filter(pk__in=ids).update(title="Changed after the deployment")
    changed = _fingerprint()

    if postgres:
        started = time.perf_counter()
        with backup.open() as handle:
            literal = subprocess.run(
                ["psql", name], stdin=handle, env=_pg_env(), capture_output=True, text=True
            )
        connection.close()
        verdict = (
            "restored nothing" if _fingerprint() == changed else "changed the data (unexpected)"
        )
        results.append(
            (
                "psql obcms_prod < backup_….sql (as written)",
                time.perf_counter() - started,
                f"exit {literal.returncode}, {literal.stderr.count('ERROR:')} errors, {verdict}",
            )
        )

    started = time.perf_counter()
    call_command("rollback_deployment", str(backup), yes=True, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    connection.close()
    restored = "every row as backed up" if _fingerprint() == before else "NOT the backed-up rows"
    results.append(("manage.py rollback_deployment backup --yes", seconds, restored))
    shutil.rmtree(workdir, ignore_errors=True)
    return results
