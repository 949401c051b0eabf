"""Who may see and change which work items — the one permission module.

Pages, API, calendar feeds, exports, admin and the service layer all ask here. Decisions use
Django permissions granted by the role groups (`accounts.roles`), never role names:

* reading at all: each kind of record needs its `view_*` permission (`view_workitem`,
  `view_user`, `view_team`, `view_organization`); a person without a role holds none of them
  and so reads nothing, not even their own organisation (`has_role` tells pages to say so);
* seeing: items of one's own organisation; `view_all_organizations` sees every organisation;
* editing: `manage_all_items` edits everything, `manage_organization_items` everything in one's
  organisation, and `change_workitem` the items one created, is assigned to, or whose team
  one belongs to;
* deleting: `manage_*` as above, plus `delete_own_workitem` for items one created;
* creating: `add_workitem` for top-level items in one's organisation and, below an item,
  whoever may edit that item;
* and none of the changes while work items are not yet the system of record
  (`USE_WORKITEM_MODEL=0`): every page, the admin and the API then show people the read-only
  state up front instead of refusing on submit;
* people: `manage_people` (the Manager role) invites people into an organisation one sees,
  changes their roles and switches their accounts off and on — never one's own account, never
  a role (or a person holding one) with permissions one lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet

if TYPE_CHECKING:
    from accounts.models import ApiToken, Organization, Team, User

    from .models import WorkItem, WorkItemQuerySet

VIEW_ALL = "common.view_all_organizations"
MANAGE_ALL = "common.manage_all_items"
MANAGE_ORG = "common.manage_organization_items"
CHANGE = "common.change_workitem"
ADD = "common.add_workitem"
DELETE_ANY = "common.delete_workitem"
DELETE_OWN = "common.delete_own_workitem"
VIEW_ITEMS = "common.view_workitem"
VIEW_PEOPLE = "accounts.view_user"
VIEW_TEAMS = "accounts.view_team"
VIEW_ORGANIZATIONS = "accounts.view_organization"
MANAGE_PEOPLE = "accounts.manage_people"


def writes_open() -> bool:
    """Whether people may change work items at all (off before the cut-over)."""
    from obcms.flags import flag

    return flag("USE_WORKITEM_MODEL")


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user) -> bool:
    """Whether the person may read anything at all: a role (every role grants `view_workitem`)
    and an organisation to read in (or every organisation).

    People without either get an explicit "ask …" page instead of empty lists.
    """
    return (
        _active(user)
        and user.has_perm(VIEW_ITEMS)
        and (user.organization_id is not None or user.has_perm(VIEW_ALL))
    )


def _in_scope(queryset: QuerySet, user, read_permission: str, org_lookup: str) -> QuerySet:
    """Rows of the user's organisation (all with `view_all_organizations`) if they may read them."""
    if not _active(user) or not user.has_perm(read_permission):
        return queryset.none()
    if user.has_perm(VIEW_ALL):
        return queryset
    if user.organization_id is None:
        return queryset.none()
    return queryset.filter(**{org_lookup: user.organization_id})


def visible_items(queryset: WorkItemQuerySet, user) -> WorkItemQuerySet:
    """Restrict `queryset` to what `user` may see (nothing for anonymous, inactive or no role)."""
    return _in_scope(queryset, user, VIEW_ITEMS, "organization_id")


def rows_about_visible_items(queryset: QuerySet, user, item_field: str) -> QuerySet:
    """Rows (links, records) whose `item_field` is an item `user` may see.

    The same rule as `visible_items`, applied to the joined item's own organisation rather than
    as `item IN (every visible item)`, which SQLite answered by listing every item id of the
    organisation first.
    """
    return _in_scope(queryset, user, VIEW_ITEMS, f"{item_field}__organization_id")


