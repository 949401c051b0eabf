"""The checklist's pre-deployment verification as a command with an exit code.

✅ is a pass, ⚠️ something to fix, ❌ a check that could not look at what it checks — never a pass.
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from legacy.guard import ALIAS
from legacy.models import OutboxEntry

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])
DEPLOY_READY = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "DEBUG": False,
    "ALLOWED_HOSTS": ["work.example.org"],
    "MAILERS": {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}},
}
PLAIN_DUMP = """--
-- PostgreSQL database dump
--

COPY public.common_workitem (id, title) FROM stdin;
1\tWater system
\\.

--
-- PostgreSQL database dump complete
--
"""


def check(**options) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("deployment_check", stdout=out, **options)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def line(output: str, label: str) -> str:
    return next(x for x in output.splitlines() if f" {label}: " in x)


def junit(directory: Path, name: str, tests: int, failures: int, skipped: int = 0) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.xml").write_text(
        f'<testsuites><testsuite name="pytest" tests="{tests}" failures="{failures}" '
        f'errors="0" skipped="{skipped}"/></testsuites>'
    )


@pytest.fixture
def places(tmp_path):
    """Backups, test results and the repository all in a scratch folder."""
    repo, src = tmp_path / "repo", tmp_path / "repo" / "src"
    src.mkdir(parents=True)
    results = repo / "test-results"
    junit(results, "sqlite", 400, 2, skipped=5)
    junit(results, "postgresql", 400, 0)
    with (
        override_settings(
            BACKUP_DIR=repo / "backups", REPO_DIR=repo, SRC_DIR=src, TEST_RESULTS_DIR=results
        ),
        contextlib.chdir(src),
    ):
        yield repo


def good_backup(places: Path, on_postgres: bool) -> Path:
    if on_postgres:
        dump = places / f"backup_workitem_deployment_{time.strftime('%Y%m%d')}.sql"
        dump.write_text(PLAIN_DUMP)
        return dump
    copy = places / "src" / f"db.sqlite3.backup.{time.strftime('%Y%m%d')}"
    with contextlib.closing(sqlite3.connect(copy)) as db:
        db.execute("CREATE TABLE common_workitem (id integer primary key, title text)")
        db.execute("INSERT INTO common_workitem VALUES (1, 'Water system')")
        db.commit()
    return copy


def archive_and_delete(tmp_path: Path) -> None:
    call_command(
        "archive_legacy_data",
        out=str(tmp_path / "old.zip"),
        delete=True,
        force=True,
        stdout=io.StringIO(),
    )


def test_remaining_legacy_records_and_no_backup_fail_the_check(migrated, places):
    code, output = check()
    assert code == 1
    assert "⚠️  Legacy data migrated: 33 legacy records remaining" in output
    assert "⚠️  Database backup: no database backup" in output
    assert "✅ Code uses work items only: 0 legacy imports in active code" in output
    assert "✅ Legacy models abstract" in output
    assert "✅ Migrations applied" in output


def test_after_archive_and_the_checklists_backup_everything_passes(
    migrated, places, tmp_path, on_postgres
):
    archive_and_delete(tmp_path)
    good_backup(places, on_postgres)
    with override_settings(**DEPLOY_READY):
        code, output = check()
    assert code == 0, output
    assert "✅ Legacy data migrated: 0 legacy records remaining (archived to" in output
    assert ", complete)" in line(output, "Database backup")
    assert "✅ Ready to deploy" in output


def test_without_legacy_tables_the_check_cannot_say_zero_remain(places, cast):
    code, output = check()
    assert code == 1
    assert line(output, "Legacy data migrated").startswith("❌ ")
    assert "no legacy tables in" in output
    assert "0 legacy records remaining" not in output


def test_a_database_missing_some_legacy_tables_is_not_the_old_system(migrated, places):
    with connections[ALIAS].cursor() as cursor:
        cursor.execute('DROP TABLE "coordination_event_facilitators"')
    _, output = check()
    assert line(output, "Legacy data migrated").startswith("❌ ")
    assert "is not the old system's database: missing coordination_event_facilitators" in output


def test_empty_legacy_tables_without_an_archive_on_record_are_not_a_pass(migrated, places):
    from legacy.archive import TABLES

    with connections[ALIAS].cursor() as cursor:
        for model in TABLES:  # children first
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')
    _, output = check()
    assert line(output, "Legacy data migrated").startswith("⚠️ ")
    assert "no archive is on record" in output


def test_a_legacy_database_that_cannot_be_reached_is_reported(migrated, places, on_postgres):
    original = connections[ALIAS]
    unreachable = {**original.settings_dict}
    if on_postgres:
        unreachable["PORT"] = "1"  # nothing listens there
    else:
        unreachable["NAME"] = "/nonexistent-folder/old.sqlite3"
    connections[ALIAS] = type(original)(unreachable, ALIAS)
    try:
        code, output = check()
    finally:
        connections[ALIAS].close()
        connections[ALIAS] = original
    assert code == 1
    assert line(output, "Legacy data migrated").startswith("❌ ")
    assert "cannot connect to the legacy database" in output


def test_a_truncated_checklist_backup_is_not_a_backup(migrated, places, on_postgres):
    backup = good_backup(places, on_postgres)
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])
    _, output = check()
    assert line(output, "Database backup").startswith("⚠️ ")
    assert "not usable" in line(output, "Database backup")


def test_old_backup_and_wrong_flags_are_named(migrated, places, settings, on_postgres):
    backup = good_backup(places, on_postgres)
    os.utime(backup, (time.time() - 30 * 3600,) * 2)
    flags = {**settings.FEATURE_FLAGS, "DUAL_WRITE_ENABLED": True, "LEGACY_MODELS_READONLY": False}
    with override_settings(FEATURE_FLAGS=flags):
        code, output = check(max_backup_age=24)
    assert code == 1
    assert "is 30.0 h old (limit 24 h)" in output
    assert "DUAL_WRITE_ENABLED=1 (want 0)" in output


def test_the_last_test_run_and_its_pass_rate_are_reported(migrated, places):
    _, output = check()
    assert line(output, "Tests passing").startswith("✅ ")
    assert "793 of 795 passed (99.7%)" in line(output, "Tests passing")


def test_a_pass_rate_of_95_percent_or_less_fails(migrated, places):
    junit(places / "test-results", "sqlite", 100, 6)
    junit(places / "test-results", "postgresql", 100, 4)
    _, output = check()
    assert line(output, "Tests passing").startswith("⚠️ ")
    assert "190 of 200 passed (95.0%)" in output


def test_missing_or_unreadable_test_results_cannot_pass(migrated, places):
    (places / "test-results" / "sqlite.xml").write_text("<testsuites><testsu")
    _, output = check()
    assert line(output, "Tests passing").startswith("❌ ")
    for path in (places / "test-results").iterdir():
        path.unlink()
    _, output = check()
    assert "❌ Tests passing: could not check: no test results" in output


def test_the_calendar_feed_is_checked_live_with_a_token(migrated, places, cast):
    from testing.builders import item

    item("activity", organization=cast.office, title="Consultation", start_date=_today())
    _, output = check()
    calendar = line(output, "Calendar integration")
    assert calendar.startswith("✅ ")
    assert "401 without a token" in calendar and "1 events with one" in calendar
    from accounts.models import ApiToken

    assert not ApiToken.objects.exists()  # the self-check leaves no token behind


def test_a_failed_dual_write_is_shown_with_its_reason(migrated, places):
    OutboxEntry.objects.create(
        work_item_id=1,
        legacy_source="common_stafftask",
        legacy_id="7",
        action="sync",
        state="failed",
        attempts=4,
        note="could not read the old database: no such table: common_stafftask",
    )
    _, output = check()
    outbox = line(output, "Dual-write outbox")
    assert outbox.startswith("⚠️ ")
    assert "1 dual-write entries failed" in outbox
    assert "4 attempts" in outbox and "no such table: common_stafftask" in outbox


def _today():
    import datetime as dt

    return dt.date.today()
