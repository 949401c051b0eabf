"""The board's read side: columns (and optional swimlanes) of cards, a page of cards at a time.

A board groups the items the tree's filters select by one dimension (status, priority,
assignee, or parent for "the children of a chosen item") and, optionally, lanes by a second
(assignee, team, parent). A column of 5,000 cards must not freeze the page, so only the first
`PAGE_SIZE` cards of each cell are sent; the rest come a page at a time.

Query counts do not depend on the number of cards: one grouped count, one windowed query for
the first page of every cell at once (ROW_NUMBER per column and lane), the cards with their
assignees, one recursive query for all breadcrumbs, and at most one for edit rights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import Team, User
from common import permissions
from common.models import Priority, Status, WorkItem
from common.queries.tree_rows import days_overdue, with_row_data
from common.tree import ancestor_trails

PAGE_SIZE = 50
NONE_KEY = "none"

#: Dimension → the WorkItem field (or relation) it groups by.
FIELDS = {
    "status": "status",
    "priority": "priority",
    "assignee": "assignees",
    "team": "teams",
    "parent": "parent",
    "children": "parent",
}
COLUMN_CHOICES = {
    "status": "Status",
    "assignee": "Assignee",
    "priority": "Priority",
    "children": "Children of an item",
}
LANE_CHOICES = {"": "No swimlanes", "assignee": "Assignee", "team": "Team", "parent": "Parent"}
#: Order within a cell. Only siblings have a meaningful manual order, so cards can be reordered
#: by hand only when columns are the children of one item (each column holds siblings).
MANUAL_ORDER = (F("position").asc(), F("id").asc())
DEFAULT_ORDER = (F("priority_rank").desc(), F("due_date").asc(nulls_last=True), F("id").asc())


@dataclass
class Cell:
    column: str
    lane: str
    count: int = 0
    cards: list[WorkItem] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return max(0, self.count - len(self.cards))


@dataclass
class Board:
    columns: list[tuple[str, str]]  # (key, label)
    lanes: list[tuple[str, str]]  # (key, label); one ("", "") lane when there are no swimlanes
    cells: dict[tuple[str, str], Cell]
    column_totals: dict[str, int]
    manual_order: bool

    def rows(self) -> list[dict[str, Any]]:
        """Lanes with their cells in column order, for the template."""
        return [
            {
                "key": lane,
                "label": label,
                "cells": [
                    (key, col_label, self.cells.get((key, lane)) or Cell(key, lane))
                    for key, col_label in self.columns
                ],
            }
            for lane, label in self.lanes
        ]


def _key(value: Any) -> str:
    return NONE_KEY if value is None else str(value)


def _ordering(manual: bool) -> tuple:
    return MANUAL_ORDER if manual else DEFAULT_ORDER


def _cell_filter(dimension: str | None, key: str) -> Q:
    if not dimension:
        return Q()
    name = FIELDS[dimension]
    if key == NONE_KEY:
        return Q(**{f"{name}__isnull": True})
    return Q(**{name: key})


def _labels(dimension: str, keys: list[str], fixed: list[tuple[str, str]] | None) -> list:
    """Columns or lanes in display order: every status/priority; people, teams, parents found."""
    if dimension == "status":
        return list(Status.choices)
    if dimension == "priority":
        return list(reversed(Priority.choices))
    if fixed is not None:
        return fixed
    ids = [int(k) for k in keys if k != NONE_KEY]
    if dimension == "assignee":
        people = User.objects.filter(pk__in=ids).only("id", "username", "first_name", "last_name")
        found = sorted(((str(u.pk), u.display_name) for u in people), key=lambda p: p[1].lower())
        return [*found, (NONE_KEY, "Unassigned")]
    if dimension == "team":
        teams = Team.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name")
        return [*((str(pk), name) for pk, name in teams), (NONE_KEY, "No team")]
    titles = WorkItem.objects.filter(pk__in=ids).order_by("title", "id").values_list("pk", "title")
    return [*((str(pk), title) for pk, title in titles), (NONE_KEY, "Top level")]


def _plain(matched: QuerySet) -> QuerySet:
    """The matched items as a query of one row per item.

    Filters that join people or teams make their query DISTINCT; grouping and windowing over
    that would count joined rows, so such a query is wrapped as `pk IN (…)`. A plain query is
    used as it is: on PostgreSQL the wrapper alone cost a third of a 100k-item board.
    """
    if matched.query.distinct:
        return WorkItem.objects.filter(pk__in=matched.values("pk"))
    return matched.order_by()


def decorate_cards(user, cards: list[WorkItem]) -> list[WorkItem]:
    """Breadcrumbs (one recursive query), edit rights (at most one), overdue flags."""
    trails = ancestor_trails({c.parent_id for c in cards if c.parent_id})
    editable = permissions.editable_ids(user, cards)
    today = timezone.localdate()
    for card in cards:
        card.breadcrumb = [title for _pk, title in trails.get(card.parent_id, [])]
        card.can_edit = card.pk in editable
        card.is_overdue = days_overdue(card, today) > 0
    return cards


def load_cards(user, ids: list[int]) -> list[WorkItem]:
    loaded = {c.pk: c for c in with_row_data(WorkItem.objects.filter(pk__in=ids))}
    return decorate_cards(user, [loaded[i] for i in ids if i in loaded])


def build_board(
    user,
    matched: QuerySet,
    columns: str = "status",
    lanes: str = "",
    children_of: WorkItem | None = None,
) -> Board:
    """The whole board's first page: every cell's count and its first `PAGE_SIZE` cards."""
    base = _plain(matched)
    fixed_columns = None
    if columns == "children":
        kids = list(
            WorkItem.objects.visible_to(user)
            .filter(parent=children_of)
            .order_by("position", "id")
            .values_list("pk", "title")
        )
        fixed_columns = [(str(pk), title) for pk, title in kids]
        base = base.filter(parent_id__in=[pk for pk, _ in kids])
    col_field = FIELDS[columns]
    lane_field = FIELDS[lanes] if lanes else None
    group = [col_field, *([lane_field] if lane_field else [])]

    counts: dict[tuple[str, str], int] = {}
    # A many-to-many dimension (people, teams) joins one row per person; otherwise each item is
    # one row and the cheaper plain count is exact (DISTINCT sorts the whole set on PostgreSQL).
    many = any(name in ("assignees", "teams") for name in group)
    for row in base.values(*group).annotate(n=Count("pk", distinct=many)).order_by():
        cell = (_key(row[col_field]), _key(row[lane_field]) if lane_field else "")
        counts[cell] = row["n"]

    manual = columns == "children"
    ranked = (
        base.annotate(
            cell_rank=Window(
                RowNumber(),
                partition_by=[F(name) for name in group],
                order_by=list(_ordering(manual)),
            )
        )
        .filter(cell_rank__lte=PAGE_SIZE)
        .values_list("pk", *group, "cell_rank")
        .order_by()
    )
    placed: list[tuple[int, tuple[str, str], int]] = []
    for row in ranked:
        cell = (_key(row[1]), _key(row[2]) if lane_field else "")
        placed.append((row[0], cell, row[-1]))
    cards = {c.pk: c for c in load_cards(user, list({pk for pk, _, _ in placed}))}

    cells = {key: Cell(key[0], key[1], n) for key, n in counts.items()}
    for pk, key, _rank in sorted(placed, key=lambda p: (p[1], p[2])):
        if pk in cards and key in cells:
            cells[key].cards.append(cards[pk])

    column_keys = sorted({c for c, _ in counts})
    lane_keys = sorted({lane for _, lane in counts})
    column_list = _labels(columns, column_keys, fixed_columns)
    known = {k for k, _ in column_list}
    # A status or priority outside the choices (never expected) still gets its column.
    column_list += [(k, k) for k in column_keys if k not in known]
    lane_list = _labels(lanes, lane_keys, None) if lanes else [("", "")]
    if lanes:
        lane_list = [(k, label) for k, label in lane_list if k in lane_keys]
    totals: dict[str, int] = {}
    for (col, _lane), n in counts.items():
        totals[col] = totals.get(col, 0) + n
    return Board(column_list, lane_list, cells, totals, manual)


def cell_page(
    user,
    matched: QuerySet,
    columns: str,
    lanes: str,
    column: str,
    lane: str,
    offset: int,
) -> tuple[list[WorkItem], int]:
    """One more page of one cell's cards, and how many remain after it (fixed queries)."""
    base = (
        _plain(matched)
        .filter(_cell_filter(columns, column))
        .filter(_cell_filter(lanes or None, lane) if lanes else Q())
    )
    manual = columns == "children"
    ids = list(
        base.order_by(*_ordering(manual)).values_list("pk", flat=True)[
            offset : offset + PAGE_SIZE + 1
        ]
    )
    more = len(ids) > PAGE_SIZE
    return load_cards(user, ids[:PAGE_SIZE]), more
