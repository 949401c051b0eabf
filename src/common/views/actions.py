"""Moves (drag-and-drop and the keyboard dialog) and inline status / progress changes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common import permissions, services
from common.forms import MoveForm
from common.models import WorkItem
from common.services.rules import allowed_root_types, type_label
from common.tree import ancestor_trails

from .helpers import error_text, require, visible_item
from .inline import set_progress, set_status

__all__ = ["move", "move_candidates", "set_progress", "set_status"]

CANDIDATE_LIMIT = 20


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """POST moves the item (JSON for drag-and-drop, else a redirect); GET shows the dialog."""
    item = visible_item(request, pk)
    require(permissions.can_edit(request.user, item), "You may not move this item.")
    if request.method == "GET":
        siblings = WorkItem.objects.filter(parent_id=item.parent_id)
        if item.parent_id is None:
            siblings = siblings.filter(organization_id=item.organization_id)
        order = list(siblings.order_by("position", "id").values_list("pk", flat=True))
        index = order.index(item.pk)
        reorder = [
            (label, target)
            for label, target, show in (
                ("Move to first", 0, index > 0),
                ("Move up", index - 1, index > 0),
                ("Move down", index + 1, index < len(order) - 1),
                ("Move to last", len(order) - 1, index < len(order) - 1),
            )
            if show
        ]
        return render(
            request,
            "common/move.html",
            {
                "nav": "tree",
                "item": item,
                "index": index,
                "sibling_count": len(order),
                "reorder": reorder,
                # Offered only when it would change something (bug 13).
                "may_be_top": item.parent_id is not None and item.work_type in allowed_root_types(),
            },
        )
    form = MoveForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Choose where to move the item."
    elif _stays_put(item, form.cleaned_data):
        # Nothing would change: say so rather than claim a move (and spend a version on it).
        where = "at the top level" if item.parent_id is None else f"under “{item.parent.title}”"
        note = f"“{item.title}” is already {where}; nothing was moved."
        if _wants_json(request):
            return JsonResponse({"ok": True, "unchanged": True, "message": note})
        messages.info(request, note)
        return redirect("common:detail", pk=item.pk)
    else:
        parent_id = form.cleaned_data["parent"]
        try:
            parent = visible_item(request, parent_id) if parent_id else None
            services.move_work_item(
                request.user,
                item,
                parent=parent,
                index=form.cleaned_data["index"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except (ValidationError, PermissionDenied, services.VersionConflict) as exc:
            error = error_text(exc)
        except WorkItem.DoesNotExist:
            error = "That parent no longer exists."
    if _wants_json(request):
        if error:
            return JsonResponse({"ok": False, "error": error}, status=400)
        return JsonResponse({"ok": True})
    if error:
        messages.error(request, f"“{item.title}” was not moved: {error}")
        return redirect("common:move", pk=item.pk)
    messages.success(request, f"“{item.title}” was moved.")
    return redirect("common:detail", pk=item.pk)


def _stays_put(item: WorkItem, data: dict) -> bool:
    """Same parent and no new place among the siblings: the move would change nothing."""
    return (data["parent"] or None) == item.parent_id and data["index"] is None


@login_required
@require_GET
def move_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Parents the item may move under, matching a search (for the keyboard dialog)."""
    item = visible_item(request, pk)
    require(permissions.can_edit(request.user, item), "You may not move this item.")
    term = request.GET.get("q", "").strip()
    accepting = [t for t, kids in settings.WORK_ITEM_CHILD_TYPES.items() if item.work_type in kids]
    candidates = (
        WorkItem.objects.visible_to(request.user)
        .filter(work_type__in=accepting)
        .exclude(pk=item.pk)
        .order_by("title")
    )
    if term:
        candidates = candidates.filter(title__icontains=term)
    rows = list(candidates[: CANDIDATE_LIMIT * 2])
    editable = permissions.editable_ids(request.user, rows)
    rows = [r for r in rows if r.pk in editable][:CANDIDATE_LIMIT]
    # Same titles recur ("Planning workshop" in several projects): each shows where it stands,
    # all paths in one query however many candidates there are.
    trails = ancestor_trails(r.pk for r in rows)
    for row in rows:
        row.path = " › ".join(title for _, title in trails.get(row.pk, [])[:-1])
    return render(
        request,
        "common/_move_candidates.html",
        {"item": item, "candidates": rows, "type_label": type_label(item.work_type)},
    )
