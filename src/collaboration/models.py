"""What people say about a work item, whom they mention, and who follows it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Comment(models.Model):
    """A Markdown comment on an item, or a reply to one (one level deep).

    The source is kept as written; `body_html` is the rendered and sanitised form, computed
    once on save so pages never render Markdown per request. A deleted comment keeps its place
    in the thread ("comment deleted") but loses its text.
    """

    work_item = models.ForeignKey(
        "common.WorkItem", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    #: For entries of the old system's conversation brought in at cut-over: where each came
    #: from (table, row, what), so a second migration run recognises it and adds nothing twice.
    legacy_key = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["work_item", "-created_at", "-id"], name="comment_stream")]
        permissions = [("moderate_comment", "Remove any comment in one's organisation")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on item {self.work_item_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Mention(models.Model):
    """A person or team named with @ in a comment: notified once, and searchable."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) ^ models.Q(team__isnull=False),
                name="mention_names_one_person_or_team",
            )
        ]

    def __str__(self) -> str:
        return f"Mention in comment {self.comment_id}"


class Watch(models.Model):
    """Someone following an item (and, with `subtree`, everything under it)."""

    work_item = models.ForeignKey("common.WorkItem", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    subtree = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work_item", "user"], name="one_watch_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.work_item_id}"


def _stored_name(attachment: Attachment, filename: str) -> str:
    """Files are stored under a random name (never the uploader's), grouped by item."""
    return f"attachments/{attachment.work_item_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file on an item, or on one of its comments. Served only to people who may see the item,
    under its original name; never from a public URL."""

    work_item = models.ForeignKey("common.WorkItem", on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=_stored_name, max_length=300)
    thumbnail = models.FileField(upload_to=_stored_name, max_length=300, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["work_item", "-created_at"], name="attachment_item")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
