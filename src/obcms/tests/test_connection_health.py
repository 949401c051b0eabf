"""A connection the server closed is replaced before a request uses it; a sound one in steady
use is kept without asking the server.

Web processes keep their database connections between requests. When PostgreSQL ends one (a
restart, a fail-over, an administrator's `pg_terminate_backend`), the next request must still be
answered; and on a quiet day the check must not cost a round trip on every request.
"""

from __future__ import annotations

import select

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def web_connection():
    """A connection as a web process holds it: persistent, health-checked, outside any test
    transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("connection health checks: run on PostgreSQL")
    from obcms.postgresql.base import DatabaseWrapper

    held = DatabaseWrapper(
        {**connection.settings_dict, "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True},
        alias="web",
    )
    yield held
    held.close()


def answer(held, sql: str):
    with held.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def next_request(held) -> None:
    """What Django does when a request starts (`close_old_connections`)."""
    held.close_if_unusable_or_obsolete()


def last_statement_of(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_a_connection_closed_by_the_server_is_replaced_before_the_next_request(web_connection):
    first = answer(web_connection, "SELECT pg_backend_pid()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [first])
    next_request(web_connection)
    second = answer(web_connection, "SELECT pg_backend_pid()")
    assert second != first


def test_a_sound_connection_is_kept_without_a_statement_to_check_it(web_connection):
    pid = answer(web_connection, "SELECT pg_backend_pid() /* the request's work */")
    next_request(web_connection)
    web_connection.close_if_health_check_failed()  # what the next request's first statement does
    assert last_statement_of(pid) == "SELECT pg_backend_pid() /* the request's work */"
    assert answer(web_connection, "SELECT pg_backend_pid()") == pid


def test_a_notice_nobody_asked_for_costs_a_check_not_the_connection(web_connection):
    pid = answer(web_connection, "SELECT pg_backend_pid()")
    with web_connection.cursor() as cursor:
        cursor.execute("LISTEN obcms_health")
    with connection.cursor() as cursor:
        # A notification to a channel the web connection listens on arrives unasked.
        cursor.execute("NOTIFY obcms_health")
    socket = web_connection.connection.pgconn.socket
    assert select.select([socket], [], [], 5)[0], "the notification never arrived"
    next_request(web_connection)
    web_connection.close_if_health_check_failed()
    assert last_statement_of(pid) == "SELECT 1"
    assert answer(web_connection, "SELECT pg_backend_pid()") == pid


def test_a_connection_idle_longer_than_a_moment_is_checked_with_a_statement(web_connection):
    """A server lost without a word leaves nothing on the socket: after a quiet spell the
    check asks the server, as Django does."""
    pid = answer(web_connection, "SELECT pg_backend_pid()")
    next_request(web_connection)
    web_connection.QUIET_SECONDS = 0  # every pause now counts as a quiet spell
    web_connection.close_if_health_check_failed()
    assert last_statement_of(pid) == "SELECT 1"
