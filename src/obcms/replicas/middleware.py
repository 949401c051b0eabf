"""Opens the read-only scope for the hot-path views and keeps requests answered.

* GET/HEAD requests to a view named in REPLICA_READ_VIEWS read from a replica, unless the person
  is pinned to the primary (`sticky`) — checked before the scope opens, so the session and the
  signed-in person are always read from the primary.
* A successful POST/PUT/PATCH/DELETE pins its person to the primary.
* When a query on the replica fails mid-request (the replica stopped since its last health
  check), the replica is marked down and the view runs again on the primary, so the request
  still succeeds. The hot-path views only read, so running one twice is safe. This happens in
  `process_exception`, which Django calls for errors in the view and in template rendering; as
  the innermost middleware ours is asked first.

The scope is a context variable set and reset in `__call__` around the view (WSGI: one thread
per request; granian runs the WSGI interface).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from . import health, scope, sticky

log = logging.getLogger("obcms.replicas")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ReplicaReadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not scope.replica_aliases():
            return self.get_response(request)
        token = scope.enter() if self._may_read_from_replica(request) else None
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                scope.leave(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            sticky.pin(request)
        return response

    def _may_read_from_replica(self, request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return False
        return view_name in settings.REPLICA_READ_VIEWS and not sticky.is_pinned(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        current = scope.current()
        if (
            current is None
            or not current.used
            or not isinstance(exception, (OperationalError, InterfaceError))
        ):
            return None
        for alias in current.used:
            health.mark_down(alias, f"failed during a request: {exception}".strip())
        log.warning("replica read failed on %s; answering from the primary", request.path)
        scope.suspend()
        match = request.resolver_match
        if match is None:
            return None
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response = response.render()
        return response
