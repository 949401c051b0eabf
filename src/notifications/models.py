"""Notifications, each person's preferences, and the log that makes reminders send only once."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def default_reminder_days() -> list[int]:
    return [1, 3]


class Preference(models.Model):
    """How a person wants to hear about their work (created with defaults on first use)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(
        default=True, help_text="Also send notifications by e-mail."
    )
    reminder_days = models.JSONField(
        default=default_reminder_days,
        help_text="Remind this many days before a due date, e.g. [1, 3].",
    )
    daily_digest = models.BooleanField(
        default=False, help_text="A morning e-mail: overdue, due this week, newly assigned."
    )
    weekly_status = models.BooleanField(
        "Weekly status e-mail",
        default=False,
        help_text="For managers, on Monday morning: changes to your projects last week, newly "
        "late items and what falls due in the coming week.",
    )

    def __str__(self) -> str:
        return f"Preferences of {self.user}"

    @classmethod
    def for_user(cls, user) -> Preference:
        preference, _ = cls.objects.get_or_create(user=user)
        return preference


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned to you"
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        DIGEST = "digest", "Daily digest"
        MENTIONED = "mentioned", "Mentioned you"
        COMMENTED = "commented", "New comments"
        CHANGED = "changed", "Changed"
        ATTACHED = "attached", "New files"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    work_item = models.ForeignKey(
        "common.WorkItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_body = models.TextField(blank=True, help_text="Kept until sent, for retries.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message


class ReminderLog(models.Model):
    """One row per reminder sent; the unique key is what makes sweeps idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    work_item_id = models.BigIntegerField()
    kind = models.CharField(max_length=20)
    due_date = models.DateField()
    days_before = models.SmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "work_item_id", "kind", "due_date", "days_before"],
                name="reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for item {self.work_item_id} to user {self.user_id}"
