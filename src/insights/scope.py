"""What a dashboard counts: the person's organisation, or one project, team or person in it.

Every choice is looked up *inside* the permission module's querysets (`visible_to`,
`visible_organizations`, `visible_teams`, `visible_people`), so a URL can narrow what a person
sees but never widen it: an id outside them is ignored and the default scope stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet

from accounts.models import Organization, Team, User
from common import permissions
from common.models import WorkItem, WorkType
from common.tree import subtree_ids_expression
from obcms.ids import is_id


@dataclass
class Scope:
    """The items a dashboard counts, and how to say (and link) which ones they are."""

    items: QuerySet[WorkItem]
    organization: Organization | None
    label: str
    params: dict[str, str] = field(default_factory=dict)
    project: WorkItem | None = None
    team: Team | None = None
    person: User | None = None

    @property
    def query(self) -> str:
        """The scope as a query string, for links between dashboards and CSV downloads."""
        return urlencode(self.params)


def _pick(queryset: QuerySet, raw: str | None):
    """The row with id `raw` if it is in `queryset` (the visible rows), else None."""
    if not raw or not is_id(raw):
        return None
    return queryset.filter(pk=int(raw)).first()


def resolve_scope(user: User, data) -> Scope:
    """The scope chosen by `data` (a QueryDict), limited to what `user` may see.

    Costs at most one query per named choice; with no choice, one (the organisation).
    """
    items = WorkItem.objects.visible_to(user)
    orgs = permissions.visible_organizations(user)
    organization = _pick(orgs, data.get("organization")) or (
        orgs.filter(pk=user.organization_id).first() if user.organization_id else None
    )
    if organization is None:
        return Scope(items.none(), None, "Nothing to show")
    items = items.filter(organization=organization)
    params = {"organization": str(organization.pk)}
    scope = Scope(items, organization, str(organization), params)

    project = _pick(
        items.filter(work_type__in=[WorkType.PROJECT, WorkType.SUB_PROJECT]), data.get("project")
    )
    if project is not None:
        scope.items = items.filter(pk__in=subtree_ids_expression(project.pk))
        scope.project, scope.label = project, project.title
        scope.params["project"] = str(project.pk)
        return scope
    team = _pick(
        permissions.visible_teams(user).filter(organization=organization), data.get("team")
    )
    if team is not None:
        scope.items = items.filter(pk__in=WorkItem.objects.filter(teams=team).values("pk"))
        scope.team, scope.label = team, f"Team {team.name}"
        scope.params["team"] = str(team.pk)
        return scope
    person = _pick(
        permissions.visible_people(user).filter(organization=organization), data.get("person")
    )
    if person is not None:
        scope.items = items.filter(pk__in=WorkItem.objects.filter(assignees=person).values("pk"))
        scope.person, scope.label = person, person.display_name
        scope.params["person"] = str(person.pk)
    return scope
