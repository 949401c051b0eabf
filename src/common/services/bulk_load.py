"""Loading many new items at once — imports, migrations, benchmarks.

The same rules as `create_work_item` (type matrix, depth, dates, fields, details), checked for
every item before anything is written; then one INSERT per level and batch, one history insert
per batch and a single set-based roll-up at the end. A load is all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import DEFERRED, DateTimeField, F, JSONField, Max, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts import work_marks
from accounts.models import User
from common.id_lists import ids_in
from common.jsonb import jsonb
from common.models import Status, WorkItem
from common.progress import recompute_trees
from common.tree import depths_of

from . import history
from .items import reject_unknown_fields, validate_item_fields
from .positions import STEP
from .rules import check_depth, check_placement


@dataclass
class NewItem:
    """One item to load. `parent_key` names another NewItem; `parent_id` an existing item."""

    key: Hashable
    work_type: str
    title: str
    parent_key: Hashable | None = None
    parent_id: int | None = None
    organization_id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    assignee_ids: list[int] = field(default_factory=list)
    team_ids: list[int] = field(default_factory=list)
    #: For a migration: the old system's table and key, and its fields with no home here.
    legacy_source: str = ""
    legacy_id: str = ""
    legacy_data: dict[str, Any] = field(default_factory=dict)
    created_by_id: int | None = None
    completed_at: datetime | None = None


#: What a load sets on every item besides `fields` (never skipped as "left at its default").
_SET_BY_LOAD = frozenset(
    {"work_type", "title", "legacy_source", "legacy_id", "legacy_data", "completed_at"}
)


@cache
def _valid_defaults() -> frozenset[str]:
    """Fields whose default passes the field checks unchanged.

    An item that leaves such a field at its default needs no check of it: at 100,000 migrated
    items, checking every field of every item was an eighth of the run. Worked out once from
    the model, so a default that stops passing is checked again on every item.
    """
    probe = WorkItem()
    valid = set()
    for f in WorkItem._meta.concrete_fields:
        if f.primary_key or f.generated or f.name in _SET_BY_LOAD:
            continue
        raw = getattr(probe, f.attname)
        try:
            cleaned = f.clean(raw, probe)
        except ValidationError:
            continue
        if type(cleaned) is type(raw) and cleaned == raw:
            valid.add(f.name)
    return frozenset(valid)


@cache
def _blank_row() -> tuple[list[Any], tuple[tuple[int, Any], ...], dict[str, int]]:
    """A new item's values in field order; the fields whose default is made afresh for each
    item (lists, dicts); and each field's place by name and by attribute name."""
    values: list[Any] = []
    fresh: list[tuple[int, Any]] = []
    place: dict[str, int] = {}
    for i, f in enumerate(WorkItem._meta.concrete_fields):
        place[f.name] = place[f.attname] = i
        if f.generated:
            values.append(DEFERRED)
        elif f.has_default() and callable(f.default):
            values.append(None)
            fresh.append((i, f.default))
        else:
            values.append(f.get_default())
    return values, tuple(fresh), place


def _new_item(spec: NewItem) -> WorkItem:
    """The unsaved item `spec` describes, built from its values in field order, as Django builds
    the rows it reads: building from keywords looked up every field's default for every item,
    a tenth of a 100,000-row migration."""
    template, fresh, place = _blank_row()
    values = template.copy()
    for i, make in fresh:
        values[i] = make()
    for name, value in spec.fields.items():
        values[place[name]] = value
    for name, value in (
        ("work_type", spec.work_type),
        ("title", spec.title),
        ("organization_id", spec.organization_id),
        ("created_by_id", spec.created_by_id),
        ("legacy_source", spec.legacy_source),
        ("legacy_id", spec.legacy_id),
        ("legacy_data", spec.legacy_data),
        ("completed_at", spec.completed_at),
    ):
        values[place[name]] = value
    return WorkItem(*values)


class _Parent(NamedTuple):
    """What a load needs of an existing parent (a tuple: thousands are read per chunk)."""

    pk: int
    work_type: str
    organization_id: int
    root_id: int | None


def _existing_parents(ids: set[int]) -> dict[int, _Parent]:
    if not ids:
        return {}
    chosen, params = ids_in(ids)
    rows = WorkItem.objects.filter(pk__in=RawSQL(chosen, params)).values_list(
        "id", "work_type", "organization_id", "root_id"
    )
    return {row[0]: _Parent(*row) for row in rows}


def _fail(spec: NewItem, exc: ValidationError) -> ValidationError:
    details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return ValidationError({"items": f"{spec.key!r} ({spec.title[:60]}): {details}"})


