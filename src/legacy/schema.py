"""The old OBCMS trackers' tables, described as abstract models.

These classes are the legacy schema in code (`../docs/migration.md` cites the reference it was
written from): every column of `common_stafftask`, `coordination_event` and
`project_central_projectworkflow` with its type and nullability. They are abstract on purpose —
nothing in OBCMS Work stores data in this shape; `legacy.models` binds them, unmanaged and
read-only by default, to the `legacy` database so the cut-over can read (and, during a parallel
run, write back to) the old database.

Links between legacy rows are plain key columns rather than foreign keys: the importer joins
them in memory (one query per table), and rows that point at tables outside the three trackers
need no model at all. UUID keys read identically from SQLite (`char(32)`) and PostgreSQL
(`uuid`) through `UUIDField`.
"""

from __future__ import annotations

from django.db import models


class StaffTaskSchema(models.Model):
    """`common_stafftask`: a unit of staff work (integer key)."""

    id = models.BigAutoField(primary_key=True)
    title = models.CharField(max_length=255)
    description = models.TextField(default="")
    impact = models.CharField(max_length=255, default="")
    status = models.CharField(max_length=20, default="not_started")
    priority = models.CharField(max_length=12, default="medium")
    progress = models.PositiveSmallIntegerField(default=0)
    start_date = models.DateField(null=True)
    due_date = models.DateField(null=True)
    completed_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by_id = models.BigIntegerField(null=True)
    linked_event_id = models.UUIDField(null=True)
    board_position = models.PositiveIntegerField(default=0)
    is_recurrence_exception = models.BooleanField(default=False)
    is_recurring = models.BooleanField(default=False)
    recurrence_pattern_id = models.BigIntegerField(null=True)
    actual_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    assessment_phase = models.CharField(max_length=30, default="")
    deliverable_type = models.CharField(max_length=50, default="")
    domain = models.CharField(max_length=30, default="general")
    estimated_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    geographic_scope = models.JSONField(default=dict)
    policy_phase = models.CharField(max_length=30, default="")
    related_application_id = models.UUIDField(null=True)
    related_assessment_id = models.UUIDField(null=True)
    related_baseline_id = models.UUIDField(null=True)
    related_communication_id = models.UUIDField(null=True)
    related_community_id = models.BigIntegerField(null=True)
    related_dev_plan_id = models.BigIntegerField(null=True)
    related_engagement_id = models.BigIntegerField(null=True)
    related_funding_flow_id = models.UUIDField(null=True)
    related_import_id = models.UUIDField(null=True)
    related_mao_focal_person_id = models.UUIDField(null=True)
    related_mapping_id = models.BigIntegerField(null=True)
    related_municipal_profile_id = models.BigIntegerField(null=True)
    related_municipality_coverage_id = models.BigIntegerField(null=True)
    related_need_id = models.BigIntegerField(null=True)
    related_organization_id = models.UUIDField(null=True)
    related_outcome_indicator_id = models.UUIDField(null=True)
    related_partnership_id = models.UUIDField(null=True)
    related_partnership_milestone_id = models.BigIntegerField(null=True)
    related_performance_target_id = models.BigIntegerField(null=True)
    related_policy_id = models.UUIDField(null=True)
    related_policy_evidence_id = models.BigIntegerField(null=True)
    related_policy_milestone_id = models.UUIDField(null=True)
    related_ppa_id = models.UUIDField(null=True)
    related_service_id = models.UUIDField(null=True)
    related_stakeholder_id = models.BigIntegerField(null=True)
    related_strategic_goal_id = models.UUIDField(null=True)
    related_survey_id = models.BigIntegerField(null=True)
    related_training_id = models.BigIntegerField(null=True)
    related_workflow_stage_id = models.UUIDField(null=True)
    related_workshop_id = models.BigIntegerField(null=True)
    service_phase = models.CharField(max_length=30, default="")
    task_category = models.CharField(max_length=50, default="")
    task_role = models.CharField(max_length=20, default="")
    created_from_template_id = models.BigIntegerField(null=True)
    auto_generated = models.BooleanField(default=False)
    linked_ppa_id = models.UUIDField(null=True)
    linked_workflow_id = models.UUIDField(null=True)
    workflow_stage = models.CharField(max_length=30, default="")
    task_context = models.CharField(max_length=20, default="standalone")
    recurrence_parent_id = models.BigIntegerField(null=True)

    class Meta:
        abstract = True


