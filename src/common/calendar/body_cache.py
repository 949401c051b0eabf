"""Encoded feed and ICS bodies kept in the shared cache, keyed by the validator.

The validator already changes whenever anything a response shows could have changed (who asks,
what they may see, the flags, the parameters, the latest change of any visible item), so an
unchanged window is one validator query and a cache read instead of three data queries and the
encoding. In production the cache is Redis, shared by every web process; otherwise local memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

PREFIX = "calendar-body:"


def cached_body(etag: str, variant: str, build: Callable[[], bytes]) -> bytes:
    """The body for `etag` (and `variant`, e.g. the host an ICS names), built once per state.

    Bodies over CALENDAR_BODY_CACHE_MAX_BYTES are not kept, so a year of a large office does
    not push everything else out of the cache.
    """
    seconds = settings.CALENDAR_BODY_CACHE_SECONDS
    if seconds <= 0:
        return build()
    label = hashlib.sha256(variant.encode()).hexdigest()[:16]
    key = f"{PREFIX}{etag.strip(chr(34))}:{label}"
    body = cache.get(key)
    if body is None:
        body = build()
        if len(body) <= settings.CALENDAR_BODY_CACHE_MAX_BYTES:
            cache.set(key, body, seconds)
    return body
