"""The unified calendar: page, JSON feed, side panel, drag-to-reschedule, ICS subscriptions."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import request_user
from common import permissions, services, working_days
from common.calendar import ics, subscriptions
from common.calendar.body_cache import cached_body
from common.calendar.feed import Validator, build_events, validator
from common.calendar.palette import CANCELLED_COLOUR, COMPLETED_COLOUR, TYPE_COLOURS
from common.calendar.params import ParameterError, office_zone, parse
from common.models import Status, WorkType
from common.tree import ancestors
from obcms.flags import flag
from obcms.ids import is_id

from .helpers import error_text, visible_item


def _not_modified(request: HttpRequest, check: Validator) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return (
            check.etag in [tag.strip() for tag in if_none_match.split(",")]
            or if_none_match.strip() == "*"
        )
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return bool(since and check.last_modified and int(check.last_modified.timestamp()) <= since)


def _with_validators(response: HttpResponse, check: Validator) -> HttpResponse:
    response["ETag"] = check.etag
    if check.last_modified:
        response["Last-Modified"] = http_date(check.last_modified.timestamp())
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, Authorization"
    return response


NEEDS_TOKEN = (
    '401 Unauthorized: sign in, or send an API token: curl -H "Authorization: Token $TOKEN" '
    "<this address> (make TOKEN with: python manage.py create_api_token USERNAME)"
)


def _encode(events: list) -> bytes:
    return json.dumps(events, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """GET /oobc-management/calendar/work-items/feed/ — a JSON array of FullCalendar events."""
    user = request_user(request)
    if user is None:
        # A JSON array like the feed itself, so `curl … | jq '.[:2]'` prints the way in.
        return JsonResponse(
            [NEEDS_TOKEN],
            safe=False,
            status=401,
            headers={"WWW-Authenticate": 'Token realm="OBCMS Work"'},
        )
    try:
        params = parse(request.GET)
    except ParameterError as error:
        return JsonResponse({"error": error.message, "parameter": error.parameter}, status=400)
    check = validator(user, params)
    if _not_modified(request, check):
        return _with_validators(HttpResponse(status=304), check)
    body = cached_body(check.etag, "json", lambda: _encode(build_events(user, params)))
    return _with_validators(HttpResponse(body, content_type="application/json"), check)


def may_edit_some(user) -> bool:
    """Whether the person may change any item at all (the events say which ones)."""
    return any(
        user.has_perm(p)
        for p in (permissions.CHANGE, permissions.MANAGE_ORG, permissions.MANAGE_ALL)
    )


def _non_working(user) -> dict:
    """The person's organisation's working weekdays and closed dates, for shading the grid."""
    if user.organization_id is None:
        return {"weekdays": [0, 1, 2, 3, 4], "dates": []}
    days = working_days.for_organization(user.organization_id)
    return {
        "weekdays": sorted(days.weekdays),
        "dates": sorted(d.isoformat() for d in days.closed),
    }


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    unified = flag("USE_UNIFIED_CALENDAR")
    types = [t for t in WorkType if unified or t.value in ("activity", "sub_activity")]
    return render(
        request,
        "common/calendar.html",
        {
            "nav": "calendar",
            "legend": [(t.value, t.label, TYPE_COLOURS[t.value]) for t in types],
            "muted": [("Completed", COMPLETED_COLOUR), ("Cancelled", CANCELLED_COLOUR)],
            "statuses": Status.choices,
            "teams": request.user.teams.all() if request.user.organization_id else [],
            "config": {
                "feedUrl": "/oobc-management/calendar/work-items/feed/",
                "panelUrl": "/oobc-management/calendar/work-items/0/panel/",
                "rescheduleUrl": "/oobc-management/calendar/work-items/0/reschedule/",
                "createUrl": "/oobc-management/work-items/new/",
                "timeZone": str(office_zone()),
                "writable": flag("USE_WORKITEM_MODEL"),
                # Only what the person may do is offered: no day-range selection (which leads
                # to the create form) for people who may not create items there (bug 9).
                "canCreate": flag("USE_WORKITEM_MODEL")
                and permissions.can_create_root(request.user, request.user.organization),
                "canEdit": flag("USE_WORKITEM_MODEL") and may_edit_some(request.user),
                "nonWorking": _non_working(request.user),
            },
        },
    )


@login_required
@require_GET
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    return render(
        request,
        "common/_calendar_panel.html",
        {
            "item": item,
            "breadcrumb": ancestors(item),
            "assignees": list(item.assignees.all()),
        },
    )


def _reschedule_changes(request: HttpRequest) -> dict:
    """Dates and times from a FullCalendar drop or resize, in the office's time zone."""
    zone = office_zone()
    all_day = request.POST.get("allDay") in ("true", "1")
    try:
        start = dt.datetime.fromisoformat(request.POST["start"])
        end_raw = request.POST.get("end")
        end = dt.datetime.fromisoformat(end_raw) if end_raw else None
    except (KeyError, ValueError):
        raise ValidationError(
            {"start": "Send start (and end) as ISO dates or date-times."}
        ) from None
    if all_day:
        first = start.date()
        last = (end.date() - dt.timedelta(days=1)) if end else first
        return {
            "start_date": first,
            "due_date": max(first, last),
            "start_time": None,
            "end_time": None,
        }
    if start.tzinfo is None:
        start = start.replace(tzinfo=zone)
    start = start.astimezone(zone)
    end = (
        (end if end.tzinfo else end.replace(tzinfo=zone)).astimezone(zone)
        if end
        else (start + dt.timedelta(hours=1))
    )
    return {
        "start_date": start.date(),
        "due_date": end.date(),
        "start_time": start.time(),
        "end_time": end.time(),
    }


@login_required
@require_POST
def reschedule(request: HttpRequest, pk: int) -> JsonResponse:
    item = visible_item(request, pk)
    try:
        raw_version = request.POST.get("version")
        if raw_version and not is_id(raw_version):
            raise ValueError("The version must be a whole number.")
        version = int(raw_version) if raw_version else None
        changes = _reschedule_changes(request)
        if item.start_date is None and item.due_date is not None and changes["start_time"] is None:
            changes = {"due_date": changes["due_date"]}  # a deadline stays a deadline
        saved = services.update_work_item(
            request.user,
            item,
            expected_version=version,
            reason="rescheduled on the calendar",
            **changes,
        )
    except (ValidationError, PermissionDenied, services.VersionConflict, ValueError) as error:
        status = (
            403
            if isinstance(error, PermissionDenied)
            else 409
            if isinstance(error, services.VersionConflict)
            else 400
        )
        return JsonResponse({"ok": False, "error": error_text(error)}, status=status)
    return JsonResponse({"ok": True, "version": saved.version})


@require_GET
def ics_feed(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscriptions.find(token)
    if subscription is None:
        raise Http404("No such calendar subscription.")
    user = subscription.user
    params = parse(subscriptions.query_of(subscription), require_window=False)
    check = validator(user, params, scope=f"ics-{subscription.pk}")
    if _not_modified(request, check):
        return _with_validators(HttpResponse(status=304), check)
    base_url = request.build_absolute_uri("/").rstrip("/")
    body = cached_body(
        check.etag,
        f"ics:{subscription.name}:{base_url}",
        lambda: ics.render(
            user,
            params,
            name=subscription.name,
            uid=f"subscription-{subscription.pk}",
            host=request.get_host().split(":")[0],
            base_url=base_url,
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="obcms-work.ics"'
    return _with_validators(response, check)
