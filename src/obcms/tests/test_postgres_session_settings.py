"""The application asks PostgreSQL for SSD planner costs and no JIT on its own connections.

With PostgreSQL's default costs My work at a million items read the whole table; these settings
are what let it use the primary key (docs/performance.md). Operators can change or drop them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

SRC = Path(__file__).resolve().parents[2]
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default'].get('OPTIONS', {}).get('options', ''))"
)


def run_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "POSTGRES_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "obcms.settings", "SECRET_KEY": "s" * 50}, **env)
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=SRC, env=clean, capture_output=True, text=True
    )


@pytest.mark.django_db
def test_a_postgresql_session_plans_for_fast_disks_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL session settings: run on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_operators_can_change_or_leave_out_each_setting():
    url = {"DATABASE_URL": "postgresql://obcms@db:5432/obcms"}
    assert run_settings(**url).stdout.strip() == "-c random_page_cost=1.1 -c jit=off"
    changed = run_settings(**url, POSTGRES_RANDOM_PAGE_COST="2", POSTGRES_JIT="")
    assert changed.stdout.strip() == "-c random_page_cost=2"
    assert run_settings(**url, POSTGRES_RANDOM_PAGE_COST="", POSTGRES_JIT="").stdout.strip() == ""


def test_sqlite_connections_get_no_postgresql_options():
    assert run_settings(DATABASE_URL="sqlite:///:memory:").stdout.strip() == ""


def test_a_cost_that_is_not_a_number_stops_the_start_with_a_reason():
    result = run_settings(
        DATABASE_URL="postgresql://obcms@db/obcms", POSTGRES_RANDOM_PAGE_COST="fast"
    )
    assert result.returncode != 0
    assert "POSTGRES_RANDOM_PAGE_COST must be a number, e.g. 1.1" in result.stderr
