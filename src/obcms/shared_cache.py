"""Whether the default cache is shared by every web process or kept in one process's memory."""

from __future__ import annotations

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache


def is_shared() -> bool:
    """False for local memory: what one process stores there, no other process sees."""
    return not isinstance(caches["default"], LocMemCache)
