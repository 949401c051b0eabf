"""A part of a page that needs signing in sends the whole page to the sign-in form.

htmx follows redirects inside its request, so when a session has expired, a section loaded or
a form posted by htmx would receive the sign-in page and draw it *inside* the section — a form
in a form, with `next` pointing at a fragment address nobody can read on its own. For htmx
requests that end in a redirect to the sign-in page, this middleware answers instead with htmx's
client redirect (`HX-Redirect`), so the browser opens the sign-in page as a page and comes back
to the page the person was on (`HX-Current-URL`), not to the fragment.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _page_of(request: HttpRequest) -> str:
    """Where to come back after signing in: the page holding the fragment, if it is ours."""
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


class HtmxSignInRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in REDIRECTS:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response.get("Location", "")).path != login:
            return response
        return HttpResponseClientRedirect(f"{login}?{urlencode({'next': _page_of(request)})}")
