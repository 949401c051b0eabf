"""The checklist's rollback, done so that it cannot fail silently.

`psql obcms_prod < backup.sql` into a database that still has its tables reports hundreds of
"already exists" and duplicate-key errors, exits 0, and leaves every changed row as it was. Here
the file is read to its end first (a truncated or damaged dump is refused before the database is
touched), the site is held in maintenance, and the restore runs as *one* transaction that first
empties the schema and stops at the first error — so the database ends up either exactly as the
file describes or exactly as it was. The restored row counts are then compared with the file.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from accounts.permission_cache import forget_all

from .backups import BackupError, _pg_env_and_name, restore_media
from .dumps import DumpContents, custom_as_script
from .maintenance import MaintenanceBusy, maintenance

#: Run before the dump's own statements, inside the same transaction.
CLEAN_SCHEMA = "DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
#: The flags for running on the restored, pre-cut-over database (the old system takes over).
PRE_CUT_OVER_FLAGS = {
    "USE_WORKITEM_MODEL": 0,
    "USE_UNIFIED_CALENDAR": 0,
    "DUAL_WRITE_ENABLED": 0,
    "LEGACY_MODELS_READONLY": 0,
}


@dataclass
class RollbackReport:
    contents: DumpContents
    restored: dict[str, int] = field(default_factory=dict)
    mismatched: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    disconnected: int = 0
    media: bool = False
    seconds: float = 0.0


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def database_name() -> str:
    return (
        str(_pg_env_and_name()[1])
        if engine() == "postgresql"
        else str(connection.settings_dict["NAME"])
    )


def check_matches_engine(contents: DumpContents) -> None:
    wanted = ("plain", "custom") if engine() == "postgresql" else ("sqlite",)
    if contents.kind not in wanted:
        raise BackupError(
            f"{contents.path.name} is a {contents.kind} backup; this database is {engine()}."
        )


def rollback(contents: DumpContents) -> RollbackReport:
    """Replace the database with the backup in `contents` (already read and checked)."""
    check_matches_engine(contents)
    report = RollbackReport(contents)
    started = time.perf_counter()
    try:
        with maintenance(f"Restoring the database from {contents.path.name}."):
            if engine() == "postgresql":
                report.disconnected = _disconnect_others()
                connection.close()
                _restore_postgresql(contents)
            else:
                _restore_sqlite(contents.path)
            report.restored = _count_rows(contents.rows)
            report.media = restore_media(contents.path)
            # Roles come back as they were in the backup: permission sets cached since are stale.
            forget_all()
    except MaintenanceBusy as busy:
        raise BackupError(f"not now, {busy}") from None
    report.mismatched = {
        table: (expected, report.restored.get(table))
        for table, expected in contents.rows.items()
        if report.restored.get(table) != expected
    }
    report.seconds = time.perf_counter() - started
    return report


def _disconnect_others() -> int:
    """End the other sessions on this database so none writes into the restore (best effort:
    without the right to, the restore still waits for their locks)."""
    with connection.cursor() as cursor:
        try:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return int(cursor.fetchone()[0])
        except Exception:  # no privilege to end others' sessions
            return 0


def _script(contents: DumpContents) -> Iterable[str]:
    yield CLEAN_SCHEMA
    if contents.kind == "custom":
        yield from custom_as_script(contents.path)
        return
    with contents.path.open(encoding="utf-8") as handle:
        yield from handle


def _restore_postgresql(contents: DumpContents) -> None:
    if not shutil.which("psql"):
        raise BackupError("psql is not installed (Debian: postgresql-client).")
    env, name = _pg_env_and_name()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [
                "psql",
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--dbname={name}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
            text=True,
            encoding="utf-8",
        )
        assert process.stdin is not None
        try:
            for chunk in _script(contents):
                process.stdin.write(chunk)
            process.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error; its message is read below
        except BaseException as error:
            # Never let psql see a clean end of input after a partial script: under
            # --single-transaction it would commit what it got (a dropped schema).
            process.kill()
            process.wait()
            raise BackupError(f"restore aborted, nothing changed: {error}") from None
        process.wait()
        errors.seek(0)
        message = [line.strip() for line in errors if line.strip()]
    if process.returncode != 0:
        first_error = next((m for m in message if "ERROR" in m), message[-1] if message else "?")
        raise BackupError(f"restore failed and was rolled back, nothing changed: {first_error}")


def _restore_sqlite(path: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)  # page by page, under one lock on the target
    finally:
        source.close()


def _count_rows(tables: Iterable[str]) -> dict[str, int]:
    present = set(connection.introspection.table_names())
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table in present:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = int(cursor.fetchone()[0])
    return counts
