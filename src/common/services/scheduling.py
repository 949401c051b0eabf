"""Dependencies with scheduling meaning, and pushing followers when a predecessor moves.

A "depends on" link is finish-to-start with a lag in working days (see `WorkItemRelation`).
When an item's dates change, every *automatic* item downstream of it whose start would fall
before its predecessors' due date plus lag is pushed later, keeping its length in working days.
Nothing is ever pulled earlier by a move (OpenProject's lesson: silent pulls surprise people);
manual items keep their dates and show as violated instead.

The push is set-based so that moving the head of a 2,000-item chain costs the same as moving a
lone item: one recursive query for the followers, one lock, one read of their links, the
organisation's working days, one UPDATE for all moved rows and one bulk history insert, each
history row saying why ("Rescheduled because “X” moved").
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from common import permissions, working_days
from common.models import MAX_LAG_DAYS, SchedulingMode, WorkItem, WorkItemRelation
from common.tree import GUARD

from . import history
from .date_writes import write_dates
from .derived_dates import derive_upwards
from .items import ensure_writes_allowed
from .locking import lock_items

DEPENDS_ON = WorkItemRelation.Kind.DEPENDS_ON
#: Pushes never place an item beyond this year (a runaway lag is bad input, not a plan).
LAST_YEAR = 2200


@dataclass(frozen=True)
class Move:
    """One item a push moves: where it was and where it goes."""

    item_id: int
    title: str
    start_date: date | None
    due_date: date | None
    new_start: date
    new_due: date | None


def _reach(start_ids: list[int], downstream: bool) -> list[int]:
    """Ids reachable through "depends on" links: followers (downstream) or predecessors.

    One recursive query; UNION (not UNION ALL) keeps each id once, so diamonds and even a cycle
    left by an import cannot make it explode or loop.
    """
    if not start_ids:
        return []
    table = WorkItemRelation._meta.db_table
    near, far = ("target_id", "source_id") if downstream else ("source_id", "target_id")
    marks = ", ".join(["%s"] * len(start_ids))
    if connection.vendor == "postgresql":
        # PostgreSQL guesses the work table holds 10 rows and scans every link once per
        # level (0.8 s down a 2,000-link chain); a LATERAL subquery kept apart by OFFSET 0
        # uses the index per row instead (5 ms). SQLite has no LATERAL and plans the join well.
        step = (
            f"SELECT r.{far} FROM reach CROSS JOIN LATERAL (SELECT {far} FROM {table} "
            f"WHERE {near} = reach.id AND kind = %s OFFSET 0) r"
        )
    else:
        step = f"SELECT r.{far} FROM {table} r JOIN reach ON r.{near} = reach.id WHERE r.kind = %s"
    sql = (
        f"WITH RECURSIVE reach(id) AS ("
        f"SELECT {far} FROM {table} WHERE kind = %s AND {near} IN ({marks}) "
        f"UNION {step}) SELECT id FROM reach"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [DEPENDS_ON, *start_ids, DEPENDS_ON])
        return [row[0] for row in cursor.fetchall()]


def _plan(
    items: dict[int, Any],
    overrides: dict[int, tuple[date | None, date | None]],
    followers: list[int],
    snap: frozenset[int] = frozenset(),
) -> list[Move]:
    """Compute the pushes. `items` holds every follower (rows with dates, mode, organisation);
    `overrides` the new dates of the moved items; `snap` items that go exactly to their earliest
    start (an item just switched to automatic), where everything else only moves later."""
    edges = list(
        WorkItemRelation.objects.filter(kind=DEPENDS_ON, source_id__in=followers).values_list(
            "source_id", "target_id", "lag_days", "target__start_date", "target__due_date"
        )
    )
    organisations = {row["organization_id"] for row in items.values()}
    calendars = working_days.for_organizations(organisations)
    dates: dict[int, tuple[date | None, date | None]] = dict(overrides)
    predecessors: dict[int, list[tuple[int, int]]] = defaultdict(list)
    indegree: dict[int, int] = dict.fromkeys(followers, 0)
    followers_of: dict[int, list[int]] = defaultdict(list)
    for source, target, lag, t_start, t_due in edges:
        predecessors[source].append((target, lag))
        dates.setdefault(target, (t_start, t_due))
        if target in indegree:
            indegree[source] += 1
            followers_of[target].append(source)
    for pk, row in items.items():
        dates.setdefault(pk, (row["start_date"], row["due_date"]))

    queue = deque(sorted(pk for pk, n in indegree.items() if n == 0))
    moves: list[Move] = []
    while queue:
        pk = queue.popleft()
        row = items[pk]
        start, due = dates[pk]
        if row["scheduling_mode"] == SchedulingMode.AUTOMATIC and start is not None:
            calendar = calendars[row["organization_id"]]
            earliest = None
            for target, lag in predecessors[pk]:
                t_start, t_due = dates[target]
                end = t_due or t_start
                if end is None:
                    continue
                candidate = _safe(lambda c=calendar, e=end, g=lag: c.first_start_after(e, g))
                earliest = candidate if earliest is None else max(earliest, candidate)
            if earliest is not None and (earliest > start or (pk in snap and earliest != start)):
                length = calendar.duration(start, due) if due is not None else 1
                new_due = (
                    _safe(lambda c=calendar, e=earliest, n=length: c.add(e, n - 1))
                    if due is not None
                    else None
                )
                moves.append(Move(pk, row["title"], start, due, earliest, new_due))
                dates[pk] = (earliest, new_due)
        for follower in followers_of[pk]:
            indegree[follower] -= 1
            if indegree[follower] == 0:
                queue.append(follower)
    return moves


def _safe(compute) -> date:
    try:
        result = compute()
    except (OverflowError, ValueError):
        result = None
    if result is None or result.year > LAST_YEAR:
        raise ValidationError(
            {"start_date": f"This would push items beyond {LAST_YEAR}; check the dates and lags."}
        )
    return result


_FIELDS = ("title", "start_date", "due_date", "scheduling_mode", "organization_id", "parent_id")


def preview_push(item: WorkItem, start_date: date | None, due_date: date | None) -> list[Move]:
    """The items that would move if `item` got these dates ("7 items will move"); writes nothing.

    Plans the pushes in memory (a few queries for any chain). When a moved item's parent
    follows its children, parents and *their* followers move too, round after round; rather
    than a second planner that could drift from the real one, the change is then made for real
    inside a savepoint and rolled back, so the preview is exactly what saving would do.
    """
    followers = _reach([item.pk], downstream=True)
    moves: list[Move] = []
    parents = {item.parent_id}
    if followers:
        items = {
            row["id"]: row
            for row in WorkItem.objects.filter(pk__in=followers).values("id", *_FIELDS).order_by()
        }
        moves = _plan(items, {item.pk: (start_date, due_date)}, followers)
        parents |= {items[m.item_id]["parent_id"] for m in moves}
    parents.discard(None)
    if (
        not parents
        or not WorkItem.objects.filter(pk__in=parents, dates_from_children=True).exists()
    ):
        return moves
    return _rehearse(item, start_date, due_date)


def _rehearse(item: WorkItem, start_date: date | None, due_date: date | None) -> list[Move]:
    """Save the new dates and roll them back: what moved, including parents and their followers.

    Callbacks registered for after the commit are dropped with the savepoint, so nobody is
    notified of a change that never happened.
    """
    from .items import update_work_item  # items imports this module lazily, so do the same

    with transaction.atomic():
        saved = update_work_item(None, item.pk, start_date=start_date, due_date=due_date)
        transaction.set_rollback(True)
    return list(getattr(saved, "pushed", []))


def check_own_start(item: WorkItem) -> None:
    """An automatic item may not be moved to start before its predecessors allow.

    Manual items may (their links then show as violated); an automatic one is refused with the
    date and the predecessor that holds it, so the timeline can revert the drag and say why.
    """
    if item.scheduling_mode != SchedulingMode.AUTOMATIC or item.start_date is None:
        return
    links = WorkItemRelation.objects.filter(kind=DEPENDS_ON, source_id=item.pk).values_list(
        "lag_days", "target__title", "target__start_date", "target__due_date"
    )
    calendar = None
    for lag, title, start, due in links:
        if start is None and due is None:
            continue
        calendar = calendar or working_days.for_organization(item.organization_id)
        earliest = calendar.earliest_after((start, due), lag)
        if item.start_date < earliest:
            raise ValidationError(
                {
                    "start_date": f"“{item.title}” is scheduled automatically: it cannot start "
                    f"before {earliest:%d %b %Y}, after “{title}”."
                }
            )


def push_followers(
    actor: User | None,
    moved: list[WorkItem],
    *,
    snap: frozenset[int] = frozenset(),
    reason: str = "",
) -> list[Move]:
    """Settle the schedule after items' dates changed (inside their transaction).

    Pushes the automatic followers of `moved`, then gives parents that follow their children
    the new span of those children, then pushes *their* followers, and so on until nothing moves.
    Called by `update_work_item` after it saved the new dates, so a calendar drag, the API, the
    timeline and the form all settle the same way. Returns every move made (pushed followers
    and parents whose dates followed their children).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("push_followers() must run inside transaction.atomic().")
    all_moves: list[Move] = []
    frontier = list(moved)
    for round_number in range(GUARD):
        moves, pushed = _push_once(
            actor,
            frontier,
            snap=snap if round_number == 0 else frozenset(),
            reason=reason if round_number == 0 else "",
        )
        all_moves.extend(moves)
        derived = derive_upwards(actor, {row.parent_id for row in [*frontier, *pushed]})
        if not derived:
            return all_moves
        all_moves.extend(
            Move(row.pk, row.title, old_start, old_due, row.start_date, row.due_date)
            for row, old_start, old_due in derived
        )
        frontier = [row for row, _, _ in derived]
    raise ValidationError(
        {
            "start_date": "These dates keep moving one another (a parent that follows its "
            "children waits for one of them); remove that dependency or switch off "
            "“dates from children”."
        }
    )


