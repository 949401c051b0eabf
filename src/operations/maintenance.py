"""Maintenance mode: while a database is being restored, the site answers 503 and writes nothing.

The switch is a file (`MAINTENANCE_FILE`, default `var/maintenance` in the repository) so that
every web process on the machine sees it with one `stat` per request and no database or cache
round trip — the database is exactly what is being replaced. Several web servers share it by
pointing `MAINTENANCE_FILE` at shared storage.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse

#: Paths that keep answering during maintenance (a load balancer's liveness probe).
ALWAYS_OPEN = ("/health/",)
PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Back soon — OBCMS Work"
    "</title></head><body><main><h1>OBCMS Work is being restored from a backup</h1><p>{reason}"
    "</p><p>Nothing you do is lost: please try again in a few minutes.</p></main></body></html>"
)


class MaintenanceBusy(RuntimeError):
    """Another restore (or maintenance) is in progress."""


def switch() -> Path:
    return Path(settings.MAINTENANCE_FILE)


def reason() -> str | None:
    """Why the site is in maintenance, or None when it is open."""
    try:
        return switch().read_text(encoding="utf-8").strip() or "Maintenance in progress."
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def maintenance(why: str) -> Iterator[None]:
    """Hold the site in maintenance for the duration of the block (always lifted afterwards)."""
    path = switch()
    path.parent.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        with path.open("x", encoding="utf-8") as handle:  # refuses if someone else holds it
            handle.write(f"{why} (since {started})")
    except FileExistsError:
        raise MaintenanceBusy(f"maintenance is already on: {reason()}") from None
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


class MaintenanceMiddleware:
    """First in the chain: during maintenance nothing below it (sessions, views) runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        why = reason()
        if why is None:
            return self.get_response(request)
        from django.utils.html import escape

        response = HttpResponse(PAGE.format(reason=escape(why)), status=503)
        response["Retry-After"] = "120"
        response["Cache-Control"] = "no-store"
        return response
