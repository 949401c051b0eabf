"""Rows for the tree page: top-level items, one node's children, a whole subtree, filter matches.

Each function returns WorkItem instances decorated for display (`depth`, `child_count`,
`can_edit`, `is_match`, `is_overdue`) in depth-first order, with a fixed number of queries
whatever the number of rows: the rows with their child counts, the assignees, and (for staff)
one query for edit rights.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from common import permissions
from common.models import Status, WorkItem
from common.tree import ancestor_ids_of_many, subtree_ids_expression

SORTS = {
    "position": ("position", "id"),
    "title": ("title", "id"),
    "-priority": ("-priority_rank", "position", "id"),
    "due": ("due_date", "id"),
    "-due": ("-due_date", "id"),
    "start": ("start_date", "id"),
    "status": ("status", "id"),
    "-progress": ("-progress", "id"),
    "-created": ("-created_at", "-id"),
}
SORT_LABELS = {
    "position": "Manual order",
    "title": "Title",
    "-priority": "Priority (most severe first)",
    "due": "Due date (soonest first)",
    "-due": "Due date (latest first)",
    "start": "Start date",
    "status": "Status",
    "-progress": "Progress (highest first)",
    "-created": "Newest first",
}
PAGE_SIZE = 25


def _people() -> QuerySet:
    return User.objects.only("id", "username", "first_name", "last_name")


def with_row_data(queryset: QuerySet, to_attr: str | None = None) -> QuerySet:
    """Child counts by one grouped query; assignee names prefetched in one more (into each row's
    `assignees` manager, or into a plain list named `to_attr`)."""
    return queryset.annotate(child_count=Count("children", distinct=True)).prefetch_related(
        Prefetch("assignees", queryset=_people(), to_attr=to_attr)
    )


def tree_rows_of(queryset: QuerySet) -> QuerySet:
    """`with_row_data` for rows drawn by `common.row_html` alone: the assignees as a plain list
    (`assignee_list`). Prefetching into each row's `assignees` manager builds a manager and a
    cloned queryset per row — for 1,000 rows that took longer than all the SQL."""
    return with_row_data(queryset, to_attr="assignee_list")


def decorate(
    user,
    rows: list[WorkItem],
    depth_of: dict[int, int] | None = None,
    matches: set[int] | None = None,
) -> list[WorkItem]:
    today = timezone.localdate()
    editable = permissions.editable_ids(user, rows)
    for row in rows:
        row.depth = (depth_of or {}).get(row.pk, getattr(row, "depth", 0))
        row.can_edit = row.pk in editable
        row.is_match = matches is None or row.pk in matches
        row.is_overdue = days_overdue(row, today) > 0
    return rows


def days_overdue(item: WorkItem, today: dt.date) -> int:
    """Days since an open item fell due (0: not overdue); `today` in the reader's time zone.
    The one rule of the tree, My work and the item's page, so they never disagree."""
    if not item.due_date or item.status in (Status.COMPLETED, Status.CANCELLED):
        return 0
    return max((today - item.due_date).days, 0)


def depth_first(rows: Iterable[WorkItem], top_ids: list[int]) -> tuple[list[WorkItem], dict]:
    by_id = {r.pk: r for r in rows}
    children: dict[int, list[WorkItem]] = {}
    for r in by_id.values():
        if r.parent_id in by_id:
            children.setdefault(r.parent_id, []).append(r)
    ordered: list[WorkItem] = []
    depth: dict[int, int] = {}
    stack = [(by_id[i], 0) for i in reversed(top_ids) if i in by_id]
    while stack:
        node, level = stack.pop()
        ordered.append(node)
        depth[node.pk] = level
        kids = sorted(children.get(node.pk, []), key=lambda c: (c.position, c.pk))
        stack.extend((kid, level + 1) for kid in reversed(kids))
    return ordered, depth


@dataclass
class TreePage:
    rows: list[WorkItem]
    page: Page
    filtered: bool
    match_count: int = 0
    #: More matches than were counted (`MATCH_COUNT_LIMIT`).
    more_matches: bool = False


def roots_page(user, sort: str = "position", page_number=1) -> TreePage:
    roots = WorkItem.objects.visible_to(user).filter(parent__isnull=True)
    ordering = SORTS.get(sort, SORTS["position"])
    page = Paginator(roots.order_by(*ordering).values_list("pk", flat=True), PAGE_SIZE)
    page = page.get_page(page_number)
    ids = list(page.object_list)
    rows = {r.pk: r for r in tree_rows_of(WorkItem.objects.filter(pk__in=ids))}
    ordered = [rows[i] for i in ids if i in rows]
    return TreePage(decorate(user, ordered), page, filtered=False)


def children_rows(user, parent: WorkItem, depth: int) -> list[WorkItem]:
    rows = list(
        tree_rows_of(WorkItem.objects.visible_to(user).filter(parent=parent)).order_by(
            "position", "id"
        )
    )
    return decorate(user, rows, {r.pk: depth for r in rows})


def subtree_rows(user, top: WorkItem, depth: int) -> list[WorkItem]:
    """Every descendant of `top` (not `top` itself), depth-first, in one request."""
    rows = list(
        tree_rows_of(
            WorkItem.objects.visible_to(user).filter(pk__in=subtree_ids_expression(top.pk))
        )
    )
    ordered, depths = depth_first(rows, [top.pk])
    ordered = [r for r in ordered if r.pk != top.pk]
    return decorate(user, ordered, {pk: depth + d - 1 for pk, d in depths.items()})


#: Matches listed on one page of a filtered tree, each under its ancestors. A page held every
#: match of 25 trees before, so a filter with many matches in a few trees ("Mine" and
#: "Overdue" for a busy person) drew 700 rows at a time, most of the page's time.
MATCHES_PER_PAGE = 50
#: A filter's matches are counted (and paged) up to this many: a broad search does not count a
#: whole organisation to say how many there are.
MATCH_COUNT_LIMIT = 10_000


def matches_in_context(user, matched: QuerySet, sort: str = "position", page_number=1) -> TreePage:
    """Filter matches anywhere in the trees, `MATCHES_PER_PAGE` to a page in the chosen order,
    each shown under its ancestors (greyed when they do not match themselves)."""
    ordering = SORTS.get(sort, SORTS["position"])
    # Every match's id in one statement, counted and paged here: a COUNT and a page of ids
    # each worked out the filter (a person's plate, a text search) once more.
    ids = list(matched.order_by(*ordering).values_list("pk", flat=True)[:MATCH_COUNT_LIMIT])
    page = Paginator(ids, MATCHES_PER_PAGE).get_page(page_number)
    match_ids = list(page.object_list)
    paths = ancestor_ids_of_many(match_ids)
    roots = list(dict.fromkeys(paths[pk][0] if paths[pk] else pk for pk in match_ids))
    wanted = set(match_ids).union(*paths.values())
    rows = list(tree_rows_of(WorkItem.objects.visible_to(user).filter(pk__in=wanted)))
    ordered, depths = depth_first(rows, roots)
    count = page.paginator.count
    return TreePage(
        decorate(user, ordered, depths, set(match_ids)),
        page,
        filtered=True,
        match_count=count,
        more_matches=count >= MATCH_COUNT_LIMIT,
    )


def single_row(user, pk: int, depth: int) -> list[WorkItem]:
    """One freshly written item as a tree row (after a quick add or an inline change)."""
    rows = list(tree_rows_of(WorkItem.objects.visible_to(user).filter(pk=pk)))
    return decorate(user, rows, {pk: depth})
