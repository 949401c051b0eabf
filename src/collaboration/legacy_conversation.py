"""The old system's conversation, kept as comments in the items' activity streams.

The legacy migration describes the entries (a workflow's stage history, an event's minutes …)
and sends them through `common.signals.legacy_conversation`; this module stores them as
comments by their original authors and with their original dates. It writes only its own
records, with a fixed number of statements per run, and is idempotent by `Comment.legacy_key`:
an entry already stored is updated only if the old text changed, never added twice.

Nothing is notified and nobody starts watching: these are history, not new words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .markdown import render
from .models import Comment

CHUNK = 1000


def store_legacy_conversation(sender, conversation: list[dict[str, Any]], **kwargs) -> int:
    """`legacy_conversation` receiver: store each entry once. Returns how many were added.

    Runs inside the migration's transaction, so a dry or failed run stores nothing either.
    """
    added = 0
    for start in range(0, len(conversation), CHUNK):
        added += _store(conversation[start : start + CHUNK])
    return added


def _store(entries: list[dict[str, Any]]) -> int:
    known = {
        c.legacy_key: c
        for c in Comment.objects.filter(legacy_key__in=[e["key"] for e in entries]).only(
            "id", "legacy_key", "body", "created_at", "author_id"
        )
    }
    new: list[Comment] = []
    changed: list[Comment] = []
    for entry in entries:
        comment = known.get(entry["key"])
        if comment is None:
            new.append(
                Comment(
                    work_item_id=entry["work_item_id"],
                    author_id=entry["author_id"],
                    body=entry["body"],
                    body_html=render(entry["body"]),
                    legacy_key=entry["key"],
                )
            )
        elif comment.body != entry["body"] or comment.created_at != entry["created_at"]:
            # The old text was edited again during the parallel run: follow it.
            comment.body, comment.body_html = entry["body"], render(entry["body"])
            comment.created_at = entry["created_at"]
            changed.append(comment)
    created = Comment.objects.bulk_create(new)
    # `created_at` is auto_now_add: the insert stamped "now"; the original time goes in after.
    dated = {entry["key"]: entry["created_at"] for entry in entries}
    for comment in _with_ids(created):
        comment.created_at = dated[comment.legacy_key]
    Comment.objects.bulk_update(
        [*created, *changed], ["created_at", "body", "body_html"], batch_size=CHUNK
    )
    return len(created)


def _with_ids(created: list[Comment]) -> Iterable[Comment]:
    """The created comments with their ids (databases that do not return them on insert)."""
    if all(c.pk is not None for c in created):
        return created
    ids = dict(
        Comment.objects.filter(legacy_key__in=[c.legacy_key for c in created]).values_list(
            "legacy_key", "pk"
        )
    )
    for comment in created:
        comment.pk = ids[comment.legacy_key]
    return created


def count_legacy_conversation(sender, keys: list[str], **kwargs) -> set[str]:
    """`legacy_conversation_count` receiver: which of `keys` are stored (for verification)."""
    present: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        present.update(
            Comment.objects.filter(legacy_key__in=keys[start : start + CHUNK]).values_list(
                "legacy_key", flat=True
            )
        )
    return present
