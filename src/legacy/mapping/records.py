"""The forward mapping: one legacy row → the work item it becomes.

`map_row` is a pure function of the old row (plus the people map), so the importer, the
verifier and the dual-write all agree on what "in step" means: an item is in step with its row
when `map_row(row)` equals what the item holds (`compared(...)`). Where a row breaks a rule the
old database did not enforce (a due date before the start, a single-day event ending before it
starts, progress above 100) the mapping repairs it the same way every time, keeps the original in
`legacy_data` and says so in `notes`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError

from common.details import clean_details

from ..snapshot import Snapshot
from ..sources import EVENTS, PROJECTS, TASKS
from . import values
from .people import PeopleMap
from .recurrence import to_rule

Origin = tuple[str, str]

_TASK_EXTRA = (
    "impact",
    "task_category",
    "board_position",
    "task_context",
    "workflow_stage",
    "auto_generated",
    "assessment_phase",
    "policy_phase",
    "service_phase",
    "task_role",
    "geographic_scope",
    "linked_ppa_id",
    "created_from_template_id",
    "is_recurring",
    "is_recurrence_exception",
    "recurrence_parent_id",
    "completed_at",
    "created_at",
    "updated_at",
)
_EVENT_EXTRA = (
    "target_audience",
    "agenda",
    "materials_needed",
    "minutes",
    "outcomes",
    "decisions_made",
    "key_discussions",
    "feedback_summary",
    "satisfaction_rating",
    "lessons_learned",
    "follow_up_required",
    "follow_up_date",
    "follow_up_notes",
    "duration_hours",
    "coordinates",
    "community_id",
    "related_assessment_id",
    "related_engagement_id",
    "fiscal_year",
    "is_quarterly_coordination",
    "pre_meeting_reports_due",
    "quarter",
    "is_project_activity",
    "project_activity_type",
    "is_recurring",
    "is_recurrence_exception",
    "recurrence_parent_id",
    "organizations",
    "created_at",
    "updated_at",
)
_PROJECT_EXTRA = (
    "stage_history",
    "is_on_track",
    "is_blocked",
    "blocker_description",
    "actual_completion_date",
    "budget_approval_date",
    "notes",
    "lessons_learned",
    "primary_need_id",
    "ppa_id",
    "mao_focal_person_id",
    "created_at",
    "updated_at",
)


@dataclass
class Mapped:
    source: str
    legacy_id: str
    work_type: str
    title: str
    parent: Origin | None
    fields: dict[str, Any]
    assignees: list[int]
    teams: list[int]
    created_by: int | None
    completed_at: dt.datetime | None
    legacy_data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)

    @property
    def origin(self) -> Origin:
        return (self.source, self.legacy_id)

    def compared(self) -> dict[str, Any]:
        """The values an item must hold to be in step with its row."""
        values_ = {
            "work_type": self.work_type,
            "title": self.title,
            "parent": self.parent,
            "assignees": self.assignees,
            "teams": self.teams,
            **self.fields,
        }
        if self.source == EVENTS:
            values_.pop("progress")  # activities roll up from their tasks
        return values_


@dataclass
class Context:
    snapshot: Snapshot
    people: PeopleMap
    #: origins of rows already migrated (an earlier run), to which new rows may attach
    migrated: set[Origin] = field(default_factory=set)
    _event_parents: dict[str, Origin | None] = field(default_factory=dict)
    _event_notes: dict[str, list[str]] = field(default_factory=dict)

    def exists(self, origin: Origin) -> bool:
        return origin[1] in self.snapshot.rows(origin[0]) or origin in self.migrated

    def event_parent(self, key: str) -> Origin | None:
        """An event's parent: its parent event, else its project; cycles and depth repaired."""
        self.place_events()
        return self._event_parents.get(key)

    def place_events(self) -> None:
        """Place every event (once; later calls find them placed)."""
        if not self._event_parents and self.snapshot.events:
            self._place_events()

    def event_notes(self, key: str) -> list[str]:
        return self._event_notes.get(key, [])

    def _own_parent(self, key: str, notes: list[str]) -> Origin | None:
        row = self.snapshot.events[key]
        if row["parent_event_id"] is not None:
            parent = values.key_of(row["parent_event_id"])
            if self.exists((EVENTS, parent)):
                return (EVENTS, parent)
            notes.append(f"parent event {parent} does not exist; placed by its project")
        return self._project_of(key, notes)

    def _project_of(self, key: str, notes: list[str]) -> Origin | None:
        project_id = self.snapshot.events[key]["related_project_id"]
        if project_id is None:
            return None
        project = (PROJECTS, values.key_of(project_id))
        if self.exists(project):
            return project
        notes.append(f"related project {project[1]} does not exist; placed at the top")
        return None

    def _place_events(self) -> None:
        parents = self._event_parents
        for key in self.snapshot.events:
            parents[key] = self._own_parent(key, self._event_notes.setdefault(key, []))
        # parent_event links may form cycles (the old database allowed it): cut each one.
        for key in self.snapshot.events:
            seen: list[str] = []
            current: str | None = key
            while current is not None:
                if current in seen:
                    parents[current] = self._project_of(current, [])
                    self._event_notes[current].append("parent events form a cycle; cut here")
                    break
                seen.append(current)
                parent = parents.get(current)
                current = parent[1] if parent and parent[0] == EVENTS else None
        # Events nest at most WORK_ITEM_MAX_DEPTH - 1 levels deep, leaving room for tasks.
        limit = settings.WORK_ITEM_MAX_DEPTH - 1
        for key in self.snapshot.events:
            path = self._path(key)
            if len(path) >= limit:
                parents[key] = path[len(path) - limit + 1]
                self._event_notes[key].append(
                    f"nested more than {limit} levels deep; placed at level {limit}"
                )

    def _path(self, key: str) -> list[Origin]:
        """Ancestors of an event, nearest first."""
        path: list[Origin] = []
        parent = self._event_parents.get(key)
        while parent is not None:
            path.append(parent)
            parent = self._event_parents.get(parent[1]) if parent[0] == EVENTS else None
        return path


