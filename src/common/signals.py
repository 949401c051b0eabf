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


# --- the legacy cut-over's conversation ------------------------------------------------------
# The legacy app may not import the apps built on the core, and they may not import it (it is
# removed once the old system is archived), so the two meet here, in the core they both use.

#: Sent by the legacy migration inside its transaction, after it created or updated items.
#: Arguments: `item_ids` (the migrated items) and `conversation`: the old system's conversation
#: about them, a list of entries (dicts with `key`, `work_item_id`, `author_id`, `created_at`,
#: `body` — see `legacy.conversation.Entry`). A receiver stores each entry once per `key`, so a
#: second run adds nothing twice, and returns how many entries it added.
legacy_conversation = Signal()

#: Sent by the migration's verification with `keys` (the entries the old rows call for);
#: a receiver returns the set of those keys it holds, so verification can count what is missing.
legacy_conversation_count = Signal()