@transaction.atomic
def bulk_create_items(
    specs: Sequence[NewItem],
    *,
    batch_size: int = 2000,
    reason: str = "bulk load",
    roll_up: bool = True,
) -> dict[Hashable, int]:
    """Create all `specs` (parents before or after children, any order); return key → id.

    `roll_up=False` is for a load made of many calls in one transaction (the legacy migration
    writes chunk by chunk): the trees' roll-up is then left to one `roll_up_trees` call with
    every created id at the end, in the same transaction, instead of re-reading the same trees
    after every chunk.
    """
    by_key = {s.key: s for s in specs}
    if len(by_key) != len(specs):
        raise ValidationError({"items": "Every item needs a unique key."})
    existing_parents = {s.parent_id for s in specs if s.parent_id is not None}
    parents = _existing_parents(existing_parents)
    if missing := existing_parents - parents.keys():
        raise ValidationError({"items": f"Parent item {min(missing)} does not exist."})
    parent_depth = depths_of(parents)

    level: dict[Hashable, int] = {}

    def level_of(spec: NewItem, seen: frozenset = frozenset()) -> int:
        if spec.key in level:
            return level[spec.key]
        if spec.key in seen:
            raise ValidationError({"items": f"{spec.key!r} is its own ancestor."})
        if spec.parent_key is not None:
            if spec.parent_key not in by_key:
                raise ValidationError(
                    {"items": f"{spec.key!r}: unknown parent {spec.parent_key!r}."}
                )
            value = level_of(by_key[spec.parent_key], seen | {spec.key}) + 1
        elif spec.parent_id is not None:
            value = parent_depth[spec.parent_id] + 1
        else:
            value = 1
        level[spec.key] = value
        return value

    built: dict[Hashable, WorkItem] = {}
    defaults = _valid_defaults()
    checked: dict[tuple, Any] = {}  # field checks by value, for this load
    for spec in specs:
        depth = level_of(spec)
        try:
            reject_unknown_fields(spec.fields)
            if spec.parent_key is not None:
                parent_type = by_key[spec.parent_key].work_type
            elif spec.parent_id is not None:
                parent_type = parents[spec.parent_id].work_type
            else:
                parent_type = None
            check_placement(parent_type, spec.work_type)
            check_depth(depth - 1, 1)
            item = _new_item(spec)
            validate_item_fields(item, defaults.difference(spec.fields), checked)
        except ValidationError as exc:
            raise _fail(spec, exc) from None
        if item.status == Status.COMPLETED:
            item.completed_at = item.completed_at or timezone.now()
        else:
            item.completed_at = None
        built[spec.key] = item

    _check_assignees(specs, by_key, parents)
    next_position: dict[int | None, int] = {}
    if any(s.parent_key is None and s.parent_id is None for s in specs):
        top = WorkItem.objects.filter(parent_id=None).order_by().aggregate(last=Max("position"))
        next_position[None] = top["last"] or 0
    if existing_parents:
        next_position.update(_last_positions(existing_parents))
    ordered = sorted(specs, key=lambda s: level[s.key])
    for start in range(0, len(ordered), batch_size):
        batch_specs = ordered[start : start + batch_size]
        # Within a batch, parents come before children only across levels; split by level.
        for depth in sorted({level[s.key] for s in batch_specs}):
            chunk = [s for s in batch_specs if level[s.key] == depth]
            _insert_level(chunk, built, parents, next_position)
    created = [built[s.key] for s in specs]
    if tops := [w.pk for w in created if w.parent_id is None and w.root_id is None]:
        WorkItem.objects.filter(pk__in=tops).update(root_id=F("id"))
    for w in created:
        if w.parent_id is None:
            w.root_id = w.pk
    _attach_people(specs, built)
    # The rows just written are the items' first state: recorded set-based, in one statement.
    history.record_current([w.pk for w in created], history.CREATED, None, reason)
    # A long load commits after its rows were stamped, perhaps after a later-stamped edit
    # elsewhere: the latest change alone might not move, the organisations' marks do.
    work_marks.mark({w.organization_id for w in created})
    if roll_up:
        recompute_trees({w.root_id for w in created})
    return {key: item.pk for key, item in built.items()}


def _last_positions(parent_ids: set[int]) -> dict[int, int]:
    """The last child position under each of these parents that has children.

    One index probe per parent (`workitem_siblings`, newest position first): a grouped maximum
    read every existing child instead, and a migration's later chunks add tasks under parents
    that already hold thousands.
    """
    chosen, params = ids_in(parent_ids)
    last = (
        WorkItem.objects.filter(parent_id=OuterRef("pk"))
        .order_by("-position")
        .values("position")[:1]
    )
    rows = (
        WorkItem.objects.filter(pk__in=RawSQL(chosen, params))
        .annotate(last=Subquery(last))
        .values_list("pk", "last")
    )
    return {pk: position for pk, position in rows if position is not None}


