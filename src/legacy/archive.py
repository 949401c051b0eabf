"""A compressed, self-describing, checksummed archive of the legacy rows — and the way back.

The archive is a ZIP file: `manifest.json` names the format, when and from which database it was
written, and for each table its columns (name and type), row count and the SHA-256 of its data;
`tables/<table>.jsonl` holds one JSON array per row in column order. Reading it needs nothing of
OBCMS Work, and `verify_archive` re-reads every table and checks counts and checksums before
anything is deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from django.db import connections, transaction

from . import models as legacy
from .guard import ALIAS, legacy_writes
from .mapping.values import plain
from .staging import clear as clear_staging

FORMAT = "obcms-legacy-archive"
VERSION = 1
#: Children before parents: the order rows are deleted in (restore runs it backwards).
TABLES = (
    legacy.StaffTaskAssignee,
    legacy.StaffTaskTeam,
    legacy.StaffTaskDependency,
    legacy.EventCoOrganizer,
    legacy.EventFacilitator,
    legacy.EventOrganization,
    legacy.StaffTask,
    legacy.Event,
    legacy.ProjectWorkflow,
)


class ArchiveError(RuntimeError):
    """The archive cannot be written, read or restored; the message says why."""


def existing_tables() -> set[str]:
    return set(connections[ALIAS].introspection.table_names())


def remaining_counts() -> dict[str, int]:
    """Rows left in each legacy table (a table that no longer exists counts as empty)."""
    present = existing_tables()
    return {
        m._meta.db_table: (m.objects.count() if m._meta.db_table in present else 0) for m in TABLES
    }


def _columns(model) -> list[tuple[str, str]]:
    return [(f.column, f.get_internal_type()) for f in model._meta.concrete_fields]


def write_archive(path: Path) -> dict[str, Any]:
    """Write every legacy row to `path`; returns the manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": connections[ALIAS].vendor,
        "tables": {},
    }
    with (
        transaction.atomic(using=ALIAS),
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for model in TABLES:
            table = model._meta.db_table
            columns = _columns(model)
            digest = hashlib.sha256()
            count = 0
            with archive.open(f"tables/{table}.jsonl", "w") as handle:
                rows = model.objects.order_by("pk").values_list(
                    *[f.attname for f in model._meta.concrete_fields]
                )
                for row in rows.iterator(chunk_size=2000):
                    line = (json.dumps([plain(v) for v in row], ensure_ascii=False) + "\n").encode()
                    digest.update(line)
                    handle.write(line)
                    count += 1
            manifest["tables"][table] = {
                "columns": [list(c) for c in columns],
                "rows": count,
                "sha256": digest.hexdigest(),
            }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    partial.replace(path)
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArchiveError(f"{path} is not a legacy archive: {exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ArchiveError(f"{path} is not a version-{VERSION} {FORMAT}.")
    return manifest


def verify_archive(path: Path) -> dict[str, Any]:
    """Re-read every table of the archive; ArchiveError unless counts and checksums match."""
    manifest = read_manifest(path)
    with zipfile.ZipFile(path) as archive:
        for table, info in manifest["tables"].items():
            digest = hashlib.sha256()
            count = 0
            with archive.open(f"tables/{table}.jsonl") as handle:
                for line in handle:
                    json.loads(line)
                    digest.update(line)
                    count += 1
            if count != info["rows"] or digest.hexdigest() != info["sha256"]:
                raise ArchiveError(f"{path}: table {table} does not match its checksum.")
    return manifest


def delete_rows(*, force: bool) -> dict[str, int]:
    """Remove every legacy row (children first) in one transaction; returns rows deleted.

    The migration's staging area, which keeps a mapped copy of every row, is emptied too.
    """
    deleted = {}
    with legacy_writes(force=force), transaction.atomic(using=ALIAS):
        for model in TABLES:
            deleted[model._meta.db_table] = model.objects.all()._raw_delete(ALIAS)
    clear_staging()
    return deleted


def restore(path: Path, *, force: bool) -> dict[str, int]:
    """Put archived rows back into empty legacy tables; returns rows restored per table."""
    manifest = verify_archive(path)
    if any(remaining_counts().values()):
        raise ArchiveError("The legacy tables are not empty; restore only into empty tables.")
    restored = {}
    connection = connections[ALIAS]
    with (
        legacy_writes(force=force),
        transaction.atomic(using=ALIAS),
        zipfile.ZipFile(path) as archive,
    ):
        for model in reversed(TABLES):
            table = model._meta.db_table
            fields = model._meta.concrete_fields
            info = manifest["tables"][table]
            if [c for c, _ in info["columns"]] != [f.column for f in fields]:
                raise ArchiveError(f"{path}: table {table} has other columns than expected.")
            batch = []
            with archive.open(f"tables/{table}.jsonl") as handle:
                for line in handle:
                    values = json.loads(line)
                    batch.append(
                        model(
                            **{f.attname: _value(f, v) for f, v in zip(fields, values, strict=True)}
                        )
                    )
                    if len(batch) >= 2000:
                        model.objects.bulk_create(batch)
                        batch = []
            model.objects.bulk_create(batch)
            restored[table] = info["rows"]
            if connection.vendor == "postgresql" and model._meta.pk.get_internal_type() in (
                "BigAutoField",
                "AutoField",
            ):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))",
                        [table],
                    )
    return restored


def _value(field, value):
    if value is None:
        return None
    if field.get_internal_type() == "JSONField":
        return value
    return field.to_python(value)
