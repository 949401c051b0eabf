"""What the timeline draws: rows in tree order, bars, links, critical path, non-working days.

One read for any project size: the matching items (the tree's filters over the visible items,
limited to one item's subtree with `?root=`), their ancestors that give them context, the links
among them, who may edit what, the critical path of the root and the working days — a fixed
number of queries, asserted for 10 and 2,000 items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

from django.db.models import QuerySet
from django.utils import timezone

from common import permissions, working_days
from common.models import WorkItem, WorkItemRelation
from common.tree import ancestor_ids_of_many, subtree_ids_expression

from . import critical_path
from .scheduling import violates

#: Rows one timeline draws at most (a page of a 100k-item database, not all of it).
MAX_ROWS = 5000
FIELDS = (
    "id",
    "title",
    "work_type",
    "parent_id",
    "position",
    "start_date",
    "due_date",
    "status",
    "organization_id",
    "created_by_id",
    "scheduling_mode",
    "version",
)


@dataclass
class Timeline:
    rows: list[dict]
    links: list[dict]
    non_working: list[str]
    critical_length: int | None
    truncated: bool
    #: The critical path's item ids in order (empty without a root or dependencies).
    critical_path: list[int]


def _tree_order(rows: dict[int, dict], top: set[int]) -> list[dict]:
    """Rows depth-first in sibling order; each row learns its depth and whether it has children."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, row in rows.items():
        parent = row["parent_id"] if row["parent_id"] in rows and pk not in top else None
        children[parent].append(pk)
    for ids in children.values():
        ids.sort(key=lambda pk: (rows[pk]["position"], pk))
    ordered: list[dict] = []
    stack = [(pk, 0) for pk in reversed(children[None])]
    while stack:
        pk, depth = stack.pop()
        row = rows[pk]
        row["depth"] = depth
        row["has_children"] = bool(children[pk])
        row["parent"] = row["parent_id"] if depth else None
        ordered.append(row)
        stack.extend((child, depth + 1) for child in reversed(children[pk]))
    return ordered


def _spans(ordered: list[dict]) -> None:
    """A parent's bar is the span of its children's (and its own) dates."""
    for row in reversed(ordered):  # children come after parents: walk back to fold upwards
        own = [d for d in (row["start_date"], row["due_date"]) if d is not None]
        kids = row.pop("_kid_dates", [])
        dates = own + kids if not row["has_children"] else kids + own
        row["span_start"] = min(dates) if dates else None
        row["span_end"] = max(dates) if dates else None
        if row["parent"] is not None and dates:
            parent = row["_parent_row"]
            parent.setdefault("_kid_dates", []).extend([min(dates), max(dates)])


def build(user, matched: QuerySet[WorkItem], root: WorkItem | None) -> Timeline:
    """The timeline of `matched` (already visible to `user` and filtered) under `root`."""
    if root is not None:
        matched = matched.filter(pk__in=subtree_ids_expression(root.pk))
    found = list(matched.order_by("root_id", "position", "id").values(*FIELDS)[: MAX_ROWS + 1])
    truncated = len(found) > MAX_ROWS
    rows = {row["id"]: row for row in found[:MAX_ROWS]}
    # Context: the ancestors of matches (inside the root's subtree), so rows keep their tree.
    trails = ancestor_ids_of_many(rows)
    wanted: set[int] = set()
    for trail in trails.values():
        if root is not None and root.pk in trail:
            trail = trail[trail.index(root.pk) :]
        elif root is not None:
            trail = []
        wanted.update(a for a in trail if a not in rows)
    if wanted:
        extra = WorkItem.objects.visible_to(user).filter(pk__in=wanted).values(*FIELDS)
        for row in extra:
            row["context"] = True
            rows[row["id"]] = row
    top = {root.pk} if root is not None and root.pk in rows else set()
    ordered = _tree_order(rows, top)
    by_id = {row["id"]: row for row in ordered}
    for row in ordered:
        row["_parent_row"] = by_id.get(row["parent"]) if row["parent"] else None
    _spans(ordered)

    # One IN list only: SQLite plans `source IN (…) AND target IN (…)` badly (0.5 s at 2,000).
    links = [
        (target, source, lag)
        for target, source, lag in WorkItemRelation.objects.filter(
            kind=WorkItemRelation.Kind.DEPENDS_ON, source_id__in=list(by_id)
        ).values_list("target_id", "source_id", "lag_days")
        if target in by_id
    ]
    editable = permissions.editable_ids(
        user,
        [
            SimpleNamespace(
                pk=r["id"], organization_id=r["organization_id"], created_by_id=r["created_by_id"]
            )
            for r in ordered
        ],
    )
    organisations = {r["organization_id"] for r in ordered}
    calendars = working_days.for_organizations(organisations)
    slack: dict[int, int] = {}
    critical: set[int] = set()
    path: list = []
    length = None
    if root is not None:
        try:
            result, path, items = critical_path.of_subtree(root)
        except ValueError:
            result, path, items = None, [], {}
        critical = {entry.id for entry in path}
        slack = {pk: entry.slack for pk, entry in items.items()}
        length = result.length if result else None
    today = timezone.localdate()
    out_rows = []
    for row in ordered:
        out_rows.append(
            {
                "id": row["id"],
                "title": row["title"],
                "type": row["work_type"],
                "depth": row["depth"],
                "parent": row["parent"],
                "has_children": row["has_children"],
                "start": _iso(row["start_date"]),
                "due": _iso(row["due_date"]),
                "span_start": _iso(row["span_start"]),
                "span_end": _iso(row["span_end"]),
                "status": row["status"],
                "automatic": row["scheduling_mode"] == "automatic",
                "version": row["version"],
                "editable": row["id"] in editable and not row["has_children"],
                "context": row.get("context", False),
                "late": critical_path.is_late(row, today),
                "critical": row["id"] in critical,
                "slack": slack.get(row["id"]),
            }
        )
    out_links = []
    for before, after, lag in links:
        b, a = by_id[before], by_id[after]
        calendar = calendars[a["organization_id"]]
        out_links.append(
            {
                "from": before,
                "to": after,
                "lag": lag,
                "violated": violates(
                    calendar, (b["start_date"], b["due_date"]), a["start_date"], lag
                ),
                "critical": before in critical and after in critical,
            }
        )
    starts = [r["span_start"] for r in ordered if r["span_start"]] + [today]
    ends = [r["span_end"] for r in ordered if r["span_end"]] + [today]
    first, last = min(starts) - timedelta(days=14), max(ends) + timedelta(days=14)
    closed: set[date] = set()
    for calendar in calendars.values() or [working_days.WorkingDays()]:
        closed.update(calendar.between(first, min(last, first + timedelta(days=3 * 366))))
    return Timeline(
        out_rows,
        out_links,
        sorted(d.isoformat() for d in closed),
        length,
        truncated,
        [entry.id for entry in path if entry.id in by_id],
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
