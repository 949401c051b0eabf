"""docs/deployment/POSTGRESQL_MIGRATION_SUMMARY.md: a trial on SQLite moves to PostgreSQL with the
commands the page gives, and every record arrives."""

from __future__ import annotations

import pytest

from testing.deployment import base_env, manage

#: What holds the office's data (not sessions, page timings or the old system's tables).
APPS = [
    "auth.group",
    "accounts",
    "common",
    "notifications",
    "operations.feedback",
    "legacy.importrecord",
    "legacy.outboxentry",
    "legacy.archiverecord",
]
COUNTS = (
    "from django.apps import apps;"
    "print(';'.join(f'{m._meta.label}={m._default_manager.count()}' for m in apps.get_models() "
    "if m._meta.app_label in ('accounts', 'common', 'notifications')))"
)


@pytest.mark.postgres_only
def test_a_sqlite_trial_moves_to_postgresql_with_the_documented_commands(
    scratch_postgres, tmp_path
):
    _, pg_env, _ = scratch_postgres
    sqlite_env = base_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    manage(sqlite_env, "migrate", "--noinput")
    manage(sqlite_env, "seed_demo")
    before = manage(sqlite_env, "shell", "-c", COUNTS).stdout
    dump = tmp_path / "obcms-data.json.gz"

    # The page's commands, in order.
    manage(
        sqlite_env,
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        f"--output={dump}",
        *APPS,
    )
    manage(pg_env, "migrate", "--noinput")
    manage(pg_env, "loaddata", str(dump))

    after = manage(pg_env, "shell", "-c", COUNTS).stdout
    assert after == before
    assert "common.WorkItem=0" not in after
    # The sequences continue after the loaded ids: a new item can be created.
    manage(
        pg_env,
        "shell",
        "-c",
        "from common.services import create_work_item as c; from accounts.models import "
        "Organization as O; c(None, work_type='project', title='After the move', "
        "organization=O.objects.first())",
    )
