"""What work pages show but items do not store: a change of it moves the organisation's work mark.

Calendar feeds, ICS subscriptions and the tree page's content are kept under a key built from
the latest change of any visible item and each organisation's `work_changed_at`
(`common.queries.work_changes`). Items also show their assignees' names, their teams' names and
their organisation's name; whether the person asking may edit them depends on team
memberships; the tree page's filters offer the organisation's people, teams and organisations.
None of those changes touches an item row, so without this kept content showed the old name
until it expired.

The mark is written by one `UPDATE` once the change commits: a mark written inside the
change's transaction would hold the organisation's row locked for as long as that transaction
runs (a migration's final step creates people and teams and loads items for minutes), and
would bear the time of the write, not of the commit. Between the commit and the mark a page may
be drawn from the new rows and kept under the old key: newer than its key, never older.
`QuerySet.update` sends no signals, so marking never ends the cached permission sets that an
organisation's saves end. Fixtures being loaded (`raw`) mark nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

#: A person's fields the items show (a name, or the username when no name is given).
SHOWN_NAME = frozenset({"first_name", "last_name", "username"})
#: A team's fields the items show or that decide who may edit them.
SHOWN_TEAM = frozenset({"name", "is_active", "organization", "organization_id"})
#: A person's fields the tree page's filters show (people offered as assignees).
OFFERED = SHOWN_NAME | {"is_active", "organization", "organization_id"}


def mark(organization_ids: Iterable[int | None]) -> None:
    """Move the work mark of these organisations once the current transaction commits (one
    statement; at once outside a transaction)."""
    ids = {pk for pk in organization_ids if pk is not None}
    if ids:
        transaction.on_commit(partial(_write, ids), robust=True)


def _write(ids: set[int]) -> None:
    from .models import Organization

    Organization.objects.filter(pk__in=ids).update(work_changed_at=timezone.now())


def _shows(update_fields, shown: frozenset[str]) -> bool:
    return update_fields is None or not shown.isdisjoint(update_fields)


def _shown(model) -> frozenset[str]:
    """The fields of a person or a team that work pages show."""
    return OFFERED if model._meta.model_name == "user" else SHOWN_TEAM


def member_saving(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """A person or team about to be saved, perhaps into another organisation: mark the one it
    leaves (one look-up, only when the save may change what pages show; a sign-in saves only
    `last_login`)."""
    if not raw and instance.pk is not None and _shows(update_fields, _shown(sender)):
        stored = sender.objects.filter(pk=instance.pk).values_list("organization_id", flat=True)
        mark([stored.first()])


def member_saved(sender, instance, created: bool, raw: bool = False, update_fields=None, **kw):
    """A new, renamed or moved person or team (the tree page offers both to filter by)."""
    if not raw and (created or _shows(update_fields, _shown(sender))):
        mark([instance.organization_id])


def member_deleted(sender, instance, **kwargs) -> None:
    mark([instance.organization_id])


def membership_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A membership saved or deleted: a member may edit the team's items, others may not."""
    from .models import Team

    if not raw:
        mark(Team.objects.filter(pk=instance.team_id).values_list("organization_id", flat=True))


def memberships_added(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs):
    """`team.members.add(…)` or `person.teams.add(…)`, which create memberships in bulk, with
    no save of each. Removing and clearing delete each membership, which `membership_changed`
    hears."""
    from .models import Team

    if action != "post_add":
        return
    if reverse:  # from the person's side
        teams = Team.objects.filter(pk__in=pk_set or ()).values_list("organization_id", flat=True)
        mark([instance.organization_id, *teams])
    else:
        mark([instance.organization_id])


def organization_saved(
    sender, instance, created: bool, raw: bool = False, update_fields=None, **kw
):
    """A new or renamed organisation: feeds show each item's organisation by name, and the tree
    page offers the organisations to filter by."""
    if not raw and update_fields != frozenset({"work_changed_at"}):
        mark([instance.pk])
