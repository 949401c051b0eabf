"""A re-run over old rows that did not change since the last run maps and compares nothing again.

After its final step a run keeps its staged batches, marked applied, and signs the staging area
as the next run will see it. The next run reuses every batch whose old rows give the same digest
without mapping them, and takes an item of such a batch as in step while it is still at the
version the import left; anything else (a row changed there, an item edited here, a row that
could not be applied) is compared field by field exactly as before.
"""

import io

import pytest
from django.core.management import call_command

from accounts.models import Organization
from collaboration.models import Watch
from common.models import WorkItem, WorkItemRelation
from common.services import update_work_item
from legacy import importer, staging
from legacy import models as old
from legacy.guard import legacy_writes
from legacy.importer import run_migration
from legacy.models import StagedBatch
from legacy.sources import ORDER

from .conftest import OFFICE

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])


def migrate() -> str:
    out = io.StringIO()
    call_command("migrate_to_workitem", organization=OFFICE, batch_size=5, stdout=out)
    return out.getvalue()


def _no_mapping(*args, **kwargs):
    raise AssertionError("an unchanged row was mapped or compared again")


def _state() -> dict:
    items = WorkItem.objects.exclude(legacy_source="").order_by("pk")
    return {
        "items": list(items.values()),
        "history": WorkItem.history.count(),
        "links": sorted(WorkItemRelation.objects.values_list("source_id", "target_id", "kind")),
        "assignees": sorted(
            WorkItem.assignees.through.objects.values_list("workitem_id", "user_id")
        ),
        "watchers": sorted(Watch.objects.values_list("work_item_id", "user_id")),
    }


def test_an_unchanged_rerun_maps_no_row_again_and_changes_nothing(history, monkeypatch):
    migrate()
    batches = StagedBatch.objects.count()
    assert batches and not StagedBatch.objects.filter(applied=False).exists()
    before = _state()
    monkeypatch.setattr(staging, "map_row", _no_mapping)
    monkeypatch.setattr(importer, "decode", _no_mapping)  # nor compared field by field
    output = migrate()
    assert f"{batches} staged batches kept as applied, 0 staged now." in output
    assert "staff tasks        7 unchanged" in output
    assert "events             11 unchanged" in output
    assert "project workflows  4 unchanged" in output
    assert _state() == before


def test_an_unchanged_rerun_lists_the_same_repairs_and_dependencies(history):
    organization = Organization.objects.get(name=OFFICE)
    first = run_migration(organization, list(ORDER), batch_size=5)
    again = run_migration(organization, list(ORDER), batch_size=5)
    assert again.batches_applied == StagedBatch.objects.count()
    assert sorted(again.notes) == sorted(first.notes) and first.notes
    assert again.links_added == 0 and WorkItemRelation.objects.count() == 1


def test_a_row_changed_there_is_staged_and_copied_again_alone(history, item_of):
    migrate()
    with legacy_writes(force=True):
        old.StaffTask.objects.filter(pk=history.undated.pk).update(title="Call the MAO again")
    output = migrate()
    assert "staged batches kept as applied, 1 staged now." in output
    assert "staff tasks        6 unchanged, 1 updated" in output
    assert item_of(history.undated).title == "Call the MAO again"


def test_an_item_edited_here_is_compared_again_and_kept(history, item_of, cast):
    migrate()
    update_work_item(cast.manager, item_of(history.undated), title="Renamed here")
    output = migrate()
    assert "0 staged now." in output
    assert "1 kept (edited here)" in output
    assert item_of(history.undated).title == "Renamed here"


def test_a_dry_run_after_a_run_leaves_the_applied_batches_as_they_were(history):
    migrate()
    before = sorted(StagedBatch.objects.values_list("pk", "fingerprint", "applied"))
    out = io.StringIO()
    call_command("migrate_to_workitem", organization=OFFICE, batch_size=5, dry_run=True, stdout=out)
    assert "Dry run: nothing was written." in out.getvalue()
    assert sorted(StagedBatch.objects.values_list("pk", "fingerprint", "applied")) == before