def _extra(row: dict, names: tuple[str, ...], **more: Any) -> dict[str, Any]:
    data = {name: values.plain(row.get(name)) for name in names}
    data.update({k: values.plain(v) for k, v in more.items()})
    return {k: v for k, v in data.items() if v not in ("", None, False, {}, [])}


def _details(work_type: str, raw: dict[str, Any], extra: dict, notes: list[str]) -> dict:
    cleaned: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            cleaned.update(clean_details(work_type, {key: value}))
        except ValidationError as exc:
            notes.append(f"{key} “{value}” kept aside: {' '.join(exc.messages)}")
            extra[key] = values.plain(value)
    return cleaned


def _dates(start, due, extra: dict, notes: list[str]) -> tuple:
    if start and due and start > due:
        notes.append(f"start {start} after due {due}; start kept aside")
        extra["original_start_date"] = start.isoformat()
        return None, due
    return start, due


def _recurrence(source: str, key: str, row: dict, first, ctx: Context, notes: list[str]):
    pattern = ctx.snapshot.patterns.get(row["recurrence_pattern_id"])
    if not row["is_recurring"] or pattern is None:
        return {}
    if first is None:
        notes.append("recurring without a start date; repeat not carried")
        return {}
    rule, exdates, more = to_rule(pattern, first)
    notes.extend(more)
    if not rule:
        return {}
    # Stored instances become items of their own, so the series skips their dates.
    instances = {d.isoformat() for d in ctx.snapshot.instance_dates.get((source, key), ())}
    return {"recurrence_rule": rule, "recurrence_exdates": sorted(set(exdates) | instances)}


def _completed_at(row: dict, status: str, explicit: dt.datetime | None) -> dt.datetime | None:
    if status != "completed":
        return None
    return explicit or row["updated_at"]


