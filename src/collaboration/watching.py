"""Who follows an item without asking: its creator and its assignees (commenters and mentioned
people are added by the comment services). Runs after the writing transaction commits, so the
write path pays nothing for it."""

from __future__ import annotations

from functools import partial

from django.db import connection, transaction
from django.dispatch import receiver
from django.utils import timezone

from common.id_lists import ids_in
from common.models import WorkItem
from common.signals import work_items_changed

from . import (
    attachments,  # noqa: F401  (its post_delete receiver removes stored files)
    tasks,
)
from .models import Watch
from .signals import attachment_added


def watch_new_and_assigned(sender, kind: str, item_ids: list[int], **kwargs) -> None:
    """`work_items_changed` receiver: after commit, a new item's creator and assignees watch it.

    Only at creation: someone who stopped watching stays stopped, whatever changes later.
    """
    if kind == "+" and item_ids:
        transaction.on_commit(partial(watch_involved, list(item_ids)), robust=True)


def watch_involved(item_ids: list[int]) -> int:
    """Each item's creator and assignees watch it; return how many watches were added.

    One INSERT … SELECT for any number of items (a migration creates 100,000 at once): the pairs
    never pass through Python, and a pair that already watches is left as it is.
    """
    if not item_ids:
        return 0
    quote = connection.ops.quote_name
    items_sql, items_params = ids_in(item_ids)
    sql = (
        f"INSERT INTO {quote(Watch._meta.db_table)} (work_item_id, user_id, subtree, created_at) "
        "SELECT pairs.item_id, pairs.user_id, %s, %s FROM ("
        f"SELECT id AS item_id, created_by_id AS user_id FROM {quote(WorkItem._meta.db_table)} "
        f"WHERE created_by_id IS NOT NULL AND id IN ({items_sql}) "
        "UNION "
        f"SELECT workitem_id, user_id FROM {quote(WorkItem.assignees.through._meta.db_table)} "
        f"WHERE workitem_id IN ({items_sql})"
        ") AS pairs WHERE true ON CONFLICT (work_item_id, user_id) DO NOTHING"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [False, now, *items_params, *items_params])
        return max(cursor.rowcount, 0)


@receiver(work_items_changed, dispatch_uid="collaboration.tell_watchers")
def tell_watchers_of_changes(sender, kind: str, item_ids: list[int], **kwargs) -> None:
    """`work_items_changed` receiver: after commit, watchers hear what happened."""
    if kind == "~" and item_ids:
        transaction.on_commit(partial(tasks.tell_about_changes.delay, list(item_ids)), robust=True)


@receiver(attachment_added, dispatch_uid="collaboration.files_added")
def tell_watchers_of_file(sender, attachment, **kwargs) -> None:
    tasks.tell_about_file.delay(attachment.pk)
