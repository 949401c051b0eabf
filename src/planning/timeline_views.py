"""The timeline (Gantt) page and the JSON it draws from.

The page is a shell (filters, zoom, legend); `timeline.js` reads the data address from a
`json_script` block, draws an SVG of its own and writes through the API (`schedule` with a
preview first, `dependencies`), which calls `common.services`. State lives in the URL.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from common import permissions
from common.filters import WorkItemFilter
from common.models import WorkItem
from obcms.ids import is_id

from . import timeline

ZOOMS = ("day", "week", "month", "quarter", "year")


def _params(request: HttpRequest) -> tuple[WorkItemFilter, WorkItem | None, str, int]:
    """Filters, root, zoom and the answer's status (400 when something is malformed)."""
    query = request.GET.copy()
    raw_root = query.pop("root", [""])[-1]
    zoom = query.pop("zoom", ["week"])[-1]
    query.pop("collapsed", None)
    status = 200
    root = None
    if raw_root:
        if not is_id(raw_root):
            status = 400
        else:
            root = get_object_or_404(WorkItem.objects.visible_to(request.user), pk=int(raw_root))
    if zoom not in ZOOMS:
        zoom, status = "week", 400
    filters = WorkItemFilter(
        query or None, queryset=WorkItem.objects.visible_to(request.user), request=request
    )
    if filters.is_bound and not filters.form.is_valid():
        status = 400
    return filters, root, zoom, status


@login_required
@require_GET
def timeline_page(request: HttpRequest) -> HttpResponse:
    filters, root, zoom, status = _params(request)
    config = {
        "data": reverse("planning:timeline_data"),
        "api": "/api/v1/work-items/",
        "zoom": zoom,
        "zooms": list(ZOOMS),
        "root": root.pk if root else None,
        "canEdit": permissions.writes_open() and permissions.has_role(request.user),
    }
    context = {
        "nav": "timeline",
        "filters": filters,
        "root": root,
        "zoom": zoom,
        "zooms": ZOOMS,
        "config": config,
    }
    return render(request, "planning/timeline.html", context, status=status)


@login_required
@require_GET
def timeline_data(request: HttpRequest) -> JsonResponse:
    filters, root, _zoom, status = _params(request)
    if status != 200:
        errors = dict(filters.form.errors) if filters.is_bound else {}
        return JsonResponse({"errors": errors or {"root": ["Invalid root or zoom."]}}, status=400)
    if root is None and not filters.is_active:
        return JsonResponse(
            {
                "rows": [],
                "links": [],
                "nonWorking": [],
                "criticalPath": [],
                "needsScope": True,
                "truncated": False,
            }
        )
    data = timeline.build(request.user, filters.qs, root)
    return JsonResponse(
        {
            "rows": data.rows,
            "links": data.links,
            "nonWorking": data.non_working,
            "criticalLength": data.critical_length,
            "criticalPath": data.critical_path,
            "truncated": data.truncated,
            "maxRows": timeline.MAX_ROWS,
            "needsScope": False,
        }
    )
