"""WORKITEM_MIGRATION_COMPLETE.md carries the numbers verification produces, never typed ones.

The block between its markers is what `verify_workitem_migration --markdown` writes for the
reference office history; when the mapping or the history changes, regenerate it with
`UPDATE_MIGRATION_RECORD=1 pytest src/legacy/tests/test_migration_record.py`.
"""

import io
import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from legacy.report import END, START

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])
RECORD = settings.REPO_DIR / "WORKITEM_MIGRATION_COMPLETE.md"


def test_the_migration_record_shows_the_last_verifications_numbers(migrated, tmp_path):
    copy = tmp_path / RECORD.name
    shutil.copy(RECORD, copy)
    call_command("verify_workitem_migration", markdown=copy, stdout=io.StringIO())
    written = copy.read_text()
    assert written.count(START) == 1 and written.count(END) == 1
    assert "**Verified: every legacy row matches its work item.**" in written
    assert "| **all** | | **" in written
    if os.environ.get("UPDATE_MIGRATION_RECORD"):
        shutil.copy(copy, RECORD)
    assert written == RECORD.read_text(), (
        "WORKITEM_MIGRATION_COMPLETE.md is out of date: UPDATE_MIGRATION_RECORD=1 pytest "
        "src/legacy/tests/test_migration_record.py"
    )


def test_a_failed_verification_is_written_as_not_verified(migrated, tmp_path, item_of):
    from common.models import WorkItem

    WorkItem.objects.filter(pk=item_of(migrated.prepare).pk).update(title="Edited behind its back")
    target = tmp_path / "record.md"
    with pytest.raises(SystemExit):
        call_command("verify_workitem_migration", markdown=target, stdout=io.StringIO())
    text = target.read_text()
    assert "**Not verified" in text
    assert "| rows whose fields differ from their item (drifted) | 1 |" in text
