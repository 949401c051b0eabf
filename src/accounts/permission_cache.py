"""Permissions read from the shared cache instead of two database queries on every request.

Every page and API call asks `has_perm` several times; Django's ModelBackend answers from two
queries (the person's own permissions and their groups') once per request. The answer changes
only when someone's groups or a group's permissions change, so it is kept in the cache under a
*generation* that every such change replaces: one changed role anywhere makes every cached set
unreachable at once, in every web process sharing the cache (Redis). With a cache of its own
per process (local memory), a change in one process could not reach the others, so the cache is
on only when PERMISSION_CACHE_SECONDS > 0 (by default: when REDIS_URL is set).
"""

from __future__ import annotations

import uuid
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

GENERATION_KEY = "permissions:generation"


def generation() -> str:
    """The current generation; a missing one (a cleared or evicted cache) starts a new one."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        # add(): two processes starting a generation at once agree on the first one written.
        if not cache.add(GENERATION_KEY, current, None):
            current = cache.get(GENERATION_KEY) or current
    return current


def forget_all(**_signal) -> None:
    """A role or permission changed somewhere: every cached permission set is now stale."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _key(user) -> str:
    # The join time tells apart two people who had the same id in databases restored or
    # rebuilt under one cache; the superuser flag changes the answer without a group change.
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return f"permissions:{user.pk}:{joined}:{int(user.is_superuser)}"


def _cached_set(user, seconds: int, compute) -> frozenset:
    """The person's set from the cache if it was stored under the current generation.

    The generation and the person's entry are read in one round trip (`get_many`): this runs
    on every signed-in request, and a second trip to Redis was a measurable share of an
    unchanged feed's answer. The entry carries the generation it was computed under, so a
    changed role anywhere still makes every stored set stale at once.
    """
    key = _key(user)
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY) or generation()
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    permissions = frozenset(compute())
    cache.set(key, (current, permissions), seconds)
    return permissions


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose per-person permission set is kept in the shared cache."""

    def get_user(self, user_id):
        # Every page names the person's organisation in its header: fetch it with the person.
        User = get_user_model()
        try:
            user = User._default_manager.select_related("organization").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        seconds = settings.PERMISSION_CACHE_SECONDS
        if seconds <= 0 or obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            compute = partial(ModelBackend.get_all_permissions, self, user_obj)
            user_obj._perm_cache = set(_cached_set(user_obj, seconds, compute))
        return user_obj._perm_cache
