"""A real PostgreSQL streaming replica of the local test cluster, for the read-replica tests.

`StreamingReplica` copies the running primary with `pg_basebackup -R -X stream` into a temporary
folder and starts it as a hot standby on a free local port, as the `postgres` system user
(PostgreSQL refuses to run as root). It stops with `pg_ctl stop -m immediate` — the same as a
replica host that dies — and `destroy()` removes the folder; callers put it in `finally`.

A replication connection needs its own pg_hba.conf line; `allow_replication()` appends
`host replication all 127.0.0.1/32 trust` (and the `local` one) to the primary's file once, when
missing, and reloads it. A real deployment needs the same with a password or certificate
instead of `trust` (docs/deployment.md, "Read replicas").
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
#: Settings a hot standby must have at least as high as its primary.
STANDBY_LIMITS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)
REPLICATION_LINES = (
    "# Added by the OBCMS read-replica tests (testing/pg_replica.py): streaming replicas.\n"
    "local replication all trust\n"
    "host replication all 127.0.0.1/32 trust\n"
)


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as the postgres user (directly when we already are it)."""
    postgres = pwd.getpwnam("postgres")
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    elif os.geteuid() != postgres.pw_uid:
        raise PermissionError("starting a replica needs root or the postgres user")
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


def can_run() -> str | None:
    """Why a replica cannot be made here, or None when it can."""
    try:
        postgres = pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres system user"
    if os.geteuid() not in (0, postgres.pw_uid):
        return "needs root or the postgres user to start a second cluster"
    if not (PG_BIN / "pg_ctl").exists() or not (PG_BIN / "pg_basebackup").exists():
        return f"no pg_ctl/pg_basebackup in {PG_BIN} (set PG_BIN)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def allow_replication(primary: str) -> None:
    """Make sure the primary accepts local replication connections (idempotent)."""
    with psycopg.connect(primary, autocommit=True) as conn:
        hba_file = Path(conn.execute("SHOW hba_file").fetchone()[0])
        text = hba_file.read_text()
        if re.search(r"^\s*host\s+replication\s+all\s+127\.0\.0\.1/32\s+trust", text, re.M):
            return
        with hba_file.open("a") as f:
            f.write(("" if text.endswith("\n") else "\n") + REPLICATION_LINES)
        conn.execute("SELECT pg_reload_conf()")


class StreamingReplica:
    def __init__(self, primary_host: str, primary_port: int, user: str) -> None:
        self.primary_host, self.primary_port, self.user = primary_host, primary_port, user
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="obcms-replica-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        postgres = pwd.getpwnam("postgres")
        os.chown(self.root, postgres.pw_uid, postgres.pw_gid)
        self.root.chmod(0o700)

    def create(self) -> None:
        """Copy the primary as it is now (-c fast: do not wait for a spread checkpoint)."""
        done = _as_postgres(
            [
                str(PG_BIN / "pg_basebackup"),
                *("-h", self.primary_host, "-p", str(self.primary_port), "-U", self.user),
                *("-D", str(self.data), "-R", "-X", "stream", "-c", "fast"),
            ],
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"pg_basebackup failed: {done.stderr}")
        # Debian keeps the configuration outside the data folder: give the copy its own. A
        # standby refuses to replay with lower limits than its primary's, so those are copied.
        with psycopg.connect(
            host=self.primary_host, port=self.primary_port, user=self.user, dbname="postgres"
        ) as conn:
            limits = "".join(
                f"{name} = {conn.execute(f'SHOW {name}').fetchone()[0]}\n"
                for name in STANDBY_LIMITS
            )
        conf = {
            "postgresql.conf": (
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nhot_standby = on\n"
                f"shared_buffers = 32MB\nfsync = off\n{limits}"
            ),
            "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
            "pg_ident.conf": "",
        }
        for name, text in conf.items():
            _as_postgres(["sh", "-c", f"cat > {self.data / name}"], input=text)

    def start(self, timeout: float = 60) -> None:
        done = _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start"],
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"replica did not start: {done.stderr}\n{self.log_tail()}")
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.connect() as conn:
                    if conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                        return
            except psycopg.OperationalError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"replica not in recovery: {self.log_tail()}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Stop at once, like a replica host that dies (no checkpoint, no goodbye)."""
        if (self.data / "postmaster.pid").exists():
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                timeout=60,
            )

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            dbname=dbname,
            autocommit=True,
            connect_timeout=3,
        )

    def pause_replay(self) -> None:
        with self.connect() as conn:
            conn.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        with self.connect() as conn:
            conn.execute("SELECT pg_wal_replay_resume()")

    def wait_caught_up(self, primary: str, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        with psycopg.connect(primary, autocommit=True) as conn:
            target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with self.connect() as conn:
            while True:
                behind = conn.execute(
                    "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn()) > 0", [target]
                ).fetchone()[0]
                if not behind:
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError("replica did not catch up")
                time.sleep(0.05)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"
