"""The checklist's rollback: the literal `psql db < backup.sql` restores nothing into a live
database; `rollback_deployment` restores exactly the backed-up rows, or refuses and changes
nothing.

These run `manage.py` in child processes against a scratch database of their own, as an
operator would, because a restore replaces the whole schema (impossible inside a test's
transaction).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from testing.deployment import base_env, manage

ADD_ITEMS = (
    "from common.services import create_work_item as c;"
    "from accounts.models import Organization as O;"
    "o=O.objects.create(name='Office');"
    "[c(None, work_type='project', title=f'Project {i}', organization=o) for i in range(5)]"
)
TITLES = (
    "from common.models import WorkItem as W;"
    "print('|'.join(W.objects.order_by('pk').values_list('title', flat=True)))"
)
CHANGE = (
    "from common.models import WorkItem as W;"
    "W.objects.filter(title='Project 0').update(title='Changed after the backup');"
    "from common.services import create_work_item as c;"
    "from accounts.models import Organization as O;"
    "c(None, work_type='project', title='Made after the backup', organization=O.objects.get())"
)


@dataclass
class Deployed:
    """A PostgreSQL office backed up with the checklist's pg_dump, then changed by its people."""

    env: dict
    pg: dict
    name: str
    dump: Path
    before: str
    changed: str

    def titles(self) -> str:
        return manage(self.env, "shell", "-c", TITLES).stdout

    def rollback(self, *, check: bool = True) -> subprocess.CompletedProcess:
        return manage(self.env, "rollback_deployment", str(self.dump), "--yes", check=check)


@pytest.fixture
def deployed(scratch_postgres, tmp_path) -> Deployed:
    name, env, pg = scratch_postgres
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", ADD_ITEMS)
    before = manage(env, "shell", "-c", TITLES).stdout
    dump = tmp_path / f"backup_workitem_deployment_{time.strftime('%Y%m%d')}.sql"
    with dump.open("w") as handle:  # the checklist's step 1, as written
        subprocess.run(["pg_dump", name], stdout=handle, env=pg, check=True)
    manage(env, "shell", "-c", CHANGE)
    changed = manage(env, "shell", "-c", TITLES).stdout
    assert changed != before
    return Deployed(env, pg, name, dump, before, changed)


@pytest.mark.postgres_only
def test_the_literal_psql_line_restores_nothing_and_rollback_deployment_restores_all(deployed):
    # The checklist's rollback line, as written: it exits 0 and restores nothing.
    with deployed.dump.open() as handle:
        literal = subprocess.run(
            ["psql", deployed.name], stdin=handle, env=deployed.pg, capture_output=True, text=True
        )
    assert literal.returncode == 0
    assert "already exists" in literal.stderr
    assert deployed.titles() == deployed.changed

    result = deployed.rollback()
    assert "every count matches the file" in result.stdout
    assert "USE_WORKITEM_MODEL=0" in result.stdout
    assert deployed.titles() == deployed.before


@pytest.mark.postgres_only
def test_a_truncated_dump_is_refused_before_the_database_is_touched(deployed):
    data = deployed.dump.read_text()
    deployed.dump.write_text(data[: data.index("COPY public.common_workitem") + 200])

    result = deployed.rollback(check=False)

    assert result.returncode == 1
    assert "Refusing to restore" in result.stderr and "truncated" in result.stderr
    assert deployed.titles() == deployed.changed


@pytest.mark.postgres_only
def test_an_error_inside_the_dump_rolls_the_whole_restore_back(deployed, tmp_path):
    text = deployed.dump.read_text()
    deployed.dump.write_text(
        text.replace("CREATE TABLE public.common_workitem (", "CREATE TABLE oops (", 1)
    )

    result = deployed.rollback(check=False)

    assert result.returncode == 1
    assert "rolled back, nothing changed" in result.stderr
    assert deployed.titles() == deployed.changed
    assert not (tmp_path / "maintenance").exists()  # the site is open again


def test_the_sqlite_copy_of_the_checklist_is_restored_exactly(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = base_env(tmp_path, f"sqlite:///{database}")
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", ADD_ITEMS)
    before = manage(env, "shell", "-c", TITLES).stdout
    copy = tmp_path / f"db.sqlite3.backup.{time.strftime('%Y%m%d')}"
    shutil.copy(database, copy)  # the checklist's `cp src/db.sqlite3 src/db.sqlite3.backup.…`
    manage(env, "shell", "-c", CHANGE)
    assert manage(env, "shell", "-c", TITLES).stdout != before

    result = manage(env, "rollback_deployment", str(copy), "--yes")

    assert "every count matches the file" in result.stdout
    assert manage(env, "shell", "-c", TITLES).stdout == before


def test_without_yes_and_without_a_terminal_nothing_is_replaced(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = base_env(tmp_path, f"sqlite:///{database}")
    manage(env, "migrate", "--noinput")
    copy = tmp_path / "db.sqlite3.backup.20261128"
    shutil.copy(database, copy)
    manage(env, "shell", "-c", ADD_ITEMS)

    result = manage(env, "rollback_deployment", str(copy), check=False)

    assert result.returncode == 1
    assert "add --yes" in result.stderr
    assert manage(env, "shell", "-c", TITLES).stdout.count("Project") == 5


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    env = base_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    junk = tmp_path / "backup_workitem_deployment_20261128.sql"
    junk.write_text("hello")
    result = manage(env, "rollback_deployment", str(junk), "--yes", check=False)
    assert result.returncode == 1
    assert "neither a PostgreSQL dump nor a SQLite database" in result.stderr
