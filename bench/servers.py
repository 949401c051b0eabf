#!/usr/bin/env python
"""Granian or gunicorn? Serve the same site with each and load it on loopback.

    .venv/bin/python bench/servers.py          # writes bench/results/servers.md

A SQLite database with the feed benchmark's 10,000 items is prepared once; each server then runs
with 2 workers (the machine has 2 cores) and answers, in turn: the calendar feed for one month
(token auth, about 1,000 events) and a hashed static file through WhiteNoise. Each load is a
fixed number of requests from 8 concurrent client threads; requests/s and latency percentiles
are reported. All traffic stays on 127.0.0.1 and every run is bounded in count and time.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PORT = 8765
CONCURRENCY = 8
REQUESTS = {"feed": 300, "static": 3000}
FEED = "/oobc-management/calendar/work-items/feed/?start=2026-06-01&end=2026-07-06"


def environment(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "servers-bench-" + "s" * 50,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_DIR": str(workdir / "logs"),
        "DJANGO_SETTINGS_MODULE": "obcms.settings",
        "PYTHONPATH": f"{REPO / 'src'}:{REPO}",
    }


def prepare(workdir: Path) -> tuple[str, str]:
    """Build the database and static files; return an API token and a static file path."""
    env = environment(workdir)
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from bench.feed_bench import generate\n"
        "from accounts.models import ApiToken\n"
        "manager = generate(10000)\n"
        "print(ApiToken.issue(manager)[1])\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage\n"
        "print(staticfiles_storage.url('build/app.css'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO / "src",
    )
    token, static = out.stdout.strip().splitlines()[-2:]
    return token, static


def start(server: str, workdir: Path) -> subprocess.Popen:
    commands = {
        "granian 2.8.7 (wsgi, 2 workers, 4 threads)": [
            str(VENV_BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            "2",
            "--blocking-threads",
            "4",
            "--no-ws",
            "obcms.wsgi:application",
        ],
        "gunicorn 27.0.1 (gthread, 2 workers × 4 threads)": [
            str(VENV_BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "obcms.wsgi:application",
        ],
    }
    process = subprocess.Popen(
        commands[server],
        env=environment(workdir),
        cwd=REPO / "src",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                return process
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{server} did not start")


def load(path: str, headers: dict[str, str], count: int) -> tuple[float, list[float], int]:
    def one(_):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return (time.perf_counter() - started) * 1000, response.status

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - started
    failures = sum(1 for _, status in results if status != 200)
    return count / elapsed, sorted(ms for ms, _ in results), failures


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="obcms-servers-"))
    try:
        token, static = prepare(workdir)
        rows = []
        for server in (
            "granian 2.8.7 (wsgi, 2 workers, 4 threads)",
            "gunicorn 27.0.1 (gthread, 2 workers × 4 threads)",
        ):
            process = start(server, workdir)
            try:
                load(FEED, {"Authorization": f"Token {token}"}, 20)  # warm up
                for label, path, headers, count in (
                    (
                        "calendar feed, one month",
                        FEED,
                        {"Authorization": f"Token {token}"},
                        REQUESTS["feed"],
                    ),
                    ("static file (WhiteNoise)", static, {}, REQUESTS["static"]),
                ):
                    rate, times, failures = load(path, headers, count)
                    rows.append(
                        (
                            server,
                            label,
                            rate,
                            statistics.median(times),
                            times[max(0, int(len(times) * 0.99) - 1)],
                            failures,
                        )
                    )
            finally:
                process.terminate()
                process.wait(timeout=20)
        lines = [
            f"## Web servers — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
            f"{CONCURRENCY} concurrent clients on loopback",
            "",
            "| server | request | req/s | median ms | p99 ms | failures |",
            "|---|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {s} | {r} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {fail} |"
            for s, r, rate, p50, p99, fail in rows
        ]
        text = "\n".join(lines) + "\n"
        print(text)
        (REPO / "bench" / "results" / "servers.md").write_text(text)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
