"""Admin for organisations, people, teams, API tokens, roles and sign-in lockouts.

Every admin here uses `ScopedAdminMixin`, so a manager's pages, pickers and filters hold only
their own organisation. Teams never change organisation: their members and the work assigned
to them belong to the organisation they were made in.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common import permissions

from . import services, throttle
from .admin_scope import ScopedAdminMixin
from .login import ThrottledAdminAuthenticationForm
from .models import ApiToken, Organization, SignInLockout, Team, TeamMembership, User

admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "acronym"]


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
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
    actions = ["deactivate_selected", "reactivate_selected"]

    def _switch(self, request, queryset, active: bool) -> None:
        """Through `accounts.services`, as the People page does: the same rules, per person."""
        done, refused = 0, []
        for person in queryset:
            try:
                services.set_active(request.user, person, active)
            except PermissionDenied:
                refused.append(person.display_name)
            else:
                done += 1
        self.message_user(request, f"{done} account(s) {'re' if active else 'de'}activated.")
        if refused:
            self.message_user(request, f"Not allowed for: {', '.join(refused)}.", messages.WARNING)

    @admin.action(description="Deactivate the selected people", permissions=["change"])
    def deactivate_selected(self, request, queryset):
        self._switch(request, queryset, active=False)

    @admin.action(description="Reactivate the selected people", permissions=["change"])
    def reactivate_selected(self, request, queryset):
        self._switch(request, queryset, active=True)


class GroupAdmin(ScopedAdminMixin, DjangoGroupAdmin):
    """Roles belong to no organisation: only people who see every organisation see them."""


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)


class MembershipFormSet(forms.BaseInlineFormSet):
    """A team's members come from the team's own organisation."""

    def clean(self) -> None:
        super().clean()
        team = self.instance
        for form in self.forms:
            member = (getattr(form, "cleaned_data", None) or {}).get("user")
            deleting = form.cleaned_data.get("DELETE") if form.cleaned_data else False
            if member and not deleting and member.organization_id != team.organization_id:
                form.add_error("user", "Only people of the team's organisation can be members.")


class TeamMembershipInline(ScopedAdminMixin, admin.TabularInline):
    model = TeamMembership
    formset = MembershipFormSet
    extra = 1
    autocomplete_fields = ["user"]


class TeamAdminForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["organization", "name", "description", "is_active"]

    def clean_organization(self):
        organization = self.cleaned_data.get("organization")
        if self.instance.pk and organization and organization.pk != self.instance.organization_id:
            raise ValidationError(
                "A team stays in the organisation it was made in; make a new team there instead."
            )
        return organization


@admin.register(Team)
class TeamAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = TeamAdminForm
    list_display = ["name", "organization", "is_active"]
    list_filter = ["organization", "is_active"]
    list_select_related = ["organization"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # The organisation is chosen once; moving a team would carry its members' assignments
        # (and the names on them) into another organisation.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "organization"] if obj is not None else readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = permissions.team_organizations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdminMixin, admin.ModelAdmin):
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
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.revoke_token(request.user, token)
            except PermissionDenied:
                continue
            count += 1
        self.message_user(request, f"{count} token(s) revoked.")


class ActiveLockoutFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Locked now"), ("over", "Over or lifted")]

    def queryset(self, request, queryset):
        active = {"lifted_at__isnull": True, "locked_until__gt": timezone.now()}
        if self.value() == "active":
            return queryset.filter(**active)
        if self.value() == "over":
            return queryset.exclude(**active)
        return queryset


@admin.register(SignInLockout)
class SignInLockoutAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who is locked out of signing in, until when, and a way to let them in again."""

    list_display = ["kind", "key", "failures", "locked_at", "locked_until", "active", "lifted_by"]
    list_filter = [ActiveLockoutFilter, "kind"]
    search_fields = ["key"]
    readonly_fields = [
        "kind",
        "key",
        "failures",
        "locked_at",
        "locked_until",
        "lifted_at",
        "lifted_by",
    ]
    actions = ["lift_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # lockouts come from wrong passwords only

    @admin.display(boolean=True, description="Locked now")
    def active(self, obj: SignInLockout) -> bool:
        return obj.is_active

    @admin.action(description="Lift the selected lockouts now", permissions=["change"])
    def lift_selected(self, request, queryset):
        lifted = 0
        for lockout in queryset:
            if lockout.is_active:
                lifted += 1
            throttle.lift(lockout, by=request.user.get_username())
        self.message_user(request, f"{lifted} lockout(s) lifted.", messages.SUCCESS)
