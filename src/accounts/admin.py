"""Admin for organisations, people, teams and API tokens."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone

from .models import ApiToken, Organization, Team, TeamMembership, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "acronym"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Organisation", {"fields": ("organization",)}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Organisation", {"fields": ("organization",)}),
    )
    list_display = ["username", "first_name", "last_name", "organization", "is_active"]
    list_filter = [*DjangoUserAdmin.list_filter, "organization"]
    list_select_related = ["organization"]

    def get_search_results(self, request, queryset, search_term):
        # Pickers (e.g. a work item's assignees) only offer people the editor may see.
        results, distinct = super().get_search_results(request, queryset, search_term)
        if not request.user.has_perm("common.view_all_organizations"):
            results = results.filter(organization_id=request.user.organization_id)
        return results, distinct


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_active"]
    list_filter = ["organization", "is_active"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]

    def get_queryset(self, request):
        teams = super().get_queryset(request).select_related("organization")
        if request.user.has_perm("common.view_all_organizations"):
            return teams
        return teams.filter(organization_id=request.user.organization_id)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = [
        "user",
        "name",
        "hint",
        "key_hash",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are issued with `manage.py create_api_token` or from the profile

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} token(s) revoked.")
