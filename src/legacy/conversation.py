"""The old system's conversation about its records, as dated entries by their authors.

A workflow's stage history (who moved it to which stage, when, with what notes) and the
free-text fields that are a record of discussion rather than a value — a workflow's notes, an
event's minutes, key discussions, decisions and follow-up notes — become entries of the item's
activity stream at cut-over, so nothing of the old conversation is lost. The values themselves
also stay in "From the old system" (`legacy_data`); the entries are the readable, dated form.

This module only *describes* the entries (plain dictionaries); the migration hands them to
whichever app keeps conversations through `common.signals.legacy_conversation`, because the
legacy app may not import the apps built on the core, and they may not import it. Each entry
carries a stable `key`, so a second run recognises what it wrote the first time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypedDict

from .sources import EVENTS, PROJECTS, TASKS

STAGE_LABELS = {
    "need_identification": "Need Identification",
    "need_validation": "Need Validation",
    "policy_linkage": "Policy Linkage",
    "mao_coordination": "MAO Coordination",
    "budget_planning": "Budget Planning",
    "approval": "Approval Process",
    "implementation": "Implementation",
    "monitoring": "Monitoring & Evaluation",
    "completion": "Completion",
}
#: Per table, the text columns that record discussion, with the heading their entry gets. The
#: staff-task tracker kept no discussion text (its description is the task itself).
DISCUSSION_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    PROJECTS: (("notes", "Notes"),),
    EVENTS: (
        ("minutes", "Minutes"),
        ("key_discussions", "Key discussions"),
        ("decisions_made", "Decisions made"),
        ("follow_up_notes", "Follow-up notes"),
    ),
    TASKS: (),
}


class Entry(TypedDict):
    """One entry of the old conversation: what the receiving app needs to store it."""

    key: str  # stable across runs: "<table>:<row key>:<what>", at most 100 characters
    work_item_id: int
    author_id: int | None  # our user id, None when the old author is not known here
    created_at: dt.datetime
    body: str  # Markdown


def conversation_entries(
    rows_by_source: dict[str, dict[str, dict]],
    item_ids: dict[tuple[str, str], int],
    known_people: dict[int, int],
) -> list[Entry]:
    """Every entry of the old conversation of the rows that have an item here.

    `rows_by_source` is the snapshot's rows per table, `item_ids` the migrated item of each
    origin, and `known_people` the legacy user id → our user id map of the people mapping.
    """
    entries: list[Entry] = []
    for source, rows in rows_by_source.items():
        for key, row in rows.items():
            item_id = item_ids.get((source, key))
            if item_id is not None:
                entries.extend(_row_entries(source, key, row, item_id, known_people))
    return entries


def _row_entries(
    source: str, key: str, row: dict, item_id: int, people: dict[int, int]
) -> Iterable[Entry]:
    updated = row.get("updated_at")
    author_column = "organizer_id" if source == EVENTS else "created_by_id"
    if source == PROJECTS:
        for index, step in enumerate(row.get("stage_history") or []):
            if isinstance(step, dict):
                yield _stage_entry(key, index, step, item_id, people, updated)
    for column, heading in DISCUSSION_FIELDS[source]:
        text = (row.get(column) or "").strip()
        if text and updated is not None:
            yield Entry(
                key=f"{source}:{key}:{column}"[:100],
                work_item_id=item_id,
                author_id=people.get(row.get(author_column)),
                created_at=updated,
                body=f"**{heading}** (from the old system)\n\n{text}",
            )


def _stage_entry(
    key: str, index: int, step: dict[str, Any], item_id: int, people: dict[int, int], fallback
) -> Entry:
    """One `advance_stage()` call: the move, and the notes written with it."""
    stage = STAGE_LABELS.get(step.get("stage"), step.get("stage") or "?")
    previous = STAGE_LABELS.get(step.get("previous_stage"), step.get("previous_stage") or "?")
    when = _instant(step.get("timestamp"))
    author = people.get(step.get("user_id"))
    lines = [f"Moved the workflow from **{previous}** to **{stage}** (in the old system)."]
    if author is None and step.get("user"):
        lines[0] = lines[0][:-1] + f", by {step['user']}."
    if when is None:
        lines.append(f"The old record's time “{step.get('timestamp')}” could not be read.")
    notes = (step.get("notes") or "").strip()
    if notes:
        lines.append(notes)
    return Entry(
        key=f"{PROJECTS}:{key}:stage:{index}"[:100],
        work_item_id=item_id,
        author_id=author,
        created_at=when or fallback,
        body="\n\n".join(lines),
    )


def _instant(value: Any) -> dt.datetime | None:
    """The stage history's ISO-8601 instants (UTC, "+00:00"); naive ones are read as UTC."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