def map_task(key: str, row: dict, ctx: Context) -> Mapped:
    notes: list[str] = []
    parent: Origin | None = None
    extra_links: dict[str, Any] = {}
    if row["linked_event_id"] is not None:
        event = (EVENTS, values.key_of(row["linked_event_id"]))
        if ctx.exists(event):
            parent = event
            if row["linked_workflow_id"]:
                extra_links["linked_workflow_id"] = row["linked_workflow_id"]
        else:
            notes.append(f"linked event {event[1]} does not exist")
    if parent is None and row["linked_workflow_id"] is not None:
        project = (PROJECTS, values.key_of(row["linked_workflow_id"]))
        if ctx.exists(project):
            parent = project
        else:
            notes.append(f"linked workflow {project[1]} does not exist")
    related = {
        name: row[name] for name in row if name.startswith("related_") and row[name] is not None
    }
    extra = _extra(row, _TASK_EXTRA, **extra_links, **related)
    status = values.status(values.TASK_STATUS, row["status"], notes)
    start, due = _dates(row["start_date"], row["due_date"], extra, notes)
    fields = {
        "description": row["description"],
        "status": status,
        "priority": values.priority(row["priority"], notes),
        "start_date": start,
        "due_date": due,
        # A completed task is 100 % done here, whatever the old row's number said.
        "progress": 100 if status == "completed" else values.clamp_progress(row["progress"], notes),
        "progress_mode": "manual",
        "details": _details(
            "task",
            {
                "domain": row["domain"],
                "deliverable_type": row["deliverable_type"],
                "estimated_hours": values.money(row["estimated_hours"]),
                "actual_hours": values.money(row["actual_hours"]),
            },
            extra,
            notes,
        ),
        "recurrence_rule": "",
        "recurrence_exdates": [],
    }
    fields.update(_recurrence(TASKS, key, row, start or due, ctx, notes))
    return Mapped(
        source=TASKS,
        legacy_id=key,
        work_type="task",
        title=row["title"].strip() or f"Task {key}",
        parent=parent,
        fields=fields,
        assignees=ctx.people.user_ids(row["assignees"], notes, "assignee"),
        teams=sorted({ctx.people.teams[t] for t in row["teams"] if t in ctx.people.teams}),
        created_by=ctx.people.known.get(row["created_by_id"]),
        completed_at=_completed_at(row, status, row["completed_at"]),
        legacy_data=extra,
        notes=notes,
        depends_on=[d for d in row["depends_on"] if d != key],
    )


def map_event(key: str, row: dict, ctx: Context) -> Mapped:
    parent = ctx.event_parent(key)
    notes = list(ctx.event_notes(key))
    people = ctx.people
    extra = _extra(
        row,
        _EVENT_EXTRA,
        organizer=people.legacy_usernames.get(row["organizer_id"]),
        co_organizers=[people.legacy_usernames.get(u) for u in row["co_organizers"]],
        facilitators=[people.legacy_usernames.get(u) for u in row["facilitators"]],
    )
    status = values.status(values.EVENT_STATUS, row["status"], notes)
    start = row["start_date"]
    due = row["end_date"] or start
    if row["end_date"] and row["end_date"] < start:
        notes.append(f"ends {row['end_date']} before it starts; read as one day")
        extra["original_end_date"] = row["end_date"].isoformat()
        due = start
    end_time = row["end_time"]
    if start == due and row["start_time"] and end_time and end_time <= row["start_time"]:
        notes.append(f"ends at {end_time} before it starts; end time kept aside")
        extra["original_end_time"] = end_time.isoformat()
        end_time = None
    fields = {
        "description": row["description"],
        "status": status,
        "priority": values.priority(row["priority"], notes),
        "start_date": start,
        "due_date": due,
        "start_time": _whole_seconds(row["start_time"]),
        "end_time": _whole_seconds(end_time),
        "progress": 100 if status == "completed" else 0,
        "details": _details(
            "activity",
            {
                "event_type": row["event_type"],
                "venue": row["venue"],
                "address": row["address"],
                "is_virtual": row["is_virtual"],
                "virtual_platform": row["virtual_platform"],
                "virtual_link": row["virtual_link"],
                "virtual_meeting_id": row["virtual_meeting_id"],
                "virtual_passcode": row["virtual_passcode"],
                "expected_participants": row["expected_participants"] or None,
                "actual_participants": row["actual_participants"] or None,
                "objectives": row["objectives"],
            },
            extra,
            notes,
        ),
        "allocated_budget": _decimal(row["budget_allocated"]),
        "actual_expenditure": _decimal(row["actual_cost"]),
        "recurrence_rule": "",
        "recurrence_exdates": [],
    }
    fields.update(_recurrence(EVENTS, key, row, start, ctx, notes))
    organisers = [row["organizer_id"], *row["co_organizers"], *row["facilitators"]]
    return Mapped(
        source=EVENTS,
        legacy_id=key,
        work_type="sub_activity" if parent and parent[0] == EVENTS else "activity",
        title=row["title"].strip() or f"Event {key[:8]}",
        parent=parent,
        fields=fields,
        assignees=people.user_ids(dict.fromkeys(organisers), notes, "organiser"),
        teams=[],
        created_by=people.known.get(row["created_by_id"]),
        completed_at=_completed_at(row, status, None),
        legacy_data=extra,
        notes=notes,
    )