def settle_parents(actor: User | None, parent_ids: list[int | None]) -> list[Move]:
    """After children arrived, left or were cancelled: parents that follow their children take
    the new span, and their followers are pushed (inside the caller's transaction)."""
    derived = derive_upwards(actor, parent_ids)
    if not derived:
        return []
    moves = [
        Move(row.pk, row.title, old_start, old_due, row.start_date, row.due_date)
        for row, old_start, old_due in derived
    ]
    return moves + push_followers(actor, [row for row, _, _ in derived])


def _push_once(
    actor: User | None, moved: list[WorkItem], *, snap: frozenset[int], reason: str
) -> tuple[list[Move], list[WorkItem]]:
    """One round of pushes: the moves, and the rows written (with their new dates)."""
    starts = [m.pk for m in moved]
    followers = sorted(set(_reach(starts, downstream=True)) | (set(snap) - set(starts)))
    if not followers:
        return [], []
    locked = lock_items(followers)
    wanted = set(followers)
    items = {
        pk: {name: getattr(row, name) for name in _FIELDS}
        for pk, row in locked.items()
        if pk in wanted
    }
    overrides = {m.pk: (m.start_date, m.due_date) for m in moved}
    moves = _plan(items, overrides, followers, snap)
    if not moves:
        return [], []
    now = timezone.now()
    changed = []
    for move in moves:
        row = locked[move.item_id]
        row.start_date, row.due_date = move.new_start, move.new_due
        row.version += 1
        row.updated_at = now
        changed.append(row)
    write_dates(changed, now)
    if not reason:
        reason = (
            f"Rescheduled because “{moved[0].title}” moved"
            if len(moved) == 1
            else "Rescheduled because its predecessors moved"
        )
    history.record(changed, history.CHANGED, actor, reason)
    return moves, changed


