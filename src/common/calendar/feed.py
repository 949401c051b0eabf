"""The work items feed: every dated, visible item overlapping a window, as FullCalendar events.

Four queries whatever the number of events: the validator (for ETag/Last-Modified), the items
(only the columns the feed needs, child counts as a subquery), every ancestor title at once (one
recursive CTE), and every assignee and team at once (one UNION). A matching conditional request
costs the validator query alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from common import permissions
from common.id_lists import ids_in
from common.models import Status, WorkItem
from common.queries.plate import assigned_to, of_team
from common.queries.work_changes import last_work_change
from common.tree import ancestor_trails
from obcms.flags import all_flags, flag

from .palette import colour_for
from .params import FeedParams, office_zone
from .recurrence import occurrence_days

TABLE = WorkItem._meta.db_table
FIELDS = (
    "pk",
    "title",
    "work_type",
    "status",
    "priority",
    "progress",
    "start_date",
    "due_date",
    "start_time",
    "end_time",
    "calendar_color",
    "parent_id",
    "version",
    "recurrence_rule",
    "created_by_id",
    "organization_id",
    "updated_at",
)
CALENDAR_TYPES_WITHOUT_UNIFIED = ("activity", "sub_activity")
#: Types that hold the work rather than being it: drawn as thin bars below the day's items.
CONTAINER_TYPES = ("project", "sub_project")
#: FullCalendar classes (FullCalendar 7 reads `className`) and the rank `eventOrder` sorts on:
#: short items first, so a task sits above the project bar that spans its day.
CONTAINER_CLASS = "wi-container"
ITEM_CLASS = "wi-item"


def is_container(work_type: str, days: int) -> bool:
    """Whether an event is a long container: a project, a sub-project, or longer than the limit.

    A long bar drawn first takes the top row of every day it crosses and pushes the tasks and
    activities people came to see below the fold; containers are drawn last and thin instead.
    """
    return work_type in CONTAINER_TYPES or days > settings.CALENDAR_LONG_EVENT_DAYS


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: dt.datetime | None


def feed_items(user, params: FeedParams) -> QuerySet:
    """Visible, calendar-visible items that may overlap the window, with every filter applied."""
    zone = office_zone()
    first = params.start.astimezone(zone).date() - dt.timedelta(days=1)
    last = params.end.astimezone(zone).date() + dt.timedelta(days=1)
    starts_in_time = Q(start_date__lte=last) | Q(start_date__isnull=True, due_date__lte=last)
    ends_in_time = Q(due_date__gte=first) | Q(due_date__isnull=True, start_date__gte=first)
    single = Q(recurrence_rule="") & starts_in_time & ends_in_time
    recurring = (
        ~Q(recurrence_rule="")
        & starts_in_time
        & (Q(recurrence_end__isnull=True) | Q(recurrence_end__gte=first))
    )
    items = (
        WorkItem.objects.visible_to(user)
        .filter(is_calendar_visible=True)
        .filter(Q(start_date__isnull=False) | Q(due_date__isnull=False))
        .filter(single | recurring)
    )
    if not flag("USE_UNIFIED_CALENDAR"):
        items = items.filter(work_type__in=CALENDAR_TYPES_WITHOUT_UNIFIED)
    if params.types:
        items = items.filter(work_type__in=params.types)
    if params.statuses:
        items = items.filter(status__in=params.statuses)
    if params.priorities:
        items = items.filter(priority__in=params.priorities)
    if not params.include_completed:
        items = items.exclude(status__in=[Status.COMPLETED, Status.CANCELLED])
    if params.assignee is not None:
        person = user.pk if params.assignee == "me" else params.assignee
        items = items.filter(pk__in=assigned_to(person))
    if params.team is not None:
        items = items.filter(pk__in=of_team(params.team))
    if params.organisation is not None:
        items = items.filter(organization_id=params.organisation)
    if params.q:
        items = items.filter(Q(title__icontains=params.q) | Q(description__icontains=params.q))
    return items


def validator(user, params: FeedParams, scope: str = "feed") -> Validator:
    """Changes whenever anything the feed shows could have changed (one query).

    The latest change of any visible item (which also moves when an ancestor is renamed or
    moved) and the organisations' work marks (deletions, names, memberships:
    `accounts.work_marks`); plus who asks, what they may see, the flags
    and the parameters.
    """
    last = last_work_change(user)
    basis = repr(
        (
            scope,
            user.pk,
            sorted(user.get_all_permissions()),
            user.organization_id,
            all_flags(),
            settings.CALENDAR_LONG_EVENT_DAYS,
            params.cache_key(),
            last,
        )
    )
    return Validator('"' + hashlib.sha256(basis.encode()).hexdigest()[:32] + '"', last)


def ancestor_titles(parent_ids: set[int]) -> dict[int, list[str]]:
    """For each parent id, the titles from the root down to that parent (one query)."""
    return {pk: [title for _, title in trail] for pk, trail in ancestor_trails(parent_ids).items()}


def _people(item_ids: list[int], user_id: int) -> tuple[dict, dict, set]:
    """Assignee names, team names, and the items whose teams include `user_id` (one query)."""
    assignees: dict[int, list[tuple[int, str]]] = defaultdict(list)
    teams: dict[int, list[str]] = defaultdict(list)
    member_of: set[int] = set()
    if not item_ids:
        return assignees, teams, member_of
    chosen, params = ids_in(item_ids)
    sql = f"""
        SELECT a.workitem_id, 'u', u.id, u.first_name, u.last_name, u.username, 0
        FROM common_workitem_assignees a JOIN accounts_user u ON u.id = a.user_id
        WHERE a.workitem_id IN ({chosen})
        UNION ALL
        SELECT t.workitem_id, 't', tm.id, tm.name, '', '',
               CASE WHEN EXISTS (SELECT 1 FROM accounts_teammembership m
                                 WHERE m.team_id = tm.id AND m.user_id = %s) THEN 1 ELSE 0 END
        FROM common_workitem_teams t JOIN accounts_team tm ON tm.id = t.team_id
        WHERE t.workitem_id IN ({chosen})
    """
    # Where the feed's other reads go (a replica on the read-only hot paths, obcms.replicas).
    with connections[router.db_for_read(WorkItem)].cursor() as cursor:
        cursor.execute(sql, [*params, user_id, *params])
        for item_id, kind, pk, first, last, username, member in cursor.fetchall():
            if kind == "u":
                assignees[item_id].append((pk, f"{first} {last}".strip() or username))
            else:
                teams[item_id].append(first)
                if member:
                    member_of.add(item_id)
    return assignees, teams, member_of


def _span(row: dict[str, Any]) -> tuple[dt.date, dt.date]:
    first = row["start_date"] or row["due_date"]
    last = row["due_date"] or row["start_date"]
    return first, last


@dataclass(frozen=True)
class _Window:
    """The request window, precomputed once for the per-event overlap checks."""

    start: dt.datetime
    end: dt.datetime
    first_day: dt.date
    day_after: dt.date
    zone: Any
    office: Any

    @classmethod
    def of(cls, params: FeedParams) -> _Window:
        end_local = params.end.astimezone(params.zone)
        return cls(
            start=params.start,
            end=params.end,
            first_day=params.start.astimezone(params.zone).date(),
            day_after=end_local.date()
            + dt.timedelta(days=0 if end_local.time() == dt.time() else 1),
            zone=params.zone,
            office=office_zone(),
        )


def _occurrence(first: dt.date, last: dt.date, row: dict, window: _Window) -> dict | None:
    """FullCalendar's start/end/allDay for one span, or None when it misses the window."""
    if row["start_time"] is None:
        after = last + dt.timedelta(days=1)
        if not (first < window.day_after and after > window.first_day):
            return None
        return {"start": first.isoformat(), "end": after.isoformat(), "allDay": True}
    start = dt.datetime.combine(first, row["start_time"], window.office)
    if row["end_time"] is not None:
        end = dt.datetime.combine(last, row["end_time"], window.office)
    else:
        end = dt.datetime.combine(last, row["start_time"], window.office) + dt.timedelta(hours=1)
    if not (start < window.end and end > window.start):
        return None
    return {
        "start": start.astimezone(window.zone).isoformat(),
        "end": end.astimezone(window.zone).isoformat(),
        "allDay": False,
    }


