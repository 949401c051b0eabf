"""Django's PostgreSQL backend, with a health check that does not ask the server every request.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django sends `SELECT 1`
before the first statement of every request, so that a connection the server closed in the
meantime (a restart, a fail-over, `idle_session_timeout`, an administrator's
`pg_terminate_backend`) is replaced instead of failing the request. On an unchanged feed that
round trip was 14 % of the answer's time.

A server that ends a session says so on the socket: it sends its error message and closes the
connection, and the idle socket turns readable. A connection at rest between requests should
have nothing to read. So the check first looks at the socket without waiting; only when
something has arrived (the close, or a notice nobody asked for) does it fall back to Django's
`SELECT 1`, which replaces the connection if the server is gone. What neither check sees early
is a host that vanished without a word: `SELECT 1` would wait for TCP's time-out just as the
request's first statement now does.
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


def nothing_arrived(connection: psycopg.Connection) -> bool:
    """True if the idle connection is open and the server has sent nothing since its last answer."""
    try:
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        # Any event at all (data, the peer's close, an error) means the server has spoken.
        return not poller.poll(0)
    except (psycopg.Error, OSError, ValueError):
        return False


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (
            not self.pool
            and self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and nothing_arrived(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
