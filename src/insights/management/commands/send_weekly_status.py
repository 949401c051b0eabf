"""`manage.py send_weekly_status [--dry-run]`: send this week's status e-mails now.

The same sending as the Monday schedule, so a manager already written to this week is skipped;
`--dry-run` lists who would get one and what it would say, sending nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from insights.weekly import send_weekly_status


class Command(BaseCommand):
    help = "Send the weekly status e-mail to managers who opted in (once per week each)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List the recipients; send nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        sent = send_weekly_status(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for status in sent:
            self.stdout.write(
                f"{verb} to {status.user.email}: {len(status.projects)} projects changed, "
                f"{len(status.newly_late)} newly late, {len(status.due_soon)} due"
                + (" (nothing changed)" if status.quiet else "")
            )
        self.stdout.write(f"{len(sent)} weekly status e-mail(s) {verb}.")
