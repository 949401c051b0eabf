"""A migration killed half-way (kill -9) leaves nothing behind and simply runs again."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from accounts.models import User
from common.models import WorkItem

from .conftest import OFFICE, _Sink
from .oldsystem import OfficeHistory, drop_schema, many_tasks

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(databases=["default", "legacy"], transaction=True),
]


def _url(alias: str) -> str:
    db = connections[alias].settings_dict
    user = db.get("USER") or "postgres"
    return (
        f"postgresql://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


@pytest.fixture
def committed_history(cast, on_postgres):
    if not on_postgres:
        pytest.skip("needs PostgreSQL: the run is killed while it holds a transaction open")
    history = OfficeHistory()
    many_tasks(5_000)
    yield history
    drop_schema()


def _writing_backends() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0]


def test_killed_run_writes_nothing_and_a_second_run_completes(committed_history):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "obcms.settings",
        "SECRET_KEY": "interrupt-" + "x" * 50,
        "DATABASE_URL": _url("default"),
        "LEGACY_DATABASE_URL": _url("legacy"),
        "REDIS_URL": "",
    }
    run = subprocess.Popen(
        [sys.executable, "manage.py", "migrate_to_workitem", "--organization", OFFICE],
        cwd=settings.SRC_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while _writing_backends() == 0 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert run.poll() is None, "the run finished before it could be interrupted"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    # PostgreSQL rolls back the dead session's transaction.
    deadline = time.monotonic() + 30
    while _writing_backends() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert WorkItem.objects.count() == 0
    assert not User.objects.filter(username="lina.old").exists()

    call_command("migrate_to_workitem", organization=OFFICE, stdout=_Sink())
    assert WorkItem.objects.exclude(legacy_source="").count() == committed_history.row_count + 5_000
    try:
        call_command("verify_workitem_migration", stdout=_Sink())
    except SystemExit as exc:
        pytest.fail(f"verification failed after the resumed run (exit {exc.code})")
