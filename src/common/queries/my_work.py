"""The home page: what is on my plate, counted and listed with a fixed number of queries.

Every counter has a list behind it (the tree page with the same filter), and every listed item
carries its path so people see which project it belongs to; the lists are grouped by project.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from common.filters import OPEN, due_window
from common.models import Status, WorkItem
from common.tree import ancestor_trails

from .dependency_conflicts import conflicts_of
from .plate import plate_ids
from .tree_rows import decorate

LIST_LIMIT = 10
TREE = "/oobc-management/work-items/"
OPEN_STATUSES = "&".join(
    f"status={s}" for s in Status.values if s not in (Status.COMPLETED, Status.CANCELLED)
)


@dataclass
class Group:
    """Items of one project (or one stand-alone item's own tree), with that project's title."""

    root_id: int
    root_title: str
    items: list[WorkItem] = field(default_factory=list)

    @property
    def shows_heading(self) -> bool:
        """A project listed alone under its own title would read twice: its row says it all."""
        return not (len(self.items) == 1 and self.items[0].pk == self.root_id)


@dataclass
class Listing:
    key: str
    heading: str
    count: int
    link: str
    empty: str
    groups: list[Group]
    shown: int


@dataclass
class MyWork:
    overdue_count: int
    due_this_week_count: int
    in_progress_count: int
    open_count: int
    upcoming_count: int
    links: dict[str, str]
    lists: list[Listing]


def mine(user):
    """Items on the user's plate (`common.queries.plate`) that they may see.

    Joined as a plain sub-select, the overdue list walked every overdue item of the
    organisation (53,000 of 100,000) to find the 8,520 on a manager's plate: 60-80 ms instead
    of 19.
    """
    return WorkItem.objects.visible_to(user).filter(pk__in=plate_ids(user))


def _grouped(items: list[WorkItem], trails: dict[int, list[tuple[int, str]]]) -> list[Group]:
    groups: dict[int, Group] = {}
    for item in items:
        trail = trails.get(item.pk) or [(item.pk, item.title)]
        item.path = [title for _, title in trail[:-1]]
        root_id, root_title = trail[0]
        groups.setdefault(root_id, Group(root_id, root_title)).items.append(item)
    return list(groups.values())


def _timeline_of_mine() -> str:
    """Where dependency conflicts are drawn (the planning app's timeline), if it is installed."""
    try:
        return reverse("planning:timeline") + "?mine=on"
    except NoReverseMatch:
        return f"{TREE}?mine=on"


def _first(rows: list[tuple]) -> list[int]:
    """The ids of the first `LIST_LIMIT` rows in the lists' order: by due date (undated last,
    as PostgreSQL orders them), higher priority first, then by id."""
    ordered = sorted(rows, key=lambda r: (r[1] is None, r[1] or dt.date.min, -r[2], r[0]))
    return [row[0] for row in ordered[:LIST_LIMIT]]


def _mark_conflicts(rows: dict[str, list[WorkItem]], conflicts: dict[int, list]) -> None:
    for listed in rows.values():
        for item in listed:
            item.conflicts = conflicts.get(item.pk, [])


def load_my_work(user) -> MyWork:
    """Counts and short lists from one read of my open items, the listed items in one more
    query, their paths in one more.

    Every count and list is of open items (overdue and due windows are open by definition, in
    progress is open), so one narrow read of my open items, each marked by the database with
    the lists it belongs to (the same conditions as the tree page's filters), gives every
    count, and the first ten of each list in the lists' order. It replaced a count query and
    one query per list, each looking up the whole plate again (at 100,000 items the page spent
    ~80 ms in those five statements).

    Dependency conflicts (an open item of mine starting before a predecessor allows) cost one
    query for the links and, when there are any, the working days.
    """
    today = timezone.localdate()
    conditions = {
        "overdue": due_window("overdue", today),
        "week": due_window("week", today),
        "upcoming": due_window("two_weeks", today),
        "progress": Q(status=Status.IN_PROGRESS),
    }
    base = mine(user)
    plate = list(
        base.filter(OPEN)
        .annotate(
            **{
                f"in_{k}": ExpressionWrapper(q, output_field=BooleanField())
                for k, q in conditions.items()
            }
        )
        .values_list("pk", "due_date", "priority_rank", *(f"in_{k}" for k in conditions))
    )
    conflicts = conflicts_of(base)
    members = {key: [row for row in plate if row[3 + n]] for n, key in enumerate(conditions)}
    members["conflicts"] = [row for row in plate if row[0] in conflicts]
    counts = {key: len(rows) for key, rows in members.items()}
    counts["open"] = len(plate)
    links = {
        "overdue": f"{TREE}?mine=on&due=overdue",
        "week": f"{TREE}?mine=on&due=week",
        "upcoming": f"{TREE}?mine=on&due=two_weeks",
        "progress": f"{TREE}?mine=on&status=in_progress",
        "open": f"{TREE}?mine=on&{OPEN_STATUSES}",
    }
    specs = [
        ("overdue", "Overdue", counts["overdue"], "Nothing overdue."),
        ("week", "Due this week", counts["week"], "Nothing due this week."),
        ("upcoming", "Next two weeks", counts["upcoming"], "Nothing due in two weeks."),
        ("progress", "In progress", counts["progress"], "Nothing in progress."),
    ]
    if conflicts:
        links["conflicts"] = _timeline_of_mine()
        specs.insert(1, ("conflicts", "Starts before what it waits for", len(conflicts), ""))
    firsts = {key: _first(members[key]) for key, _, count, _ in specs if count}
    chosen = {pk for ids in firsts.values() for pk in ids}
    items = {w.pk: w for w in decorate(user, list(WorkItem.objects.filter(pk__in=chosen)))}
    rows = {key: [items[pk] for pk in ids if pk in items] for key, ids in firsts.items()}
    _mark_conflicts(rows, conflicts)
    trails = ancestor_trails(item.pk for listed in rows.values() for item in listed)
    lists = [
        Listing(
            key=key,
            heading=heading,
            count=count,
            link=links[key],
            empty=empty,
            groups=_grouped(rows.get(key, []), trails),
            shown=len(rows.get(key, [])),
        )
        for key, heading, count, empty in specs
    ]
    return MyWork(
        overdue_count=counts["overdue"],
        due_this_week_count=counts["week"],
        in_progress_count=counts["progress"],
        open_count=counts["open"],
        upcoming_count=counts["upcoming"],
        links=links,
        lists=lists,
    )
