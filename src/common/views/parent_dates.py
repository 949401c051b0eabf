"""A child whose dates fall outside its parent's: a warning and an offer, never a refusal.

Plans change from the bottom up (a workshop slips past the end of its activity), so the rules
allow it; but the person should learn of it where it happens and be able to widen the parent's
dates with one click instead of editing it by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from common import permissions, services
from common.models import WorkItem
from obcms.ids import is_id

from .helpers import error_text, visible_item


@dataclass(frozen=True)
class OutsideParent:
    """The parent, the dates it would need to cover its child, and whether the person may."""

    parent: WorkItem
    start_date: dt.date | None
    due_date: dt.date | None
    may_extend: bool


def _span(item: WorkItem) -> tuple[dt.date | None, dt.date | None]:
    return item.start_date or item.due_date, item.due_date or item.start_date


def outside_parent(user, item: WorkItem) -> OutsideParent | None:
    """When `item` starts before or ends after its parent, the parent's widened dates."""
    parent = item.parent if item.parent_id else None
    if parent is None or parent.dates_from_children:
        return None  # a parent that follows its children spans them by itself
    first, last = _span(item)
    parent_first, parent_last = _span(parent)
    if first is None or parent_first is None:
        return None
    if first >= parent_first and last <= parent_last:
        return None
    start = min(first, parent.start_date) if parent.start_date else None
    due = max(last, parent.due_date) if parent.due_date else None
    return OutsideParent(parent, start, due, permissions.can_edit(user, parent))


@login_required
@require_POST
def extend_parent(request: HttpRequest, pk: int) -> HttpResponse:
    """Widen the parent's dates so they cover this item (through the service layer)."""
    item = visible_item(request, pk)
    offer = outside_parent(request.user, item)
    if offer is None:
        messages.info(request, f"“{item.title}” already fits within its parent's dates.")
        return redirect("common:detail", pk=item.pk)
    raw_version = request.POST.get("version", "")
    try:
        services.update_work_item(
            request.user,
            offer.parent,
            expected_version=int(raw_version) if is_id(raw_version) else None,
            reason=f"extended to cover “{item.title}”",
            start_date=offer.start_date,
            due_date=offer.due_date,
        )
    except (ValidationError, PermissionDenied, services.VersionConflict) as error:
        messages.error(request, f"“{offer.parent.title}” was not changed: {error_text(error)}")
    else:
        messages.success(
            request, f"“{offer.parent.title}” now runs long enough to include “{item.title}”."
        )
    return redirect("common:detail", pk=item.pk)
