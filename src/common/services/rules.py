"""The structural and field rules every write must pass."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError

from common.models import WorkType


def type_label(work_type: str) -> str:
    return WorkType(work_type).label


def allowed_child_types(parent_type: str) -> list[str]:
    return list(settings.WORK_ITEM_CHILD_TYPES.get(parent_type, []))


def allowed_root_types() -> list[str]:
    return list(settings.WORK_ITEM_ROOT_TYPES)


def check_placement(parent_type: str | None, child_type: str, field: str = "work_type") -> None:
    """A `child_type` item may sit under `parent_type` (None: at the top level)."""
    if parent_type is None:
        if child_type not in allowed_root_types():
            roots = ", ".join(type_label(t) for t in allowed_root_types())
            raise ValidationError(
                {field: f"A {type_label(child_type)} needs a parent; top-level items are {roots}."}
            )
        return
    if child_type not in allowed_child_types(parent_type):
        allowed = allowed_child_types(parent_type)
        hint = ", ".join(type_label(t) for t in allowed) if allowed else "nothing"
        raise ValidationError(
            {
                field: f"A {type_label(child_type)} cannot be placed under a "
                f"{type_label(parent_type)}; it can hold {hint}."
            }
        )


def check_depth(parent_depth: int, subtree_height: int, field: str = "parent") -> None:
    """The deepest item of a subtree placed under a parent at `parent_depth` stays in bounds."""
    limit = settings.WORK_ITEM_MAX_DEPTH
    if parent_depth + subtree_height > limit:
        raise ValidationError({field: f"The tree would be deeper than {limit} levels."})


def check_dates(
    start_date: dt.date | None,
    due_date: dt.date | None,
    start_time: dt.time | None,
    end_time: dt.time | None,
) -> None:
    errors: dict[str, str] = {}
    if start_date and due_date and start_date > due_date:
        errors["due_date"] = "The due date cannot be before the start date."
    if start_time and not (start_date or due_date):
        errors["start_time"] = "A start time needs a date."
    if end_time and not (start_date or due_date):
        errors["end_time"] = "An end time needs a date."
    same_day = not (start_date and due_date) or start_date == due_date
    if start_time and end_time and same_day and end_time <= start_time:
        errors["end_time"] = "The end time must be after the start time on the same day."
    if errors:
        raise ValidationError(errors)


def child_type_table() -> dict[str, list[tuple[str, str]]]:
    """For the browser: which types each type may hold, with labels (the server still decides)."""
    return {
        parent: [(child, type_label(child)) for child in allowed_child_types(parent)]
        for parent in settings.WORK_ITEM_CHILD_TYPES
    }
