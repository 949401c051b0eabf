"""The way back: what to write to a legacy row so that it maps to the item as it is now.

Only fields that differ are written (a row whose old word still means the same keeps it), and
the result is checked by mapping the patched row forward again: whatever still differs cannot be
said in the old system (a "cancelled" project, a repeat rule, a person with no account there)
and is reported instead of being silently lost.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from common.details import EVENT_TYPES

from ..sources import EVENTS, PROJECTS, TASKS
from . import values

LEGACY_EVENT_TYPES = set(EVENT_TYPES) - {"training", "cultural", "religious", "disaster"}
LEGACY_DOMAINS = {
    "general",
    "communities",
    "mana",
    "coordination",
    "monitoring",
    "policy",
    "services",
    "municipal",
    "data",
    "ai",
    "project_central",
}


@dataclass
class Patch:
    columns: dict[str, Any] = field(default_factory=dict)
    need: dict[str, Any] = field(default_factory=dict)
    #: link table → the complete new list of keys (users or teams)
    links: dict[str, list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.columns or self.need or self.links)


def _uuid(key: str) -> uuid.UUID:
    return uuid.UUID(key)


def _priority(value: str, source: str) -> str:
    return value if source == PROJECTS else values.PRIORITY_BACK_NO_URGENT.get(value, value)


def _parent(source: str, parent, patch: Patch) -> None:
    if parent is not None and parent[0] == "":
        patch.notes.append("its parent was made here and has no row in the old system")
        return
    if source == TASKS:
        event = _uuid(parent[1]) if parent and parent[0] == EVENTS else None
        patch.columns["linked_event_id"] = event
        if parent and parent[0] == PROJECTS:
            patch.columns["linked_workflow_id"] = _uuid(parent[1])
        elif parent is None:
            patch.columns["linked_workflow_id"] = None
    elif source == EVENTS:
        patch.columns["parent_event_id"] = (
            _uuid(parent[1]) if parent and parent[0] == EVENTS else None
        )
        if parent is None or parent[0] == PROJECTS:
            patch.columns["related_project_id"] = _uuid(parent[1]) if parent else None
    else:
        patch.notes.append("a project cannot be placed under another item in the old system")


def _details(source: str, ours: dict, row: dict, patch: Patch) -> None:
    cols = patch.columns
    if source == TASKS:
        domain = ours.get("domain", "general")
        cols["domain"] = domain if domain in LEGACY_DOMAINS else "general"
        cols["deliverable_type"] = ours.get("deliverable_type", "")[:50]
        for name in ("estimated_hours", "actual_hours"):
            cols[name] = Decimal(ours[name]) if ours.get(name) else None
    elif source == EVENTS:
        event_type = ours.get("event_type", "other")
        cols["event_type"] = event_type if event_type in LEGACY_EVENT_TYPES else "other"
        for name, limit in (
            ("venue", 255),
            ("virtual_platform", 100),
            ("virtual_link", 200),
            ("virtual_meeting_id", 100),
            ("virtual_passcode", 50),
        ):
            cols[name] = ours.get(name, "")[:limit]
        cols["address"] = ours.get("address", "")
        cols["objectives"] = ours.get("objectives", "")
        cols["is_virtual"] = bool(ours.get("is_virtual"))
        for name in ("expected_participants", "actual_participants"):
            cols[name] = ours.get(name) or 0
    else:
        cols["current_stage"] = ours.get("workflow_stage", row["current_stage"])
        cols["estimated_budget"] = (
            Decimal(ours["estimated_budget"]) if ours.get("estimated_budget") else None
        )
        cols["budget_approved"] = bool(ours.get("budget_approved"))


def _status(source: str, status: str, row: dict, patch: Patch, now) -> None:
    """Write a status and keep the row's own completion marks in step with it, both ways."""
    cols = patch.columns
    if source == TASKS:
        cols["status"] = values.TASK_STATUS_BACK[status]
        if cols["status"] != "completed":
            cols["completed_at"] = None
        elif row["completed_at"] is None:
            cols["completed_at"] = now
    elif source == EVENTS:
        if values.EVENT_STATUS.get(row["status"]) != status:
            cols["status"] = values.EVENT_STATUS_BACK[status]
    elif status == "completed":
        cols["current_stage"] = "completion"
        if row["actual_completion_date"] is None:
            cols["actual_completion_date"] = now.date()
    else:
        # Reopened: a workflow is complete exactly while it sits in its "completion" stage.
        stage = cols.get("current_stage", row["current_stage"])
        if status == "not_started":
            cols["current_stage"] = "need_identification"  # the one stage that says it
        elif stage == "completion":
            cols["current_stage"] = "monitoring"  # reopened after completion
        elif stage == "need_identification" and not cols.get(
            "overall_progress", row["overall_progress"]
        ):
            cols["current_stage"] = "need_validation"  # started: the next stage, not a leap
        cols["actual_completion_date"] = None
        cols["is_blocked"] = status == "blocked"
        cols["is_on_track"] = status != "at_risk"
        if status == "blocked" and not row["blocker_description"]:
            cols["blocker_description"] = "Blocked in OBCMS Work."


