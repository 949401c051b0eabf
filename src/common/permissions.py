"""Who may see and change which work items — the one permission module.

Pages, API, calendar feeds, exports, admin and the service layer all ask here. Decisions use
Django permissions granted by the role groups (`accounts.roles`), never role names:

* seeing: items of one's own organisation; `view_all_organizations` sees every organisation;
* editing: `manage_all_items` edits everything, `manage_organization_items` everything in one's
  organisation, and `change_workitem` the items one created, is assigned to, or whose team
  one belongs to;
* deleting: `manage_*` as above, plus `delete_own_workitem` for items one created;
* creating: `add_workitem` for top-level items in one's organisation and, below an item,
  whoever may edit that item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from accounts.models import Organization, User

    from .models import WorkItem, WorkItemQuerySet

VIEW_ALL = "common.view_all_organizations"
MANAGE_ALL = "common.manage_all_items"
MANAGE_ORG = "common.manage_organization_items"
CHANGE = "common.change_workitem"
ADD = "common.add_workitem"
DELETE_ANY = "common.delete_workitem"
DELETE_OWN = "common.delete_own_workitem"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def visible_items(queryset: WorkItemQuerySet, user) -> WorkItemQuerySet:
    """Restrict `queryset` to what `user` may see (nothing for anonymous or inactive users)."""
    if not _active(user):
        return queryset.none()
    if user.has_perm(VIEW_ALL):
        return queryset
    if user.organization_id is None:
        return queryset.none()
    return queryset.filter(organization_id=user.organization_id)


def can_view(user, item: WorkItem) -> bool:
    if not _active(user):
        return False
    return user.has_perm(VIEW_ALL) or item.organization_id == user.organization_id


def manages(user, organization_id: int) -> bool:
    if user.has_perm(MANAGE_ALL):
        return True
    return user.has_perm(MANAGE_ORG) and organization_id == user.organization_id


def is_involved(user, item: WorkItem) -> bool:
    """Created by, assigned to, or assigned through a team the user belongs to (one query)."""
    if item.created_by_id == user.pk:
        return True
    from .models import WorkItem

    return (
        WorkItem.objects.filter(pk=item.pk)
        .filter(Q(assignees=user) | Q(teams__memberships__user=user))
        .exists()
    )


def can_edit(user, item: WorkItem) -> bool:
    if not can_view(user, item):
        return False
    if manages(user, item.organization_id):
        return True
    return (
        user.has_perm(CHANGE)
        and item.organization_id == user.organization_id
        and is_involved(user, item)
    )


def can_delete(user, item: WorkItem) -> bool:
    if not can_view(user, item):
        return False
    if manages(user, item.organization_id) and (
        user.has_perm(DELETE_ANY) or user.has_perm(MANAGE_ALL)
    ):
        return True
    return (
        user.has_perm(DELETE_OWN)
        and item.organization_id == user.organization_id
        and item.created_by_id == user.pk
    )


def can_add_child(user, parent: WorkItem) -> bool:
    return user is not None and user.has_perm(ADD) and can_edit(user, parent)


def can_create_root(user, organization: Organization | None) -> bool:
    if not _active(user) or organization is None or not user.has_perm(ADD):
        return False
    return user.has_perm(MANAGE_ALL) or organization.pk == user.organization_id


def creatable_organization(user: User) -> Organization | None:
    """The organisation a new top-level item of `user` belongs to by default."""
    return user.organization if _active(user) else None


def editable_ids(user, items: list[WorkItem]) -> set[int]:
    """Which of `items` the user may edit, for a whole page of rows in at most one query."""
    if not _active(user) or not items:
        return set()
    if user.has_perm(MANAGE_ALL):
        return {i.pk for i in items}
    own_org = [i for i in items if i.organization_id == user.organization_id]
    if user.has_perm(MANAGE_ORG):
        return {i.pk for i in own_org}
    if not user.has_perm(CHANGE):
        return set()
    allowed = {i.pk for i in own_org if i.created_by_id == user.pk}
    others = [i.pk for i in own_org if i.pk not in allowed]
    if others:
        from .models import WorkItem

        allowed.update(
            WorkItem.objects.filter(pk__in=others)
            .filter(Q(assignees=user) | Q(teams__memberships__user=user))
            .values_list("pk", flat=True)
        )
    return allowed


@dataclass(frozen=True)
class EditRights:
    """A person's edit rights, read once, for deciding about many rows without more lookups."""

    manage_all: bool
    manage_org: bool
    change: bool
    organization_id: int | None

    def allows(self, organization_id: int, involved: bool) -> bool:
        """`can_edit` for a row whose involvement (creator, assignee, team) is known."""
        if self.manage_all:
            return True
        same_org = organization_id == self.organization_id
        return same_org and (self.manage_org or (self.change and involved))


def edit_rights(user) -> EditRights:
    if not _active(user):
        return EditRights(False, False, False, None)
    return EditRights(
        manage_all=user.has_perm(MANAGE_ALL),
        manage_org=user.has_perm(MANAGE_ORG),
        change=user.has_perm(CHANGE),
        organization_id=user.organization_id,
    )
