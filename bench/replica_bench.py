"""Read-replica benchmark: the calendar feed answered by the primary and by a streaming replica.

The replica is a second PostgreSQL cluster on the same machine (`testing.pg_replica`, needs root
or the postgres user), so this measures what routing costs and where the queries go — not the
capacity a replica on its own host adds. Body cache off, so every request builds its events.
"""

from __future__ import annotations

import statistics
import threading
import time

from django.conf import settings
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from obcms.replicas import health
from testing import pg_replica

from .feed_bench import WINDOW
from .feed_bench import generate as generate_calendar

FEED = "/oobc-management/calendar/work-items/feed/"
ALIAS = "replica_0"


def _replica_alias(cluster: pg_replica.StreamingReplica) -> None:
    primary = connections["default"].settings_dict
    settings.DATABASES[ALIAS] = {
        **primary,
        "HOST": "127.0.0.1",
        "PORT": str(cluster.port),
        "TEST": {**primary.get("TEST", {}), "MIRROR": "default"},
    }
    connections.settings[ALIAS] = settings.DATABASES[ALIAS]


def _latency(client: Client, runs: int) -> tuple[float, float, int, int]:
    timings, primary_q, replica_q = [], 0, 0
    for _ in range(runs):
        with (
            CaptureQueriesContext(connections["default"]) as on_primary,
            CaptureQueriesContext(connections[ALIAS]) as on_replica,
        ):
            started = time.perf_counter()
            assert client.get(FEED, WINDOW).status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
        primary_q, replica_q = len(on_primary), len(on_replica)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)], primary_q, replica_q


def _throughput(manager, seconds: float, threads: int, replicas: list[str]) -> float:
    done = [0] * threads

    def worker(n: int) -> None:
        with override_settings(DATABASE_REPLICAS=replicas):
            client = Client()
            client.force_login(manager)
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                assert client.get(FEED, WINDOW).status_code == 200
                done[n] += 1
        connections.close_all()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(done) / seconds


def run(size: int) -> tuple[int, list[tuple[str, float, float, int, int, float]]]:
    """Events in the window, and per setup: median and p95 ms, queries per alias, req/s."""
    manager = generate_calendar(size)
    primary = connections["default"].settings_dict
    pg_replica.allow_replication(
        f"postgresql://{primary['USER'] or 'postgres'}@{primary['HOST'] or '127.0.0.1'}:"
        f"{primary['PORT'] or 5432}/postgres"
    )
    cluster = pg_replica.StreamingReplica(
        primary["HOST"] or "127.0.0.1", int(primary["PORT"] or 5432), primary["USER"] or "postgres"
    )
    rows = []
    try:
        cluster.create()
        cluster.start()
        _replica_alias(cluster)
        client = Client()
        client.force_login(manager)
        events = len(client.get(FEED, WINDOW).json())
        with override_settings(CALENDAR_BODY_CACHE_SECONDS=0, PERMISSION_CACHE_SECONDS=900):
            for label, replicas in (("primary only", []), ("with a replica", [ALIAS])):
                health.forget()
                with override_settings(DATABASE_REPLICAS=replicas):
                    client.get(FEED, WINDOW)  # warm connections and caches
                    median, p95, on_primary, on_replica = _latency(client, 30)
                rate = _throughput(manager, 10.0, 4, replicas)
                rows.append((label, median, p95, on_primary, on_replica, rate))
    finally:
        connections.close_all()
        cluster.destroy()
    return events, rows
