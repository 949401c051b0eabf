"""API representations. Serializers parse and present; `common.services` validates and writes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Team, User
from common.calendar.subscriptions import BINDABLE
from common.models import CalendarSubscription, Priority, ProgressMode, Status, WorkItem, WorkType
from notifications.models import Notification
from obcms.ids import MAX_ID


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$",
        "example": "09:30:00",
        "description": "Office local time (HH:MM:SS).",
    }
)
class ClockTimeField(serializers.TimeField):
    """A wall-clock time without a zone; JSON Schema's `time` format would demand an offset."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M:%S")
        super().__init__(**kwargs)


class CrumbSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class WorkItemSerializer(serializers.ModelSerializer):
    """A work item as integrators see it; `breadcrumb` runs from the root to the parent."""

    assignees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    start_time = ClockTimeField(read_only=True, allow_null=True)
    end_time = ClockTimeField(read_only=True, allow_null=True)
    children_count = serializers.SerializerMethodField()
    breadcrumb = serializers.SerializerMethodField()

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "work_type",
            "title",
            "description",
            "parent",
            "root",
            "organization",
            "position",
            "status",
            "priority",
            "start_date",
            "due_date",
            "start_time",
            "end_time",
            "completed_at",
            "progress",
            "progress_mode",
            "weight",
            "assignees",
            "teams",
            "created_by",
            "is_calendar_visible",
            "calendar_color",
            "details",
            "allocated_budget",
            "actual_expenditure",
            "recurrence_rule",
            "recurrence_exdates",
            "scheduling_mode",
            "dates_from_children",
            "version",
            "created_at",
            "updated_at",
            "children_count",
            "breadcrumb",
        ]
        read_only_fields = fields

    def get_children_count(self, item: WorkItem) -> int:
        if hasattr(item, "children_count"):
            return item.children_count
        return item.children.count()

    @extend_schema_field(CrumbSerializer(many=True))
    def get_breadcrumb(self, item: WorkItem) -> list[dict[str, Any]]:
        crumbs = self.context.get("breadcrumbs")
        if crumbs is not None:
            return crumbs.get(item.pk, [])
        from common.tree import ancestors

        return [{"id": a.pk, "title": a.title} for a in ancestors(item)]


class _EditableFields(serializers.Serializer):
    """Fields a caller may set; ranges and rules are checked by the services."""

    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    start_time = ClockTimeField(required=False, allow_null=True)
    end_time = ClockTimeField(required=False, allow_null=True)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    progress_mode = serializers.ChoiceField(choices=ProgressMode.choices, required=False)
    weight = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    is_calendar_visible = serializers.BooleanField(required=False)
    dates_from_children = serializers.BooleanField(required=False)
    calendar_color = serializers.RegexField(
        r"^(#[0-9A-Fa-f]{6})?$", required=False, allow_blank=True
    )
    details = serializers.DictField(required=False)
    allocated_budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    actual_expenditure = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    recurrence_rule = serializers.CharField(max_length=500, required=False, allow_blank=True)
    recurrence_exdates = serializers.ListField(child=serializers.DateField(), required=False)
    assignees = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=200,
    )
    teams = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=200,
    )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "recurrence_exdates" in data:
            data["recurrence_exdates"] = [d.isoformat() for d in data["recurrence_exdates"]]
        return data


class WorkItemCreateSerializer(_EditableFields):
    work_type = serializers.ChoiceField(choices=WorkType.choices)
    title = serializers.CharField(max_length=500)
    parent = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="The parent's id; leave out for a top-level item.",
    )
    organization = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="Top-level items only; defaults to your organisation.",
    )
    position = serializers.IntegerField(
        min_value=0,
        max_value=1_000_000,
        required=False,
        allow_null=True,
        help_text="Place among the siblings (0 = first).",
    )


class WorkItemUpdateSerializer(_EditableFields):
    work_type = serializers.ChoiceField(choices=WorkType.choices, required=False)
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="The version you read; a newer one on the server answers 409 with its values.",
    )


class MoveSerializer(serializers.Serializer):
    parent = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        help_text="The new parent's id, or null for the top level.",
    )
    position = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False, allow_null=True
    )
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class BulkUpdateSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=500
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    assignees = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=200,
    )

    def validate(self, attrs):
        if "status" not in attrs and "assignees" not in attrs:
            raise serializers.ValidationError("Give a status, assignees, or both.")
        return attrs


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    error = serializers.CharField(allow_blank=True)


class HistoryEntrySerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.CharField(help_text="+ created, ~ changed, - deleted")
    history_change_reason = serializers.CharField(allow_null=True)
    user = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField()


class TeamSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "description", "organization", "members", "is_active"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "display_name", "organization"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "work_item", "created_at", "read_at"]
        read_only_fields = fields


class SubscriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarSubscription
        fields = ["id", "name", "hint", "filters", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class SubscriptionCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=200)),
        required=False,
        help_text=f"Feed parameters to bind, as lists of values: {', '.join(BINDABLE)}.",
    )


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    url = serializers.CharField(help_text="The secret address; shown only in this answer.")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "url"]
        read_only_fields = fields
