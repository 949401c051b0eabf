"""`manage.py rollback_deployment BACKUP [--yes]`: the checklist's rollback, verified.

Use it instead of `psql obcms_prod < backup_….sql`, which into a database that still has its
tables restores nothing while exiting 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError
from operations.dumps import DumpError, read_contents
from operations.rollback import (
    PRE_CUT_OVER_FLAGS,
    check_matches_engine,
    database_name,
    rollback,
)


class Command(BaseCommand):
    help = (
        "Replace the database with a backup: the checklist's pg_dump file "
        "(backup_workitem_deployment_YYYYMMDD.sql), a backup_database .dump, or on SQLite a "
        "copy of db.sqlite3. The file is read to its end first (a damaged one is refused), the "
        "site answers 503 meanwhile, the restore is one transaction that stops at the first "
        "error, and the restored row counts are compared with the file."
    )
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="The backup file to restore.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (scripts)."
        )

    def handle(self, *args, backup: Path, yes: bool, **options) -> None:
        try:
            contents = read_contents(backup)
            check_matches_engine(contents)
        except (DumpError, BackupError) as error:
            raise CommandError(f"Refusing to restore: {error}") from None
        tables = len(contents.rows)
        self.stdout.write(
            f"{backup.name}: {contents.kind} backup, complete, {tables} tables, "
            f"{contents.total_rows:,} rows."
        )
        if not yes:
            self._confirm()
        try:
            report = rollback(contents)
        except (BackupError, DumpError) as error:
            raise CommandError(str(error)) from None
        if report.disconnected:
            self.stdout.write(f"Ended {report.disconnected} other database session(s).")
        if report.mismatched:
            lines = ", ".join(
                f"{t}: file {want}, database {got}" for t, (want, got) in report.mismatched.items()
            )
            raise CommandError(f"Restored, but the row counts differ from the file: {lines}")
        self.stdout.write(
            self.style.SUCCESS(
                f"✅ Restored {sum(report.restored.values()):,} rows in {tables} tables into "
                f"{database_name()}; every count matches the file. Took {report.seconds:.1f} s."
            )
        )
        self.stdout.write("\nFor the pre-cut-over state, set in .env and restart the services:")
        for name, value in PRE_CUT_OVER_FLAGS.items():
            self.stdout.write(f"  {name}={value}")
        self.stdout.write("Then revert the code (git revert <commit-hash>) as the checklist says.")

    def _confirm(self) -> None:
        if not sys.stdin.isatty():
            raise CommandError("Refusing to replace the database without confirmation: add --yes.")
        answer = input(f"Replace every table of {database_name()} with this backup? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            raise CommandError("Rollback cancelled; nothing was changed.")
