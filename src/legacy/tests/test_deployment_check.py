"""The checklist's pre-deployment verification as a command with an exit code."""

import io
import os
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

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


def check(**options) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("deployment_check", stdout=out, **options)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_remaining_legacy_records_and_no_backup_fail_the_check(migrated, tmp_path):
    with override_settings(BACKUP_DIR=tmp_path):
        code, output = check()
    assert code == 1
    assert "⚠️  Legacy data migrated: 33 legacy records remaining" in output
    assert "⚠️  Database backup: no database backup" in output
    assert "✅ Code uses work items only: 0 legacy imports in active code" in output
    assert "✅ Legacy models abstract" in output
    assert "✅ Migrations applied" in output


def test_after_archive_and_backup_everything_passes(migrated, tmp_path, settings):
    call_command(
        "archive_legacy_data",
        out=str(tmp_path / "old.zip"),
        delete=True,
        force=True,
        stdout=io.StringIO(),
    )
    backup = tmp_path / "obcms-sqlite-20261126-010000.sqlite3"
    backup.write_bytes(b"backup")
    with override_settings(BACKUP_DIR=tmp_path, **DEPLOY_READY):
        code, output = check()
    assert code == 0, output
    assert "✅ Legacy data migrated: 0 legacy records remaining" in output
    assert "✅ Ready to deploy" in output


def test_old_backup_and_wrong_flags_are_named(migrated, tmp_path, settings):
    backup = tmp_path / "obcms-sqlite-20261120-010000.sqlite3"
    backup.write_bytes(b"backup")
    os.utime(backup, (time.time() - 30 * 3600,) * 2)
    flags = {**settings.FEATURE_FLAGS, "DUAL_WRITE_ENABLED": True, "LEGACY_MODELS_READONLY": False}
    with override_settings(BACKUP_DIR=tmp_path, FEATURE_FLAGS=flags):
        code, output = check(max_backup_age=24)
    assert code == 1
    assert "is 30.0 h old (limit 24 h)" in output
    assert "DUAL_WRITE_ENABLED=1 (want 0)" in output
