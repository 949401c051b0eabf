"""Request timings (for the administrators' performance page) and user feedback."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class RequestTiming(models.Model):
    """How long one request to a watched page took on the server."""

    view = models.CharField(max_length=100)
    duration_ms = models.FloatField()
    status = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["view", "created_at"], name="timing_view_time")]

    def __str__(self) -> str:
        return f"{self.view} {self.duration_ms:.0f} ms"


class Feedback(models.Model):
    """A rating and a comment from a user, with the page it was given on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (poor) to 5 (excellent).",
    )

    class Category(models.TextChoices):
        GENERAL = "general", "In general"
        WORK_ITEMS = "work_items", "Work items and the tree"
        CALENDAR = "calendar", "The calendar"
        SPEED = "speed", "Speed"
        PROBLEM = "problem", "Something does not work"
        IDEA = "idea", "An idea"

    category = models.CharField(
        max_length=20, choices=Category.choices, default=Category.GENERAL, db_index=True
    )
    comment = models.TextField(blank=True, max_length=5000)
    page = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.rating}/5 from {self.user or 'a former user'}"
