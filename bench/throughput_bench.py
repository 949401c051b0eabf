"""Requests per second through the production server: granian, 2 workers, Redis, loopback.

The suite loads the feed benchmark's office (`feed_bench.generate`: dated work over 2026, a
manager who sees all of it), then serves the site exactly as `Dockerfile` does — granian's WSGI
interface, `--workers 2 --blocking-threads 4`, `DEBUG=0`, sessions, permissions and encoded
feed bodies in Redis — and signs the manager in through the real sign-in form. Each scenario is
a fixed number of seconds of load from 8 persistent connections (`bench/loadgen.py`, a separate
process on the same 2 cores, so its own CPU is taken from the server's share).

Scenarios: the calendar feed for one month as the calendar asks for it (answered from the
shared body cache after the first request), the same with a matching ETag (304), the tree page
(one person coming back to it while nothing changed: its content is kept, `common.page_cache`),
and — on a server started with nothing kept — the feed and the tree page built for every
request (what a first visit, or any visit after a change in the office, costs). The feed
is also run with 1 worker, to show what the second process adds. On PostgreSQL (unless
BENCH_REPLICA=0, or where `testing.pg_replica` cannot start a cluster) a streaming replica of the
bench database is started on this machine and the built-every-time feed is served by 1 and 2
workers reading from it (`DATABASE_REPLICA_URLS`): on one 2-core box this shows what routing
costs, not what a replica on its own host adds.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from .feed_bench import WINDOW
from .feed_bench import generate as generate_calendar

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PORT = int(os.environ.get("BENCH_PORT", "8766"))
CLIENTS = 8
#: Python threads per worker; the Dockerfile's value unless BENCH_BLOCKING_THREADS says otherwise.
BLOCKING_THREADS = int(os.environ.get("BENCH_BLOCKING_THREADS", "4"))
SECONDS = float(os.environ.get("BENCH_THROUGHPUT_SECONDS", "10"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "throughput-bench-Pa55"
FEED = "/oobc-management/calendar/work-items/feed/?" + urlencode(WINDOW)
TREE = "/oobc-management/work-items/"


@dataclass
class Row:
    setup: str
    request: str
    rate: float
    p50: float
    p99: float
    requests: int
    failures: int
    statuses: str
    events: int = 0


def _server_env(static_root: Path, body_cache: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": REDIS_URL,
        # The run's own keys: other installations (and test runs) may share this Redis.
        "CACHE_KEY_PREFIX": f"obcms-throughput-{os.getpid()}-{int(time.time())}",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{REPO / 'src'}:{REPO}",
    }
    if not body_cache:
        env["CALENDAR_BODY_CACHE_SECONDS"] = "0"
        env["PAGE_CONTENT_CACHE_SECONDS"] = "0"
    return env


def _redis_reachable() -> bool:
    host_port = REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host or "127.0.0.1", int(port or 6379))) == 0


def _start(workers: int, env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(PORT),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(BLOCKING_THREADS),
        "--no-ws",
        "obcms.wsgi:application",
    ]
    # The server's output goes to a file: an unread pipe fills up and blocks its workers.
    log = open(Path(env["STATIC_ROOT"]).parent / f"granian-{PORT}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, env=env, cwd=REPO / "src", stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"granian exited: {Path(log.name).read_text()[-2000:]}")
        try:
            if _get("/health/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit("granian did not answer /health/ within 60 s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _get(path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def sign_in(username: str) -> str:
    """Sign in through the sign-in form; return the Cookie header of the session."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    jar = _cookies(response.getheaders())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Referer": f"http://127.0.0.1:{PORT}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    jar.update(_cookies(response.getheaders()))
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"sign-in failed: {response.status}")
    return "Cookie: " + "; ".join(f"{k}={v}" for k, v in jar.items())


def _load(path: str, headers: list[str]) -> dict:
    command = [sys.executable, str(REPO / "bench" / "loadgen.py"), "--port", str(PORT)]
    command += ["--path", path, "--seconds", str(SECONDS), "--clients", str(CLIENTS)]
    for header in headers:
        command += ["--header", header]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _measure(setup: str, label: str, path: str, headers: list[str], ok: int) -> Row:
    for _ in range(3):  # warm the workers, their connections and the shared cache
        _load_once(path, headers)
    result = _load(path, headers)
    failures = result["errors"] + sum(
        n for status, n in result["statuses"].items() if int(status) != ok
    )
    statuses = ", ".join(f"{s}×{n}" for s, n in sorted(result["statuses"].items()))
    return Row(
        setup,
        label,
        result["rate"],
        result["p50"],
        result["p99"],
        result["requests"],
        failures,
        statuses,
    )