class EventSchema(models.Model):
    """`coordination_event`: meetings, consultations, workshops, field visits (UUID key)."""

    id = models.UUIDField(primary_key=True)
    title = models.CharField(max_length=255)
    event_type = models.CharField(max_length=15)
    description = models.TextField()
    objectives = models.TextField(default="")
    status = models.CharField(max_length=15, default="draft")
    priority = models.CharField(max_length=10, default="medium")
    start_date = models.DateField()
    end_date = models.DateField(null=True)
    start_time = models.TimeField(null=True)
    end_time = models.TimeField(null=True)
    duration_hours = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    venue = models.CharField(max_length=255)
    address = models.TextField()
    coordinates = models.JSONField(null=True)
    is_virtual = models.BooleanField(default=False)
    virtual_platform = models.CharField(max_length=100, default="")
    virtual_link = models.CharField(max_length=200, default="")
    virtual_meeting_id = models.CharField(max_length=100, default="")
    virtual_passcode = models.CharField(max_length=50, default="")
    expected_participants = models.PositiveIntegerField(default=0)
    actual_participants = models.PositiveIntegerField(default=0)
    target_audience = models.TextField(default="")
    agenda = models.TextField(default="")
    materials_needed = models.TextField(default="")
    minutes = models.TextField(default="")
    outcomes = models.TextField(default="")
    decisions_made = models.TextField(default="")
    key_discussions = models.TextField(default="")
    budget_allocated = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    actual_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    feedback_summary = models.TextField(default="")
    satisfaction_rating = models.IntegerField(null=True)
    lessons_learned = models.TextField(default="")
    follow_up_required = models.BooleanField(default=False)
    follow_up_date = models.DateField(null=True)
    follow_up_notes = models.TextField(default="")
    is_recurring = models.BooleanField(default=False)
    recurrence_pattern_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    community_id = models.BigIntegerField(null=True)
    created_by_id = models.BigIntegerField()
    organizer_id = models.BigIntegerField()
    related_assessment_id = models.UUIDField(null=True)
    related_engagement_id = models.UUIDField(null=True)
    fiscal_year = models.PositiveIntegerField(null=True)
    is_quarterly_coordination = models.BooleanField(default=False)
    pre_meeting_reports_due = models.DateField(null=True)
    quarter = models.CharField(max_length=2, default="")
    is_recurrence_exception = models.BooleanField(default=False)
    is_project_activity = models.BooleanField(default=False)
    project_activity_type = models.CharField(max_length=30, default="")
    parent_event_id = models.UUIDField(null=True)
    recurrence_parent_id = models.UUIDField(null=True)
    related_project_id = models.UUIDField(null=True)

    class Meta:
        abstract = True


class ProjectWorkflowSchema(models.Model):
    """`project_central_projectworkflow`: a project from community need to completion.

    It has no title of its own: its name and description are those of its `primary_need`.
    """

    id = models.UUIDField(primary_key=True)
    current_stage = models.CharField(max_length=30, default="need_identification")
    stage_history = models.JSONField(default=list)
    priority_level = models.CharField(max_length=10, default="medium")
    initiated_date = models.DateField()
    target_completion_date = models.DateField(null=True)
    actual_completion_date = models.DateField(null=True)
    overall_progress = models.IntegerField(default=0)
    is_on_track = models.BooleanField(default=True)
    is_blocked = models.BooleanField(default=False)
    blocker_description = models.TextField(default="")
    estimated_budget = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    budget_approved = models.BooleanField(default=False)
    budget_approval_date = models.DateField(null=True)
    notes = models.TextField(default="")
    lessons_learned = models.TextField(default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by_id = models.BigIntegerField(null=True)
    mao_focal_person_id = models.UUIDField(null=True)
    ppa_id = models.UUIDField(null=True, unique=True)
    primary_need_id = models.BigIntegerField(unique=True)
    project_lead_id = models.BigIntegerField(null=True)

    class Meta:
        abstract = True


class TaskLinkSchema(models.Model):
    """The three StaffTask many-to-many tables share this shape: a task and one other key."""

    id = models.BigAutoField(primary_key=True)
    stafftask_id = models.BigIntegerField()

    class Meta:
        abstract = True


class EventLinkSchema(models.Model):
    """The three Event many-to-many tables: an event and one other key."""

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField()

    class Meta:
        abstract = True


#: The abstract schema classes, for the deployment report's "legacy models are abstract" check.
SCHEMAS = (StaffTaskSchema, EventSchema, ProjectWorkflowSchema, TaskLinkSchema, EventLinkSchema)
