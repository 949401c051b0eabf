"""Database backups and restores: `pg_dump`/`pg_restore` on PostgreSQL, the online backup API on
SQLite. Each backup gets a SHA-256 file beside it, verified before any restore, and old backups
are pruned by a retention count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why in one line."""


@dataclass(frozen=True)
class Backup:
    path: Path
    checksum: str
    size: int


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env_and_name() -> tuple[dict[str, str], str]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env, db["NAME"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(directory: Path, keep: int | None = None) -> Backup:
    """Write a consistent backup of the default database into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    if _engine() == "postgresql":
        path = directory / f"obcms-postgresql-{stamp}.dump"
        if not shutil.which("pg_dump"):
            raise BackupError("pg_dump is not installed (Debian: postgresql-client).")
        env, name = _pg_env_and_name()
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={path}", name],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            path.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip().splitlines()[-1:]}")
    else:
        path = directory / f"obcms-sqlite-{stamp}.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # consistent even while others write
        finally:
            target.close()
    checksum = sha256_of(path)
    Path(f"{path}.sha256").write_text(f"{checksum}  {path.name}\n")
    backup_media(directory, stamp)
    if keep:
        prune(directory, keep)
    return Backup(path, checksum, path.stat().st_size)


def media_archive_for(backup_path: Path) -> Path:
    """The attached files saved with a database backup: `media-<same stamp>.tar.gz` beside it."""
    stamp = "-".join(backup_path.name.split(".")[0].split("-")[-2:])
    return backup_path.with_name(f"media-{stamp}.tar.gz")


def backup_media(directory: Path, stamp: str) -> Path | None:
    """Archive MEDIA_ROOT (files attached to work items) next to the database backup."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return None
    target = directory / f"media-{stamp}.tar.gz"
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w:gz") as archive:
        archive.add(root, arcname="media")
    partial.replace(target)
    Path(f"{target}.sha256").write_text(f"{sha256_of(target)}  {target.name}\n")
    return target


def restore_media(backup_path: Path) -> bool:
    """Put back the attached files saved with `backup_path`, if they were (checksum first)."""
    archive_path = media_archive_for(backup_path)
    if not archive_path.exists():
        return False
    verify(archive_path)
    root = Path(settings.MEDIA_ROOT)
    staging = root.with_name(root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(staging, filter="data")  # no absolute paths, links or devices
    shutil.rmtree(root, ignore_errors=True)
    (staging / "media").replace(root)
    shutil.rmtree(staging, ignore_errors=True)
    return True


def backup_files(directory: Path) -> list[Path]:
    """This project's backups in `directory`, newest first (checksum files left out)."""
    return sorted(
        (p for p in directory.glob("obcms-*") if p.is_file() and not p.name.endswith(".sha256")),
        key=lambda p: p.name,
        reverse=True,
    )


def prune(directory: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` backups of this project in `directory` (with their attached
    files); delete the rest."""
    ours = backup_files(directory)
    removed = []
    for old in ours[keep:]:
        for path in (old, media_archive_for(old)):
            path.unlink(missing_ok=True)
            Path(f"{path}.sha256").unlink(missing_ok=True)
        removed.append(old)
    return removed


def verify(path: Path) -> None:
    sidecar = Path(f"{path}.sha256")
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if not sidecar.exists():
        raise BackupError(f"{sidecar.name} is missing; refusing to restore an unverified file.")
    expected = sidecar.read_text().split()[0]
    if sha256_of(path) != expected:
        raise BackupError(f"{path.name} does not match its checksum; the file is damaged.")


def database_is_empty() -> bool:
    return "django_migrations" not in connection.introspection.table_names()


def restore(path: Path, *, force: bool = False) -> None:
    """Restore `path` into the default database, which must be empty unless `force`."""
    verify(path)
    if not database_is_empty() and not force:
        raise BackupError("The database is not empty; use --force to replace its contents.")
    if _engine() == "postgresql":
        if not path.name.endswith(".dump"):
            raise BackupError("This is not a PostgreSQL backup (.dump).")
        env, name = _pg_env_and_name()
        connection.close()
        command = [
            "pg_restore",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={name}",
        ]
        if force:
            command += ["--clean", "--if-exists"]
        result = subprocess.run([*command, str(path)], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip().splitlines()[-1:]}")
    else:
        if not path.name.endswith(".sqlite3"):
            raise BackupError("This is not a SQLite backup (.sqlite3).")
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)  # replaces every page of the live database
        finally:
            source.close()
    restore_media(path)


#: Where the deployment checklist's step 1 leaves its backups, by engine: `pg_dump obcms_prod >
#: backup_workitem_deployment_YYYYMMDD.sql` (run from the repository or from src/) and
#: `cp src/db.sqlite3 src/db.sqlite3.backup.YYYYMMDD`.
CHECKLIST_PATTERNS = {
    "postgresql": ("backup_workitem_deployment_*.sql",),
    "sqlite": ("*.sqlite3.backup.*",),
}


def any_backups(directory: Path, extra_places: list[Path]) -> list[Path]:
    """Backups of this database's engine: ours in `directory` and the checklist's by-hand ones
    in `extra_places`, newest first (by modification time)."""
    suffix = ".dump" if _engine() == "postgresql" else ".sqlite3"
    found = [p for p in backup_files(directory) if p.name.endswith(suffix)]
    for place in dict.fromkeys(p.resolve() for p in [directory, *extra_places]):
        for pattern in CHECKLIST_PATTERNS[_engine()]:
            found += [p for p in place.glob(pattern) if p.is_file()]
    unique = {p.resolve(): p for p in found}
    return sorted(unique.values(), key=lambda p: p.stat().st_mtime, reverse=True)
