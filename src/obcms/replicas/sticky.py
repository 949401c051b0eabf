"""Read-your-own-writes: whoever wrote reads from the primary for REPLICA_STICKY_SECONDS.

A replica is a little behind; a person who just saved an item and is sent back to the tree must
see the change. A successful POST/PUT/PATCH/DELETE pins the person to the primary. The pin lives
in the shared cache (Redis with REDIS_URL), so the next request is pinned on whichever web node
answers it. It is keyed by the person and, for API clients that authenticate per request with a
token (whose person is only known inside the view), also by the Authorization header's hash.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "replica-pin:"


def _keys(request: HttpRequest) -> list[str]:
    keys = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"{PREFIX}user:{user.pk}")
    header = request.headers.get("Authorization", "")
    if header:
        keys.append(f"{PREFIX}auth:{hashlib.sha256(header.encode()).hexdigest()[:32]}")
    return keys


def pin(request: HttpRequest) -> None:
    """Remember that this request's person wrote just now."""
    seconds = settings.REPLICA_STICKY_SECONDS
    keys = _keys(request)
    if seconds > 0 and keys:
        cache.set_many(dict.fromkeys(keys, time.time()), timeout=seconds)


def is_pinned(request: HttpRequest) -> bool:
    """Whether this request's person wrote within the sticky window."""
    keys = _keys(request)
    return bool(keys) and bool(cache.get_many(keys))
