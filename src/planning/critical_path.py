"""Critical path of a project: the longest chain of work through durations and lags.

Classic critical-path method over the items of one subtree, counted in the organisation's
working days: a forward pass gives each item its earliest start and finish if everything ran
back to back, a backward pass its latest start that does not delay the end; the difference is
its slack (float). The critical path is a chain of zero-slack items from a start to the end.

Which items count: dated items that have no children (a parent's span is its children's work,
counting it too would double it) plus any item taking part in a dependency. Reading costs four
queries whatever the project's size (subtree items, their links, working week, closures).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from common import working_days
from common.models import Status, WorkItem, WorkItemRelation
from common.tree import subtree_ids_expression

DEPENDS_ON = WorkItemRelation.Kind.DEPENDS_ON


@dataclass
class Network:
    """Durations (working days, >= 1) of items and finish-to-start links with lags."""

    durations: dict[int, int]
    links: list[tuple[int, int, int]]  # (predecessor, follower, lag)


@dataclass
class Result:
    length: int
    path: list[int]
    slack: dict[int, int] = field(default_factory=dict)
    earliest_start: dict[int, int] = field(default_factory=dict)


def solve(network: Network) -> Result:
    """Forward and backward pass; ties broken by the smallest id so answers are repeatable."""
    durations = network.durations
    preds: dict[int, list[tuple[int, int]]] = defaultdict(list)
    succs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    indegree = dict.fromkeys(durations, 0)
    for before, after, lag in network.links:
        if before in durations and after in durations:
            preds[after].append((before, lag))
            succs[before].append((after, lag))
            indegree[after] += 1
    order: list[int] = []
    queue = deque(sorted(pk for pk, n in indegree.items() if n == 0))
    while queue:
        pk = queue.popleft()
        order.append(pk)
        for after, _ in sorted(succs[pk]):
            indegree[after] -= 1
            if indegree[after] == 0:
                queue.append(after)
    if len(order) != len(durations):
        raise ValueError("The dependencies form a loop; the critical path is undefined.")
    es: dict[int, int] = {}
    ef: dict[int, int] = {}
    for pk in order:
        es[pk] = max((ef[p] + lag for p, lag in preds[pk]), default=0)
        ef[pk] = es[pk] + durations[pk]
    if not order:
        return Result(0, [])
    length = max(ef.values())
    lf: dict[int, int] = {}
    ls: dict[int, int] = {}
    for pk in reversed(order):
        lf[pk] = min((ls[s] - lag for s, lag in succs[pk]), default=length)
        ls[pk] = lf[pk] - durations[pk]
    slack = {pk: ls[pk] - es[pk] for pk in order}
    # Walk back from the smallest-id item that finishes last, through driving predecessors.
    current = min(pk for pk in order if ef[pk] == length)
    path = [current]
    while True:
        driving = sorted(p for p, lag in preds[current] if ef[p] + lag == es[current])
        if not driving or es[current] == 0:
            break
        current = driving[0]
        path.append(current)
    path.reverse()
    return Result(length, path, slack, es)


@dataclass(frozen=True)
class PathItem:
    id: int
    title: str
    work_type: str
    start_date: date | None
    due_date: date | None
    duration: int
    slack: int
    late: bool


def is_late(row: dict, today: date) -> bool:
    due = row["due_date"] or row["start_date"]
    return (
        due is not None
        and due < today
        and row["status"] not in (Status.COMPLETED, Status.CANCELLED)
    )


def of_subtree(root: WorkItem) -> tuple[Result, list[PathItem], dict[int, PathItem]]:
    """The critical path of `root`'s subtree (the caller has checked `root` is visible)."""
    in_tree = subtree_ids_expression(root.pk)
    found = list(
        WorkItem.objects.filter(pk__in=in_tree)
        .filter(Q(start_date__isnull=False) | Q(due_date__isnull=False))
        .annotate(has_children=Exists(WorkItem.objects.filter(parent_id=OuterRef("pk"))))
        .order_by()
        .values("id", "title", "work_type", "start_date", "due_date", "status", "has_children")
    )
    dated_ids = {row["id"] for row in found}
    # Links leaving the subtree's items; those whose other end is outside are dropped here
    # (one IN over the subtree, not one per row).
    edges = [
        (target, source, lag)
        for target, source, lag in WorkItemRelation.objects.filter(
            kind=DEPENDS_ON, source_id__in=in_tree
        ).values_list("target_id", "source_id", "lag_days")
        if target in dated_ids and source in dated_ids
    ]
    linked = {pk for edge in edges for pk in edge[:2]}
    rows = [row for row in found if not row["has_children"] or row["id"] in linked]
    counted = {row["id"] for row in rows}
    edges = [edge for edge in edges if edge[0] in counted and edge[1] in counted]
    calendar = working_days.for_organization(root.organization_id)
    durations = {}
    for row in rows:
        start = row["start_date"] or row["due_date"]
        due = row["due_date"] or row["start_date"]
        durations[row["id"]] = calendar.duration(start, due)
    result = solve(Network(durations, edges))
    today = timezone.localdate()
    items = {
        row["id"]: PathItem(
            row["id"],
            row["title"],
            row["work_type"],
            row["start_date"],
            row["due_date"],
            durations[row["id"]],
            result.slack.get(row["id"], 0),
            is_late(row, today),
        )
        for row in rows
    }
    return result, [items[pk] for pk in result.path], items