def _name_chain(path_ids: list[int]) -> str:
    titles = dict(WorkItem.objects.filter(pk__in=path_ids).values_list("pk", "title"))
    return " → ".join(f"“{titles.get(pk, pk)}”" for pk in path_ids)


def _cycle_path(follower_id: int, predecessor_id: int) -> list[int] | None:
    """If `predecessor` already (transitively) waits for `follower`, the chain that proves it."""
    upstream = _reach([predecessor_id], downstream=False)
    if follower_id not in upstream:
        return None
    nodes = set(upstream) | {predecessor_id}
    waits_for: dict[int, list[int]] = defaultdict(list)
    for source, target in WorkItemRelation.objects.filter(
        kind=DEPENDS_ON, source_id__in=nodes
    ).values_list("source_id", "target_id"):
        waits_for[source].append(target)
    parent: dict[int, int | None] = {predecessor_id: None}
    queue = deque([predecessor_id])
    while queue:
        pk = queue.popleft()
        if pk == follower_id:
            break
        for nxt in sorted(waits_for[pk]):
            if nxt not in parent:
                parent[nxt] = pk
                queue.append(nxt)
    chain = [follower_id]
    while parent.get(chain[-1]) is not None:
        chain.append(parent[chain[-1]])
    # chain: follower ← … ← predecessor; read as "predecessor waits for … waits for follower"
    return list(reversed(chain))


