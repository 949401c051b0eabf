"""Migrate the old trackers (staff tasks, events, project workflows) into work items."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from accounts.models import Organization
from legacy.importer import MigrationError, run_migration
from legacy.messages import first_line
from legacy.sources import BY_WORD, LABEL, ORDER


def organization_for(name: str | None) -> Organization:
    """The organisation migrated items belong to: named, created on request, or the only one."""
    if name:
        organization, _ = Organization.objects.get_or_create(name=name)
        return organization
    organizations = list(Organization.objects.order_by("pk")[:2])
    if len(organizations) != 1:
        raise CommandError(
            "Name the organisation the migrated items belong to with --organization "
            f"(there are {'none' if not organizations else 'several'} here)."
        )
    return organizations[0]


class Command(BaseCommand):
    help = (
        "Migrate the old OBCMS trackers into work items: workflows become projects, events "
        "activities, staff tasks tasks. Safe to run again (it updates instead of duplicating) "
        "and all-or-nothing: rows are staged in committed batches (a checkpoint each), then "
        "one final transaction writes the work items; an interrupted run leaves no work item "
        "behind and the next run continues from the last staged batch."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Do all the work, report it, write nothing."
        )
        parser.add_argument(
            "--only",
            default="",
            help="Comma-separated subset of: tasks, events, projects (default: all three).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Rows per staged batch (a checkpoint each) and per write of the final step.",
        )
        parser.add_argument(
            "--organization",
            help="Organisation for the migrated items (created when missing; default: the only "
            "organisation).",
        )

    def handle(self, *args, **options) -> None:
        words = [w.strip() for w in options["only"].split(",") if w.strip()]
        unknown = [w for w in words if w not in BY_WORD]
        if unknown:
            raise CommandError(
                f"--only: unknown {', '.join(unknown)}; choose from tasks, events, projects."
            )
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        sources = [BY_WORD[w] for w in words] if words else list(ORDER)
        organization = organization_for(options["organization"])
        try:
            report = run_migration(
                organization,
                sources,
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                progress_stream=self.stderr._out,
            )
        except MigrationError as exc:
            raise CommandError(f"Nothing migrated: {exc}") from None
        except DatabaseError as exc:
            reason = first_line(exc)
            raise CommandError(f"Nothing migrated: the legacy database: {reason}") from None
        self._print(report, sources, options["verbosity"])

    def _print(self, report, sources, verbosity: int) -> None:
        out = self.stdout
        verb = "Would migrate" if report.dry_run else "Migrated"
        if report.batches_reused:
            out.write(
                f"Continued an interrupted run: {report.batches_reused} staged batches reused, "
                f"{report.batches_staged} staged now."
            )
        if report.batches_applied:
            out.write(
                f"Old rows unchanged since the last run: {report.batches_applied} staged batches "
                f"kept as applied, {report.batches_staged} staged now."
            )
        if report.staging_helper_peaks_mb:
            processes = 1 + len(report.staging_helper_peaks_mb)
            out.write(f"Staged by {processes} processes side by side (LEGACY_STAGING_PROCESSES).")
        out.write(f"{verb}:")
        for source in ORDER:
            if source not in sources:
                continue
            counts = report.counts.get(source, {})
            parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "none"
            out.write(f"  {LABEL[source]:<18} {parts}")
        if report.links_added:
            out.write(f"  task dependencies  {report.links_added} linked")
        if report.conversation_added:
            out.write(f"  old conversation   {report.conversation_added} entries added to streams")
        if report.created_users:
            out.write(f"People created: {', '.join(report.created_users)}")
        if report.created_teams:
            out.write(f"Teams created: {', '.join(report.created_teams)}")
        for who, why in sorted(report.not_assignable.items()):
            out.write(f"Cannot be assigned here: {who} ({why})")
        shown = report.notes if verbosity > 1 else report.notes[:30]
        if report.notes:
            out.write(f"Notes ({len(report.notes)}):")
            for (source, key), note in shown:
                out.write(f"  {LABEL[source]} {key}: {note}")
            if len(shown) < len(report.notes):
                out.write(f"  … and {len(report.notes) - len(shown)} more (-v 2 shows all)")
        if report.dry_run:
            out.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            out.write(self.style.SUCCESS("Done. Check with: manage.py verify_workitem_migration"))
