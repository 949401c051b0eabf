"""The one place that reads the cut-over feature flags.

Nothing else reads `settings.FEATURE_FLAGS` directly, so tests can flip a flag with
`override_settings` and every code path sees the same value.
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings

FlagName = Literal[
    "USE_WORKITEM_MODEL", "USE_UNIFIED_CALENDAR", "DUAL_WRITE_ENABLED", "LEGACY_MODELS_READONLY"
]

#: The values the deployment checklist requires in production, in the checklist's order.
PRODUCTION_VALUES: dict[str, bool] = {
    "USE_WORKITEM_MODEL": True,
    "USE_UNIFIED_CALENDAR": True,
    "DUAL_WRITE_ENABLED": False,
    "LEGACY_MODELS_READONLY": True,
}


def flag(name: FlagName) -> bool:
    """Return the current value of a feature flag (unknown names are a programming error)."""
    if name not in PRODUCTION_VALUES:
        raise KeyError(f"Unknown feature flag: {name}")
    return bool(settings.FEATURE_FLAGS[name])


def all_flags() -> dict[str, bool]:
    """Every flag with its current value, in the checklist's order."""
    return {name: flag(name) for name in PRODUCTION_VALUES}  # type: ignore[arg-type]


def differences_from_production() -> dict[str, tuple[bool, bool]]:
    """Flags whose value differs from production, as `{name: (current, expected)}`."""
    return {
        name: (current, PRODUCTION_VALUES[name])
        for name, current in all_flags().items()
        if current != PRODUCTION_VALUES[name]
    }