def workflow_status(row: dict) -> str:
    """A workflow's status, derived from its stage and health flags."""
    if row["current_stage"] == "completion":
        return "completed"
    if row["is_blocked"]:
        return "blocked"
    if not row["is_on_track"]:
        return "at_risk"
    if row["current_stage"] == "need_identification" and not row["overall_progress"]:
        return "not_started"
    return "in_progress"


def map_project(key: str, row: dict, ctx: Context) -> Mapped:
    notes: list[str] = []
    need = row.get("need") or {}
    if not need:
        notes.append(f"need {row['primary_need_id']} does not exist; titled by its key")
    extra = _extra(row, _PROJECT_EXTRA)
    start, due = _dates(row["initiated_date"], row["target_completion_date"], extra, notes)
    status = workflow_status(row)
    completed = row["actual_completion_date"]
    completed_at = None
    if completed is not None:
        zone = ZoneInfo(settings.TIME_ZONE)
        completed_at = dt.datetime.combine(completed, dt.time(), tzinfo=zone)
    fields = {
        "description": need.get("description", ""),
        "status": status,
        "priority": values.priority(row["priority_level"], notes),
        "start_date": start,
        "due_date": due,
        "progress": (
            100 if status == "completed" else values.clamp_progress(row["overall_progress"], notes)
        ),
        "progress_mode": "manual",
        "details": _details(
            "project",
            {
                "workflow_stage": row["current_stage"],
                "estimated_budget": values.money(row["estimated_budget"]),
                "budget_approved": row["budget_approved"],
            },
            extra,
            notes,
        ),
    }
    return Mapped(
        source=PROJECTS,
        legacy_id=key,
        work_type="project",
        title=(need.get("title") or "").strip() or f"Project {key[:8]}",
        parent=None,
        fields=fields,
        assignees=ctx.people.user_ids(
            [row["project_lead_id"]] if row["project_lead_id"] else [], notes, "project lead"
        ),
        teams=[],
        created_by=ctx.people.known.get(row["created_by_id"]),
        completed_at=_completed_at(row, status, completed_at),
        legacy_data=extra,
        notes=notes,
    )


def _decimal(value: Any) -> Decimal | None:
    text = values.money(value)
    return Decimal(text) if text is not None else None


MAPPERS = {TASKS: map_task, EVENTS: map_event, PROJECTS: map_project}
#: The columns through which a row names its parent, in the order the mappers prefer them.
PARENT_COLUMNS = {
    TASKS: (("linked_event_id", EVENTS), ("linked_workflow_id", PROJECTS)),
    EVENTS: (("parent_event_id", EVENTS), ("related_project_id", PROJECTS)),
    PROJECTS: (),
}


def parent_origins(source: str, row: dict) -> list[Origin]:
    """Every row `row` may be placed under (whether or not it exists)."""
    return [
        (table, values.key_of(row[column]))
        for column, table in PARENT_COLUMNS[source]
        if row[column] is not None
    ]


def map_row(source: str, key: str, row: dict, ctx: Context) -> Mapped:
    return MAPPERS[source](key, row, ctx)


def _whole_seconds(value: dt.time | None) -> dt.time | None:
    """Calendar times keep whole seconds here (the old database may hold fractions)."""
    return value.replace(microsecond=0) if value is not None else None
