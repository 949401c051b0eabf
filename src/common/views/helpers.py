"""Small helpers shared by the work item views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from common.models import WorkItem


def visible_item(request: HttpRequest, pk: int) -> WorkItem:
    """The item if the user may see it; otherwise 404, so existence is not revealed."""
    return get_object_or_404(
        WorkItem.objects.visible_to(request.user).select_related("organization", "parent"), pk=pk
    )


def require(allowed: bool, message: str) -> None:
    """Refuse with `message`; before the cut-over every change is refused, for that reason."""
    if not allowed:
        from common import permissions
        from common.services import WritesDisabled

        raise PermissionDenied(message) if permissions.writes_open() else WritesDisabled()


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "This change is not allowed."


def htmx_error(message: str, status: int = 400) -> HttpResponse:
    """A short message that app.js shows in the page's message area."""
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["HX-Reswap"] = "none"
    return response


def depth_param(raw: str | None, default: int) -> int:
    """Indentation level sent back by the tree (0–16); anything else falls back to `default`."""
    try:
        return max(0, min(int(raw if raw is not None else default), 16))
    except ValueError:
        return default
