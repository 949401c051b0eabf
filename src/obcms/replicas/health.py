"""Whether a replica may serve reads: up, a standby, and not too far behind the primary.

Asked at most every REPLICA_HEALTH_SECONDS per process (one cheap statement), so a busy web node
does not double its queries; a replica found down is left alone for the same time.

Lag: `now() - pg_last_xact_replay_timestamp()` alone is wrong on an idle primary — the last
replayed transaction may be hours old while the standby has everything. So a standby whose WAL
receiver is running and that has replayed everything it received counts as lag 0; otherwise the
age of the last replayed transaction is the lag (conservative: right after a quiet spell the
first pending change can make it look late for one health period). A standby with no receiver
and nothing replayed yet has unknown lag and is not used.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger("obcms.replicas")

LAG_SQL = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
         AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""


@dataclass(frozen=True)
class Health:
    ok: bool
    lag_seconds: float | None
    reason: str
    checked_at: float


_lock = threading.Lock()
_known: dict[str, Health] = {}


def probe(alias: str) -> Health:
    """Ask the replica now (one statement on its own connection)."""
    now = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, caught_up, age = cursor.fetchone()
    except DatabaseError as error:
        close_quietly(alias)
        return Health(False, None, f"unreachable: {error}".strip(), now)
    if not in_recovery:
        return Health(False, None, "not a standby (promoted or misconfigured)", now)
    lag = 0.0 if caught_up else (float(age) if age is not None else None)
    if lag is None:
        return Health(False, None, "lag unknown (nothing replayed, no WAL receiver)", now)
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return Health(False, lag, f"{lag:.1f} s behind", now)
    return Health(True, lag, "ok", now)


def check(alias: str) -> Health:
    """The replica's health, asked again only when the last answer is too old."""
    known = _known.get(alias)
    if known is not None and time.monotonic() - known.checked_at < settings.REPLICA_HEALTH_SECONDS:
        return known
    health = probe(alias)
    _remember(alias, health)
    return health


def mark_down(alias: str, reason: str) -> None:
    """A query on the replica failed: leave it alone for one health period."""
    close_quietly(alias)
    _remember(alias, Health(False, None, reason, time.monotonic()))


def forget() -> None:
    """Drop every remembered answer (tests, or after changing the replicas)."""
    with _lock:
        _known.clear()


def _remember(alias: str, health: Health) -> None:
    with _lock:
        before = _known.get(alias)
        _known[alias] = health
    if before is None or before.ok != health.ok:
        level = logging.INFO if health.ok else logging.WARNING
        state = "in use" if health.ok else "skipped"
        log.log(level, "replica %s %s: %s", alias, state, health.reason)


def close_quietly(alias: str) -> None:
    with contextlib.suppress(DatabaseError):
        connections[alias].close()
