"""Work items in the Django admin — a tree-ordered list whose every write goes through the services.

The change form validates *by performing the write* through `common.services` inside the admin's
transaction, so a rule violation (wrong type under a parent, a cycle, a stale version) becomes a
form error, never a 500, and the admin can never save something the rest of the product refuses.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from accounts.admin_scope import ScopedAdminMixin

from . import permissions, services
from .models import Status, WorkItem, WorkItemRelation


def _is_changelist(request: HttpRequest) -> bool:
    match = request.resolver_match
    return bool(match and match.url_name and match.url_name.endswith("_changelist"))


class WorkItemAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    #: Set per request by `WorkItemAdmin.get_form`.
    actor = None

    class Meta:
        model = WorkItem
        fields = [
            "work_type",
            "title",
            "description",
            "parent",
            "organization",
            "status",
            "priority",
            "start_date",
            "due_date",
            "dates_from_children",
            "start_time",
            "end_time",
            "progress_mode",
            "progress",
            "weight",
            "assignees",
            "teams",
            "is_calendar_visible",
            "calendar_color",
            "details",
            "allocated_budget",
            "actual_expenditure",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved_item: WorkItem | None = None
        # A view-only page (a Viewer with admin access) has no editable fields at all.
        if self.instance.pk and "expected_version" in self.fields:
            self.fields["expected_version"].initial = self.instance.version
        if self.instance.pk and "organization" in self.fields:
            self.fields["organization"].disabled = True
            self.fields["organization"].help_text = "Follows the top item of the tree."
        if "organization" in self.fields:
            self.fields["organization"].required = False

    def _post_clean(self) -> None:
        # Model-level validation is the services' job; skip ModelForm's own instance checks.
        pass

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            with transaction.atomic():
                self.saved_item = self._write(data)
        except ValidationError as exc:
            self._add_service_errors(exc)
        except services.VersionConflict as exc:
            self.add_error(None, f"{exc} Reload the page to see the current values.")
        except PermissionDenied as exc:
            self.add_error(None, str(exc) or "You may not make this change.")
        return data

    def _write(self, data: dict[str, Any]) -> WorkItem:
        fields = {name: data.get(name) for name in services.EDITABLE_FIELDS if name in self.fields}
        for text_field in ("description", "calendar_color"):
            fields[text_field] = fields.get(text_field) or ""
        fields["details"] = data.get("details") or {}
        assignees, teams = list(data.get("assignees") or []), list(data.get("teams") or [])
        if not self.instance.pk:
            work_type, title = fields.pop("work_type"), fields.pop("title")
            return services.create_work_item(
                self.actor,
                work_type=work_type,
                title=title,
                parent=data.get("parent"),
                organization=data.get("organization"),
                assignees=assignees,
                teams=teams,
                reason="admin",
                **fields,
            )
        version = data.get("expected_version")
        item = self.instance
        parent = data.get("parent")
        if (parent.pk if parent else None) != WorkItem.objects.get(pk=item.pk).parent_id:
            item = services.move_work_item(
                self.actor, item, parent=parent, expected_version=version, reason="admin"
            )
            version = item.version
        return services.update_work_item(
            self.actor,
            item,
            expected_version=version,
            assignees=assignees,
            teams=teams,
            reason="admin",
            **fields,
        )

    def _add_service_errors(self, exc: ValidationError) -> None:
        for field, messages_ in exc.message_dict.items():
            target = field if field in self.fields else None
            for message in messages_:
                self.add_error(target, message if target else f"{field}: {message}")


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        overdue = {"due_date__lt": timezone.localdate()}
        open_items = queryset.exclude(status__in=[Status.COMPLETED, Status.CANCELLED])
        if self.value() == "yes":
            return open_items.filter(**overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=open_items.filter(**overdue).values("pk"))
        return queryset


class RelationInline(ScopedAdminMixin, admin.TabularInline):
    model = WorkItemRelation
    fk_name = "source"
    extra = 0
    fields = ["kind", "target", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkItem)
class WorkItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = WorkItemAdminForm
    list_display = [
        "indented_title",
        "work_type",
        "status",
        "priority",
        "progress_bar",
        "start_date",
        "due_date",
        "organization",
    ]
    list_display_links = ["indented_title"]
    list_filter = ["work_type", "status", "priority", "organization", OverdueFilter]
    search_fields = ["title", "description"]
    autocomplete_fields = ["parent", "assignees", "teams"]
    list_per_page = 100
    readonly_fields = ["root", "version", "completed_at", "created_by", "created_at", "updated_at"]
    inlines = [RelationInline]
    actions = [
        "mark_completed",
        "mark_in_progress",
        "mark_at_risk",
        "mark_blocked",
        "mark_cancelled",
    ]

    # --- before the cut-over the admin shows work items read-only, and says why -----------------
    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.writes_open() and super().has_add_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        self._say_if_read_only(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request: HttpRequest, *args, **kwargs):
        self._say_if_read_only(request)
        return super().changeform_view(request, *args, **kwargs)

    def _say_if_read_only(self, request: HttpRequest) -> None:
        if request.method == "GET" and not permissions.writes_open():
            from .context_processors import READ_ONLY

            self.message_user(request, READ_ONLY, messages.WARNING)

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkItem]:
        # The tree ordering needs the tree fields first, so this does not call the mixin's
        # `get_queryset`; it scopes with the same `visible_to`. Choices, prefills and filters
        # are scoped by the mixin.
        visible = WorkItem.objects.visible_to(request.user).select_related("organization")
        if _is_changelist(request) and not request.GET.get("q"):
            return visible.with_tree_fields()
        return visible

    def get_ordering(self, request):
        # Depth-first tree order (siblings by position); search results come without the tree.
        if request.GET.get("q") or not _is_changelist(request):
            return ["title", "id"]
        return ["tree_ordering"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_fields(self, request, obj=None):
        return [*WorkItemAdminForm.Meta.fields, "expected_version", *self.readonly_fields]

    # --- permissions come from the one permission module ---------------------------------------
    def has_view_permission(self, request, obj=None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request) or request.user.has_perm(
                permissions.CHANGE
            )
        return permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is None:
            return request.user.has_perm(permissions.DELETE_ANY) or request.user.has_perm(
                permissions.DELETE_OWN
            )
        return permissions.can_delete(request.user, obj)

    # --- writes: the form already performed them through the services ---------------------------
    def save_form(self, request, form, change):
        return form.saved_item

    def save_model(self, request, obj, form, change) -> None:
        pass

    def save_related(self, request, form, formsets, change) -> None:
        pass

    def delete_model(self, request, obj) -> None:
        services.delete_work_item(request.user, obj, reason="admin")

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # deletes bypass the rules; use the item page
        return actions

    # --- list columns ----------------------------------------------------------------------------
    @admin.display(description="Title", ordering="title")
    def indented_title(self, obj: WorkItem) -> str:
        depth = getattr(obj, "tree_depth", 0)
        return format_html("{}{}", "— " * depth, obj.title)

    @admin.display(description="Progress", ordering="progress")
    def progress_bar(self, obj: WorkItem) -> str:
        return format_html(
            "<progress max='100' value='{}'></progress> {}%", obj.progress, obj.progress
        )

    # --- bulk status actions ----------------------------------------------------------------
    def _set_status(self, request, queryset, status: str) -> None:
        results = services.bulk_set_status(
            request.user, queryset.values_list("pk", flat=True), status
        )
        done = sum(r.ok for r in results)
        if done:
            self.message_user(request, f"{done} item(s) set to {Status(status).label}.")
        for failure in (r for r in results if not r.ok):
            self.message_user(request, f"Item {failure.item_id}: {failure.error}", messages.ERROR)

    @admin.action(description="Mark selected items completed", permissions=["change"])
    def mark_completed(self, request, queryset):
        self._set_status(request, queryset, Status.COMPLETED)

    @admin.action(description="Set status: in progress", permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, Status.IN_PROGRESS)

    @admin.action(description="Set status: at risk", permissions=["change"])
    def mark_at_risk(self, request, queryset):
        self._set_status(request, queryset, Status.AT_RISK)

    @admin.action(description="Set status: blocked", permissions=["change"])
    def mark_blocked(self, request, queryset):
        self._set_status(request, queryset, Status.BLOCKED)

    @admin.action(description="Set status: cancelled", permissions=["change"])
    def mark_cancelled(self, request, queryset):
        self._set_status(request, queryset, Status.CANCELLED)
