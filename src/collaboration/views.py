"""The conversation panel on an item's page (htmx fragments) and its small JSON helpers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from common import permissions
from common.views.helpers import visible_item
from obcms.ids import is_id

from . import services
from .attachments import attach_files
from .markdown import MENTION_WORD
from .markdown import render as render_markdown
from .models import Comment
from .stream import Cursor, load_stream

TEMPLATE = "collaboration/_stream.html"


def _before(request: HttpRequest) -> Cursor | None:
    """The "Show older" cursor: before=<time>&kind=comment|change&id=<n>. A bare time (an
    older link) pages strictly before that time; anything unreadable starts from the top."""
    raw = request.GET.get("before") or ""
    try:
        when = parse_datetime(raw) if raw else None
    except ValueError:  # well-formed but impossible (February 30)
        return None
    if when is None:
        return None
    kind, raw_id = request.GET.get("kind", ""), request.GET.get("id", "")
    if kind in ("comment", "change") and is_id(raw_id):
        return Cursor(when, kind, int(raw_id))
    return Cursor(when, "change", 0)  # strictly older than `when`


def _panel(request, item, *, status: int = 200, errors=None, draft: str = "", reply_to=None):
    stream = load_stream(request.user, item, show=request.GET.get("show", "all"))
    context = {
        "stream": stream,
        "errors": errors or [],
        "draft": draft,
        "reply_to": reply_to,
        "max_files": settings.ATTACHMENT_MAX_FILES_PER_UPLOAD,
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_GET
def stream(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    before = _before(request)
    if before is not None:  # "Show older": just the next entries, appended in place
        older = load_stream(request.user, item, before=before, show=request.GET.get("show", ""))
        return render(request, "collaboration/_entries.html", {"stream": older})
    return _panel(request, item)


def _comment(request: HttpRequest, pk: int, comment_id: int) -> Comment:
    item = visible_item(request, pk)
    return get_object_or_404(
        Comment.objects.select_related("work_item", "author"), pk=comment_id, work_item=item
    )


@login_required
@require_POST
def post(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    body = request.POST.get("body", "")
    reply_to = None
    raw_reply = request.POST.get("reply_to") or ""
    if raw_reply:
        if not is_id(raw_reply):
            return _panel(request, item, status=400, errors=["That reply lost its comment."])
        reply_to = Comment.objects.filter(pk=int(raw_reply), work_item=item).first()
        if reply_to is None:
            return _panel(request, item, status=400, errors=["That comment no longer exists."])
    files = request.FILES.getlist("files")
    try:
        with transaction.atomic():  # the comment and its files, or neither
            comment = services.post_comment(request.user, item, body, reply_to=reply_to)
            if files:
                attach_files(request.user, item, files, comment=comment)
    except ValidationError as error:
        if reply_to is not None:  # keep the reply a reply: reopen it with its words
            return _panel(
                request, item, status=400, errors=error.messages, reply_to=reply_to, draft=body
            )
        return _panel(request, item, status=400, errors=error.messages, draft=body)
    return _panel(request, item)


@login_required
@require_POST
def edit(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    comment = _comment(request, pk, comment_id)
    try:
        services.edit_comment(request.user, comment, request.POST.get("body", ""))
    except ValidationError as error:
        return _panel(
            request,
            comment.work_item,
            status=400,
            errors=error.messages,
            draft=request.POST.get("body", ""),
        )
    return _panel(request, comment.work_item)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    comment = _comment(request, pk, comment_id)
    services.remove_comment(request.user, comment)
    return _panel(request, comment.work_item)


@login_required
@require_POST
def watch(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    action = request.POST.get("action", "")
    if action == "unwatch":
        services.unwatch(request.user, item)
    elif action in ("watch", "watch_subtree"):
        services.watch(request.user, item, subtree=action == "watch_subtree")
    else:
        return _panel(request, item, status=400, errors=["Choose to watch or to stop watching."])
    return _panel(request, item)


@login_required
@require_POST
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The comment as it will look (rendered and sanitised by the same code as on save)."""
    visible_item(request, pk)
    body = request.POST.get("body", "")[: services.MAX_LENGTH]
    html = render_markdown(body) if body.strip() else ""
    return HttpResponse(html or '<p class="text-slate-500">Nothing to preview yet.</p>')


def _mention_of(username: str) -> str:
    """`@name`, quoted when the name has characters a bare mention stops at (`@`, `+`, …)."""
    return (
        f"@{username}"
        if MENTION_WORD.fullmatch(username) and not username.endswith(".")
        else f'@"{username}"'
    )


@login_required
@require_GET
def people(request: HttpRequest, pk: int) -> JsonResponse:
    """Mention suggestions: people who can see the item, and the item's organisation's teams."""
    item = visible_item(request, pk)
    if not permissions.can_comment(request.user, item):
        raise PermissionDenied("You may not comment on this item.")
    query = (request.GET.get("q") or "").strip()[:50]
    match = (
        Q(username__istartswith=query)
        | Q(first_name__istartswith=query)
        | Q(last_name__istartswith=query)
    )
    candidates = permissions.visible_people(request.user).filter(
        match, is_active=True, organization_id=item.organization_id
    )
    readers = permissions.people_who_can_view(item, candidates.values_list("pk", flat=True)[:50])
    people = candidates.filter(pk__in=readers).order_by("first_name", "username")[:8]
    teams = permissions.visible_teams(request.user).filter(
        organization_id=item.organization_id, name__istartswith=query
    )[:4]
    return JsonResponse(
        {
            "results": [
                {"insert": _mention_of(p.username), "label": p.display_name, "kind": "person"}
                for p in people
            ]
            + [{"insert": f'@"{t.name}"', "label": t.name, "kind": "team"} for t in teams]
        }
    )
