"""System checks for the feature flags, run by `manage.py check` (and `check --deploy`)."""

from __future__ import annotations

from django.core.checks import CheckMessage, Error, Warning, register

from .flags import differences_from_production, flag


@register("obcms")
def check_flag_contradictions(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Dual-write needs write access to the legacy tables, which read-only mode forbids."""
    if flag("DUAL_WRITE_ENABLED") and flag("LEGACY_MODELS_READONLY"):
        return [
            Error(
                "DUAL_WRITE_ENABLED=1 contradicts LEGACY_MODELS_READONLY=1: dual-write must "
                "write to the legacy tables.",
                hint="During the parallel run set LEGACY_MODELS_READONLY=0; after cut-over "
                "set DUAL_WRITE_ENABLED=0.",
                id="obcms.E001",
            )
        ]
    return []


@register("obcms", deploy=True)
def check_flags_match_production(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Warn about each flag that is not at its production value (expected during cut-over)."""
    return [
        Warning(
            f"{name} is {current}; production expects {expected}.",
            hint="Expected while the cut-over is in progress; see docs/migration.md.",
            id="obcms.W001",
        )
        for name, (current, expected) in differences_from_production().items()
    ]


@register("obcms")
def check_replicas_have_a_shared_cache(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Read-your-own-writes pins live in the cache: without Redis each process keeps its own,
    so a person's next request on another process could read a replica that lags the write."""
    from django.conf import settings

    if getattr(settings, "DATABASE_REPLICAS", []) and not settings.REDIS_URL:
        return [
            Warning(
                "DATABASE_REPLICA_URLS is set without REDIS_URL: a person who just wrote may "
                "read a lagging replica on another process.",
                hint="Set REDIS_URL so every web process shares the pins (docs/deployment.md).",
                id="obcms.W002",
            )
        ]
    return []


@register("obcms")
def check_cached_people_have_a_shared_cache(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Signed-in people and their permissions kept in one process's memory would miss a
    deactivation or a new password made in another process: refuse to start that way."""
    from django.conf import settings

    from .shared_cache import is_shared

    if settings.PERMISSION_CACHE_SECONDS > 0 and not is_shared():
        return [
            Error(
                "PERMISSION_CACHE_SECONDS is above 0 without a shared cache: a person switched "
                "off or given a new password in one process would go on in the others.",
                hint="Set REDIS_URL, or PERMISSION_CACHE_SECONDS=0 (docs/deployment.md).",
                id="obcms.E002",
            )
        ]
    return []
