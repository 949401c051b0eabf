"""What work pages show but items do not store: a change of it moves the organisation's work mark.

Calendar feeds, ICS subscriptions and the tree page's content are kept under a key built from
the latest change of any visible item and each organisation's `work_changed_at`
(`common.queries.work_changes`). Items also show their assignees' names, their teams' names and
their organisation's name; whether the person asking may edit them depends on team
memberships; the tree page's filters offer the organisation's people, teams and organisations.
None of those changes touches an item row, so without this kept content showed the old name
until it expired.

Each handler writes the mark with one `UPDATE` inside the change's own transaction, so a feed
that reads the new mark also reads the new name. `QuerySet.update` sends no signals, so marking
never ends the cached permission sets that an organisation's saves end.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

#: A person's fields the items show (a name, or the username when no name is given).
SHOWN_NAME = frozenset({"first_name", "last_name", "username"})
#: A team's fields the items show or that decide who may edit them.
SHOWN_TEAM = frozenset({"name", "is_active", "organization"})


def mark(organization_ids: Iterable[int | None]) -> None:
    """Move the work mark of these organisations (one statement)."""
    from .models import Organization

    ids = {pk for pk in organization_ids if pk is not None}
    if ids:
        Organization.objects.filter(pk__in=ids).update(work_changed_at=timezone.now())


def _shows(update_fields, shown: frozenset[str]) -> bool:
    return update_fields is None or not shown.isdisjoint(update_fields)


def person_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """A new or renamed person (the tree page offers the people as assignees to filter by; a
    sign-in saves only `last_login`, and is no change of name)."""
    if created or _shows(update_fields, SHOWN_NAME | {"is_active", "organization"}):
        mark([instance.organization_id])


def person_deleted(sender, instance, **kwargs) -> None:
    mark([instance.organization_id])


def team_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    if created or _shows(update_fields, SHOWN_TEAM):
        mark([instance.organization_id])


def team_deleted(sender, instance, **kwargs) -> None:
    mark([instance.organization_id])


def membership_changed(sender, instance, **kwargs) -> None:
    """A membership saved or deleted: a member may edit the team's items, others may not."""
    from .models import Team

    mark(Team.objects.filter(pk=instance.team_id).values_list("organization_id", flat=True))


def memberships_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs):
    """`team.members.add(…)` and the like, which save no membership one by one."""
    if not action.startswith("post_"):
        return
    from .models import Team

    if reverse:  # from the person's side: `person.teams.add(team, …)`, `person.teams.clear()`
        teams = Team.objects.filter(pk__in=pk_set or ()).values_list("organization_id", flat=True)
        mark([instance.organization_id, *teams])
    else:
        mark([instance.organization_id])


def organization_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """A new or renamed organisation: feeds show each item's organisation by name, and the tree
    page offers the organisations to filter by."""
    if update_fields != frozenset({"work_changed_at"}):
        mark([instance.pk])
