"""An unchanged calendar window is served from the shared cache, never to the wrong person.

Many people open the same month, and calendar clients poll their ICS address every hour; an
unchanged window costs the validator query and a cache read, not the whole build again.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from common.calendar import subscriptions
from common.services import update_work_item
from testing.builders import item
from testing.cast import PASSWORD
from testing.queries import beyond_sign_in

FEED = "/oobc-management/calendar/work-items/feed/"
MAY = {"start": "2026-05-01", "end": "2026-06-01"}
SRC = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    from common.calendar.body_cache import process_bodies

    cache.clear()
    process_bodies.clear()


def test_a_repeated_window_costs_only_the_validator_and_shows_the_same_events(client, cast):
    client.force_login(cast.staff)
    project = item("project", "Consultations", organization=cast.office)
    for n in range(20):
        item("task", f"Visit {n}", parent=project, due_date=dt.date(2026, 5, 2 + n))
    first = client.get(FEED, MAY)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(FEED, MAY)
    assert second.status_code == 200
    assert second.content == first.content
    assert len(second.json()) == 20
    assert len(beyond_sign_in(captured)) == 1, beyond_sign_in(captured)


def test_a_change_is_shown_at_once_whatever_was_cached(client, cast):
    client.force_login(cast.staff)
    task = item("task", "Print agenda", organization=cast.office, due_date=dt.date(2026, 5, 4))
    assert [e["title"] for e in client.get(FEED, MAY).json()] == ["Print agenda"]
    update_work_item(None, task, title="Print the agenda and the map")
    assert [e["title"] for e in client.get(FEED, MAY).json()] == ["Print the agenda and the map"]


@pytest.mark.django_db(transaction=True)  # marks are written on commit
def test_a_renamed_assignee_and_team_are_shown_at_once(client, cast):
    client.force_login(cast.manager)
    item(
        "task",
        "Print agenda",
        organization=cast.office,
        due_date=dt.date(2026, 5, 4),
        assignees=[cast.staff],
        teams=[cast.field_team],
    )
    before = client.get(FEED, MAY).json()[0]["extendedProps"]
    assert (before["assignees"], before["teams"]) == (["Sofia"], ["Field Coordination"])
    cast.staff.first_name = "Sofía"
    cast.staff.save()
    cast.field_team.name = "Field Operations"
    cast.field_team.save()
    after = client.get(FEED, MAY).json()[0]["extendedProps"]
    assert (after["assignees"], after["teams"]) == (["Sofía"], ["Field Operations"])


@pytest.mark.django_db(transaction=True)  # marks are written on commit
def test_a_renamed_organisation_is_shown_at_once(client, cast):
    client.force_login(cast.manager)
    item("task", "Print agenda", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.get(FEED, MAY)
    cast.office.name = "Office for Community Work"
    cast.office.save()
    event = client.get(FEED, MAY).json()[0]
    assert event["extendedProps"]["organisation"] == "Office for Community Work"


@pytest.mark.django_db(transaction=True)  # marks are written on commit
def test_joining_a_team_makes_its_items_editable_at_once(client, cast):
    task = item(
        "task",
        "Book the hall",
        organization=cast.office,
        due_date=dt.date(2026, 5, 4),
        teams=[cast.field_team],
    )
    colleague = cast.staff
    client.force_login(colleague)
    assert client.get(FEED, MAY).json()[0]["editable"] is True
    cast.field_team.members.remove(colleague)
    assert client.get(FEED, MAY).json()[0]["editable"] is False
    colleague.teams.add(cast.field_team)
    assert client.get(FEED, MAY).json()[0]["editable"] is True
    cast.field_team.memberships.get(user=colleague).delete()
    assert client.get(FEED, MAY).json()[0]["editable"] is False
    colleague.teams.add(cast.field_team)
    assert client.get(FEED, MAY).json()[0]["editable"] is True
    colleague.teams.clear()
    assert client.get(FEED, MAY).json()[0]["editable"] is False
    assert task.created_by_id is None  # editable only through the team


def test_a_sign_in_leaves_cached_windows_in_place(client, cast):
    client.force_login(cast.staff)
    item("task", "Visit", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.get(FEED, MAY)
    client.logout()
    assert client.login(username="marco", password=PASSWORD)  # saves only `last_login`
    client.force_login(cast.staff)
    with CaptureQueriesContext(connection) as captured:
        client.get(FEED, MAY)
    assert len(beyond_sign_in(captured)) == 1, beyond_sign_in(captured)


def test_a_cached_window_is_never_served_to_another_person(client, cast):
    item("task", "Office visit", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.force_login(cast.manager)
    manager_view = client.get(FEED, MAY).json()
    assert manager_view[0]["editable"] is True
    client.force_login(cast.viewer)
    viewer_view = client.get(FEED, MAY).json()
    assert viewer_view[0]["title"] == "Office visit"
    assert viewer_view[0]["editable"] is False
    client.force_login(cast.partner_staff)
    assert client.get(FEED, MAY).json() == []


@override_settings(CALENDAR_BODY_CACHE_SECONDS=0)
def test_the_cache_can_be_turned_off(client, cast):
    client.force_login(cast.staff)
    item("task", "Visit", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.get(FEED, MAY)
    with CaptureQueriesContext(connection) as captured:
        client.get(FEED, MAY)
    assert len(beyond_sign_in(captured)) > 1


def test_an_ics_address_polled_again_is_served_from_the_cache(client, cast):
    item("task", "Visit", organization=cast.office, due_date=dt.date.today())
    _, token = subscriptions.issue(cast.staff, "My calendar", QueryDict())
    address = f"/oobc-management/calendar/ics/{token}.ics"
    first = client.get(address)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(address)
    assert again.content == first.content
    assert b"SUMMARY:Visit" in again.content
    # Finding the subscription (and noting its use), then the validator: no build.
    assert not any("common_workitem_assignees" in q["sql"] for q in captured.captured_queries)


def _redis_url() -> str | None:
    url = "redis://127.0.0.1:6379/13"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # any failure means there is no Redis to test against
        return None
    return url


@pytest.mark.django_db(transaction=True)
def test_a_body_built_by_one_web_process_serves_another_through_redis(client, cast):
    """A second process (another web worker) reads what this one built: no build of its own."""
    if connection.vendor != "postgresql":
        pytest.skip("two processes need a database they can share: run on PostgreSQL")
    url = _redis_url()
    if url is None:
        pytest.fail("Redis is not reachable at 127.0.0.1:6379; .ci/run starts it.")
    prefix = f"body-{uuid.uuid4().hex[:8]}"
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    item("task", "Shared visit", organization=cast.office, due_date=dt.date(2026, 5, 4))
    with override_settings(CACHES=shared):
        from django.core.cache import caches

        caches["default"].clear()
        client.force_login(cast.staff)
        built_here = client.get(FEED, MAY).content
    script = f"""
