"""Who may do what is read once and kept in the shared cache, and a changed role applies at once.

With a shared cache (Redis in production) a signed-in request costs no statement for sign-in:
the session, the person and the permission set come from the cache.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.roles import VIEWER, assign_role

CACHED = {
    "PERMISSION_CACHE_SECONDS": 900,
    "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
}
CREATE = "/oobc-management/work-items/new/?type=project"
FEED = "/oobc-management/calendar/work-items/feed/"
SRC = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def sign_in_statements(client, path: str) -> list[str]:
    """The statements a request spends before its own work: session, person, permissions."""
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "accounts_user"')
        or "django_session" in q["sql"]
        or "auth_permission" in q["sql"]
    ]


@override_settings(**CACHED)
def test_a_signed_in_request_costs_no_statement_for_sign_in(client, cast):
    client.force_login(cast.staff)
    client.get(FEED)  # the first request fills the cache
    assert sign_in_statements(client, FEED) == []


def test_without_a_shared_cache_every_request_asks_the_database(client, cast):
    client.force_login(cast.staff)
    client.get(FEED)
    assert any("auth_permission" in sql for sql in sign_in_statements(client, FEED))


@override_settings(**CACHED)
def test_a_changed_role_applies_on_the_next_request(client, cast):
    client.force_login(cast.staff)
    assert client.get(CREATE).status_code == 200
    assign_role(cast.staff, VIEWER)
    assert client.get(CREATE).status_code == 403


@override_settings(**CACHED)
def test_two_people_never_share_a_permission_set(client, cast):
    client.force_login(cast.manager)
    assert client.get(CREATE).status_code == 200
    client.force_login(cast.viewer)
    assert client.get(CREATE).status_code == 403


@override_settings(**CACHED)
def test_a_deactivated_person_is_signed_out_whatever_was_cached(client, cast):
    client.force_login(cast.staff)
    assert client.get(CREATE).status_code == 200
    cast.staff.is_active = False
    cast.staff.save(update_fields=["is_active"])
    assert client.get(CREATE).status_code == 302


def _redis_url() -> str | None:
    url = "redis://127.0.0.1:6379/12"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # any failure means there is no Redis to test against
        return None
    return url


@pytest.mark.django_db(transaction=True)
def test_a_role_changed_in_another_web_process_applies_here_at_once(client, cast):
    if connection.vendor != "postgresql":
        pytest.skip("two processes need a database they can share: run on PostgreSQL")
    url = _redis_url()
    if url is None:
        pytest.fail("Redis is not reachable at 127.0.0.1:6379; .ci/run starts it.")
    prefix = f"perms-{uuid.uuid4().hex[:8]}"
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "obcms.settings",
        "REDIS_URL": url,
        "CACHE_KEY_PREFIX": prefix,
        "DATABASE_URL": f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
    }
    script = (
        "import django, json; django.setup()\n"
        "from accounts.models import User\n"
        "from accounts.roles import VIEWER, assign_role\n"
        "assign_role(User.objects.get(username='sofia'), VIEWER)\n"
        "print(json.dumps('done'))\n"
    )
    with override_settings(CACHES=shared, **CACHED):
        from django.core.cache import caches

        caches.close_all()
        client.force_login(cast.staff)
        assert client.get(CREATE).status_code == 200
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=SRC, env=env, capture_output=True, text=True
        )
        assert json.loads(done.stdout.strip().splitlines()[-1]) == "done", done.stderr
        assert client.get(CREATE).status_code == 403
        caches["default"].clear()


@override_settings(**CACHED, CALENDAR_BODY_CACHE_SECONDS=0)
def test_with_a_shared_cache_the_feed_costs_four_statements_and_a_revalidation_one(client, cast):
    """The whole request, sign-in included: the validator, items, paths, people."""
    from testing.builders import item

    client.force_login(cast.staff)
    project = item("project", "Programme", organization=cast.office)
    item("task", "Visit", parent=project, due_date=dt.date(2026, 5, 4), assignees=[cast.staff])
    window = {"start": "2026-05-01", "end": "2026-06-01"}
    client.get(FEED, window)
    with CaptureQueriesContext(connection) as full:
        answer = client.get(FEED, window)
    assert len(full.captured_queries) <= 4, [q["sql"][:80] for q in full.captured_queries]
    with CaptureQueriesContext(connection) as again:
        assert client.get(FEED, window, HTTP_IF_NONE_MATCH=answer["ETag"]).status_code == 304
    assert len(again.captured_queries) <= 1, [q["sql"][:80] for q in again.captured_queries]


def test_the_header_names_the_organisation_without_asking_for_it_again(client, cast):
    client.force_login(cast.staff)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/")
    assert "· OOBC" in page.content.decode()
    lookups = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "accounts_organization"') and "LIMIT 21" in q["sql"]
    ]
    assert lookups == []
