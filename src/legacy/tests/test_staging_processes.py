"""Staging shared by two processes gives what one process gives, faster on a 2-core server.

Batches are staged by this process and a forked helper side by side. The operator must not be
able to tell, except by the time: the same work items in the same order, every batch counted on
the progress bar, a helper's failure reported as the run's, and no fork where it is not safe.
"""

import subprocess
import threading

import pytest
from django.conf import settings
from django.db import transaction

from legacy.errors import MigrationError
from legacy.models import StagedBatch
from legacy.parallel import run_shared, usable_processes

from .test_resumed_migration import (
    BATCH,
    ROUTINE,
    _clean_run,
    _command,
    _env,
    _outcome,
    committed_history,  # noqa: F401 - the same office, committed
)


@pytest.mark.postgres_only
@pytest.mark.django_db(databases=["default", "legacy"], transaction=True)
def test_two_processes_write_exactly_what_one_process_writes(
    committed_history,  # noqa: F811 - the fixture imported above
):
    alone = _clean_run()  # inside a transaction: staged by this process alone
    total_batches = sum(-(-rows // BATCH) for rows in (4, 11, 7 + ROUTINE))

    # The operator's command in a process of its own, as it is run (this test process has the
    # live server's thread, so it would stage alone).
    run = subprocess.run(
        _command(),
        cwd=settings.SRC_DIR,
        env={**_env(), "LEGACY_STAGING_PROCESSES": "2"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )

    assert run.returncode == 0, run.stderr[-2000:]
    assert "Staged by 2 processes side by side" in run.stdout, run.stdout
    assert StagedBatch.objects.count() == total_batches
    # Positions among siblings follow the old tables' order, whichever process staged a batch.
    assert _outcome() == alone
    staging_lines = [line for line in run.stderr.splitlines() if line.startswith("Staging")]
    rows = len(alone["items"])
    assert f"{rows:,}/{rows:,} 100%" in staging_lines[-1], staging_lines


def _double(n: int) -> str:
    return str(n * 2)


def test_every_job_is_done_once_and_counted_here_whichever_process_ran_it():
    counted: list[tuple[int, str]] = []

    peaks = run_shared(
        list(range(25)), 2, _double, lambda job, outcome: counted.append((job, outcome))
    )

    assert sorted(counted) == [(n, str(n * 2)) for n in range(25)]
    assert len(peaks) == 1 and peaks[0] > 0


def _fails_at_seven(n: int) -> str:
    if n == 7:  # an odd position: the helper's share
        raise ValueError("task row 7 cannot be read")
    return "staged"


def test_a_failing_helper_stops_the_run_with_its_reason():
    counted: list[int] = []

    with pytest.raises(MigrationError) as failure:
        run_shared(list(range(12)), 2, _fails_at_seven, lambda job, _: counted.append(job))

    assert str(failure.value) == "A staging process stopped: task row 7 cannot be read"
    # What this process staged is counted: it stays committed, a checkpoint for the next run.
    assert set(range(0, 12, 2)) <= set(counted)
    assert 7 not in counted


@pytest.mark.django_db
def test_a_run_inside_a_transaction_stages_alone():
    with transaction.atomic():
        assert usable_processes(2) == 1


def test_a_run_beside_another_thread_stages_alone():
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert usable_processes(2) == 1
    finally:
        release.set()
        other.join()


@pytest.mark.django_db
def test_one_process_is_asked_for_and_kept():
    assert usable_processes(1) == 1
    assert usable_processes(0) == 1


def test_sqlite_stages_alone(on_postgres):
    if on_postgres:
        pytest.skip("the test database is PostgreSQL")
    assert usable_processes(2) == 1  # an in-memory database cannot be shared with a fork
