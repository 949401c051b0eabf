"""Commands run as an operator runs them: `manage.py` in a child process against a database of
the test's own (a restore or a move replaces whole schemas, impossible inside a test's
transaction)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

SRC = Path(settings.SRC_DIR)


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=SRC,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result


def base_env(tmp_path: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="1",
        SECRET_KEY="rollback-test-" + "x" * 40,
        REDIS_URL="",
        LEGACY_DATABASE_URL="",
        MAINTENANCE_FILE=str(tmp_path / "maintenance"),
        LOG_DIR=str(tmp_path / "logs"),
    )
    return env


@pytest.fixture
def scratch_postgres(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg

    name = f"obcms_rollback_{uuid.uuid4().hex[:8]}"
    params = connection.settings_dict
    admin = (
        f"postgresql://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/postgres"
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    pg = {
        **os.environ,
        "PGHOST": params["HOST"] or "127.0.0.1",
        "PGPORT": str(params["PORT"] or 5432),
        "PGUSER": params["USER"] or "postgres",
    }
    yield name, base_env(tmp_path, admin.rsplit("/", 1)[0] + f"/{name}"), pg
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
