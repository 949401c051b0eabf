"""Creating and editing work items."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, Team, User
from common import permissions
from common.calendar.recurrence import clean_exdates, last_day, normalise_rule
from common.details import clean_details
from common.models import ProgressMode, SchedulingMode, Status, WorkItem
from common.progress import propagate_from
from common.tree import path_to_root
from obcms.flags import flag

from . import history
from .derived_dates import children_span, derive_upwards
from .errors import VersionConflict, WritesDisabled
from .field_checks import clean_fields_once
from .locking import lock_items
from .positions import next_position, place_at
from .rules import check_dates, check_depth, check_placement

#: Fields a caller may set directly; everything else is derived by the service.
EDITABLE_FIELDS = frozenset(
    {
        "work_type",
        "title",
        "description",
        "status",
        "priority",
        "start_date",
        "due_date",
        "start_time",
        "end_time",
        "progress",
        "progress_mode",
        "weight",
        "is_calendar_visible",
        "calendar_color",
        "details",
        "recurrence_rule",
        "recurrence_exdates",
        "allocated_budget",
        "actual_expenditure",
        "dates_from_children",
    }
)
_NOT_CLEANED = frozenset(
    [
        "parent",
        "root",
        "organization",
        "created_by",
        "priority_rank",
        "details",
        "recurrence_exdates",
        "recurrence_end",
    ]
)


def ensure_writes_allowed(actor: User | None) -> None:
    """People may not write while USE_WORKITEM_MODEL is off; system jobs (actor None) may."""
    if actor is not None and not flag("USE_WORKITEM_MODEL"):
        raise WritesDisabled()


def reject_unknown_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set."))


def validate_item_fields(
    item: WorkItem,
    known_valid: Collection[str] = (),
    checked: dict[tuple, Any] | None = None,
) -> None:
    """Field-level checks (required, lengths, choices, ranges), then cross-field rules.

    `known_valid` names fields the caller knows hold a valid value (a bulk load passes the
    fields left at a default that passes these checks), so they are not checked again.
    `checked` is a bulk load's memory of field values already checked (`clean_fields_once`).
    """
    errors: dict[str, list[str]] = {}
    if isinstance(item.title, str):
        item.title = item.title.strip()
    # A set: Django tests every field's name against it, and a list made that a scan.
    exclude = _NOT_CLEANED.union(known_valid)
    try:
        if checked is None:
            item.clean_fields(exclude=exclude)
        else:
            clean_fields_once(item, exclude, checked)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors.get("work_type"):
        try:
            item.details = clean_details(item.work_type, item.details)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not any(k in errors for k in ("start_date", "due_date", "start_time", "end_time")):
        try:
            check_dates(item.start_date, item.due_date, item.start_time, item.end_time)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for name in ("start_time", "end_time"):  # calendar times keep whole seconds
        value = getattr(item, name)
        if value is not None and getattr(value, "microsecond", 0):
            setattr(item, name, value.replace(microsecond=0))
    if not errors:
        try:
            _clean_recurrence(item)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def _clean_recurrence(item: WorkItem) -> None:
    """A repeat needs a first day; the series' last day is derived for fast feed filtering."""
    item.recurrence_exdates = clean_exdates(item.recurrence_exdates)
    item.recurrence_rule = normalise_rule(item.recurrence_rule or "")
    if not item.recurrence_rule:
        item.recurrence_end = None
        return
    first = item.start_date or item.due_date
    if first is None:
        raise ValidationError({"recurrence_rule": "A repeating item needs a start date."})
    span = (item.due_date - item.start_date).days if item.start_date and item.due_date else 0
    item.recurrence_end = last_day(item.recurrence_rule, first, span)


def _resolve_people(
    organization_id: int, assignees: Iterable[User | int] | None, teams: Iterable[Team | int] | None
) -> tuple[list[int] | None, list[int] | None]:
    """Assignees and teams must belong to the item's organisation (one query each)."""
    errors: dict[str, str] = {}
    user_ids = team_ids = None
    if assignees is not None:
        user_ids = sorted({getattr(u, "pk", u) for u in assignees})
        found = set(
            User.objects.filter(
                pk__in=user_ids, organization_id=organization_id, is_active=True
            ).values_list("pk", flat=True)
        )
        if found != set(user_ids):
            errors["assignees"] = "Assignees must be active people of the item's organisation."
    if teams is not None:
        team_ids = sorted({getattr(t, "pk", t) for t in teams})
        found = set(
            Team.objects.filter(pk__in=team_ids, organization_id=organization_id).values_list(
                "pk", flat=True
            )
        )
        if found != set(team_ids):
            errors["teams"] = "Teams must belong to the item's organisation."
    if errors:
        raise ValidationError(errors)
    return user_ids, team_ids


