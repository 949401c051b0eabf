"""Staging shared by two processes gives what one process gives, faster on a 2-core server.

Batches are staged by this process and a forked helper side by side. The operator must not be
able to tell, except by the time: the same work items in the same order, every batch counted on
the progress bar, a helper's failure reported as the run's, and no fork where it is not safe.
"""

import io
import threading

import pytest
from django.db import transaction

from accounts.models import Organization
from legacy.errors import MigrationError
from legacy.importer import run_migration
from legacy.models import StagedBatch
from legacy.parallel import run_shared, usable_processes
from legacy.sources import ORDER

from .conftest import OFFICE
from .test_resumed_migration import (
    BATCH,
    ROUTINE,
    _clean_run,
    _outcome,
    committed_history,  # noqa: F401 - the same office, committed
)


@pytest.mark.postgres_only
@pytest.mark.django_db(databases=["default", "legacy"], transaction=True)
def test_two_processes_write_exactly_what_one_process_writes(
    committed_history,  # noqa: F811 - the fixture imported above
    settings,
):
    settings.LEGACY_STAGING_PROCESSES = 2
    alone = _clean_run()  # inside a transaction: staged by this process alone
    total_batches = sum(-(-rows // BATCH) for rows in (4, 11, 7 + ROUTINE))
    progress = io.StringIO()

    report = run_migration(
        Organization.objects.get(name=OFFICE),
        list(ORDER),
        batch_size=BATCH,
        progress_stream=progress,
    )

    assert len(report.staging_helper_peaks_mb) == 1, "the batches were not shared"
    assert report.batches_staged == StagedBatch.objects.count() == total_batches
    # Positions among siblings follow the old tables' order, whichever process staged a batch.
    assert _outcome() == alone
    staging_line = next(line for line in progress.getvalue().splitlines() if "Staging" in line)
    assert f"{report.rows:,}/{report.rows:,} 100%" in staging_line


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


@pytest.mark.django_db(transaction=True)
def test_one_process_is_asked_for_and_kept(on_postgres):
    assert usable_processes(1) == 1
    # Two are used where forking is safe: on PostgreSQL, never on SQLite.
    assert usable_processes(2) == (2 if on_postgres else 1)
