"""The deployment checklist's pre-deployment verification, as a report with an exit code."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from legacy.readiness import run


class Command(BaseCommand):
    help = (
        "Check the deployment checklist's pre-deployment items: legacy records remaining, legacy "
        "imports, legacy models abstract, the last test run, the calendar feed (live), "
        "migrations, feature flags, check --deploy, a recent complete database backup and the "
        "dual-write outbox. ✅ passed, ⚠️ needs fixing, ❌ could not be checked. Exit status 1 "
        "unless every item passes."
    )
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--max-backup-age",
            type=float,
            default=24.0,
            help="Hours a database backup may be old (default 24).",
        )

    def handle(self, *args, **options) -> None:
        if options["max_backup_age"] <= 0:
            raise CommandError("--max-backup-age must be a positive number of hours.")
        self.stdout.write("Pre-deployment verification")
        self.stdout.write("=" * 60)
        ok = run(options["max_backup_age"], self.stdout)
        self.stdout.write("=" * 60)
        if ok:
            self.stdout.write("✅ Ready to deploy")
        else:
            self.stdout.write("⚠️  Not ready: fix the items marked ⚠️ and ❌")
            raise SystemExit(1)
