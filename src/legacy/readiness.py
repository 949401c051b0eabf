"""The checklist's "Pre-Deployment Verification" as checks a machine can run.

Each check answers (ok, one-line detail). `deployment_check` prints them as ✅/⚠️ lines and
exits 1 unless all pass, so a deployment script can stop on it.
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
from operations.backups import backup_files

from . import models as legacy
from .archive import remaining_counts
from .imports import legacy_imports
from .messages import first_line
from .models import OutboxEntry
from .schema import SCHEMAS

Check = tuple[str, Callable[[], tuple[bool, str]]]


def legacy_records() -> tuple[bool, str]:
    try:
        counts = remaining_counts()
    except DatabaseError as exc:
        return False, f"cannot read the legacy database: {first_line(exc)}"
    left = sum(counts.values())
    if left:
        busiest = ", ".join(f"{t} {n}" for t, n in counts.items() if n)
        return False, f"{left} legacy records remaining ({busiest})"
    return True, "0 legacy records remaining"


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
        backups = backup_files(directory)
        if not backups:
            return False, f"no database backup in {directory} (run: manage.py backup_database)"
        newest = max(backups, key=lambda p: p.stat().st_mtime)
        age = (time.time() - newest.stat().st_mtime) / 3600
        if age > max_age_hours:
            return (
                False,
                f"newest backup {newest.name} is {age:.1f} h old (limit {max_age_hours:g} h)",
            )
        return True, f"database backup {newest.name}, {age:.1f} h old"

    return check


def dual_write_drained() -> tuple[bool, str]:
    waiting = OutboxEntry.objects.exclude(state=OutboxEntry.State.APPLIED).count()
    if waiting:
        return False, f"{waiting} dual-write entries pending or failed"
    return True, "dual-write outbox empty"


def checks(max_backup_age_hours: float) -> list[Check]:
    return [
        ("Legacy data migrated", legacy_records),
        ("Code uses work items only", no_legacy_imports),
        ("Legacy models abstract", models_abstract),
        ("Migrations applied", migrations_applied),
        ("Feature flags", flags_production),
        ("Deployment settings", deploy_checks),
        ("Database backup", recent_backup(max_backup_age_hours)),
        ("Dual-write outbox", dual_write_drained),
    ]


def run(max_backup_age_hours: float, out: io.TextIOBase) -> bool:
    passed = True
    for label, check in checks(max_backup_age_hours):
        ok, detail = check()
        passed &= ok
        out.write(f"{'✅' if ok else '⚠️ '} {label}: {detail}\n")
    return passed
