"""With LEGACY_MODELS_READONLY on, nothing can write to the legacy tables."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from legacy import models as old
from legacy.guard import LegacyReadOnly, legacy_writes

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])
FLAGS_OFF = {**settings.FEATURE_FLAGS, "LEGACY_MODELS_READONLY": False}


def test_orm_writes_are_refused_with_a_clear_error(history):
    row = old.StaffTask.objects.get(pk=history.undated.pk)
    row.title = "Changed"
    with pytest.raises(LegacyReadOnly, match="LEGACY_MODELS_READONLY=1"):
        row.save()
    with pytest.raises(LegacyReadOnly):
        old.StaffTask.objects.filter(pk=row.pk).update(title="Changed")
    with pytest.raises(LegacyReadOnly):
        old.StaffTask.objects.filter(pk=row.pk).delete()
    with pytest.raises(LegacyReadOnly):
        old.StaffTaskAssignee.objects.bulk_create(
            [old.StaffTaskAssignee(stafftask_id=1, user_id=1)]
        )
    with pytest.raises(LegacyReadOnly):
        row.delete()
    assert old.StaffTask.objects.get(pk=row.pk).title == "Call the MAO"


def test_writes_are_possible_once_the_flag_is_off(history):
    with override_settings(FEATURE_FLAGS=FLAGS_OFF):
        old.StaffTask.objects.filter(pk=history.undated.pk).update(title="Changed")
        with legacy_writes():
            pass
    assert old.StaffTask.objects.get(pk=history.undated.pk).title == "Changed"


def test_legacy_writes_without_force_refuses_while_read_only(history):
    with pytest.raises(LegacyReadOnly), legacy_writes():
        pass


def test_router_sends_read_models_to_the_legacy_database(history):
    assert old.StaffTask.objects.all().db == "legacy"
    assert old.OutboxEntry.objects.all().db == "default"


def _raw_insert(tmp_path: Path, read_only: str) -> subprocess.CompletedProcess:
    """Raw SQL through the `legacy` connection of a separate process (a real server start)."""
    database = tmp_path / "old.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE IF NOT EXISTS probe (day text)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "obcms.settings",
        "SECRET_KEY": "probe-" + "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ours.sqlite3'}",
        "LEGACY_DATABASE_URL": f"sqlite:///{database}",
        "LEGACY_MODELS_READONLY": read_only,
        "DUAL_WRITE_ENABLED": "0",
    }
    code = (
        "from django.db import connections\n"
        "connections['legacy'].cursor().execute(\"INSERT INTO probe VALUES ('today')\")\n"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.SRC_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_legacy_connection_itself_is_read_only(tmp_path):
    refused = _raw_insert(tmp_path, "1")
    assert refused.returncode != 0 and "readonly" in refused.stderr.replace("-", "")
    allowed = _raw_insert(tmp_path, "0")
    assert allowed.returncode == 0, allowed.stderr
