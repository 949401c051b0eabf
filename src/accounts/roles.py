"""The four roles, as Django groups with permissions.

Roles are groups so an administrator can see and adjust them in the admin; the code checks
*permissions*, never role names, so a custom group works too. `ensure_role_groups` runs after
every `migrate` and is idempotent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission

if TYPE_CHECKING:
    from .models import User

ADMINISTRATOR = "Administrator"
MANAGER = "Manager"
STAFF = "Staff"
VIEWER = "Viewer"
ROLES = [ADMINISTRATOR, MANAGER, STAFF, VIEWER]

# Every role reads its organisation's work items, teams and people (assignments name them);
# a person without a role reads nothing. See "Who may do what" in docs/domain.md.
_VIEWER = [
    "common.view_workitem",
    "accounts.view_team",
    "accounts.view_user",
    "accounts.view_organization",
]
_STAFF = [
    *_VIEWER,
    "common.add_workitem",
    "common.change_workitem",
    "common.delete_own_workitem",
    "collaboration.add_comment",
]
_MANAGER = [
    *_STAFF,
    "common.delete_workitem",
    "common.manage_organization_items",
    "collaboration.moderate_comment",
    "accounts.add_team",
    "accounts.change_team",
    # Members are edited on the team's page; without these the page could not list them.
    "accounts.view_teammembership",
    "accounts.add_teammembership",
    "accounts.change_teammembership",
    "accounts.delete_teammembership",
    # Invite people into the own organisation and change their roles and access (People page).
    "accounts.manage_people",
]
_ADMINISTRATOR = [
    *_MANAGER,
    "common.view_all_organizations",
    "common.manage_all_items",
    "accounts.delete_team",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.add_organization",
    "accounts.change_organization",
    "operations.view_requesttiming",
    "operations.view_feedback",
    "legacy.view_outboxentry",
    "accounts.view_signinlockout",
    "accounts.change_signinlockout",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: _ADMINISTRATOR,
    MANAGER: _MANAGER,
    STAFF: _STAFF,
    VIEWER: _VIEWER,
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups and give each exactly its permissions."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([_permission(p) for p in perms])


def assign_role(user: User, role: str) -> None:
    """Make `role` the user's only role group."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get(name=role))
    # Drop Django's cached permission sets so the new role applies at once.
    for attr in (
        "_perm_cache",
        "_user_perm_cache",
        "_group_perm_cache",
        "_role_cache",
        "_grantable_roles",
    ):
        user.__dict__.pop(attr, None)


def role_of(user: User) -> str | None:
    if "_role_cache" not in user.__dict__:
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user.__dict__["_role_cache"] = next((r for r in ROLES if r in names), None)
    return user.__dict__["_role_cache"]


def role_permissions(role: str) -> set[str]:
    """The permissions the role's group grants now, as `app_label.codename` strings."""
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.filter(name=role).values_list(
            "permissions__content_type__app_label", "permissions__codename"
        )
        if codename
    }
