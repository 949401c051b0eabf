"""One read of the old database: every row of the three trackers with its links.

Each table is read once (rows as dictionaries, in batches), many-to-many tables once each, and
the rows are joined in memory; so reading costs a fixed number of queries whatever the volume.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from . import models as legacy
from .mapping.values import key_of
from .sources import EVENTS, PROJECTS, TASKS


@dataclass
class Snapshot:
    projects: dict[str, dict] = field(default_factory=dict)
    events: dict[str, dict] = field(default_factory=dict)
    tasks: dict[str, dict] = field(default_factory=dict)
    patterns: dict[int, dict] = field(default_factory=dict)
    users: list[dict] = field(default_factory=list)
    teams: list[dict] = field(default_factory=list)
    memberships: list[dict] = field(default_factory=list)
    #: (source, key of a series' first row) → dates of its stored instances
    instance_dates: dict[tuple[str, str], set] = field(default_factory=dict)

    def rows(self, source: str) -> dict[str, dict]:
        return {TASKS: self.tasks, EVENTS: self.events}.get(source, self.projects)

    @property
    def total(self) -> int:
        return len(self.projects) + len(self.events) + len(self.tasks)


def _only(rows, column: str, keys, span: bool):
    """`rows` of `keys`: a range between the first and last key when the keys are a span (a
    run of consecutive keys in the table's order: a cheap index range scan instead of a list of
    thousands of values, rows that appeared inside it since are dropped by the caller)."""
    if keys is None:
        return rows
    if span and keys:
        return rows.filter(**{f"{column}__gte": keys[0], f"{column}__lte": keys[-1]})
    return rows.filter(**{f"{column}__in": keys})


def _rows(model, batch_size: int, keys=None, span: bool = False) -> list[dict]:
    rows = _only(model.objects.order_by("pk"), "pk", keys, span)
    found = list(rows.values().iterator(chunk_size=batch_size))
    if span and keys:
        wanted = set(keys)
        found = [row for row in found if key_of(row["id"]) in wanted]
    return found


def _grouped(model, owner: str, other: str, batch_size: int, keys=None, span=False) -> dict:
    grouped: dict = defaultdict(list)
    rows = _only(model.objects.order_by("pk"), owner, keys, span)
    for owner_key, other_key in rows.values_list(owner, other).iterator(chunk_size=batch_size):
        grouped[key_of(owner_key)].append(other_key)
    return grouped


def read_snapshot(
    batch_size: int = 2000,
    only: dict[str, list] | None = None,
    *,
    lookups: bool = True,
    span: bool = False,
) -> Snapshot:
    """Read every row (or, with `only`, the rows with the given keys per table).

    `lookups=False` leaves out what rows refer to (people, teams, recurrence patterns, stored
    instances), for a re-read of rows whose references are already known. `span=True` says the
    keys of `only` are consecutive keys in the table's order (a batch of the index), read as
    one key range.
    """
    snap = Snapshot()

    def pick(source: str) -> list | None:
        return None if only is None else only.get(source, [])

    needs_query = legacy.LegacyNeed.objects.values("id", "title", "description")
    if only is not None:
        workflows = _only(legacy.ProjectWorkflow.objects.all(), "pk", pick(PROJECTS), span)
        needs_query = needs_query.filter(pk__in=workflows.values("primary_need_id"))
    needs = {n["id"]: n for n in needs_query}
    for row in _rows(legacy.ProjectWorkflow, batch_size, pick(PROJECTS), span):
        row["need"] = needs.get(row["primary_need_id"])
        snap.projects[key_of(row["id"])] = row

    co_organizers = _grouped(
        legacy.EventCoOrganizer, "event_id", "user_id", batch_size, pick(EVENTS), span
    )
    facilitators = _grouped(
        legacy.EventFacilitator, "event_id", "user_id", batch_size, pick(EVENTS), span
    )
    organizations = _grouped(
        legacy.EventOrganization, "event_id", "organization_id", batch_size, pick(EVENTS), span
    )
    for row in _rows(legacy.Event, batch_size, pick(EVENTS), span):
        key = key_of(row["id"])
        row["co_organizers"] = sorted(co_organizers.get(key, []))
        row["facilitators"] = sorted(facilitators.get(key, []))
        row["organizations"] = sorted(key_of(o) for o in organizations.get(key, []))
        snap.events[key] = row

    assignees = _grouped(
        legacy.StaffTaskAssignee, "stafftask_id", "user_id", batch_size, pick(TASKS), span
    )
    teams = _grouped(
        legacy.StaffTaskTeam, "stafftask_id", "staffteam_id", batch_size, pick(TASKS), span
    )
    depends = _grouped(
        legacy.StaffTaskDependency,
        "from_stafftask_id",
        "to_stafftask_id",
        batch_size,
        pick(TASKS),
        span,
    )
    for row in _rows(legacy.StaffTask, batch_size, pick(TASKS), span):
        key = key_of(row["id"])
        row["assignees"] = sorted(assignees.get(key, []))
        row["teams"] = sorted(teams.get(key, []))
        row["depends_on"] = sorted({key_of(t) for t in depends.get(key, [])})
        snap.tasks[key] = row

    if not lookups:
        return snap
    for source, model in ((EVENTS, legacy.Event), (TASKS, legacy.StaffTask)):
        instances = model.objects.filter(recurrence_parent_id__isnull=False)
        if only is not None:
            instances = instances.filter(recurrence_parent_id__in=pick(source))
        date_columns = ("start_date", "due_date") if source == TASKS else ("start_date",)
        for head, *days in instances.values_list("recurrence_parent_id", *date_columns):
            day = next((d for d in days if d is not None), None)
            if day is not None:
                snap.instance_dates.setdefault((source, key_of(head)), set()).add(day)

    snap.patterns = {p["id"]: p for p in legacy.LegacyRecurrencePattern.objects.values()}
    snap.users = list(legacy.LegacyUser.objects.order_by("pk").values())
    snap.teams = list(legacy.LegacyTeam.objects.order_by("pk").values())
    snap.memberships = list(legacy.LegacyTeamMembership.objects.values())
    return snap


#: The placeholder row of the index: only the key of a project or task matters there.
_KEY_ONLY: dict = {}


def read_index(batch_size: int = 2000) -> Snapshot:
    """What mapping one row needs to know about the others, without the rows themselves.

    Every key of the three tables in key order (rows are empty placeholders), how events nest
    (`parent_event_id`, `related_project_id`), recurrence patterns, stored instances, people and
    teams: a few columns per row, so 100,000 rows take tens of megabytes, not a gigabyte. Rows are
    then read batch by batch with `read_snapshot(only=...)`.
    """
    snap = Snapshot()
    for pk in (
        legacy.ProjectWorkflow.objects.order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=batch_size)
    ):
        snap.projects[key_of(pk)] = _KEY_ONLY
    for pk, parent, project in (
        legacy.Event.objects.order_by("pk")
        .values_list("pk", "parent_event_id", "related_project_id")
        .iterator(chunk_size=batch_size)
    ):
        snap.events[key_of(pk)] = {"parent_event_id": parent, "related_project_id": project}
    for pk in (
        legacy.StaffTask.objects.order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=batch_size)
    ):
        snap.tasks[key_of(pk)] = _KEY_ONLY
    lookups = read_snapshot(batch_size, only={}, lookups=True)
    snap.patterns, snap.users = lookups.patterns, lookups.users
    snap.teams, snap.memberships = lookups.teams, lookups.memberships
    for source, model in ((EVENTS, legacy.Event), (TASKS, legacy.StaffTask)):
        date_columns = ("start_date", "due_date") if source == TASKS else ("start_date",)
        instances = model.objects.filter(recurrence_parent_id__isnull=False)
        for head, *days in instances.values_list("recurrence_parent_id", *date_columns):
            day = next((d for d in days if d is not None), None)
            if day is not None:
                snap.instance_dates.setdefault((source, key_of(head)), set()).add(day)
    return snap
