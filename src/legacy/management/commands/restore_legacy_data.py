"""Put archived legacy rows back into the old database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from legacy.archive import ArchiveError, restore
from legacy.guard import LegacyReadOnly
from legacy.messages import first_line
from legacy.models import ArchiveRecord


class Command(BaseCommand):
    help = "Restore the rows of an archive written by archive_legacy_data into empty legacy tables."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The archive (.zip) to restore.")
        parser.add_argument(
            "--force", action="store_true", help="Write even while LEGACY_MODELS_READONLY is on."
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"]).expanduser().resolve()
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            restored = restore(path, force=options["force"])
        except LegacyReadOnly:
            raise CommandError(
                "The legacy tables are read-only (LEGACY_MODELS_READONLY=1); add --force."
            ) from None
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(f"The legacy database refused: {first_line(exc)}") from None
        ArchiveRecord.objects.filter(path=str(path), restored_at=None).update(
            restored_at=timezone.now()
        )
        self.stdout.write(f"Restored {sum(restored.values())} rows from {path}.")
        for table, n in restored.items():
            self.stdout.write(f"  {table:<36} {n:>8}")
