"""The conversation's background work: telling people. Queued after commit, so a comment or a
change returns at once however many watchers there are (run in-process without a broker)."""

from celery import shared_task

from . import notices
from .models import Attachment


@shared_task
def tell_about_comment(comment_id: int, user_ids: list[int], team_ids: list[int]) -> None:
    notices.comment_posted(comment_id, user_ids, team_ids)


@shared_task
def tell_about_mentions(comment_id: int, user_ids: list[int], team_ids: list[int]) -> None:
    notices.mentioned(comment_id, user_ids, team_ids)


@shared_task
def tell_about_changes(item_ids: list[int]) -> None:
    notices.items_changed(item_ids)


@shared_task
def tell_about_file(attachment_id: int) -> None:
    attachment = (
        Attachment.objects.select_related("work_item", "uploaded_by")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is not None:
        notices.files_added(Attachment, attachment)
