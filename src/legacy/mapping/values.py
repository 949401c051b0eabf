"""How single legacy values become ours, and back.

Statuses and priorities are the only vocabularies that differ. Where the old trackers have
several words for one of our states (an event "scheduled" or "confirmed" is simply not started
here) the forward map is many-to-one; the way back (`*_BACK`) names the word written when a
status changes here, and a write-back leaves the old word alone while it still means the same.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

TASK_STATUS = {
    "not_started": "not_started",
    "in_progress": "in_progress",
    "at_risk": "at_risk",
    "completed": "completed",
}
#: The task tracker has no "blocked" or "cancelled"; these are their nearest words there.
TASK_STATUS_BACK = {**TASK_STATUS, "blocked": "at_risk", "cancelled": "completed"}

EVENT_STATUS = {
    "draft": "not_started",
    "planned": "not_started",
    "scheduled": "not_started",
    "confirmed": "not_started",
    "rescheduled": "not_started",
    "in_progress": "in_progress",
    "completed": "completed",
    "cancelled": "cancelled",
    "postponed": "blocked",
}
EVENT_STATUS_BACK = {
    "not_started": "planned",
    "in_progress": "in_progress",
    "completed": "completed",
    "cancelled": "cancelled",
    "blocked": "postponed",
    "at_risk": "in_progress",
}

PRIORITIES = ("low", "medium", "high", "urgent", "critical")
#: Tasks and events know no "urgent"; workflows do.
PRIORITY_BACK_NO_URGENT = {"urgent": "high"}

WORKFLOW_STAGE_WEIGHT = {
    "need_identification": 5,
    "need_validation": 15,
    "policy_linkage": 20,
    "mao_coordination": 30,
    "budget_planning": 40,
    "approval": 50,
    "implementation": 85,
    "monitoring": 95,
    "completion": 100,
}


def key_of(value: Any) -> str:
    """The canonical text of a legacy key: an integer, or a UUID with hyphens."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


def status(vocabulary: dict[str, str], value: str, notes: list[str]) -> str:
    """Our status for an old one; an unknown word reads as not started, and is noted."""
    if value in vocabulary:
        return vocabulary[value]
    notes.append(f"unknown status “{value}” read as not started")
    return "not_started"


def priority(value: str, notes: list[str]) -> str:
    if value in PRIORITIES:
        return value
    notes.append(f"unknown priority “{value}” read as medium")
    return "medium"


def clamp_progress(value: int | None, notes: list[str]) -> int:
    number = int(value or 0)
    if number > 100:
        notes.append(f"progress {number} above 100 read as 100")
        return 100
    if number < 0:
        notes.append(f"progress {number} below 0 read as 0")
        return 0
    return number


def money(value: Any) -> str | None:
    """Decimals quantised to cents as text (SQLite hands back ints and floats)."""
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text, decimals as text, UUIDs as text)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
