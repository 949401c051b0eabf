"""Read models of the old database, and the cut-over's own bookkeeping.

Read models (`LegacyModel` subclasses) are unmanaged: migrations never create, alter or drop
them, the router sends them to the `legacy` database, and the write guard refuses every write
while `LEGACY_MODELS_READONLY` is on. `OutboxEntry` and `ImportRecord` are ordinary tables in
our own database.
"""

from __future__ import annotations

from django.db import models

from .guard import GuardedManager, check_writable
from .schema import (
    EventLinkSchema,
    EventSchema,
    ProjectWorkflowSchema,
    StaffTaskSchema,
    TaskLinkSchema,
)


class LegacyModel(models.Model):
    """Base of every read model: routed to the `legacy` database and guarded against writes."""

    objects = GuardedManager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.db_table} {self.pk}"

    def save(self, *args, **kwargs):
        check_writable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        check_writable()
        return super().delete(*args, **kwargs)


class StaffTask(LegacyModel, StaffTaskSchema):
    class Meta:
        managed = False
        db_table = "common_stafftask"


class StaffTaskAssignee(LegacyModel, TaskLinkSchema):
    user_id = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "common_stafftask_assignees"


class StaffTaskTeam(LegacyModel, TaskLinkSchema):
    staffteam_id = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "common_stafftask_teams"


class StaffTaskDependency(LegacyModel):
    """A row (from A, to B) means task A depends on task B."""

    id = models.BigAutoField(primary_key=True)
    from_stafftask_id = models.BigIntegerField()
    to_stafftask_id = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "common_stafftask_depends_on"


class Event(LegacyModel, EventSchema):
    class Meta:
        managed = False
        db_table = "coordination_event"


class EventOrganization(LegacyModel, EventLinkSchema):
    organization_id = models.UUIDField()

    class Meta:
        managed = False
        db_table = "coordination_event_organizations"


class EventCoOrganizer(LegacyModel, EventLinkSchema):
    user_id = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "coordination_event_co_organizers"


class EventFacilitator(LegacyModel, EventLinkSchema):
    user_id = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "coordination_event_facilitators"


class ProjectWorkflow(LegacyModel, ProjectWorkflowSchema):
    class Meta:
        managed = False
        db_table = "project_central_projectworkflow"


class LegacyUser(LegacyModel):
    """`auth_user` of the old system (the columns the cut-over reads)."""

    id = models.BigAutoField(primary_key=True)
    password = models.CharField(max_length=128)
    last_login = models.DateTimeField(null=True)
    is_superuser = models.BooleanField(default=False)
    username = models.CharField(max_length=150, unique=True)
    first_name = models.CharField(max_length=150, default="")
    last_name = models.CharField(max_length=150, default="")
    email = models.CharField(max_length=254, default="")
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField()
    user_type = models.CharField(max_length=20)
    organization = models.CharField(max_length=255, default="")
    position = models.CharField(max_length=255, default="")
    contact_number = models.CharField(max_length=20, default="")
    is_approved = models.BooleanField(default=False)
    approved_at = models.DateTimeField(null=True)
    approved_by_id = models.BigIntegerField(null=True)

    class Meta:
        managed = False
        db_table = "auth_user"


class LegacyTeam(LegacyModel):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=150, unique=True)
    slug = models.CharField(max_length=160, unique=True)
    description = models.TextField(default="")
    mission = models.TextField(default="")
    focus_areas = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "common_staffteam"


