"""The WorkItem domain: one model for all six work types, kept as a tree.

The tree is an adjacency list (`parent`) plus a stored `root` and sibling `position`; nothing
else about the tree is stored, so bulk loads, restores and raw SQL can never leave redundant tree
state out of step. Fields here are written only by `common.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from simple_history.models import HistoricalRecords
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet


class WorkType(models.TextChoices):
    PROJECT = "project", "Project"
    SUB_PROJECT = "sub_project", "Sub-Project"
    ACTIVITY = "activity", "Activity"
    SUB_ACTIVITY = "sub_activity", "Sub-Activity"
    TASK = "task", "Task"
    SUBTASK = "subtask", "Subtask"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    AT_RISK = "at_risk", "At risk"
    BLOCKED = "blocked", "Blocked"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"
    CRITICAL = "critical", "Critical"


class ProgressMode(models.TextChoices):
    AUTO = "auto", "Rolled up from children"
    MANUAL = "manual", "Set by hand"


class SchedulingMode(models.TextChoices):
    """Manual items keep their dates; automatic ones follow their predecessors (never pulled)."""

    MANUAL = "manual", "Manual"
    AUTOMATIC = "automatic", "Automatic (after its predecessors)"


#: The longest lag a dependency may carry, in working days (about a working year).
MAX_LAG_DAYS = 260


#: Severity order of priorities (1 = least severe), used for sorting.
PRIORITY_RANK = {p.value: rank for rank, p in enumerate(Priority, start=1)}

hex_colour = RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Enter a colour like #1D4ED8.")


class WorkItemQuerySet(TreeQuerySet):
    def visible_to(self, user) -> WorkItemQuerySet:
        """The items `user` may see; every read of work items starts here."""
        from .permissions import visible_items

        return visible_items(self, user)

    def by_severity(self) -> WorkItemQuerySet:
        return self.order_by("-priority_rank", "position", "id")


class WorkItem(TreeNode):
    """A project, sub-project, activity, sub-activity, task or subtask."""

    work_type = models.CharField(max_length=20, choices=WorkType.choices, db_index=True)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)

    parent = TreeNodeForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    root = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The top item of this item's tree (itself for a top-level item).",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order among siblings.")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="work_items"
    )

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    priority_rank = models.GeneratedField(
        expression=Case(
            *(When(priority=p, then=Value(rank)) for p, rank in PRIORITY_RANK.items()),
            default=Value(0),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    progress_mode = models.CharField(
        max_length=10, choices=ProgressMode.choices, default=ProgressMode.AUTO
    )
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="How much this item counts in its parent's progress (1 = like its siblings).",
    )

    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_work_items"
    )
    teams = models.ManyToManyField("accounts.Team", blank=True, related_name="work_items")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_work_items",
    )

    is_calendar_visible = models.BooleanField(default=True)
    calendar_color = models.CharField(
        max_length=7,
        blank=True,
        validators=[hex_colour],
        help_text="Overrides the colour of the item's type on the calendar.",
    )
    recurrence_rule = models.CharField(
        max_length=500,
        blank=True,
        help_text="An RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=MO;COUNT=10 (empty: no repeat).",
    )
    recurrence_exdates = models.JSONField(
        default=list, blank=True, help_text="Dates (YYYY-MM-DD) on which a repeat is skipped."
    )
    recurrence_end = models.DateField(
        null=True, blank=True, help_text="Last day of the series (derived; empty: endless)."
    )
    details = models.JSONField(default=dict, blank=True)
    scheduling_mode = models.CharField(
        max_length=10,
        choices=SchedulingMode.choices,
        default=SchedulingMode.MANUAL,
        help_text="Automatic: starts on the first working day after its predecessors (plus lag).",
    )
    dates_from_children = models.BooleanField(
        default=False,
        help_text="Start and due follow the earliest start and the latest due of its children.",
    )
    allocated_budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    actual_expenditure = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    related_items = models.ManyToManyField(
        "self", through="WorkItemRelation", symmetrical=False, related_name="related_from"
    )

    legacy_source = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="The old system's table this item was migrated from (empty: made here).",
    )
    legacy_id = models.CharField(
        max_length=36, blank=True, editable=False, help_text="The row's key in that table."
    )
    legacy_data = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Fields of the old record that have no place of their own here (read-only).",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        help_text="Raised on every change; edits must name the version they started from.",
    )

    history = HistoricalRecords(
        excluded_fields=["priority_rank", "updated_at", "legacy_data"],
        cascade_delete_history=False,
    )

    objects = WorkItemQuerySet.as_manager(with_tree_fields=False)

    #: History is written by `common.services.history` (one record per logical change, with
    #: the acting user and a reason), so django-simple-history's save signal stands down.
    skip_history_when_saving = True

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["parent", "position"], name="workitem_siblings"),
            # The tree page's roots of one organisation (listed and counted by position): the
            # siblings index above cannot pick out one organisation's roots.
            models.Index(
                fields=["organization", "position"],
                condition=Q(parent__isnull=True),
                name="workitem_roots",
            ),
            models.Index(fields=["organization", "start_date", "due_date"], name="workitem_dates"),
            models.Index(fields=["work_type", "status"], name="workitem_type_status"),
            models.Index(fields=["due_date", "status"], name="workitem_due_status"),
            models.Index(fields=["organization", "updated_at"], name="workitem_org_changed"),
            models.Index(
                fields=["organization", "recurrence_end"],
                condition=~Q(recurrence_rule=""),
                name="workitem_recurring",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="workitem_progress_max"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(start_date__lte=models.F("due_date")),
                name="workitem_start_before_due",
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="workitem_weight_min"),
            models.UniqueConstraint(
                fields=["legacy_source", "legacy_id"],
                condition=~Q(legacy_source=""),
                name="workitem_legacy_origin_unique",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="workitem_not_own_parent"
            ),
        ]
        permissions = [
            ("view_all_organizations", "Can see work items of every organisation"),
            (
                "manage_organization_items",
                "Can edit and delete every work item of own organisation",
            ),
            ("manage_all_items", "Can edit and delete work items of every organisation"),
            ("delete_own_workitem", "Can delete work items one created"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    @property
    def status_choices(self) -> list[tuple[str, str]]:
        return Status.choices

    @property
    def is_migrated(self) -> bool:
        return bool(self.legacy_source)

    @property
    def is_done(self) -> bool:
        return self.status in (Status.COMPLETED, Status.CANCELLED)


class WorkItemRelation(models.Model):
    """A link between two work items: 'related to' or 'depends on' (source waits for target).

    'Depends on' is finish-to-start: the source (the follower) may start on the first working day
    after the target (the predecessor) is due, plus `lag_days` working days. "A precedes B" and
    "B follows A" are the same row: B depends on A (see docs/planning.md).
    """

    class Kind(models.TextChoices):
        RELATES = "relates", "Related to"
        DEPENDS_ON = "depends_on", "Depends on"

    source = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="outgoing_links")
    target = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="incoming_links")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RELATES)
    lag_days = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_LAG_DAYS)],
        help_text="Working days the follower waits after its predecessor is due.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["target", "kind"], name="workitem_relation_target"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="workitem_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="workitem_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class CalendarSubscription(models.Model):
    """A personal, revocable ICS address for Outlook, Google or Apple Calendar.

    Calendar clients send no cookies, so the address itself carries a secret token; only its
    hash is stored. `filters` holds the feed parameters the subscription is bound to.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_subscriptions"
    )
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    filters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
