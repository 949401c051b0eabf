"""Whether a replica may serve reads: up, a standby, and not too far behind the primary.

Asked at most every REPLICA_HEALTH_SECONDS per process (one cheap statement), so a busy web node
does not double its queries; a replica found down is left alone for the same time.

Lag: `now() - pg_last_xact_replay_timestamp()` alone is wrong on an idle primary — the last
replayed transaction may be hours old while the standby has everything — and "has it replayed
all it received?" alone is wrong on a busy cluster: WAL without commits (vacuum, checkpoints)
can keep the received position a little ahead of the replayed one at every look while the last
*commit* stays old. So each probe remembers when it saw which position received; the lag is the
time since the newest probe whose received position the standby has now replayed (everything
committed before that moment is readable), 0 when it has replayed all it received, and only
without such a probe the age of the last replayed transaction (conservative). A standby with no
receiver and nothing replayed yet has unknown lag and is not used.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger("obcms.replicas")

LAG_SQL = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver),
       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0'),
       pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0'),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""
#: Received positions remembered per replica: (monotonic time, position), oldest first.
_SAMPLES_KEPT = 64


@dataclass(frozen=True)
class Health:
    ok: bool
    lag_seconds: float | None
    reason: str
    checked_at: float


_lock = threading.Lock()
_known: dict[str, Health] = {}
_received: dict[str, deque[tuple[float, float]]] = {}


def _lag(alias: str, now: float, receiving: bool, received, replayed, age) -> float | None:
    """Seconds of commits the standby may not show yet (see the module's docstring)."""
    if not receiving or received is None or replayed is None:
        return float(age) if age is not None else None
    received, replayed = float(received), float(replayed)
    with _lock:
        samples = _received.setdefault(alias, deque(maxlen=_SAMPLES_KEPT))
        covered = [seen_at for seen_at, position in samples if position <= replayed]
        samples.append((now, received))
    if replayed >= received:
        return 0.0
    if covered:
        return now - max(covered)
    return float(age) if age is not None else None


def probe(alias: str) -> Health:
    """Ask the replica now (one statement on its own connection)."""
    now = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, receiving, received, replayed, age = cursor.fetchone()
    except DatabaseError as error:
        close_quietly(alias)
        return Health(False, None, f"unreachable: {error}".strip(), now)
    if not in_recovery:
        return Health(False, None, "not a standby (promoted or misconfigured)", now)
    lag = _lag(alias, now, receiving, received, replayed, age)
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
        _received.clear()


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