def build_patch(
    source: str,
    row: dict,
    diff: dict[str, tuple[Any, Any]],
    legacy_user_of: dict[int, int],
    legacy_team_of: dict[int, int],
    now,
) -> Patch:
    """The columns and links to write so that `row` maps to the item's values in `diff`."""
    patch = Patch()
    cols = patch.columns
    ours = {name: pair[1] for name, pair in diff.items()}
    for name, value in ours.items():
        if name in ("title", "description") and source == PROJECTS:
            patch.need[name] = value[:200] if name == "title" else value
        elif name == "title":
            cols["title"] = value[:255]
        elif name == "description":
            cols["description"] = value
        elif name == "priority":
            cols["priority_level" if source == PROJECTS else "priority"] = _priority(value, source)
        elif name == "start_date":
            column = "initiated_date" if source == PROJECTS else "start_date"
            if value is None and source != TASKS:
                patch.notes.append("the old system needs a start date; kept its own")
            else:
                cols[column] = value
        elif name == "due_date":
            if source == TASKS:
                cols["due_date"] = value
            elif source == PROJECTS:
                cols["target_completion_date"] = value
            else:
                start = ours.get("start_date", row["start_date"])
                cols["end_date"] = None if value in (None, start) else value
        elif name in ("start_time", "end_time") and source == EVENTS:
            cols[name] = value
        elif name == "progress":
            cols["overall_progress" if source == PROJECTS else "progress"] = value
        elif name == "details":
            _details(source, value or {}, row, patch)
        elif name == "allocated_budget" and source == EVENTS:
            cols["budget_allocated"] = value
        elif name == "actual_expenditure" and source == EVENTS:
            cols["actual_cost"] = value
        elif name == "parent":
            _parent(source, value, patch)
        elif name == "assignees":
            _people(source, value, row, legacy_user_of, patch)
        elif name == "teams" and source == TASKS:
            teams = [legacy_team_of[t] for t in value if t in legacy_team_of]
            if len(teams) < len(value):
                patch.notes.append("a team has no counterpart in the old system")
            patch.links["teams"] = teams
    if "status" in ours:  # last: a project's status may decide its stage
        _status(source, ours["status"], row, patch, now)
    return patch


def _people(source: str, ours: list[int], row: dict, legacy_user_of, patch: Patch) -> None:
    legacy_ids = [legacy_user_of[u] for u in ours if u in legacy_user_of]
    if len(legacy_ids) < len(ours):
        patch.notes.append("someone assigned here has no account in the old system")
    if source == TASKS:
        patch.links["assignees"] = legacy_ids
    elif source == PROJECTS:
        lead = row["project_lead_id"] if row["project_lead_id"] in legacy_ids else None
        patch.columns["project_lead_id"] = lead or (legacy_ids[0] if legacy_ids else None)
        if len(legacy_ids) > 1:
            patch.notes.append("a workflow has one project lead; the others are not carried")
    else:
        if row["organizer_id"] not in legacy_ids:
            patch.notes.append("the organiser cannot be removed in the old system")
        others = [u for u in legacy_ids if u != row["organizer_id"]]
        patch.links["facilitators"] = [u for u in others if u in row["facilitators"]]
        patch.links["co_organizers"] = [u for u in others if u not in row["facilitators"]]