def announce_assignment(item_id: int, user_ids, team_ids, actor: User | None) -> None:
    """After commit, tell the newly assigned (a worker sends it; without Redis, at once)."""
    if not user_ids and not team_ids:
        return
    from notifications.tasks import notify_assignment

    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    # robust: a failure to enqueue (broker down) is logged and never undoes or fails the edit.
    transaction.on_commit(
        partial(notify_assignment.delay, item_id, sorted(user_ids), sorted(team_ids), actor_id),
        robust=True,
    )


def _apply_status_effects(item: WorkItem, previous_status: str | None, is_leaf: bool) -> None:
    """Keep status, completion time and progress consistent.

    Completing an item whose progress is its own (a leaf, or a parent set by hand) makes it 100 %;
    a parent in automatic mode keeps the figure its children give.
    """
    if item.status == Status.COMPLETED and previous_status != Status.COMPLETED:
        item.completed_at = timezone.now()
        if is_leaf or item.progress_mode == ProgressMode.MANUAL:
            item.progress = 100
    elif item.status != Status.COMPLETED:
        item.completed_at = None


@transaction.atomic
def create_work_item(
    actor: User | None,
    *,
    work_type: str,
    title: str,
    parent: WorkItem | int | None = None,
    organization: Organization | None = None,
    index: int | None = None,
    assignees: Iterable[User | int] | None = None,
    teams: Iterable[Team | int] | None = None,
    reason: str = "",
    **fields: Any,
) -> WorkItem:
    """Create an item at the top level (`parent=None`) or under `parent`.

    `actor` None means a system job (import, seed); otherwise the actor's permissions apply.
    `index` places the item among its siblings (default: last).
    """
    ensure_writes_allowed(actor)
    reject_unknown_fields(fields)
    parent_id = getattr(parent, "pk", parent)
    item = WorkItem(work_type=work_type, title=title, **fields)
    item.created_by = actor if actor is not None and actor.is_authenticated else None

    if parent_id is not None:
        fresh_parent = lock_items([parent_id])[parent_id]
        if actor is not None and not permissions.can_add_child(actor, fresh_parent):
            raise PermissionDenied("You may not add items under this one.")
        item.parent = fresh_parent
        item.root_id = fresh_parent.root_id
        item.organization_id = fresh_parent.organization_id
        check_placement(fresh_parent.work_type, work_type)
        check_depth(len(path_to_root(fresh_parent.pk)), 1)
    else:
        organization = organization or (actor.organization if actor is not None else None)
        if organization is None:
            raise ValidationError({"organization": "Choose the organisation this item belongs to."})
        if actor is not None and not permissions.can_create_root(actor, organization):
            raise PermissionDenied("You may not create top-level items for this organisation.")
        item.organization = organization
        check_placement(None, work_type)

    validate_item_fields(item)
    check_following_children(
        item, _UNMOVED | {"start_date": item.start_date, "due_date": item.due_date}, True
    )
    user_ids, team_ids = _resolve_people(item.organization_id, assignees, teams)
    _apply_status_effects(item, None, is_leaf=True)
    if item.progress_mode == ProgressMode.AUTO and item.status == Status.COMPLETED:
        item.progress = 100
    item.position = next_position(parent_id, item.organization_id if parent_id is None else None)
    item.save(force_insert=True)
    if parent_id is None:
        item.root_id = item.pk
        WorkItem.objects.filter(pk=item.pk).update(root_id=item.pk)
    if index is not None:
        item.position = place_at(item, parent_id, index, item.organization_id)
        WorkItem.objects.filter(pk=item.pk).update(position=item.position)
    if user_ids:
        item.assignees.set(user_ids)
    if team_ids:
        item.teams.set(team_ids)
    announce_assignment(item.pk, user_ids or [], team_ids or [], actor)
    history.record([item], history.CREATED, actor, reason)
    propagate_from(parent_id)
    if parent_id is not None and item.parent.dates_from_children:
        from .scheduling import settle_parents

        settle_parents(actor, [parent_id])
    return item


_UNMOVED = {"dates_from_children": False}