def _load_once(path: str, headers: list[str]) -> None:
    status, _, _ = _get(path, dict(h.split(": ", 1) for h in headers))
    if status >= 400:
        raise SystemExit(f"{path} answered {status}")


def run(size: int) -> tuple[int, int, bool, list[Row]]:
    """Load the office, serve it, measure; return (items, events in the window, redis?, rows)."""
    from common.models import WorkItem

    manager = generate_calendar(size)
    manager.set_password(PASSWORD)
    manager.save(update_fields=["password"])
    items = WorkItem.objects.count()
    redis = _redis_reachable()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="obcms-throughput-") as workdir:
        static_root = Path(workdir) / "static"
        # In the servers' own environment: settings read STATIC_ROOT when they load.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            env=_server_env(static_root, True),
            cwd=REPO / "src",
            check=True,
        )
        events = 0
        setups = [(2, True, None), (1, True, None), (2, False, None)]
        replica = _replica()
        if replica is not None:
            setups += [(1, False, replica), (2, False, replica)]
        try:
            for workers, body_cache, standby in setups:
                env = _server_env(static_root, body_cache)
                if not redis:
                    env["REDIS_URL"] = ""
                if standby is not None:
                    env["DATABASE_REPLICA_URLS"] = standby.url
                    # Signing in is a write: the person would read from the primary for the
                    # next REPLICA_STICKY_SECONDS, the whole measurement.
                    env["REPLICA_STICKY_SECONDS"] = "1"
                rows += _serve(manager.username, workers, body_cache, standby, env)
                events = events or rows[0].events
        finally:
            if replica is not None:
                replica.cluster.destroy()
    return items, events, redis, rows


@dataclass
class Standby:
    cluster: object
    url: str


def _replica() -> Standby | None:
    """A streaming replica of the bench database on this machine, when PostgreSQL allows one."""
    from django.db import connection

    if connection.vendor != "postgresql" or os.environ.get("BENCH_REPLICA", "1") == "0":
        return None
    from testing import pg_replica

    if pg_replica.can_run() is not None:
        return None
    primary = connection.settings_dict
    host, port = primary["HOST"] or "127.0.0.1", int(primary["PORT"] or 5432)
    user = primary["USER"] or "postgres"
    pg_replica.allow_replication(f"postgresql://{user}@{host}:{port}/postgres")
    cluster = pg_replica.StreamingReplica(host, port, user)
    cluster.create()
    cluster.start()
    cluster.wait_caught_up(f"postgresql://{user}@{host}:{port}/{primary['NAME']}")
    return Standby(cluster, f"postgresql://{user}@127.0.0.1:{cluster.port}/{primary['NAME']}")


def _serve(username: str, workers: int, body_cache: bool, standby, env) -> list[Row]:
    """Start one server, sign in, measure its scenarios, stop it."""
    rows: list[Row] = []
    process = _start(workers, env)
    try:
        cookie = sign_in(username)
        setup = f"{workers} worker{'s' if workers > 1 else ''}" + (
            "" if body_cache else ", nothing kept (feed bodies, page content)"
        )
        if standby is not None:
            setup += ", primary + replica"
        _status, response_headers, body = _get(FEED, {"Cookie": cookie[8:]})
        events = len(json.loads(body))
        etag = response_headers.get("ETag") or response_headers.get("etag")
        rows.append(_measure(setup, "calendar feed, one month", FEED, [cookie], 200))
        if workers == 2 and body_cache and standby is None:
            rows.append(
                _measure(
                    setup,
                    "calendar feed, matching ETag (304)",
                    FEED,
                    [cookie, f"If-None-Match: {etag}"],
                    304,
                )
            )
            rows.append(_measure(setup, "tree page", TREE, [cookie], 200))
        if workers == 2 and not body_cache:
            rows.append(_measure(setup, "tree page", TREE, [cookie], 200))
    finally:
        _stop(process)
    for row in rows:
        row.events = events
    return rows


def table(engine: str, version: str, items: int, events: int, redis: bool, rows: list[Row]) -> str:
    lines = [
        f"### {engine} {version} — {items:,} items, {events:,} events in the feed's window; "
        f"granian WSGI, {CLIENTS} persistent connections, {SECONDS:.0f} s per row, "
        f"shared cache: {'Redis' if redis else 'none (Redis unreachable, local memory)'}\n",
        "| server | request | req/s | p50 ms | p99 ms | requests | failures |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.setup} | {r.request} | {r.rate:,.0f} | {r.p50:.1f} | {r.p99:.1f} | "
            f"{r.requests:,} | {r.failures} |"
        )
    return "\n".join(lines) + "\n"