class LegacyTeamMembership(LegacyModel):
    id = models.BigAutoField(primary_key=True)
    role = models.CharField(max_length=20, default="member")
    joined_at = models.DateTimeField()
    is_active = models.BooleanField(default=True)
    notes = models.TextField(default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    assigned_by_id = models.BigIntegerField(null=True)
    team_id = models.BigIntegerField()
    user_id = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "common_staffteammembership"


class LegacyNeed(LegacyModel):
    """`mana_need`: a workflow's title and description live here."""

    id = models.BigAutoField(primary_key=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "mana_need"


class LegacyRecurrencePattern(LegacyModel):
    id = models.BigAutoField(primary_key=True)
    recurrence_type = models.CharField(max_length=20)
    interval = models.PositiveIntegerField(default=1)
    by_weekday = models.JSONField(default=list)
    by_monthday = models.PositiveIntegerField(null=True)
    by_setpos = models.JSONField(default=list)
    count = models.PositiveIntegerField(null=True)
    until_date = models.DateField(null=True)
    exception_dates = models.JSONField(default=list)
    created_at = models.DateTimeField()
    modified_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "common_recurring_event_pattern"


class ImportRecord(models.Model):
    """Which version of a work item the last import or write-back left in step with its row.

    When the item's version has moved on, someone edited it here; a re-run of the migration then
    keeps that edit instead of overwriting it with the old system's value.
    """

    work_item = models.OneToOneField(
        "common.WorkItem", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    synced_version = models.PositiveIntegerField()
    synced_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"item {self.work_item_id} in step at version {self.synced_version}"


class OutboxEntry(models.Model):
    """One change of a migrated work item still to be written back to the old database.

    Written in the same transaction as the change itself, so a change is never lost between the
    two databases; the dual-write task applies entries (idempotently: it copies the item's state,
    not a delta) and retries failures hourly.
    """

    class Action(models.TextChoices):
        SYNC = "sync", "Copy the item's state"
        DELETE = "delete", "Delete the row"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"

    work_item_id = models.BigIntegerField(help_text="The item (it may since have been deleted).")
    legacy_source = models.CharField(max_length=40)
    legacy_id = models.CharField(max_length=36)
    action = models.CharField(max_length=10, choices=Action.choices)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, help_text="What was written, or why it failed.")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When writing it was last tried (applied or failed)."
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "dual-write entry"
        verbose_name_plural = "dual-write entries"
        indexes = [models.Index(fields=["legacy_source", "legacy_id", "state"])]

    def __str__(self) -> str:
        return f"{self.action} {self.legacy_source} {self.legacy_id} ({self.state})"


class ArchiveRecord(models.Model):
    """An archive of the legacy rows, and whether they were then removed from the old database.

    Once rows are archived and deleted, their work items are no longer "orphaned": verification
    reads this record and reports where the rows went.
    """

    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    counts = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.path} ({self.created_at:%Y-%m-%d %H:%M})"


class StagingRun(models.Model):
    """What the staging area below was filled for (one row at most).

    `signature` is a digest of everything a row's mapping depends on besides the row itself
    (organisation, tables, batch size, people, teams, recurrence patterns, which rows exist and
    how events nest, which rows are migrated already). When it differs, nothing staged is reused.
    """

    signature = models.CharField(max_length=64)
    organization_id = models.BigIntegerField()
    sources = models.CharField(max_length=200)
    batch_size = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"staging for {self.sources} ({self.started_at:%Y-%m-%d %H:%M})"


class StagedBatch(models.Model):
    """A checkpoint: one batch of old rows, mapped and staged in its own committed transaction.

    `fingerprint` is a digest of the batch's old rows (with their links); a later run reuses the
    batch's staged rows when the old rows still give the same digest. `applied` marks a batch
    whose rows a final step has put onto the tree (each row created, updated or found in step):
    its rows stay staged, so an unchanged re-run neither maps them again nor compares their items
    field by field while those items are unchanged here since.
    """

    source = models.CharField(max_length=40)
    number = models.PositiveIntegerField()
    first_key = models.CharField(max_length=36)
    last_key = models.CharField(max_length=36)
    rows = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)
    staged_at = models.DateTimeField(auto_now_add=True)
    applied = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="stagedbatch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} batch {self.number} ({self.rows} rows)"


class StagedRow(models.Model):
    """One old row as the mapping made it, waiting for the final step to apply it."""

    batch = models.ForeignKey(StagedBatch, on_delete=models.CASCADE, related_name="staged")
    source = models.CharField(max_length=40)
    legacy_id = models.CharField(max_length=36)
    #: Order of the final step: projects, then events by nesting depth, then tasks.
    level = models.PositiveSmallIntegerField()
    payload = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["level", "id"], name="stagedrow_order")]

    def __str__(self) -> str:
        return f"staged {self.source} {self.legacy_id}"
