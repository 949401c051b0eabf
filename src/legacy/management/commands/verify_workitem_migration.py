"""Compare every legacy row with its work item; exit 1 on any discrepancy."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from legacy.messages import first_line
from legacy.report import write_into
from legacy.sources import LABEL, ORDER
from legacy.verify import verify
from obcms.flags import all_flags


class Command(BaseCommand):
    help = (
        "Compare every row of the old trackers with its work item field by field; report "
        "missing, orphaned and drifted items and the feature flags. Exit status 1 on any "
        "discrepancy."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--markdown",
            type=Path,
            metavar="FILE",
            help="Also write the report as Markdown into FILE, between its verification markers "
            "(WORKITEM_MIGRATION_COMPLETE.md).",
        )

    def handle(self, *args, **options) -> None:
        try:
            result = verify()
        except DatabaseError as exc:
            raise CommandError(f"Cannot read the legacy database: {first_line(exc)}") from None
        flags = all_flags()
        if options["markdown"]:
            write_into(options["markdown"], {**result.as_json(), "flags": flags})
        if options["json"]:
            self.stdout.write(json.dumps({**result.as_json(), "flags": flags}, indent=2))
        else:
            self._print(result, flags)
        if not result.clean:
            raise SystemExit(1)

    def _print(self, result, flags) -> None:
        out = self.stdout
        out.write("Feature flags:")
        for name, value in flags.items():
            out.write(f"  {name}: {value}")
        out.write("Legacy rows → work items:")
        for source in ORDER:
            out.write(
                f"  {LABEL[source]:<18} {result.rows[source]:>7} rows, "
                f"{result.items[source]:>7} items"
            )
        if result.archive:
            out.write(
                f"Rows archived to {result.archive['path']} and removed on "
                f"{result.archive['deleted_at'][:16]}; their items are kept."
            )
        for entry in result.missing[:50]:
            out.write(f"MISSING   {LABEL[entry['table']]} {entry['id']}: no work item")
        for entry in result.orphaned[:50]:
            out.write(
                f"ORPHANED  item {entry['item']}: its row {entry['id']} is gone from "
                f"{entry['table']}"
            )
        for entry in result.drifted[:50]:
            for name, values in entry["fields"].items():
                out.write(
                    f"DRIFT     {LABEL[entry['table']]} {entry['id']} (item {entry['item']}) "
                    f"{name}: legacy {values['legacy']!r} ≠ work item {values['work_item']!r}"
                )
        for entry in result.missing_links[:50]:
            out.write(f"LINK      task {entry['task']} depends on {entry['depends_on']}: missing")
        for entry in result.missing_conversation[:50]:
            out.write(f"STREAM    item {entry['item']}: old conversation {entry['key']} missing")
        problems = (
            result.missing,
            result.orphaned,
            result.drifted,
            result.missing_links,
            result.missing_conversation,
        )
        shown = sum(len(x[:50]) for x in problems)
        total = sum(len(x) for x in problems)
        if total > shown:
            out.write(f"… {total - shown} more (--json lists all)")
        expected = result.conversation.get("expected", 0)
        present = result.conversation.get("present")
        if present is None:
            out.write(f"Old conversation: {expected} entries expected; no app keeps them here")
        else:
            out.write(f"Old conversation: {present} of {expected} entries in the activity streams")
        pending, failed = result.outbox.get("pending", 0), result.outbox.get("failed", 0)
        out.write(f"Dual-write outbox: {pending} pending, {failed} failed")
        if result.clean:
            out.write(self.style.SUCCESS("Verified: every legacy row matches its work item."))
        else:
            out.write(
                self.style.ERROR(
                    f"Discrepancies: {len(result.missing)} missing, {len(result.orphaned)} "
                    f"orphaned, {len(result.drifted)} drifted, {len(result.missing_links)} "
                    f"dependencies missing, {len(result.missing_conversation)} conversation "
                    "entries missing."
                )
            )