def visible_people(user, queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    """People `user` may read: their organisation's (every organisation's for `VIEW_ALL`)."""
    from accounts.models import User

    return _in_scope(
        User.objects.all() if queryset is None else queryset, user, VIEW_PEOPLE, "organization_id"
    )


def visible_teams(user, queryset: QuerySet[Team] | None = None) -> QuerySet[Team]:
    from accounts.models import Team

    return _in_scope(
        Team.objects.all() if queryset is None else queryset, user, VIEW_TEAMS, "organization_id"
    )


def visible_organizations(
    user, queryset: QuerySet[Organization] | None = None
) -> QuerySet[Organization]:
    from accounts.models import Organization

    return _in_scope(
        Organization.objects.all() if queryset is None else queryset,
        user,
        VIEW_ORGANIZATIONS,
        "pk",
    )


def can_view(user, item: WorkItem) -> bool:
    if not _active(user) or not user.has_perm(VIEW_ITEMS):
        return False
    return user.has_perm(VIEW_ALL) or item.organization_id == user.organization_id


def _holding(permission: str) -> Q:
    """People granted `permission` directly, through a group, or as superusers — as subqueries,
    so filtering many people never multiplies rows."""
    from django.contrib.auth.models import Permission

    from accounts.models import User

    app_label, codename = permission.split(".")
    granted = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    return (
        Q(is_superuser=True)
        | Q(
            pk__in=User.user_permissions.through.objects.filter(permission__in=granted).values(
                "user_id"
            )
        )
        | Q(
            pk__in=User.groups.through.objects.filter(group__permissions__in=granted).values(
                "user_id"
            )
        )
    )


def people_who_can_view(item: WorkItem, user_ids) -> set[int]:
    """Which of `user_ids` may see `item` — `can_view` for many people in one query, so a
    notice to hundreds of watchers never asks about each one."""
    from accounts.models import User

    return set(
        User.objects.filter(pk__in=set(user_ids), is_active=True)
        .filter(_holding(VIEW_ITEMS))
        .filter(Q(organization_id=item.organization_id) | _holding(VIEW_ALL))
        .values_list("pk", flat=True)
    )


def team_organizations(user) -> QuerySet[Organization]:
    """Organisations the user may create teams in: their own, or any with `manage_all_items`."""
    from accounts.models import Organization

    if not _active(user):
        return Organization.objects.none()
    if user.has_perm(MANAGE_ALL):
        return Organization.objects.all()
    return Organization.objects.filter(pk=user.organization_id)


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
    if not writes_open() or not can_view(user, item):
        return False
    if manages(user, item.organization_id):
        return True
    return (
        user.has_perm(CHANGE)
        and item.organization_id == user.organization_id
        and is_involved(user, item)
    )


def can_delete(user, item: WorkItem) -> bool:
    if not writes_open() or not can_view(user, item):
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
    if not writes_open() or not _active(user) or organization is None or not user.has_perm(ADD):
        return False
    return user.has_perm(MANAGE_ALL) or organization.pk == user.organization_id


# --- the conversation about an item (the collaboration app) ---------------------------------
COMMENT = "collaboration.add_comment"
MODERATE_COMMENTS = "collaboration.moderate_comment"


def can_comment(user, item: WorkItem) -> bool:
    """Whoever may see the item and holds a contributing role (Viewers read only)."""
    return can_view(user, item) and user.has_perm(COMMENT)


def can_change_comment(user, comment) -> bool:
    """Authors edit their own words, while they may still see the item."""
    return (
        comment.deleted_at is None
        and comment.author_id == getattr(user, "pk", None)
        and can_view(user, comment.work_item)
    )


def can_remove_comment(user, comment) -> bool:
    """Authors remove their own; moderators (Managers) any comment in their organisation."""
    if comment.deleted_at is not None or not can_view(user, comment.work_item):
        return False
    return comment.author_id == user.pk or _moderates(user, comment.work_item.organization_id)


def can_remove_attachment(user, attachment) -> bool:
    """Uploaders remove their own files (while they may still take part); moderators any."""
    item = attachment.work_item
    if not can_view(user, item):
        return False
    if attachment.uploaded_by_id == user.pk and can_comment(user, item):
        return True
    return _moderates(user, item.organization_id)


def _moderates(user, organization_id: int) -> bool:
    return user.has_perm(MODERATE_COMMENTS) and (
        user.has_perm(MANAGE_ALL) or organization_id == user.organization_id
    )


def creatable_organization(user: User) -> Organization | None:
    """The organisation a new top-level item of `user` belongs to by default."""
    return user.organization if _active(user) else None


def editable_ids(user, items: list[WorkItem]) -> set[int]:
    """Which of `items` the user may edit, for a whole page of rows in at most one query."""
    if not writes_open() or not _active(user) or not items:
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
    if not writes_open() or not _active(user):
        return EditRights(False, False, False, None)
    return EditRights(
        manage_all=user.has_perm(MANAGE_ALL),
        manage_org=user.has_perm(MANAGE_ORG),
        change=user.has_perm(CHANGE),
        organization_id=user.organization_id,
    )


# --- people: invitations, roles, switching accounts off and on ---------------------------------
def people_organizations(user) -> QuerySet[Organization]:
    """Organisations whose people `user` may invite and manage (own; all with `VIEW_ALL`)."""
    from accounts.models import Organization

    if not _active(user) or not user.has_perm(MANAGE_PEOPLE):
        return Organization.objects.none()
    return visible_organizations(user)


def can_manage_people(user, organization: Organization | None) -> bool:
    """Whether `user` may invite into `organization` and manage its people."""
    if organization is None or not _active(user) or not user.has_perm(MANAGE_PEOPLE):
        return False
    if not user.has_perm(VIEW_ORGANIZATIONS):
        return False
    return user.has_perm(VIEW_ALL) or organization.pk == user.organization_id


def grantable_roles(user) -> list[str]:
    """The roles `user` may give, lowest first: those whose permissions `user` holds all of.

    So a manager gives Viewer, Staff or Manager but never Administrator, and a group an
    administrator widens later is judged by what it grants, not by its name. Read once per
    user object (a page of people asks for every row).
    """
    from accounts.roles import ROLES, role_permissions

    if not _active(user) or not user.has_perm(MANAGE_PEOPLE):
        return []
    if "_grantable_roles" not in user.__dict__:
        held = user.get_all_permissions()
        user.__dict__["_grantable_roles"] = [
            r for r in reversed(ROLES) if role_permissions(r) <= held
        ]
    return user.__dict__["_grantable_roles"]


def can_grant_role(user, role: str) -> bool:
    """Whether `user` may give `role` (see `grantable_roles`)."""
    return role in grantable_roles(user)


def can_manage_person(user, person: User) -> bool:
    """Whether `user` may change `person`'s role or switch their account off or on.

    Never one's own account (nobody locks themselves out by accident), never someone outside
    the organisations one manages, and never someone whose role (or superuser flag) reaches
    further than one's own.
    """
    if person.pk == getattr(user, "pk", None) or not _active(user):
        return False
    if person.organization_id is None:
        if not (user.has_perm(MANAGE_PEOPLE) and user.has_perm(VIEW_ALL)):
            return False
    elif not can_manage_people(user, person.organization):
        return False
    if person.is_superuser and not user.is_superuser:
        return False
    role = person.role
    return role is None or can_grant_role(user, role)


def can_revoke_token(user, token: ApiToken) -> bool:
    """A token's owner may revoke it; so may whoever edits people's accounts and sees its owner."""
    if not _active(user):
        return False
    if token.user_id == user.pk:
        return True
    return (
        user.has_perm("accounts.change_user")
        and visible_people(user).filter(pk=token.user_id).exists()
    )


def people_managers_of(person: User, limit: int = 3) -> list[User]:
    """Whom `person` can ask for a role: those managing their organisation's people, else
    administrators who see every organisation (for the "no role yet" sentence)."""
    from accounts.models import User

    def holding(codename: str, app_label: str) -> Q:
        lookup = {"codename": codename, "content_type__app_label": app_label}
        return Q(**{f"groups__permissions__{k}": v for k, v in lookup.items()}) | Q(
            **{f"user_permissions__{k}": v for k, v in lookup.items()}
        )

    managers = (
        User.objects.filter(holding("manage_people", "accounts") | Q(is_superuser=True))
        .filter(is_active=True)
        .exclude(pk=person.pk)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    if person.organization_id is not None:
        own = list(managers.filter(organization_id=person.organization_id)[:limit])
        if own:
            return own
    return list(
        managers.filter(holding("view_all_organizations", "common") | Q(is_superuser=True))[:limit]
    )


# --- any model: the scope every admin page, picker and filter draws from ------------------------
def _scoped_by_owner(queryset: QuerySet, user) -> QuerySet | None:
    """Scope rows through the first relation to an organisation-owned model, if there is one."""
    from accounts.models import Organization, Team, User

    from .models import WorkItem

    owners = {
        Organization: visible_organizations,
        User: visible_people,
        Team: visible_teams,
        WorkItem: lambda u: visible_items(WorkItem.objects.all(), u),
    }
    for field in queryset.model._meta.get_fields():
        target = getattr(field, "related_model", None)
        if field.concrete and (field.many_to_one or field.one_to_one) and target in owners:
            return queryset.filter(**{f"{field.name}__in": owners[target](user)})
    return None


def visible_rows(queryset: QuerySet, user) -> QuerySet:
    """`queryset` limited to the rows `user` may see, whatever its model.

    Organisations, people, teams and work items have their own rules above; a model with a
    relation to one of them (a token's user, a notification's work item) is seen through it;
    anything else belongs to no organisation and is seen only by people who see every
    organisation, so a model added later fails closed rather than open.
    """
    from accounts.models import Organization, Team, User

    from .models import WorkItem

    model: type[Model] = queryset.model
    if issubclass(model, WorkItem):
        return visible_items(queryset, user)
    if issubclass(model, User):
        return visible_people(user, queryset)
    if issubclass(model, Team):
        return visible_teams(user, queryset)
    if issubclass(model, Organization):
        return visible_organizations(user, queryset)
    if not _active(user):
        return queryset.none()
    scoped = _scoped_by_owner(queryset, user)
    if scoped is not None:
        return scoped
    return queryset if user.has_perm(VIEW_ALL) else queryset.none()


# --- outgoing webhooks (the integrations app) ---------------------------------------------------
def can_manage_webhooks(user, organization: Organization | None) -> bool:
    """Managers configure their own organisation's webhooks; administrators any organisation's.

    A hook sends that organisation's work to another system, so it takes the right to manage
    all of the organisation's items, not only to see them.
    """
    if organization is None or not _active(user):
        return False
    return manages(user, organization.pk)


def webhook_organizations(user) -> QuerySet[Organization]:
    """Organisations whose webhooks `user` may see and change (nothing for everyone else)."""
    from accounts.models import Organization

    if not _active(user):
        return Organization.objects.none()
    if user.has_perm(MANAGE_ALL):
        return Organization.objects.all()
    if user.has_perm(MANAGE_ORG) and user.organization_id is not None:
        return Organization.objects.filter(pk=user.organization_id)
    return Organization.objects.none()
