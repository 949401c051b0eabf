"""Board pages: the board, one more page of a cell's cards, and moving a card.

The board takes the tree page's filters (the same `WorkItemFilter`, so a link from the tree
with `?status=…&assignee=me` works here too) plus `columns`, `lanes` and `parent`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from common import permissions, services
from common.filters import WorkItemFilter
from common.models import WorkItem
from obcms.ids import is_id

from . import board, board_moves, saved_views

CARD_TEMPLATE = "planning/_board_card.html"


def _filtered(request: HttpRequest) -> WorkItemFilter:
    return WorkItemFilter(
        request.GET or None, queryset=WorkItem.objects.visible_to(request.user), request=request
    )


def _layout(request: HttpRequest) -> tuple[str, str, WorkItem | None, str]:
    """Columns, lanes and the chosen parent from the query string; bad values → an error text."""
    columns = request.GET.get("columns", "status")
    lanes = request.GET.get("lanes", "")
    error = ""
    if columns not in board.COLUMN_CHOICES:
        error, columns = f"“{columns}” is not a way to make columns.", "status"
    if lanes not in board.LANE_CHOICES:
        error, lanes = f"“{lanes}” is not a way to make swimlanes.", ""
    parent = None
    if columns == "children":
        raw = request.GET.get("parent", "")
        if is_id(raw):
            parent = WorkItem.objects.visible_to(request.user).filter(pk=int(raw)).first()
        if parent is None:
            error, columns = "Choose an item whose children make the columns.", "status"
        elif lanes == "parent":
            lanes = ""  # the columns already are parents
    return columns, lanes, parent, error


@login_required
@require_GET
def board_page(request: HttpRequest) -> HttpResponse:
    if not request.GET:
        default = saved_views.default_for(request.user, "board")
        if default is not None:
            return redirect(saved_views.target_url(default))
    filters = _filtered(request)
    columns, lanes, parent, error = _layout(request)
    status = 200
    if filters.is_bound and not filters.form.is_valid():
        matched, status = WorkItem.objects.none(), 400
    else:
        matched = filters.qs
    if error:
        status = 400
    result = board.build_board(request.user, matched, columns, lanes, parent)
    query = request.GET.copy()
    rows = result.rows()
    cards_url = reverse("planning:board_cards")
    for row in rows:
        for _key, _label, cell in row["cells"]:
            if cell.remaining:
                more = query.copy()
                more["column"], more["lane"] = cell.column, cell.lane
                more["offset"] = str(len(cell.cards))
                cell.more_url = f"{cards_url}?{more.urlencode()}"
    return render(
        request,
        "planning/board.html",
        {
            "nav": "board",
            "filters": filters,
            "board": result,
            "rows": rows,
            "columns": columns,
            "lanes": lanes,
            "parent": parent,
            "layout_error": error,
            "column_choices": board.COLUMN_CHOICES,
            "lane_choices": board.LANE_CHOICES,
            "query": query.urlencode(),
            "can_edit_any": bool(permissions.edit_rights(request.user).change)
            or request.user.has_perm(permissions.MANAGE_ORG)
            or request.user.has_perm(permissions.MANAGE_ALL),
        },
        status=status,
    )


@login_required
@require_GET
def cell_cards(request: HttpRequest) -> HttpResponse:
    """The next page of one column (and lane): cards plus another "load more" when needed."""
    filters = _filtered(request)
    columns, lanes, parent, error = _layout(request)
    raw_offset = request.GET.get("offset", "0")
    if error or (filters.is_bound and not filters.form.is_valid()):
        return HttpResponse(error or "Those filters are not valid.", status=400)
    if not (raw_offset.isascii() and raw_offset.isdigit()) or int(raw_offset) > 10**7:
        return HttpResponse("Give the number of cards already shown.", status=400)
    offset = int(raw_offset)
    column, lane = request.GET.get("column", ""), request.GET.get("lane", "")
    if not _valid_key(columns, column) or (lanes and not _valid_key(lanes, lane)):
        return HttpResponse("That column is not on this board.", status=400)
    matched = filters.qs
    if columns == "children":
        matched = matched.filter(parent__parent=parent)
    cards, more = board.cell_page(request.user, matched, columns, lanes, column, lane, offset)
    query = request.GET.copy()
    query["offset"] = str(offset + len(cards))
    return render(
        request,
        "planning/_board_cards.html",
        {
            "cards": cards,
            "more": more,
            "next_url": f"{request.path}?{query.urlencode()}",
            "column_key": column,
            "columns_by": columns,
        },
    )


def _valid_key(dimension: str, key: str) -> bool:
    if dimension in ("status", "priority"):
        from common.models import Priority, Status

        return key in (Status.values if dimension == "status" else Priority.values)
    return key == board.NONE_KEY or is_id(key)


@login_required
@require_POST
def move_card(request: HttpRequest, pk: int) -> JsonResponse:
    """Move one card; answers the card as it is now (also after a refusal, to revert to)."""
    item = WorkItem.objects.visible_to(request.user).filter(pk=pk).first()
    if item is None:
        return JsonResponse({"message": "That item does not exist."}, status=404)
    data = request.POST
    moves = []
    for dimension_name, source_name, target_name in (
        ("columns", "from_column", "to_column"),
        ("lanes", "from_lane", "to_lane"),
    ):
        dimension = data.get(dimension_name, "")
        source, target = data.get(source_name, ""), data.get(target_name, "")
        allowed = board.COLUMN_CHOICES if dimension_name == "columns" else board.LANE_CHOICES
        if dimension_name == "columns" and dimension not in allowed:
            return JsonResponse({"message": "Unknown kind of column."}, status=400)
        reorder = dimension_name == "columns" and _reorder(data)
        if dimension and dimension in allowed and target and (source != target or reorder):
            moves.append(board_moves.Move(dimension, source, target))
    raw_version = data.get("version", "")
    version = int(raw_version) if is_id(raw_version) or raw_version == "0" else None
    before = None
    if is_id(data.get("before", "")):
        before = WorkItem.objects.visible_to(request.user).filter(pk=int(data["before"])).first()
    status, message = 200, ""
    try:
        saved = board_moves.move_card(request.user, item, moves, version, before)
    except PermissionDenied as error:
        saved, status, message = item, 403, str(error) or "You may not change this item."
    except ValidationError as error:
        saved, status, message = item, 400, " ".join(error.messages)
    except services.VersionConflict as conflict:
        saved, status, message = conflict.current, 409, str(conflict)
        message += " The card shows the latest values; move it again if it still applies."
    card = board.load_cards(request.user, [saved.pk])
    html = render_to_string(CARD_TEMPLATE, {"card": card[0]} if card else {}, request=request)
    return JsonResponse(
        {"message": message, "card": html if card else "", "version": saved.version},
        status=status,
    )


def _reorder(data) -> bool:
    """A drop inside the same column of an item's children reorders the siblings."""
    return data.get("columns") == "children" and "before" in data
