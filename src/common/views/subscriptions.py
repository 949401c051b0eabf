"""Personal ICS subscription addresses: create (post, then redirect), list, revoke.

A new address is shown once. It travels from the POST to the page after the redirect in the
session, so reloading that page neither creates a second address nor shows the secret again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Team
from common.calendar import subscriptions
from common.calendar.params import ParameterError
from common.models import CalendarSubscription, Priority, Status, WorkType

NEW_ADDRESS = "calendar.new_address"
_WORDS = {
    "type": dict(WorkType.choices),
    "status": dict(Status.choices),
    "priority": dict(Priority.choices),
}


def describe(filters: dict[str, list[str]], team_names: dict[str, str]) -> str:
    """A subscription's filters as a sentence people read, not `assignee=me`."""
    parts = []
    for key in ("type", "status", "priority"):
        if filters.get(key):
            labels = [_WORDS[key].get(v, v) for v in filters[key]]
            parts.append(f"{key.capitalize()}: {', '.join(labels)}")
    if filters.get("team"):
        parts.append("Team: " + ", ".join(team_names.get(v, "a team") for v in filters["team"]))
    if "me" in filters.get("assignee", []):
        parts.append("only items assigned to me")
    if filters.get("q"):
        parts.append(f"titles containing “{filters['q'][0]}”")
    if "0" in filters.get("include_completed", []):
        parts.append("without completed and cancelled items")
    return "; ".join(parts) if parts else "Everything you can see"


@login_required
@require_http_methods(["GET", "POST"])
def subscription_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            subscription, token = subscriptions.issue(
                request.user, request.POST.get("name", ""), request.POST
            )
        except ParameterError as error:
            return _page(request, error=f"The address was not created: {error.message}")
        request.session[NEW_ADDRESS] = request.build_absolute_uri(
            f"/oobc-management/calendar/ics/{token}.ics"
        )
        messages.success(request, f"Subscription “{subscription.name}” created.")
        return redirect("calendar:subscriptions")
    return _page(request)


def _page(request: HttpRequest, error: str = "") -> HttpResponse:
    new_address = None if error else request.session.pop(NEW_ADDRESS, None)
    rows = list(CalendarSubscription.objects.filter(user=request.user))
    team_ids = {v for s in rows for v in s.filters.get("team", []) if v.isdigit()}
    team_names = {
        str(pk): name for pk, name in Team.objects.filter(pk__in=team_ids).values_list("pk", "name")
    }
    for row in rows:
        row.described = describe(row.filters, team_names)
    return render(
        request,
        "common/subscriptions.html",
        {
            "nav": "calendar",
            "new_address": new_address,
            "webcal_address": "webcal://" + new_address.split("://", 1)[1] if new_address else "",
            "subscriptions": rows,
            "types": WorkType.choices,
            "statuses": Status.choices,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def subscription_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(CalendarSubscription, pk=pk, user=request.user)
    subscriptions.revoke(subscription)
    messages.success(request, f"“{subscription.name}” was revoked; its address no longer works.")
    return redirect("calendar:subscriptions")
