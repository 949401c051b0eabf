"""The checklist's "Pre-Deployment Verification" as checks a machine can run.

Each check answers (ok, one-line detail), or raises `CannotCheck` when it could not look at what
it checks. `deployment_check` prints ✅ for a pass, ⚠️ for something to fix and ❌ for a check
that could not run (with the reason) — a check that could not run is never a pass — and exits 1
unless every check passes.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.checks import ERROR, WARNING, run_checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from obcms.flags import differences_from_production
from operations.backups import any_backups
from operations.dumps import DumpError, quick_check
from operations.feed_selfcheck import SelfCheckFailed, check_feed
from operations.suite_results import ResultsError, latest_runs, pass_rate

from . import models as legacy
from .archive import TABLES, existing_tables, remaining_counts
from .dualwrite import outbox_summary
from .guard import ALIAS
from .imports import legacy_imports
from .messages import first_line
from .models import ArchiveRecord
from .schema import SCHEMAS

Check = tuple[str, Callable[[], tuple[bool, str]]]
PASS_RATE_REQUIRED = 95.0


class CannotCheck(RuntimeError):
    """The check could not look at what it checks; the message says why."""


def legacy_database() -> str:
    """Which database the `legacy` alias reads, in words (never with a password)."""
    config = settings.DATABASES[ALIAS]
    where = f"{config.get('HOST') or 'local'}/{config['NAME']}"
    ours = settings.DATABASES[DEFAULT_DB_ALIAS]
    if (config.get("HOST"), config["NAME"]) == (ours.get("HOST"), ours["NAME"]):
        return f"{where} (LEGACY_DATABASE_URL is unset: this is our own database)"
    return where


def legacy_records() -> tuple[bool, str]:
    try:
        present = existing_tables()
    except DatabaseError as exc:
        raise CannotCheck(
            f"cannot connect to the legacy database {legacy_database()}: {first_line(exc)}"
        ) from None
    expected = {m._meta.db_table for m in TABLES}
    missing = sorted(expected - present)
    if len(missing) == len(expected):
        raise CannotCheck(
            f"no legacy tables in {legacy_database()}; set LEGACY_DATABASE_URL to the old "
            "system's database"
        )
    if missing:
        raise CannotCheck(
            f"{legacy_database()} is not the old system's database: missing {', '.join(missing)}"
        )
    try:
        counts = remaining_counts()
    except DatabaseError as exc:
        raise CannotCheck(f"cannot read the legacy tables: {first_line(exc)}") from None
    left = sum(counts.values())
    if left:
        busiest = ", ".join(f"{t} {n}" for t, n in counts.items() if n)
        return False, f"{left} legacy records remaining ({busiest})"
    archive = ArchiveRecord.objects.filter(deleted_at__isnull=False, restored_at=None).first()
    if archive is None:
        return False, (
            "the legacy tables are empty but no archive is on record (archive_legacy_data "
            "--delete records one); is this the old system's database?"
        )
    return True, f"0 legacy records remaining (archived to {archive.path})"


def no_legacy_imports() -> tuple[bool, str]:
    found = legacy_imports()
    if found:
        return False, f"{len(found)} legacy imports in active code: {', '.join(found[:5])}"
    return True, "0 legacy imports in active code"


def models_abstract() -> tuple[bool, str]:
    concrete = [s.__name__ for s in SCHEMAS if not s._meta.abstract]
    managed = [
        m.__name__
        for m in vars(legacy).values()
        if isinstance(m, type)
        and issubclass(m, legacy.LegacyModel)
        and not m._meta.abstract
        and m._meta.managed
    ]
    if concrete or managed:
        return False, f"concrete legacy schema: {', '.join(concrete + managed)}"
    return True, f"{len(SCHEMAS)} legacy schema models abstract; read models unmanaged"


def migrations_applied() -> tuple[bool, str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return False, f"{len(plan)} migrations not applied (run: manage.py migrate)"
    return True, "all migrations applied"


def flags_production() -> tuple[bool, str]:
    wrong = differences_from_production()
    if wrong:
        parts = ", ".join(f"{n}={int(c)} (want {int(e)})" for n, (c, e) in wrong.items())
        return False, f"feature flags differ from production: {parts}"
    return True, "feature flags as production requires"


def deploy_checks() -> tuple[bool, str]:
    messages = [
        m
        for m in run_checks(include_deployment_checks=True)
        if m.level >= WARNING and not m.is_silenced()
    ]
    if messages:
        errors = sum(1 for m in messages if m.level >= ERROR)
        ids = ", ".join(sorted({m.id for m in messages}))
        return False, f"check --deploy: {errors} errors, {len(messages) - errors} warnings ({ids})"
    return True, "check --deploy: no issues"


def recent_backup(max_age_hours: float) -> Callable[[], tuple[bool, str]]:
    def check() -> tuple[bool, str]:
        directory = Path(settings.BACKUP_DIR)
        places = [Path.cwd(), settings.REPO_DIR, settings.SRC_DIR]
        backups = any_backups(directory, places)
        if not backups:
            return False, (
                f"no database backup in {directory} or where the checklist writes one "
                "(run: manage.py backup_database, or the checklist's step 1)"
            )
        newest = backups[0]
        age = (time.time() - newest.stat().st_mtime) / 3600
        if age > max_age_hours:
            return (
                False,
                f"newest backup {newest.name} is {age:.1f} h old (limit {max_age_hours:g} h)",
            )
        try:
            kind = quick_check(newest)
        except DumpError as exc:
            return False, f"newest backup is not usable: {exc}"
        return True, f"database backup {newest.name} ({kind}, complete), {age:.1f} h old"

    return check


def dual_write_drained() -> tuple[bool, str]:
    pending, failed, last = outbox_summary()
    if failed and last is not None:
        when = f"{last.last_attempt_at:%Y-%m-%d %H:%M}" if last.last_attempt_at else "never"
        return False, (
            f"{failed} dual-write entries failed, {pending} pending; last failure "
            f"({last.attempts} attempts, {when}): {last.note}"
        )
    if pending:
        return False, f"{pending} dual-write entries pending"
    return True, "dual-write outbox empty"


def tests_passing() -> tuple[bool, str]:
    try:
        runs = latest_runs(Path(settings.TEST_RESULTS_DIR))
    except ResultsError as exc:
        raise CannotCheck(str(exc)) from None
    rate = pass_rate(runs)
    passed = sum(r.passed for r in runs)
    ran = sum(r.tests - r.skipped for r in runs)
    oldest = min(r.finished for r in runs)
    detail = (
        f"{passed} of {ran} passed ({rate:.1f}%) on {', '.join(r.name for r in runs)}, "
        f"run {oldest:%Y-%m-%d %H:%M} UTC"
    )
    return rate > PASS_RATE_REQUIRED, detail


def calendar_integration() -> tuple[bool, str]:
    try:
        answer = check_feed()
    except SelfCheckFailed as exc:
        return False, f"calendar feed: {exc}"
    types = ", ".join(sorted(answer.types)) or "no dated items yet"
    return True, (
        f"feed answered 401 without a token and {answer.events} events with one "
        f"(as {answer.username}; {types}) in {answer.milliseconds:.0f} ms"
    )


def checks(max_backup_age_hours: float) -> list[Check]:
    return [
        ("Legacy data migrated", legacy_records),
        ("Code uses work items only", no_legacy_imports),
        ("Legacy models abstract", models_abstract),
        ("Tests passing", tests_passing),
        ("Calendar integration", calendar_integration),
        ("Migrations applied", migrations_applied),
        ("Feature flags", flags_production),
        ("Deployment settings", deploy_checks),
        ("Database backup", recent_backup(max_backup_age_hours)),
        ("Dual-write outbox", dual_write_drained),
    ]


def run(max_backup_age_hours: float, out: io.TextIOBase) -> bool:
    passed = True
    for label, check in checks(max_backup_age_hours):
        try:
            ok, detail = check()
            mark = "✅" if ok else "⚠️ "
        except CannotCheck as exc:
            ok, mark, detail = False, "❌", f"could not check: {exc}"
        except Exception as exc:  # a check that could not run is not a pass
            reason = f"{type(exc).__name__}: {first_line(exc)}"
            ok, mark, detail = False, "❌", f"could not check: {reason}"
        passed &= ok
        out.write(f"{mark} {label}: {detail}\n")
    return passed
