"""`/health/` and `/ready/` for monitors and load balancers.

`/health/` checks every dependency (database, cache, static storage and, when one is configured,
the Celery broker) and answers 200 or 503, as JSON when asked (`Accept: application/json` or
`?format=json`). `/ready/` answers whether this process can serve traffic: the database answers
and every migration is applied.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key = "health-check-probe"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    return "ok"


def _storage() -> str:
    if settings.DEBUG:
        return "ok (development storage)"
    staticfiles_storage.url("build/app.css")  # raises when collectstatic has not run
    return "ok"


def _broker() -> str:
    from obcms.celery import app

    if not settings.CELERY_BROKER_URL:
        return "not configured (tasks run in-process)"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "broker": _broker,
}


def health(request: HttpRequest) -> HttpResponse:
    results: dict[str, str] = {}
    healthy = True
    started = time.perf_counter()
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:
            healthy = False
            results[name] = f"error: {type(error).__name__}: {error}"[:300]
    status = 200 if healthy else 503
    body = {
        "status": "ok" if healthy else "error",
        "checks": results,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    wants_json = (
        "application/json" in request.headers.get("Accept", "")
        or request.GET.get("format") == "json"
    )
    if wants_json:
        return JsonResponse(body, status=status)
    lines = [f"{name}: {result}" for name, result in results.items()]
    return HttpResponse(
        "\n".join([body["status"], *lines]) + "\n",
        status=status,
        content_type="text/plain; charset=utf-8",
    )


def ready(request: HttpRequest) -> HttpResponse:
    try:
        _database()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return JsonResponse({"ready": False, "reason": f"database: {error}"[:300]}, status=503)
    if pending:
        return JsonResponse(
            {"ready": False, "reason": f"{len(pending)} migrations not applied"}, status=503
        )
    return JsonResponse({"ready": True})
