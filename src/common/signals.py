"""Signals the write path sends, for apps that must follow every change to work items.

`common.services` never imports its listeners (the legacy cut-over's dual-write is one), so a
listener can be added or removed without touching the write path, and the write path stays the
only place that decides what a change is.
"""

from django.dispatch import Signal

#: Sent inside the writing transaction after items were created ("+"), changed ("~") or
#: deleted ("-"). Arguments: `kind`, `item_ids` (list of ids) and, for deletions, `deleted`:
#: `(id, legacy_source, legacy_id)` of the removed items that came from the old system (the
#: rows themselves are gone by the time listeners run their on-commit work).
work_items_changed = Signal()


def announce(
    kind: str, item_ids: list[int], deleted: list[tuple[int, str, str]] | None = None
) -> None:
    if item_ids:
        work_items_changed.send(
            sender="common.services", kind=kind, item_ids=item_ids, deleted=deleted or []
        )
