"""Django's PostgreSQL backend, with a health check that does not ask the server every request.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django sends `SELECT 1`
before the first statement of every request, so that a connection the server closed in the
meantime (a restart, a fail-over, `idle_session_timeout`, an administrator's
`pg_terminate_backend`) is replaced instead of failing the request. On an unchanged feed that
round trip was 14 % of the answer's time.

A server that ends a session says so on the socket: it sends its error message and closes the
connection, and the idle socket turns readable. A connection at rest between requests should
have nothing to read. So the check first looks at the socket without waiting, and skips the
round trip only if nothing has arrived *and* the connection served a request within the last
`QUIET_SECONDS`. Otherwise — something arrived (the close, a notice nobody asked for), or the
connection has been idle longer — Django's `SELECT 1` runs and replaces a dead connection.

The time limit is for a server that disappears without a word (a host that crashed, an
address moved to a standby): nothing arrives on the socket, and only a statement finds out. A
busy process uses each connection many times a second and never waits for the check; a quiet
one, where a lost server is likelier to have gone unnoticed, checks as Django does. At most
the requests already under way within that second meet the lost server, as they would
without any check.
"""

from __future__ import annotations

import select
import time

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
    #: A connection that served a request this recently, with nothing waiting on its socket,
    #: is used without `SELECT 1`.
    QUIET_SECONDS = 1.0

    _served_at: float | None = None

    def close_if_unusable_or_obsolete(self) -> None:
        # Called as every request starts and ends; at the end of one that used the connection
        # (its check passed, its statements ran) the server was there a moment ago.
        if self.connection is not None and self.health_check_done and not self.errors_occurred:
            self._served_at = time.monotonic()
        super().close_if_unusable_or_obsolete()

    def connect(self) -> None:
        super().connect()
        self._served_at = time.monotonic()

    def close_if_health_check_failed(self) -> None:
        if (
            not self.pool
            and self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._served_at is not None
            and time.monotonic() - self._served_at < self.QUIET_SECONDS
            and nothing_arrived(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