def roll_up_trees(item_ids: Sequence[int]) -> dict[int, int]:
    """The roll-up of every tree holding one of `item_ids` (after `roll_up=False` loads)."""
    if not item_ids:
        return {}
    chosen, params = ids_in(item_ids)
    roots = (
        WorkItem.objects.filter(pk__in=RawSQL(chosen, params))
        .order_by()
        .values_list("root_id", flat=True)
        .distinct()
    )
    return recompute_trees(roots)


def _organization_of(spec: NewItem, by_key, parents) -> int | None:
    while spec.parent_key is not None:
        spec = by_key[spec.parent_key]
    return parents[spec.parent_id].organization_id if spec.parent_id else spec.organization_id


def _check_assignees(specs, by_key, parents) -> None:
    """Assignees must be active people of the item's organisation (one query for the load)."""
    wanted = {u for s in specs for u in s.assignee_ids}
    if not wanted:
        return
    org_of_user = dict(
        User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", "organization_id")
    )
    for spec in specs:
        org = _organization_of(spec, by_key, parents)
        for user_id in spec.assignee_ids:
            if org_of_user.get(user_id) != org:
                raise ValidationError(
                    {
                        "items": f"{spec.key!r}: assignee {user_id} is not an active person of the "
                        "item's organisation."
                    }
                )


def _insert_level(chunk, built, parents, next_position) -> None:
    for spec in chunk:
        item = built[spec.key]
        if spec.parent_key is not None:
            parent = built[spec.parent_key]
        elif spec.parent_id is not None:
            parent = parents[spec.parent_id]
        else:
            parent = None
        if parent is not None:
            item.parent_id = parent.pk
            item.root_id = parent.root_id or parent.pk  # a new top item is its own root
            item.organization_id = parent.organization_id
        elif item.organization_id is None:
            raise ValidationError(
                {"items": f"{spec.key!r}: a top-level item needs an organisation."}
            )
        slot = next_position.get(item.parent_id, 0) + STEP
        next_position[item.parent_id] = slot
        item.position = slot
    _insert([built[s.key] for s in chunk])


def _insert(items: list[WorkItem]) -> None:
    """INSERT the items and give each its id: on PostgreSQL one COPY (ids drawn from the table's
    sequence first), elsewhere Django's bulk_create. Both write the same values: the items were
    validated and built above, and COPY sends each field as Django would (JSON as JSON,
    date-times through the field's own preparation, `created_at`/`updated_at` stamped now)."""
    using = router.db_for_write(WorkItem)
    connection = connections[using]
    if connection.vendor != "postgresql" or not items:
        WorkItem.objects.using(using).bulk_create(items)
        return
    fields = [f for f in WorkItem._meta.concrete_fields if not f.primary_key and not f.generated]
    prepare = []
    for f in fields:
        if isinstance(f, JSONField):
            prepare.append(jsonb)
        elif isinstance(f, DateTimeField):
            prepare.append(
                lambda value, f=f: None if value is None else f.get_db_prep_save(value, connection)
            )
        else:
            prepare.append(None)
    now = timezone.now()
    table = WorkItem._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ["id", *(f.column for f in fields)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(items)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for item, pk in zip(items, ids, strict=True):
                item.pk = pk
                if item.parent_id is None:
                    item.root_id = pk  # a top item is its own root: no UPDATE after the COPY
                item.created_at = item.updated_at = now
                row = [pk]
                for f, prep in zip(fields, prepare, strict=True):
                    value = getattr(item, f.attname)
                    row.append(prep(value) if prep is not None else value)
                copy.write_row(row)
    for item in items:
        item._state.adding, item._state.db = False, using


def _attach_people(specs, built) -> None:
    for through, column, attribute in (
        (WorkItem.assignees.through, "user_id", "assignee_ids"),
        (WorkItem.teams.through, "team_id", "team_ids"),
    ):
        pairs = [
            (built[s.key].pk, other)
            for s in specs
            for other in dict.fromkeys(getattr(s, attribute))
        ]
        if not pairs:
            continue
        connection = connections[router.db_for_write(through)]
        if connection.vendor != "postgresql":
            through.objects.bulk_create(
                [through(workitem_id=item, **{column: other}) for item, other in pairs],
                batch_size=5000,
            )
            continue
        quote = connection.ops.quote_name
        sql = f"COPY {quote(through._meta.db_table)} (workitem_id, {quote(column)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for pair in pairs:
                copy.write_row(pair)
