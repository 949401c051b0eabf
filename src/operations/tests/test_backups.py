"""Backup, a destructive change, restore: everything comes back (SQLite and PostgreSQL)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from common.models import WorkItem
from common.services import delete_work_item
from operations.backups import prune
from testing.builders import item

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_delete_then_restore_brings_everything_back(tmp_path, cast):
    project = item("project", "Keep me", organization=cast.office)
    item("task", "Child of the kept", parent=project, assignees=[cast.staff])
    before = (
        WorkItem.objects.count(),
        User.objects.count(),
        sorted(WorkItem.objects.values_list("title", flat=True)),
    )
    out = StringIO()
    call_command("backup_database", out=tmp_path, stdout=out)
    [dump] = [p for p in tmp_path.glob("obcms-*") if not p.name.endswith(".sha256")]
    assert "sha256" in out.getvalue()

    delete_work_item(None, project, cascade=True)  # the mistake the backup is for
    assert WorkItem.objects.count() == 0

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_database", str(dump))
    call_command("restore_database", str(dump), force=True, stdout=StringIO())
    after = (
        WorkItem.objects.count(),
        User.objects.count(),
        sorted(WorkItem.objects.values_list("title", flat=True)),
    )
    assert after == before
    child = WorkItem.objects.get(title="Child of the kept")
    assert list(child.assignees.values_list("username", flat=True)) == ["sofia"]


def test_a_damaged_backup_is_refused(tmp_path, cast):
    call_command("backup_database", out=tmp_path, stdout=StringIO())
    [dump] = [p for p in tmp_path.glob("obcms-*") if not p.name.endswith(".sha256")]
    with dump.open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore_database", str(dump), force=True)


def test_a_missing_file_is_a_one_line_error(tmp_path, db):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore_database", str(tmp_path / "nope.dump"))


def test_retention_keeps_the_newest_backups(tmp_path):
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000"):
        (tmp_path / f"obcms-sqlite-{stamp}.sqlite3").write_text("x")
        Path(f"{tmp_path}/obcms-sqlite-{stamp}.sqlite3.sha256").write_text("x")
    (tmp_path / "unrelated.txt").write_text("keep")
    removed = prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["obcms-sqlite-20260101-000000.sqlite3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "obcms-sqlite-20260102-000000.sqlite3",
        "obcms-sqlite-20260102-000000.sqlite3.sha256",
        "obcms-sqlite-20260103-000000.sqlite3",
        "obcms-sqlite-20260103-000000.sqlite3.sha256",
        "unrelated.txt",
    ]


def test_the_default_backup_folder_comes_from_the_settings(tmp_path, settings, db):
    settings.BACKUP_DIR = tmp_path / "nightly"
    out = StringIO()
    call_command("backup_database", stdout=out)
    assert out.getvalue().startswith(str(tmp_path / "nightly"))


def test_attached_files_are_backed_up_and_restored_with_the_database(tmp_path, cast, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from collaboration.attachments import attach_files
    from collaboration.models import Attachment

    settings.MEDIA_ROOT = tmp_path / "media"
    task = item("task", "With minutes", organization=cast.office)
    [minutes] = attach_files(cast.staff, task, [SimpleUploadedFile("minutes.txt", b"Agreed")])
    stored = Path(settings.MEDIA_ROOT) / minutes.file.name
    backups = tmp_path / "backups"
    call_command("backup_database", out=backups, stdout=StringIO())
    [dump] = [p for p in backups.glob("obcms-*") if not p.name.endswith(".sha256")]
    assert list(backups.glob("media-*.tar.gz"))

    delete_work_item(None, task)  # the item and, after commit, its file
    stored.unlink(missing_ok=True)
    assert not Attachment.objects.exists()

    call_command("restore_database", str(dump), force=True, stdout=StringIO())
    assert Attachment.objects.get().original_name == "minutes.txt"
    assert stored.read_bytes() == b"Agreed"


def test_pruning_removes_old_attached_files_with_their_database_backup(tmp_path, db, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.txt").write_text("x")
    for stamp in ("20261101-010000", "20261102-010000", "20261103-010000"):
        for name in (f"obcms-sqlite-{stamp}.sqlite3", f"media-{stamp}.tar.gz"):
            (tmp_path / name).write_text("x")
            (tmp_path / f"{name}.sha256").write_text("x")
    prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.glob("media-*.tar.gz")) == [
        "media-20261102-010000.tar.gz",
        "media-20261103-010000.tar.gz",
    ]
