"""Exceptions raised by the service layer.

Rule violations are Django `ValidationError`s keyed by field, so forms and the API turn them into
field messages (400); permission refusals are `PermissionDenied` (403); a stale edit is a
`VersionConflict` (409) that carries the current state of the item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from common.models import WorkItem


class WritesDisabled(PermissionDenied):
    """USE_WORKITEM_MODEL is off: work items are read-only for people until cut-over."""

    def __init__(self) -> None:
        super().__init__(
            "Work items are read-only until the cut-over is complete (USE_WORKITEM_MODEL=0)."
        )


class VersionConflict(Exception):
    """Someone else saved the item after the editor opened it."""

    def __init__(self, current: WorkItem, expected_version: int) -> None:
        self.current = current
        self.expected_version = expected_version
        editor = None
        latest = current.history.order_by("-history_id").select_related("history_user").first()
        if latest is not None and latest.history_user is not None:
            editor = latest.history_user
        self.changed_by = editor
        who = str(editor) if editor else "someone else"
        super().__init__(
            f"“{current.title}” was changed by {who} since you opened it "
            f"(version {expected_version} → {current.version})."
        )
