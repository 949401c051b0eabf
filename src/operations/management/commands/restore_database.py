"""`manage.py restore_database FILE [--force]`: restore a backup made by backup_database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup into an empty database; with --force, replace a database's contents. "
        "The file's checksum is verified first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Drop the existing contents first (destructive)."
        )

    def handle(self, *args, file: Path, force: bool, **options):
        try:
            restore(file, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {file.name}."))
