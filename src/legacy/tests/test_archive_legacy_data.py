"""Archive → delete → restore: the legacy rows leave and come back unchanged."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from legacy import models as old
from legacy.archive import TABLES, remaining_counts

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])


def snapshot_rows() -> dict:
    return {m._meta.db_table: sorted(map(repr, m.objects.values_list())) for m in TABLES}


def run(name, *args, **options) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


def test_archive_delete_restore_round_trip(migrated, tmp_path):
    before = snapshot_rows()
    archive = tmp_path / "legacy.zip"
    output = run("archive_legacy_data", out=str(archive), delete=True, force=True)
    assert "Archived 33 rows" in output and "read back OK" in output
    assert "0 legacy records remaining." in output
    assert sum(remaining_counts().values()) == 0
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format"] == "obcms-legacy-archive"
    assert manifest["tables"]["common_stafftask"]["rows"] == 7
    assert ["title", "CharField"] in manifest["tables"]["coordination_event"]["columns"]
    # Their work items are kept, and verification says where the rows went.
    verification = io.StringIO()
    call_command("verify_workitem_migration", stdout=verification)
    assert "Rows archived to" in verification.getvalue()

    output = run("restore_legacy_data", str(archive), force=True)
    assert "Restored 33 rows" in output
    assert snapshot_rows() == before
    assert old.StaffTask.objects.get(pk=migrated.report.pk).description == "é" * 10_000


def test_deleting_the_rows_empties_the_migrations_staging_area(migrated, tmp_path):
    from legacy.models import StagedBatch, StagedRow, StagingRun

    assert StagedRow.objects.exists()  # a mapped copy of every row, kept for re-runs
    run("archive_legacy_data", out=str(tmp_path / "a.zip"), delete=True, force=True)
    assert not (StagedRow.objects.exists() or StagedBatch.objects.exists())
    assert not StagingRun.objects.exists()


def test_delete_is_refused_while_read_only_without_force(migrated, tmp_path):
    with pytest.raises(CommandError, match=r"read-only.*--force"):
        run("archive_legacy_data", out=str(tmp_path / "a.zip"), delete=True)
    assert sum(remaining_counts().values()) == 33
    assert not (tmp_path / "a.zip").exists()


def test_archive_refused_until_verification_is_clean(history, tmp_path):
    with pytest.raises(CommandError, match="Verification found discrepancies"):
        run("archive_legacy_data", out=str(tmp_path / "a.zip"))


def test_archive_without_delete_keeps_the_rows(migrated, tmp_path):
    run("archive_legacy_data", out=str(tmp_path / "a.zip"))
    assert sum(remaining_counts().values()) == 33


def test_damaged_archive_is_not_restored(migrated, tmp_path):
    archive = tmp_path / "legacy.zip"
    run("archive_legacy_data", out=str(archive), delete=True, force=True)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "tables/common_stafftask.jsonl":
                data = data.replace(b"Call the MAO", b"Call the MAX")
            dst.writestr(name, data)
    with pytest.raises(CommandError, match="does not match its checksum"):
        run("restore_legacy_data", str(damaged), force=True)
    assert sum(remaining_counts().values()) == 0
    with pytest.raises(CommandError, match="not a legacy archive"):
        run("restore_legacy_data", str(tmp_path / "nothing.zip"), force=True) if (
            tmp_path / "nothing.zip"
        ).write_text("x") else None


def test_restore_refuses_tables_that_hold_rows(migrated, tmp_path):
    archive = tmp_path / "legacy.zip"
    run("archive_legacy_data", out=str(archive))
    with pytest.raises(CommandError, match="not empty"):
        run("restore_legacy_data", str(archive), force=True)
