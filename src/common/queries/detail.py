"""Everything the detail page shows, in a fixed number of queries."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accounts.models import Team, User
from common import permissions
from common.details import DETAIL_SCHEMAS
from common.models import ProgressMode, Status, WorkItem, WorkItemRelation
from common.progress import ChildShare, weighted_progress
from common.services.rules import allowed_child_types, type_label
from common.tree import ancestors

from .tree_rows import days_overdue, decorate, with_row_data

HISTORY_LIMIT = 25
TRACKED = [
    "title",
    "work_type",
    "status",
    "priority",
    "progress",
    "progress_mode",
    "weight",
    "start_date",
    "due_date",
    "dates_from_children",
    "scheduling_mode",
    "start_time",
    "end_time",
    "parent",
    "description",
    "details",
    "allocated_budget",
    "actual_expenditure",
    "calendar_color",
    "is_calendar_visible",
]


@dataclass
class HistoryEntry:
    when: Any
    who: str
    kind: str
    reason: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    #: the history record's id: with `when`, the entry's place in a stream read page by page
    id: int = 0


@dataclass
class ProgressExplanation:
    mode: str
    counted: list[WorkItem]
    excluded: list[WorkItem]
    total_weight: int
    value: int | None


@dataclass
class Detail:
    item: WorkItem
    breadcrumb: list[WorkItem]
    children: list[WorkItem]
    assignees: list[User]
    teams: list[Team]
    links: list[WorkItemRelation]
    history: list[HistoryEntry]
    progress: ProgressExplanation
    details: list[tuple[str, Any]]
    #: The old system's fields with no place of their own here, for migrated items.
    legacy_fields: list[tuple[str, str]]
    child_types: list[tuple[str, str]]
    can_edit: bool
    can_delete: bool
    can_add_child: bool
    #: days since it fell due while still open, in the reader's time zone (0: not overdue)
    overdue_days: int = 0


def load_detail(user, item: WorkItem) -> Detail:
    breadcrumb = ancestors(item)
    children = list(with_row_data(item.children.all()).order_by("position", "id"))
    decorate(user, children, {c.pk: 0 for c in children})
    links = list(
        permissions.rows_about_visible_items(
            WorkItemRelation.objects.filter(source=item), user, "target"
        )
        .select_related("target")
        .order_by("kind", "target__title")
    )
    can_edit = permissions.can_edit(user, item)
    schema = DETAIL_SCHEMAS[item.work_type]
    return Detail(
        item=item,
        breadcrumb=breadcrumb,
        children=children,
        assignees=list(item.assignees.all()),
        teams=list(item.teams.all()),
        links=links,
        history=_history(item),
        progress=_explain(item, children),
        details=[
            (schema[k].label, _readable(k, v)) for k, v in item.details.items() if k in schema
        ],
        legacy_fields=[
            (key.replace("_", " ").capitalize(), _as_text(value))
            for key, value in sorted(item.legacy_data.items())
        ],
        child_types=[(t, type_label(t)) for t in allowed_child_types(item.work_type)],
        can_edit=can_edit,
        can_delete=permissions.can_delete(user, item),
        can_add_child=can_edit and user.has_perm(permissions.ADD),
        overdue_days=days_overdue(item, timezone.localdate()),
    )


def _readable(key: str, value: Any) -> Any:
    """Choice codes (event types, stages, domains) read as words."""
    if key in ("event_type", "workflow_stage", "domain") and isinstance(value, str):
        return value.replace("_", " ").capitalize()
    return value


def _explain(item: WorkItem, children: list[WorkItem]) -> ProgressExplanation:
    counted = [c for c in children if c.status != Status.CANCELLED]
    excluded = [c for c in children if c.status == Status.CANCELLED]
    value = weighted_progress(ChildShare(c.status, c.progress, c.weight) for c in children)
    mode = "leaf" if not children else item.progress_mode
    if mode == ProgressMode.MANUAL:
        value = item.progress
    return ProgressExplanation(mode, counted, excluded, sum(c.weight for c in counted), value)


def _history(item: WorkItem) -> list[HistoryEntry]:
    return history_entries(item)


def history_entries(
    item: WorkItem, before=None, limit: int = HISTORY_LIMIT, *, before_id: int | None = None
) -> list[HistoryEntry]:
    """The item's newest `limit` changes, each with the fields it changed, in one query: the
    page's records and the one before them.

    Newest first by (time, id). With `before`, only older changes: with `before_id` too, the
    cursor is the pair, so changes sharing that exact time are split by id and none is skipped
    or shown twice across pages; `before` alone keeps everything at that time out.
    """
    records_qs = item.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    if before is not None:
        older = Q(history_date__lt=before)
        if before_id is not None:
            older |= Q(history_date=before, history_id__lt=before_id)
        records_qs = records_qs.filter(older)
    records = list(records_qs[: limit + 1])
    entries: list[HistoryEntry] = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            for name in TRACKED:
                attr = "parent_id" if name == "parent" else name
                before_value, after = getattr(older, attr), getattr(newer, attr)
                if before_value != after:
                    changes.append((name.replace("_", " "), before_value, after))
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=str(newer.history_user) if newer.history_user else "the system",
                kind={"+": "created", "~": "changed", "-": "deleted"}[newer.history_type],
                reason=newer.history_change_reason or "",
                changes=changes,
                id=newer.history_id,
            )
        )
    return entries


def _as_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)
