"""Inline status and progress changes from tree rows, answered with every row they touched.

A change to one item moves its ancestors' rolled-up progress (and may make a parent ready to be
completed), so the answer carries the changed row plus, as htmx out-of-band swaps, the rows of
its ancestors that the page shows. Which ancestors those are follows from the row's depth: the
tree always shows a row below all of its ancestors, one level of depth each. On the detail page
the item itself is not a row, so its summary (status, progress) is swapped instead.

The row sends the version it shows; a change made meanwhile by someone else is not overwritten
but answered in place (409) with the row as it is now and a sentence saying what happened.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from common import permissions, services
from common.models import Status, WorkItem
from common.queries.tree_rows import decorate, with_row_data
from common.tree import ancestor_ids_of_many
from obcms.ids import is_id

from .helpers import depth_param, error_text, htmx_error, visible_item


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw and is_id(raw) else None


def _affected_rows(
    request: HttpRequest, item: WorkItem, depth: int
) -> tuple[list, WorkItem | None]:
    """The item's row and its visible ancestors' rows (fixed queries), and the detail item.

    Returns rows item-first then nearest ancestor upwards, each with the depth it has on the
    page, and the ancestor whose detail page this is (when the request came from one).
    """
    path = ancestor_ids_of_many([item.pk])[item.pk]  # root first
    shown = path[max(0, len(path) - depth) :] if depth else []
    detail_raw = request.POST.get("detail", "")
    detail_id = int(detail_raw) if is_id(detail_raw) else None
    if detail_id not in (*path, item.pk):
        detail_id = None
    wanted = [item.pk, *shown, *([detail_id] if detail_id else [])]
    loaded = {
        r.pk: r
        for r in with_row_data(WorkItem.objects.visible_to(request.user).filter(pk__in=wanted))
    }
    # The parent sits one level above the row, the grandparent two, and so on.
    depths = {item.pk: depth} | {
        pk: depth - distance for distance, pk in enumerate(reversed(shown), 1)
    }
    rows = [loaded[pk] for pk in [item.pk, *reversed(shown)] if pk in loaded]
    decorate(request.user, rows, depths)
    return rows, loaded.get(detail_id) if detail_id else None


def _parent_ready(user, item: WorkItem) -> WorkItem | None:
    """When the last open sibling is completed, offer to complete the parent too."""
    if item.status != Status.COMPLETED or not item.parent_id:
        return None
    parent = WorkItem.objects.get(pk=item.parent_id)
    if parent.status in (Status.COMPLETED, Status.CANCELLED):
        return None
    still_open = parent.children.exclude(status__in=[Status.COMPLETED, Status.CANCELLED])
    if still_open.exists() or not permissions.can_edit(user, parent):
        return None
    return parent


def _inline_change(request: HttpRequest, pk: int, **changes) -> HttpResponse:
    item = visible_item(request, pk)
    depth = depth_param(request.POST.get("depth"), 0)
    # "Complete the parent" on a detail page: the parent is the page's item, not a row.
    row_shown = request.POST.get("depth", "").strip() != "-1"
    oob = bool(request.POST.get("oob"))
    note = ""
    status = 200
    try:
        saved = services.update_work_item(
            request.user, item, expected_version=_version(request), reason="inline", **changes
        )
    except PermissionDenied as exc:
        return htmx_error(error_text(exc), 403)
    except ValidationError as exc:
        return htmx_error(error_text(exc))
    except services.VersionConflict as conflict:
        saved, status = conflict.current, 409
        who = conflict.changed_by.display_name if conflict.changed_by else "someone else"
        note = (
            f"Not saved: {who} changed “{saved.title}” after this page was loaded. "
            "The row now shows the latest values; make your change again if it still applies."
        )
    rows, detail_item = _affected_rows(request, saved, depth)
    main, ancestors = (rows[:1] if row_shown else []), rows[1:]
    return render(
        request,
        "common/_inline_result.html",
        {
            "main_rows": [] if oob else main,
            "oob_rows": ancestors + (main if oob else []),
            "note": note,
            "noted_pk": saved.pk,
            "detail_item": detail_item,
            "detail_id": detail_item.pk if detail_item else "",
            "suggest_parent": None if note else _parent_ready(request.user, saved),
            "suggest_depth": depth - 1,
            "done": f"“{saved.title}” is now {saved.get_status_display().lower()}."
            if oob and not note
            else note,
        },
        status=status,
    )


@login_required
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    status = request.POST.get("status", "")
    if status not in Status.values:
        return htmx_error(f"“{status}” is not a status.")
    return _inline_change(request, pk, status=status)


@login_required
@require_POST
def set_progress(request: HttpRequest, pk: int) -> HttpResponse:
    raw = request.POST.get("progress", "")
    if not (raw.isascii() and raw.isdigit()) or not 0 <= int(raw) <= 100:
        return htmx_error("Progress must be a whole number from 0 to 100.")
    return _inline_change(request, pk, progress=int(raw))