def check_following_children(item: WorkItem, before: Mapping[str, Any], is_leaf: bool) -> None:
    """Rules of the "dates from children" option.

    Its dates are its children's span, so they cannot be typed over while children carry dates;
    and a date that follows children cannot also follow predecessors or repeat.
    """
    if not item.dates_from_children:
        return
    if item.recurrence_rule:
        raise ValidationError(
            {"dates_from_children": "An item that repeats cannot take its dates from children."}
        )
    if item.scheduling_mode == SchedulingMode.AUTOMATIC:
        raise ValidationError(
            {
                "dates_from_children": "This item is scheduled after its predecessors; switch "
                "it to manual scheduling before it takes its dates from its children."
            }
        )
    moved = any(getattr(item, n) != before[n] for n in ("start_date", "due_date"))
    if moved and before["dates_from_children"] and not is_leaf and children_span([item.pk]):
        raise ValidationError(
            {
                "start_date": f"“{item.title}” takes its dates from its children: move them, "
                "or switch off “dates from children”."
            }
        )


def _children_types(item_id: int) -> set[str]:
    return set(
        WorkItem.objects.filter(parent_id=item_id).order_by().values_list("work_type", flat=True)
    )


@transaction.atomic
def update_work_item(
    actor: User | None,
    item: WorkItem | int,
    *,
    expected_version: int | None = None,
    assignees: Iterable[User | int] | None = None,
    teams: Iterable[Team | int] | None = None,
    reason: str = "",
    **changes: Any,
) -> WorkItem:
    """Change fields of an item; `expected_version` guards against overwriting others' edits.

    Returns the saved item. Raises VersionConflict when the item changed since
    `expected_version`, ValidationError for rule violations, PermissionDenied for refusals.
    """
    ensure_writes_allowed(actor)
    reject_unknown_fields(changes)
    item_id = getattr(item, "pk", item)
    current = lock_items([item_id])[item_id]
    if actor is not None and not permissions.can_edit(actor, current):
        raise PermissionDenied("You may not edit this item.")
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current, expected_version)

    before = {name: getattr(current, name) for name in EDITABLE_FIELDS}
    for name, value in changes.items():
        setattr(current, name, value)
    changed = {name for name in changes if getattr(current, name) != before[name]}

    child_types = _children_types(current.pk)
    is_leaf = not child_types
    if "work_type" in changed:
        parent_type = current.parent.work_type if current.parent_id else None
        check_placement(parent_type, current.work_type)
        for child_type in child_types:
            check_placement(current.work_type, child_type, field="work_type")
    if "progress" in changed and not is_leaf and current.progress_mode == ProgressMode.AUTO:
        raise ValidationError(
            {
                "progress": "This item's progress is rolled up from its children; "
                "switch progress to “set by hand” to change it."
            }
        )
    validate_item_fields(current)
    check_following_children(current, before, is_leaf)
    user_ids, team_ids = _resolve_people(current.organization_id, assignees, teams)
    _apply_status_effects(current, before["status"], is_leaf)

    people_changed = False
    added_users: set[int] = set()
    added_teams: set[int] = set()
    if user_ids is not None:
        before_users = set(current.assignees.values_list("pk", flat=True))
        if set(user_ids) != before_users:
            current.assignees.set(user_ids)
            people_changed = True
            added_users = set(user_ids) - before_users
    if team_ids is not None:
        before_teams = set(current.teams.values_list("pk", flat=True))
        if set(team_ids) != before_teams:
            current.teams.set(team_ids)
            people_changed = True
            added_teams = set(team_ids) - before_teams
    announce_assignment(current.pk, added_users, added_teams, actor)
    changed_now = {n for n in EDITABLE_FIELDS if getattr(current, n) != before[n]}
    if not (changed_now or people_changed):
        return current

    dates_changed = bool(changed_now & {"start_date", "due_date"})
    if dates_changed:
        from .scheduling import check_own_start  # scheduling builds on this module

        check_own_start(current)
    current.version += 1
    current.save()
    history.record([current], history.CHANGED, actor, reason)
    cancelled_or_back = "status" in changed_now and Status.CANCELLED in (
        before["status"],
        current.status,
    )
    starts_following = "dates_from_children" in changed_now and current.dates_from_children
    if dates_changed or cancelled_or_back or starts_following:
        from .scheduling import push_followers

        moved = [current]
        if starts_following:
            derived = derive_upwards(actor, [current.pk])
            for row, _, _ in derived:
                if row.pk == current.pk:
                    current.start_date, current.due_date = row.start_date, row.due_date
                    current.version = row.version
            moved += [row for row, _, _ in derived if row.pk != current.pk]
        current.pushed = push_followers(actor, moved)  # the API reports who moved

    if (
        "progress_mode" in changed_now
        and current.progress_mode == ProgressMode.AUTO
        and not is_leaf
    ):
        current.progress = propagate_from(current.pk).get(current.pk, current.progress)
    if changed_now & {"status", "progress", "weight", "progress_mode"}:
        propagate_from(current.parent_id)
    return current
