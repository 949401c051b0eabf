"""The tree page: top-level items, lazy expansion, filters that reach nested items, quick add."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from common import permissions, services
from common.filters import WorkItemFilter
from common.forms import QuickAddForm
from common.models import WorkItem
from common.page_cache import kept_content, kept_part
from common.queries.tree_rows import (
    SORT_LABELS,
    children_rows,
    matches_in_context,
    roots_page,
    single_row,
    subtree_rows,
)
from common.row_html import render_rows
from common.services.rules import allowed_child_types, child_type_table

from .helpers import depth_param, error_text, htmx_error, visible_item


def filtered(request: HttpRequest) -> WorkItemFilter:
    return WorkItemFilter(
        request.GET or None, queryset=WorkItem.objects.visible_to(request.user), request=request
    )


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    content, status = kept_content(request, "tree", lambda: _tree_content(request))
    return render(
        request, "common/tree.html", {"nav": "tree", "content": mark_safe(content)}, status=status
    )


def _tree_content(request: HttpRequest) -> tuple[str, int]:
    """The page's content (filters, top-level rows or matches in context) and its status."""
    filters = filtered(request)
    sort = request.GET.get("sort", "position")
    sort = sort if sort in SORT_LABELS else "position"
    page_number = request.GET.get("page", 1)
    if filters.is_bound and not filters.form.is_valid():
        result = roots_page(request.user, sort, page_number)
        status = 400
    elif filters.is_active:
        result = matches_in_context(request.user, filters.qs, sort, page_number)
        status = 200
    else:
        result = roots_page(request.user, sort, page_number)
        status = 200
    query = request.GET.copy()
    query.pop("page", None)
    html = render_to_string(
        "common/_tree_content.html",
        {
            "filters_html": _filters_html(request, filters, sort, status == 400),
            "result": result,
            "query": query.urlencode(),
            "can_create": request.user.has_perm(permissions.ADD),
            # Viewers get no drag hint: only what a person may do is offered (bug 9).
            "can_edit_any": request.user.has_perm(permissions.CHANGE)
            or request.user.has_perm(permissions.MANAGE_ORG)
            or request.user.has_perm(permissions.MANAGE_ALL),
            "child_types": child_type_table(),
        },
        request=request,
    )
    return html, status


def _filters_html(request: HttpRequest, filters: WorkItemFilter, sort: str, refused: bool) -> str:
    """The filter form: kept apart from the rows (`kept_part`), unless it shows the reasons a
    filter was refused."""

    def draw() -> str:
        return render_to_string(
            "common/_tree_filters.html",
            {"filters": filters, "sort": sort, "sorts": SORT_LABELS},
            request=request,
        )

    return mark_safe(draw() if refused else kept_part(request, "tree-filters", draw))


def _depth(request: HttpRequest) -> int:
    return depth_param(request.GET.get("depth"), 1)


@login_required
@require_GET
def children(request: HttpRequest, pk: int) -> HttpResponse:
    parent = visible_item(request, pk)
    depth = _depth(request)
    return _kept_rows(
        request, f"children:{parent.pk}", lambda: children_rows(request.user, parent, depth)
    )


@login_required
@require_GET
def expand_all(request: HttpRequest, pk: int) -> HttpResponse:
    top = visible_item(request, pk)
    depth = _depth(request)
    return _kept_rows(request, f"subtree:{top.pk}", lambda: subtree_rows(request.user, top, depth))


def _kept_rows(request: HttpRequest, page: str, rows: Callable[[], list]) -> HttpResponse:
    """An expansion's rows, kept like the tree page's content (`common.page_cache`): a wide
    parent's thousand rows were drawn again every time it was opened, unchanged. The parent
    was checked visible first, so kept rows are only ever served to someone allowed to see
    them; the key names the parent, the depth and everything else the rows depend on."""
    html, _ = kept_content(request, page, lambda: (render_rows(rows()), 200))
    return HttpResponse(html)


@login_required
@require_POST
def quick_add(request: HttpRequest, pk: int) -> HttpResponse:
    parent = visible_item(request, pk)
    form = QuickAddForm(request.POST, type_choices=allowed_child_types(parent.work_type))
    if not form.is_valid():
        return htmx_error(" ".join(f"{f}: {' '.join(e)}" for f, e in form.errors.items()))
    try:
        item = services.create_work_item(
            request.user,
            parent=parent,
            work_type=form.cleaned_data["work_type"],
            title=form.cleaned_data["title"],
        )
    except (ValidationError, PermissionDenied) as error:
        status = 403 if isinstance(error, PermissionDenied) else 400
        return htmx_error(error_text(error), status)
    return HttpResponse(render_rows(single_row(request.user, item.pk, _depth(request))))
