"""Read replicas against a real streaming replica: a second PostgreSQL cluster on a free port.

The module copies the test cluster with pg_basebackup after the test database exists, starts
the copy as a hot standby and points a `replica_0` alias at it. The tests are what a person or
an operator would notice: hot-path reads come from the replica, a person who just wrote sees
the write, a lagging or stopped replica is skipped and the request still succeeds, writes
never reach the replica, and without replicas nothing changes. PostgreSQL only; the cluster
is stopped and removed even when a test fails.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import ApiToken
from common.models import WorkItem
from obcms.replicas import health
from obcms.replicas.router import ReplicaRouter
from obcms.replicas.scope import replica_reads
from testing import pg_replica
from testing.builders import item

ALIAS = "replica_0"
API = "/api/v1/work-items/"
TREE = "/oobc-management/work-items/"
FEED = "/oobc-management/calendar/work-items/feed/"

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, databases=["default", ALIAS]),
]


def _primary_url() -> str:
    db = connections["default"].settings_dict
    return (
        f"postgresql://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """A streaming replica of the test cluster, reachable as the `replica_0` alias."""
    if not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("read replicas are a PostgreSQL feature")
    reason = pg_replica.can_run()
    if reason:
        pytest.skip(reason)
    primary = connections["default"].settings_dict
    pg_replica.allow_replication(_primary_url())
    cluster = pg_replica.StreamingReplica(
        primary.get("HOST") or "127.0.0.1",
        int(primary.get("PORT") or 5432),
        primary.get("USER") or "postgres",
    )
    try:
        cluster.create()
        cluster.start()
        django_settings.DATABASES[ALIAS] = {
            **primary,
            "HOST": "127.0.0.1",
            "PORT": str(cluster.port),
            "CONN_MAX_AGE": 0,
            "OPTIONS": {**primary.get("OPTIONS", {}), "connect_timeout": 2},
            "TEST": {**primary.get("TEST", {}), "MIRROR": "default"},
        }
        connections.settings[ALIAS] = django_settings.DATABASES[ALIAS]
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            connections[ALIAS].close()
        with contextlib.suppress(AttributeError):
            del connections[ALIAS]
        django_settings.DATABASES.pop(ALIAS, None)
        connections.settings.pop(ALIAS, None)
        cluster.destroy()


@pytest.fixture
def replicas_on(replica, settings):
    """Replicas configured as DATABASE_REPLICA_URLS would, with a fresh health memory."""
    settings.DATABASE_REPLICAS = [ALIAS]
    settings.REPLICA_MAX_LAG_SECONDS = 10.0
    settings.REPLICA_HEALTH_SECONDS = 60.0
    settings.REPLICA_STICKY_SECONDS = 15
    health.forget()
    yield replica
    health.forget()
    with contextlib.suppress(Exception):
        replica.resume_replay()
    connections[ALIAS].close()


@pytest.fixture
def office(cast, replica):
    project = item("project", "Office project", organization=cast.office)
    item(
        "activity",
        "Workshop",
        parent=project,
        assignees=[cast.staff],
        start_date=dt.date(2026, 5, 4),
        due_date=dt.date(2026, 5, 5),
    )
    replica.wait_caught_up(_primary_url())
    return project


def api_for(user) -> APIClient:
    client = APIClient()
    _, raw = ApiToken.issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def _reads_items(queries) -> bool:
    """Whether any query touched work items (ORM or the tree's raw recursive SQL)."""
    return any("common_workitem" in q["sql"].replace('"', "") for q in queries)


@contextlib.contextmanager
def capture():
    """Queries per alias for the block: (default's, the replica's)."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[ALIAS]) as replica,
    ):
        yield primary, replica


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {row["title"] for row in response.json()["results"]}


def test_hot_path_reads_are_answered_by_the_replica(cast, office, replicas_on):
    client = api_for(cast.staff)
    with capture() as (primary, replica):
        assert titles(client.get(API)) == {"Office project", "Workshop"}
    assert _reads_items(replica.captured_queries)
    assert not _reads_items(primary.captured_queries)

    web = APIClient()
    web.force_login(cast.staff)
    with capture() as (primary, replica):
        page = web.get(TREE)
    assert page.status_code == 200
    assert b"Office project" in page.content
    assert _reads_items(replica.captured_queries)
    assert not _reads_items(primary.captured_queries)

    with capture() as (primary, replica):
        feed = web.get(FEED, {"start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"})
    assert feed.status_code == 200
    assert "Workshop" in {event["title"] for event in feed.json()}
    assert any("WITH RECURSIVE" in q["sql"] for q in replica.captured_queries)
    assert not _reads_items(primary.captured_queries)


def test_pages_that_are_not_hot_paths_and_writes_stay_on_the_primary(cast, office, replicas_on):
    client = api_for(cast.manager)
    with capture() as (primary, replica):
        detail = client.get(f"{API}{office.pk}/")  # not a list: not a hot path
        assert detail.status_code == 200
        version = detail.json()["version"]
        changed = client.patch(
            f"{API}{office.pk}/", {"title": "Renamed", "version": version}, format="json"
        )
    assert changed.status_code == 200, changed.content
    assert not replica.captured_queries
    assert any(q["sql"].startswith("UPDATE") for q in primary.captured_queries)
    # An object read from the replica is saved to the primary.
    with replica_reads():
        from_replica = WorkItem.objects.get(pk=office.pk)
    assert from_replica._state.db == ALIAS
    assert ReplicaRouter().db_for_write(WorkItem, instance=from_replica) == "default"


def test_a_person_who_just_wrote_reads_the_write_back(cast, office, replicas_on):
    writer, other = api_for(cast.manager), api_for(cast.staff)
    replicas_on.pause_replay()  # the replica falls behind from now on
    version = writer.get(f"{API}{office.pk}/").json()["version"]
    response = writer.patch(
        f"{API}{office.pk}/",
        {"title": "Office project, renamed", "version": version},
        format="json",
    )
    assert response.status_code == 200

    with capture() as (primary, replica):
        assert "Office project, renamed" in titles(writer.get(API))
    assert _reads_items(primary.captured_queries)
    assert not _reads_items(replica.captured_queries)

    # Someone else is not pinned: the replica (a second behind, within the allowed lag) answers.
    with capture() as (primary, replica):
        assert "Office project" in titles(other.get(API))
    assert _reads_items(replica.captured_queries)

    # The pin is the person's: the same person signed in to the pages reads from the primary.
    web = APIClient()
    web.force_login(cast.manager)
    with capture() as (primary, replica):
        page = web.get(TREE)
    assert b"Office project, renamed" in page.content
    assert not _reads_items(replica.captured_queries)


def test_a_replica_lagging_beyond_the_limit_is_skipped(cast, office, replicas_on, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 1.0
    settings.REPLICA_HEALTH_SECONDS = 0.0  # ask every time, to watch it change
    reader = api_for(cast.staff)
    replicas_on.pause_replay()
    WorkItem.objects.filter(pk=office.pk).update(title="Written while the replica waits")
    time.sleep(1.5)

    lagging = health.probe(ALIAS)
    assert not lagging.ok
    assert lagging.lag_seconds is not None
    assert lagging.lag_seconds > 1.0
    with capture() as (primary, replica):
        assert "Written while the replica waits" in titles(reader.get(API))
    assert _reads_items(primary.captured_queries)
    assert not _reads_items(replica.captured_queries)

    # Caught up again, the replica serves reads — even after a quiet spell longer than the
    # allowed lag (an idle primary is not a lagging replica).
    replicas_on.resume_replay()
    replicas_on.wait_caught_up(_primary_url())
    time.sleep(1.5)
    idle = health.probe(ALIAS)
    for _ in range(20):  # other databases' WAL may be on its way through; it will pass
        if idle.ok:
            break
        time.sleep(0.1)
        idle = health.probe(ALIAS)
    assert idle.ok, idle.reason
    with capture() as (primary, replica):
        assert "Written while the replica waits" in titles(reader.get(API))
    assert _reads_items(replica.captured_queries)


def test_a_replica_stopped_mid_test_leaves_requests_answered(cast, office, replicas_on):
    reader = api_for(cast.staff)
    with capture() as (_, replica):
        assert titles(reader.get(API)) == {"Office project", "Workshop"}
    assert _reads_items(replica.captured_queries)

    replicas_on.stop()  # the replica host dies; the health answer is still "ok" for 60 s
    try:
        # (Only the primary's queries are captured: capturing would connect to the replica.)
        with CaptureQueriesContext(connections["default"]) as primary:
            assert titles(reader.get(API)) == {"Office project", "Workshop"}
        assert _reads_items(primary.captured_queries)
        assert not health.check(ALIAS).ok

        web = APIClient()
        web.force_login(cast.staff)
        started = time.monotonic()
        with CaptureQueriesContext(connections["default"]) as primary:
            assert web.get(TREE).status_code == 200
        assert _reads_items(primary.captured_queries)
        assert time.monotonic() - started < 2, "a replica known to be down is not tried again"
    finally:
        connections[ALIAS].close()
        replicas_on.start()
        replicas_on.wait_caught_up(_primary_url())


def test_without_replicas_nothing_changes(cast, office, replica, settings):
    settings.DATABASE_REPLICAS = []
    health.forget()
    with capture() as (primary, replica_queries):
        assert titles(api_for(cast.staff).get(API)) == {"Office project", "Workshop"}
    assert _reads_items(primary.captured_queries)
    assert not replica_queries.captured_queries
    with replica_reads():
        assert ReplicaRouter().db_for_read(WorkItem) is None


def test_a_role_taken_away_while_the_replica_lags_is_not_kept_as_current(
    cast, office, replicas_on, settings
):
    """Permission sets are kept in the cache for minutes: they are read from the primary even
    by a request answered from a replica that has not yet replayed the change."""
    from django.core.cache import cache

    from accounts.roles import VIEWER, assign_role

    settings.PERMISSION_CACHE_SECONDS = 900
    cache.clear()
    api = api_for(cast.manager)
    web = APIClient()
    web.force_login(cast.manager)
    assert web.get("/oobc-management/work-items/new/?type=project").status_code == 200
    replicas_on.pause_replay()
    assign_role(cast.manager, VIEWER)
    with capture() as (_primary, replica):
        assert titles(api.get(API))  # a token request: its permissions are asked in the view
    assert _reads_items(replica.captured_queries)
    assert web.get("/oobc-management/work-items/new/?type=project").status_code == 403
    cache.clear()
