"""Request logging with durations, timings of the pages administrators watch, slow queries."""

from __future__ import annotations

import logging
import time

from django.conf import settings

from .models import RequestTiming

requests_log = logging.getLogger("obcms.requests")
slow_log = logging.getLogger("obcms.slow_queries")

#: Pages whose server time is kept for the performance page (url names).
WATCHED = {"home", "calendar:page", "common:tree", "common:detail"}


class RequestTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "-"
        user = getattr(request, "user", None)
        requests_log.info(
            "%s %s %s %.1fms view=%s user=%s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            view,
            user.pk if user is not None and user.is_authenticated else "-",
        )
        if view in WATCHED and request.method == "GET" and response.status_code == 200:
            RequestTiming.objects.create(
                view=view, duration_ms=duration_ms, status=response.status_code
            )
        return response


def slow_query_logger(execute, sql, params, many, context):
    """An execute wrapper: queries slower than SLOW_QUERY_MS are logged with their SQL."""
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        elapsed_ms = (time.perf_counter() - started) * 1000
        if elapsed_ms >= settings.SLOW_QUERY_MS:
            slow_log.warning("slow query %.1fms: %s", elapsed_ms, " ".join(sql.split())[:2000])


def install_slow_query_logger(sender, connection, **kwargs) -> None:
    if slow_query_logger not in connection.execute_wrappers:
        connection.execute_wrappers.append(slow_query_logger)
