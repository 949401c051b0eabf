"""Outgoing webhooks: who is told (a hook), what was sent (a delivery), how it went (attempts)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

#: The events a hook may subscribe to, as they appear in `X-OBCMS-Event` and the payload.
EVENTS = {
    "item.created": "Item created",
    "item.changed": "Item changed",
    "item.moved": "Item moved",
    "item.deleted": "Item deleted",
    "item.commented": "Comment posted",
    "item.attachment_added": "Attachment added",
}


class Webhook(models.Model):
    """An address of another system that hears about one organisation's work items.

    The secret signs every delivery (HMAC-SHA256); it is shown once, when the hook is created,
    and kept here because signing needs it in the clear.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhooks"
    )
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    secret = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event for one hook: the exact body sent, and where its attempts stand."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        RETRYING = "retrying", "Retrying"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40)
    work_item_id = models.BigIntegerField(null=True, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    resent_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="delivery_log"),
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.state})"


class Attempt(models.Model):
    """One try at a delivery: the answer's status, time taken and the start of its body."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_per_number")
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
