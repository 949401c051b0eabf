"""Encoded feed and ICS bodies kept in the shared cache, keyed by the validator.

The validator already changes whenever anything a response shows could have changed (who asks,
what they may see, the flags, the parameters, the latest change of any visible item), so an
unchanged window is one validator query and a cache read instead of three data queries and the
encoding. In production the cache is Redis, shared by every web process; otherwise local memory.

In front of a shared cache each process also keeps the bodies it served last in its own memory
(`CALENDAR_BODY_LOCAL_BYTES`): a month of a 10,000-item office is half a megabyte, and fetching
it from Redis on every request was the largest share of an unchanged feed's answer. A key names
one validator, so a process's copy can never be staler than Redis's: a change moves the
validator and the next request asks for a different key.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches

from obcms.shared_cache import is_shared

PREFIX = "calendar-body:"


class _ProcessBodies:
    """Bodies by key, newest use last, at most `limit` bytes, each until its shared copy expires.

    Web servers answer from several threads of one process, so every access holds a lock; the
    work under it is a dictionary move, never a build.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.time():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, body: bytes, expires_at: float, limit: int) -> None:
        if len(body) > limit:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (expires_at, body)
            self._bytes += len(body)
            while self._bytes > limit:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._entries.pop(key)[1])


process_bodies = _ProcessBodies()


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
    shared = caches["default"]
    # With local memory as the cache itself, a second copy in the same process would be waste.
    local_limit = settings.CALENDAR_BODY_LOCAL_BYTES if is_shared() else 0
    if local_limit > 0 and (body := process_bodies.get(key)) is not None:
        return body
    # The shared entry carries its own expiry, so a process's copy ends with it (wall clock:
    # the web processes of one installation share one).
    entry = shared.get(key)
    if isinstance(entry, tuple):
        expires_at, body = entry
    else:
        body = build()
        if len(body) > settings.CALENDAR_BODY_CACHE_MAX_BYTES:
            return body
        expires_at = time.time() + seconds
        shared.set(key, (expires_at, body), seconds)
    if local_limit > 0:
        process_bodies.put(key, body, expires_at, local_limit)
    return body
