"""Who follows an item without asking: its creator and its assignees (commenters and mentioned
people are added by the comment services). Runs after the writing transaction commits, so the
write path pays nothing for it."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from common.models import WorkItem
from common.signals import work_items_changed

from . import (
    attachments,  # noqa: F401  (its post_delete receiver removes stored files)
    tasks,
)
from .models import Watch
from .signals import attachment_added

CHUNK = 2000


def watch_new_and_assigned(sender, kind: str, item_ids: list[int], **kwargs) -> None:
    """`work_items_changed` receiver: after commit, a new item's creator and assignees watch it.

    Only at creation: someone who stopped watching stays stopped, whatever changes later.
    """
    if kind == "+" and item_ids:
        transaction.on_commit(partial(watch_involved, list(item_ids)), robust=True)


def watch_involved(item_ids: list[int]) -> int:
    added = 0
    assignments = WorkItem.assignees.through.objects
    for start in range(0, len(item_ids), CHUNK):
        chunk = item_ids[start : start + CHUNK]
        pairs = set(
            WorkItem.objects.filter(pk__in=chunk, created_by__isnull=False).values_list(
                "pk", "created_by_id"
            )
        )
        pairs |= set(
            assignments.filter(workitem_id__in=chunk).values_list("workitem_id", "user_id")
        )
        created = Watch.objects.bulk_create(
            [Watch(work_item_id=item, user_id=user) for item, user in pairs],
            ignore_conflicts=True,
        )
        added += len(created)
    return added


@receiver(work_items_changed, dispatch_uid="collaboration.tell_watchers")
def tell_watchers_of_changes(sender, kind: str, item_ids: list[int], **kwargs) -> None:
    """`work_items_changed` receiver: after commit, watchers hear what happened."""
    if kind == "~" and item_ids:
        transaction.on_commit(partial(tasks.tell_about_changes.delay, list(item_ids)), robust=True)


@receiver(attachment_added, dispatch_uid="collaboration.files_added")
def tell_watchers_of_file(sender, attachment, **kwargs) -> None:
    tasks.tell_about_file.delay(attachment.pk)
