"""`manage.py backup_database [--out DIR] [--keep N]`: a checksummed backup of the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or SQLite's online backup) with a checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            type=Path,
            default=settings.BACKUP_DIR,
            help="Folder for the backup (default: BACKUP_DIR).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="How many backups to keep in the folder (0 keeps all).",
        )

    def handle(self, *args, out: Path, keep: int, **options):
        if keep < 0:
            raise CommandError("--keep must be 0 or more.")
        try:
            made = backup(out, keep=keep or None)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{made.path}  {made.size:,} bytes  sha256 {made.checksum}")
