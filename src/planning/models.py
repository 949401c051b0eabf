"""Planning's own records (working days, saved views); work items themselves live in `common`."""

from __future__ import annotations

from django.db import models

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class WorkingWeek(models.Model):
    """Which weekdays an organisation works (no row: Monday to Friday)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="working_week"
    )
    monday = models.BooleanField(default=True)
    tuesday = models.BooleanField(default=True)
    wednesday = models.BooleanField(default=True)
    thursday = models.BooleanField(default=True)
    friday = models.BooleanField(default=True)
    saturday = models.BooleanField(default=False)
    sunday = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monday=True)
                | models.Q(tuesday=True)
                | models.Q(wednesday=True)
                | models.Q(thursday=True)
                | models.Q(friday=True)
                | models.Q(saturday=True)
                | models.Q(sunday=True),
                name="working_week_not_empty",
            )
        ]

    def __str__(self) -> str:
        return f"Working week of {self.organization_id}"

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(n for n, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name))


class NonWorkingDay(models.Model):
    """A date an organisation does not work: a public holiday or a one-off closure."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "Public holiday"
        CLOSURE = "closure", "Office closure"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="non_working_days"
    )
    date = models.DateField()
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLOSURE)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date"], name="non_working_day_once_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class SavedView(models.Model):
    """A named page state (view type + query parameters) a person can reopen by URL.

    Only the query parameters are stored, never the results, so a view always shows what its
    owner's reader may see now; the page it opens re-checks every filter value as usual.
    """

    class ViewType(models.TextChoices):
        TREE = "tree", "Work items (tree)"
        BOARD = "board", "Board"
        TIMELINE = "timeline", "Timeline"
        CALENDAR = "calendar", "Calendar"
        LIST = "list", "My work (list)"

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        TEAM = "team", "My teams"
        ORGANIZATION = "organization", "Everyone in the organisation"

    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="saved_views")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="saved_views"
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="saved_views",
        help_text="The team a team view is shared with.",
    )
    name = models.CharField(max_length=120)
    view_type = models.CharField(max_length=10, choices=ViewType.choices)
    #: The query string as [name, value] pairs, in the page's order (a JSON object would lose
    #: the order on PostgreSQL, and the view would not reopen at exactly the same address).
    params = models.JSONField(default=list, blank=True)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    pinned = models.BooleanField(
        default=False, help_text="Pinned by a manager: listed first for everyone."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pinned", "name", "id"]
        indexes = [models.Index(fields=["organization", "visibility"], name="savedview_scope")]

    def __str__(self) -> str:
        return self.name


class DefaultView(models.Model):
    """The view a person gets when opening a page of `view_type` without any query string."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="default_views"
    )
    view_type = models.CharField(max_length=10, choices=SavedView.ViewType.choices)
    view = models.ForeignKey(SavedView, on_delete=models.CASCADE, related_name="defaults")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "view_type"], name="one_default_view_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.view_type} → {self.view_id}"
