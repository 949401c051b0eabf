"""Each person's own time zone: the choices on the profile page and the per-request switch.

Dates of work items are calendar dates and stay as entered; what changes with the zone are the
moments pages print (history, notifications, "last used"), which people read in their own
local time when they work away from the office.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name the server knows, sorted (read once per process)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def zone_choices() -> list[tuple[str, str]]:
    """Choices for a select: the office's zone first (stored as empty), then every zone."""
    return [("", f"The office's time zone ({settings.TIME_ZONE})")] + [
        (name, name.replace("_", " ")) for name in zone_names()
    ]


class UserTimeZoneMiddleware:
    """Show times in the signed-in person's zone when they chose one, else the office's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = getattr(user, "time_zone", "") if user is not None else ""
        if name and name in zone_names():
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        return self.get_response(request)
