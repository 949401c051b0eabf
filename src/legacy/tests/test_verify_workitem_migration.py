"""Verification compares every row with its item and fails on any difference."""

import io
import json

import pytest
from django.core.management import call_command

from common.services import delete_work_item
from legacy import models as old
from legacy.guard import legacy_writes

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])


def verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_workitem_migration", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_clean_migration_verifies_with_flags_printed(migrated):
    code, output = verify()
    assert code == 0
    assert "Verified: every legacy row matches its work item." in output
    assert "LEGACY_MODELS_READONLY: True" in output
    assert "staff tasks              7 rows,       7 items" in output


def test_changed_field_in_the_old_system_is_reported_as_drift(migrated):
    with legacy_writes(force=True):
        old.Event.objects.filter(pk=migrated.workshop.pk).update(venue="Bigger hall")
    code, output = verify()
    assert code == 1
    assert "DRIFT     events" in output and "details" in output and "Bigger hall" in output


def test_unmigrated_row_is_missing_and_deleted_row_leaves_an_orphan(migrated, item_of, cast):
    from legacy.tests.oldsystem import task

    task("Added in the old system after the migration")
    delete_work_item(None, item_of(migrated.undated))
    code, output = verify()
    assert code == 1
    assert "MISSING   staff tasks" in output and "MISSING   staff tasks" in output
    with legacy_writes(force=True):
        old.StaffTask.objects.filter(pk=migrated.only_start.pk).delete()
    code, output = verify()
    assert "ORPHANED  item" in output


def test_json_report_lists_each_difference(migrated):
    with legacy_writes(force=True):
        old.StaffTask.objects.filter(pk=migrated.prepare.pk).update(priority="low")
    code, output = verify("--json")
    report = json.loads(output)
    assert code == 1 and report["clean"] is False
    (drift,) = report["drifted"]
    assert drift["table"] == "common_stafftask" and drift["id"] == str(migrated.prepare.pk)
    assert drift["fields"] == {"priority": {"legacy": "low", "work_item": "high"}}
    assert report["flags"]["DUAL_WRITE_ENABLED"] is False


def test_missing_dependency_link_is_reported(migrated):
    from common.models import WorkItemRelation

    WorkItemRelation.objects.all().delete()
    code, output = verify()
    assert code == 1 and "LINK      task" in output
