"""A real Celery worker, against Redis, runs the notification tasks the services enqueue."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from common.services import update_work_item
from notifications.models import Notification
from testing.builders import item

pytestmark = pytest.mark.django_db(transaction=True)
SRC = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def worker():
    """Start `celery worker` in a child process on the test database; stop it afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: run on PostgreSQL")
    if not redis_available():
        pytest.fail(f"Redis is not reachable at {REDIS_URL}; .ci/run starts it.")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    db = settings.DATABASES["default"]
    url = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "obcms.settings",
        "DEBUG": "0",
        "SECRET_KEY": "worker-test-" + "x" * 50,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": "consolemail://",
        "LOG_DIR": "/tmp/obcms-worker-logs",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "obcms",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=SRC,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def use_broker(app, url: str | None) -> None:
    """Point the Celery app at a broker (None: back to in-process eager mode)."""
    app.conf.update(broker_url=url or "", result_backend=url, task_always_eager=url is None)
    app._pool = None  # connection pools remember the broker they were made for
    app.amqp._producer_pool = None


def test_an_assignment_is_announced_by_the_worker_through_redis(worker, cast):
    from obcms.celery import app

    use_broker(app, REDIS_URL)
    try:
        task = item("task", "Prepare the hall", organization=cast.office)
        update_work_item(cast.manager, task, assignees=[cast.staff])  # commits: on_commit fires
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Notification.objects.filter(user=cast.staff).exists():
                break
            time.sleep(0.25)
    finally:
        use_broker(app, None)
    worker.terminate()
    output = worker.communicate(timeout=30)[0]
    assert Notification.objects.filter(user=cast.staff).exists(), output
    assert Notification.objects.get(user=cast.staff).message == (
        "You were assigned to “Prepare the hall” by Marco."
    )
    assert "notifications.tasks.notify_assignment" in output
    assert "succeeded" in output