import django, json
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from accounts.models import User
client = Client()
client.force_login(User.objects.get(username="sofia"))
with CaptureQueriesContext(connection) as captured:
    body = client.get({FEED!r}, {MAY!r}).content
print(json.dumps({{"body": body.decode(), "build": any(
    "common_workitem_assignees" in q["sql"] for q in captured.captured_queries)}}))
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "obcms.settings",
        "REDIS_URL": url,
        "CACHE_KEY_PREFIX": prefix,
        "DATABASE_URL": _database_url(),
        "DEBUG": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=SRC, env=env, capture_output=True, text=True, check=True
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["body"] == built_here.decode()
    assert answer["build"] is False


@pytest.fixture
def redis_cache():
    """The default cache is Redis (as in production) under this test's own keys."""
    url = _redis_url()
    if url is None:
        pytest.fail("Redis is not reachable at 127.0.0.1:6379; .ci/run starts it.")
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"body-{uuid.uuid4().hex[:8]}",
        }
    }
    with override_settings(CACHES=shared):
        from django.core.cache import caches

        yield caches["default"]
        caches["default"].clear()


def builds(captured) -> bool:
    return any("common_workitem_assignees" in q["sql"] for q in captured.captured_queries)


def test_a_web_process_answers_a_window_it_served_from_its_own_memory(client, cast, redis_cache):
    client.force_login(cast.staff)
    item("task", "Visit", organization=cast.office, due_date=dt.date(2026, 5, 4))
    first = client.get(FEED, MAY).content
    redis_cache.clear()  # Redis no longer holds the body: only this process can answer
    with CaptureQueriesContext(connection) as captured:
        again = client.get(FEED, MAY).content
    assert again == first
    assert not builds(captured)


def test_a_change_is_shown_at_once_whatever_the_process_kept(client, cast, redis_cache):
    client.force_login(cast.staff)
    task = item("task", "Print agenda", organization=cast.office, due_date=dt.date(2026, 5, 4))
    assert [e["title"] for e in client.get(FEED, MAY).json()] == ["Print agenda"]
    update_work_item(None, task, title="Print the map")
    assert [e["title"] for e in client.get(FEED, MAY).json()] == ["Print the map"]


def test_a_process_keeps_no_more_bodies_than_its_byte_limit(client, cast, redis_cache):
    client.force_login(cast.staff)
    for day in (4, 5, 6):
        item("task", f"Visit {day}", organization=cast.office, due_date=dt.date(2026, 5, day))
    windows = [{"start": f"2026-05-0{day}", "end": f"2026-05-0{day + 1}"} for day in (4, 5, 6)]
    one_body = len(client.get(FEED, windows[0]).content)
    with override_settings(CALENDAR_BODY_LOCAL_BYTES=2 * one_body + 10):
        for window in windows:
            client.get(FEED, window)
        redis_cache.clear()
        with CaptureQueriesContext(connection) as newest:
            client.get(FEED, windows[2])
        with CaptureQueriesContext(connection) as oldest:
            client.get(FEED, windows[0])
    assert not builds(newest)
    assert builds(oldest)


@override_settings(CALENDAR_BODY_LOCAL_BYTES=0)
def test_the_process_copy_can_be_turned_off(client, cast, redis_cache):
    client.force_login(cast.staff)
    item("task", "Visit", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.get(FEED, MAY)
    redis_cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(FEED, MAY)
    assert builds(captured)


def _database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
