"""What every page needs to know about the state of the product (not about a person)."""

from __future__ import annotations

from django.http import HttpRequest

from common import permissions

READ_ONLY = (
    "Work items are read-only until the cut-over to OBCMS Work is complete: you can look at "
    "everything, but changes are made in the old system for now."
)


def cut_over(request: HttpRequest) -> dict[str, str]:
    """`read_only_reason` while people may not change work items (USE_WORKITEM_MODEL=0)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or permissions.writes_open():
        return {"read_only_reason": ""}
    return {"read_only_reason": READ_ONLY}