@transaction.atomic
def link_dependency(
    actor: User | None, follower: WorkItem, predecessor: WorkItem, lag_days: int = 0
) -> tuple[WorkItemRelation, list[Move]]:
    """`follower` starts after `predecessor` is due (+ `lag_days` working days).

    Refuses a lag out of range, items of two organisations, a link to itself and a loop (naming
    the chain). An automatic follower that would start too early is pushed at once. Linking an
    already linked pair changes its lag.
    """
    ensure_writes_allowed(actor)
    if isinstance(lag_days, bool) or not isinstance(lag_days, int):
        raise ValidationError({"lag_days": "The lag must be a whole number of working days."})
    if not 0 <= lag_days <= MAX_LAG_DAYS:
        raise ValidationError(
            {"lag_days": f"The lag must be between 0 and {MAX_LAG_DAYS} working days."}
        )
    if follower.pk == predecessor.pk:
        raise ValidationError({"predecessor": "An item cannot depend on itself."})
    if follower.organization_id != predecessor.organization_id:
        raise ValidationError({"predecessor": "Both items must belong to the same organisation."})
    if actor is not None and not (
        permissions.can_edit(actor, follower) and permissions.can_view(actor, predecessor)
    ):
        raise PermissionDenied("You may not link these items.")
    lock_items([follower.pk, predecessor.pk])
    loop = _cycle_path(follower.pk, predecessor.pk)
    if loop is not None:
        raise ValidationError(
            {
                "predecessor": "This would make a loop: "
                f"{_name_chain([follower.pk, *loop])} already waits for “{follower.title}”."
            }
        )
    relation, created = WorkItemRelation.objects.get_or_create(
        source=follower, target=predecessor, kind=DEPENDS_ON, defaults={"lag_days": lag_days}
    )
    if not created and relation.lag_days != lag_days:
        relation.lag_days = lag_days
        relation.save(update_fields=["lag_days"])
    fresh = WorkItem.objects.get(pk=predecessor.pk)
    moves = push_followers(actor, [fresh])
    return relation, moves


@transaction.atomic
def unlink_dependency(actor: User | None, follower: WorkItem, predecessor: WorkItem) -> int:
    """Remove the dependency; nobody moves (removing a constraint never pulls anyone)."""
    ensure_writes_allowed(actor)
    if actor is not None and not permissions.can_edit(actor, follower):
        raise PermissionDenied("You may not change this item's links.")
    deleted, _ = WorkItemRelation.objects.filter(
        source=follower, target=predecessor, kind=DEPENDS_ON
    ).delete()
    return deleted


@transaction.atomic
def set_scheduling_mode(actor: User | None, item: WorkItem, mode: str) -> list[Move]:
    """Switch an item between manual and automatic scheduling.

    Switching to automatic places the item on the earliest working day after its predecessors
    (plus lag) — earlier or later — and pushes its own followers; switching to manual keeps the
    dates as they are.
    """
    ensure_writes_allowed(actor)
    if mode not in SchedulingMode.values:
        raise ValidationError({"scheduling_mode": f"“{mode}” is not a scheduling mode."})
    current = lock_items([item.pk])[item.pk]
    if actor is not None and not permissions.can_edit(actor, current):
        raise PermissionDenied("You may not edit this item.")
    if current.scheduling_mode == mode:
        return []
    if mode == SchedulingMode.AUTOMATIC and current.dates_from_children:
        raise ValidationError(
            {
                "scheduling_mode": f"“{current.title}” takes its dates from its children; "
                "switch that off before scheduling it after its predecessors."
            }
        )
    current.scheduling_mode = mode
    current.version += 1
    current.save(update_fields=["scheduling_mode", "version", "updated_at"])
    history.record([current], history.CHANGED, actor, "Scheduling mode changed")
    if mode != SchedulingMode.AUTOMATIC:
        return []
    predecessors = list(
        WorkItemRelation.objects.filter(kind=DEPENDS_ON, source=current).values_list(
            "target_id", flat=True
        )
    )
    if not predecessors:
        return []
    heads = list(WorkItem.objects.filter(pk__in=predecessors))
    return push_followers(
        actor, heads, snap=frozenset({current.pk}), reason="Scheduled after its predecessors"
    )
