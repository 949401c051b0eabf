"""Archive the legacy rows to a checksummed file and, on request, remove them."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from legacy.archive import (
    ArchiveError,
    delete_rows,
    remaining_counts,
    verify_archive,
    write_archive,
)
from legacy.guard import LegacyReadOnly
from legacy.messages import first_line
from legacy.models import ArchiveRecord
from legacy.verify import verify
from obcms.flags import flag
from operations.backups import sha256_of


class Command(BaseCommand):
    help = (
        "After a clean verification, write every legacy row to a compressed, checksummed archive; "
        "with --delete, then remove the rows from the old database (0 legacy records remaining)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, help="The archive file to write (.zip).")
        parser.add_argument(
            "--delete", action="store_true", help="Remove the archived rows afterwards."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow --delete while LEGACY_MODELS_READONLY is on.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Verify and count; write and delete nothing."
        )

    def handle(self, *args, **options) -> None:
        out = Path(options["out"]).expanduser().resolve()
        if options["delete"] and flag("LEGACY_MODELS_READONLY") and not options["force"]:
            raise CommandError(
                "The legacy tables are read-only (LEGACY_MODELS_READONLY=1); add --force to "
                "delete the archived rows anyway."
            )
        if out.exists():
            raise CommandError(f"{out} exists; choose a new file name.")
        try:
            result = verify()
            if not result.clean:
                raise CommandError(
                    "Verification found discrepancies; run verify_workitem_migration and fix "
                    "them (or migrate again) before archiving."
                )
            counts = remaining_counts()
            if options["dry_run"]:
                self.stdout.write(f"Would archive {sum(counts.values())} rows to {out}.")
                for table, n in counts.items():
                    self.stdout.write(f"  {table:<36} {n:>8}")
                return
            manifest = write_archive(out)
            verify_archive(out)
            checksum = sha256_of(out)
            record = ArchiveRecord.objects.create(
                path=str(out),
                sha256=checksum,
                counts={t: i["rows"] for t, i in manifest["tables"].items()},
            )
            total = sum(i["rows"] for i in manifest["tables"].values())
            self.stdout.write(f"Archived {total} rows to {out} (sha256 {checksum}); read back OK.")
            if options["delete"]:
                deleted = delete_rows(force=options["force"])
                record.deleted_at = timezone.now()
                record.save(update_fields=["deleted_at"])
                self.stdout.write(f"Deleted {sum(deleted.values())} rows from the old database.")
                left = sum(remaining_counts().values())
                self.stdout.write(self.style.SUCCESS(f"{left} legacy records remaining."))
        except (ArchiveError, LegacyReadOnly, OSError) as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(f"The legacy database refused: {first_line(exc)}") from None
