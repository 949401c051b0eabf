"""Errors a person can cause read the same in the trial set-up (DEBUG) as in production.

With DEBUG on, Django answers a missing page with its technical 404 page (the URL patterns,
the settings hint). That is right for a developer but not for someone trying the product
with `make run`, so this middleware answers with the product's own 404 page in both modes.
Server errors (500) keep Django's debug page: those are bugs for a developer to read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", {"request_path": request.path}, status=404)


class FriendlyNotFoundMiddleware:
    """Render templates/404.html for every 404 of a page, DEBUG or not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # An address that matches no URL pattern never reaches a view (nor process_exception).
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return not_found(request)
        return None