#: Skipped dates of a series, NULL for the single items (most rows), so a month of ten thousand
#: events does not decode ten thousand empty JSON lists.
_EXDATES_OF_SERIES = Case(
    When(recurrence_rule="", then=Value(None)),
    default=F("recurrence_exdates"),
    output_field=JSONField(),
)


def build_events(user, params: FeedParams) -> list[dict[str, Any]]:
    child_count = Subquery(
        WorkItem.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    rows = list(
        feed_items(user, params)
        .annotate(child_count=Coalesce(child_count, 0), exdates=_EXDATES_OF_SERIES)
        .order_by("start_date", "due_date", "pk")
        .values(*FIELDS, "child_count", "exdates", "organization__name")
    )
    breadcrumbs = ancestor_titles({r["parent_id"] for r in rows if r["parent_id"]})
    ids = [r["pk"] for r in rows]
    assignees, teams, member_of = _people(ids, user.pk)
    writes_open = flag("USE_WORKITEM_MODEL")
    window = _Window.of(params)
    rights = permissions.edit_rights(user)
    detail_url = reverse("common:detail", args=[0]).replace("/0/", "/{}/")
    events: list[dict[str, Any]] = []
    for row in rows:
        pk = row["pk"]
        involved = (
            row["created_by_id"] == user.pk
            or any(person == user.pk for person, _ in assignees[pk])
            or pk in member_of
        )
        editable = writes_open and rights.allows(row["organization_id"], involved)
        first, last = _span(row)
        days = (last - first).days + 1
        container = is_container(row["work_type"], days)
        common = {
            "title": row["title"],
            "color": colour_for(row["work_type"], row["status"], row["calendar_color"]),
            "url": detail_url.format(pk),
            "className": CONTAINER_CLASS if container else ITEM_CLASS,
            "extendedProps": {
                "workType": row["work_type"],
                "status": row["status"],
                "priority": row["priority"],
                "progress": row["progress"],
                "breadcrumb": breadcrumbs.get(row["parent_id"], []),
                "parentId": row["parent_id"],
                "childCount": row["child_count"],
                "assignees": [name for _, name in assignees[pk]],
                "teams": teams[pk],
                "organisation": row["organization__name"],
                "version": row["version"],
                "itemId": pk,
                "recurring": bool(row["recurrence_rule"]),
                "container": container,
                "rank": 1 if container else 0,
                "days": days,
            },
        }
        if not row["recurrence_rule"]:
            times = _occurrence(first, last, row, window)
            if times is not None:
                events.append({"id": str(pk), **common, **times, "editable": editable})
            continue
        span = (last - first).days
        for day in occurrence_days(
            row["recurrence_rule"],
            first,
            row["exdates"] or [],
            params.start.astimezone(window.office).date() - dt.timedelta(days=1),
            params.end.astimezone(window.office).date() + dt.timedelta(days=1),
            span,
        ):
            times = _occurrence(day, day + dt.timedelta(days=span), row, window)
            if times is not None:
                events.append(
                    {
                        "id": f"{pk}@{day.isoformat()}",
                        "groupId": str(pk),
                        **common,
                        **times,
                        "editable": False,
                    }
                )
    return events
