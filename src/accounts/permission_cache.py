"""The signed-in person and their permissions read from the shared cache, not the database.

Every page and API call needs the person (Django's authentication middleware) and asks
`has_perm` several times; without this module that is a statement for the person and two for
the permission set on every request. Both change rarely, so with a cache shared by every web
process (Redis) they are kept there, read together in one round trip:

* A permission set is kept under a *generation* that every change of a role, a group's
  permissions or an organisation replaces: one change anywhere makes every cached set (and every
  cached person) unreachable at once, in every process.
* A person is kept under their own *version*, replaced before any save or deletion of that
  person and again once it commits. The reader takes the version before it reads the database,
  so an entry built from a row that was being changed meanwhile carries a superseded version.
* Both are read from the primary, never a replica: a lagging replica's rows would be kept as
  current for minutes.
* A cached person never carries the password hash. Sessions are checked against the hashes
  computed when the entry was built (under the current SECRET_KEY and its fallbacks, which name
  the entry); anything that needs the password itself loads it from the database.

With a cache of its own per process (local memory), a change in one process could not reach the
others, so all of this is on only when PERMISSION_CACHE_SECONDS > 0 (by default: when REDIS_URL
is set; obcms.E002 refuses it without). A change made behind Django's back (raw SQL,
`QuerySet.update` on people) is seen once the entry expires, after PERMISSION_CACHE_SECONDS.
"""

from __future__ import annotations

import copy
import uuid
from functools import lru_cache, partial

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.crypto import salted_hmac

from obcms.replicas.scope import primary_reads

GENERATION_KEY = "permissions:generation"


def _current(key: str, found: dict | None = None) -> str:
    """The stamp under `key` (from `found` if already read); a missing one starts anew.

    A stamp goes missing when the cache is cleared or evicts it, or was never set: a new one
    makes every entry stored under the old one unreachable, which is what a lost stamp needs.
    """
    current = found.get(key) if found is not None else cache.get(key)
    if current is None:
        current = uuid.uuid4().hex
        # add(): two processes starting a stamp at once agree on the first one written.
        if not cache.add(key, current, None):
            current = cache.get(key) or current
    return current


def _supersede(key: str) -> None:
    """Give `key` a new value now and again once the current transaction commits.

    Now, so that this very transaction's later reads miss what was cached; again after the
    commit, because a request that read the old rows in between has written its entry under
    the value set now, and the second change makes that entry stale too. The first write
    raising (the cache is down) stops the change itself when it runs before the save, so a
    change never commits unannounced; a failing second write is logged.
    """

    def replace() -> None:
        cache.set(key, uuid.uuid4().hex, None)

    replace()
    transaction.on_commit(replace, robust=True)


def forget_all(**_signal) -> None:
    """A role, a permission or an organisation changed: every cached set and person is stale."""
    _supersede(GENERATION_KEY)


def person_changing(sender, instance, **_signal) -> None:
    """A person is about to be saved or deleted: their cached entry goes stale.

    Runs before the change (pre_save, pre_delete) so that a cache that cannot be told stops
    the change, and whatever this process's PERMISSION_CACHE_SECONDS: a one-off command run
    with the cache off still changes people that the web processes keep.
    """
    if instance.pk is not None:
        _supersede(_version_key(instance.pk))


def _version_key(pk) -> str:
    return f"person-version:{pk}"


@lru_cache(maxsize=4)
def _secrets_label(secret: str, fallbacks: tuple[str, ...]) -> str:
    # Names the secrets the stored session hashes were computed with, revealing none of them.
    return salted_hmac(
        "accounts.person-cache", "|".join(fallbacks), secret=secret, algorithm="sha256"
    ).hexdigest()[:16]


#: Changes whenever what a person entry holds changes shape; Django's version is in the key too,
#: since its pickled model instances are tied to it.
ENTRY_FORMAT = f"1-{django.get_version()}"


def _person_key(pk) -> str:
    label = _secrets_label(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
    return f"person:{ENTRY_FORMAT}:{label}:{pk}"


def _permissions_key(pk) -> str:
    return f"permissions:{pk}"


def _for_the_cache(user):
    """A copy of `user` without the password hash, and the hashes its sessions are checked by."""
    hashes = (user.get_session_auth_hash(), tuple(user.get_session_auth_fallback_hash()))
    kept = copy.copy(user)
    del kept.__dict__["password"]  # deferred: loaded from the database if anything asks for it
    return kept, hashes


def _permissions_of(entry, user, generation_now: str) -> frozenset | None:
    """The cached set if it was computed under this generation for this very person.

    The join time tells apart two people who had the same id in databases restored or rebuilt
    under one cache; the superuser flag changes the answer without a group change.
    """
    if entry is None or entry[0] != generation_now or entry[1] != _whose(user):
        return None
    return entry[2]


def _whose(user) -> tuple[float, bool]:
    """What tells this person's permission set from another's stored under the same id."""
    return (user.date_joined.timestamp() if user.date_joined else 0, user.is_superuser)


def _cached_set(user, seconds: int, compute) -> frozenset:
    """The person's set from the cache if it was stored under the current generation.

    Usually `get_user` has already read it in the same round trip as the person; this is the
    path for a person who did not come from the session (an API token, a test's force_login).
    """
    found = cache.get_many([GENERATION_KEY, _permissions_key(user.pk)])
    current = _current(GENERATION_KEY, found)
    permissions = _permissions_of(found.get(_permissions_key(user.pk)), user, current)
    if permissions is not None:
        return permissions
    # From the primary even on a read-only page: a lagging replica's old groups would be stored
    # under the new generation as if current.
    with primary_reads():
        permissions = frozenset(compute())
    _store_permissions(user, current, permissions, seconds)
    return permissions


def _store_permissions(user, generation_now: str, permissions: frozenset, seconds: int) -> None:
    entry = (generation_now, _whose(user), permissions)
    cache.set(_permissions_key(user.pk), entry, seconds)


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose signed-in person and permission set are kept in the shared cache."""

    def get_user(self, user_id):
        seconds = settings.PERMISSION_CACHE_SECONDS
        user = self._from_cache(user_id, seconds) if seconds > 0 else self._from_database(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _from_database(self, user_id, using: str | None = None):
        # Every page names the person's organisation in its header: fetch it with the person.
        User = get_user_model()
        people = User._default_manager.db_manager(using).select_related("organization")
        try:
            return people.get(pk=user_id)
        except User.DoesNotExist:
            return None

    def _from_cache(self, user_id, seconds: int):
        person_key, permissions_key = _person_key(user_id), _permissions_key(user_id)
        found = cache.get_many([GENERATION_KEY, _version_key(user_id), person_key, permissions_key])
        generation_now = _current(GENERATION_KEY, found)
        version = _current(_version_key(user_id), found)
        entry = found.get(person_key)
        if entry is not None and entry[:2] == (generation_now, version):
            user, hashes = entry[2], entry[3]
        else:
            # Generation and version were read first: if the person changes while this reads
            # the database, the entry written below already carries a superseded version. The
            # primary, never a replica: a lagging replica's old row would be kept as current.
            user = self._from_database(user_id, using=DEFAULT_DB_ALIAS)
            if user is None:
                return None
            kept, hashes = _for_the_cache(user)
            cache.set(person_key, (generation_now, version, kept, hashes), seconds)
        user.__dict__["_session_auth_hashes"] = hashes
        permissions = _permissions_of(found.get(permissions_key), user, generation_now)
        if permissions is not None and user.is_active:
            user._perm_cache = set(permissions)
        return user

    def get_all_permissions(self, user_obj, obj=None):
        seconds = settings.PERMISSION_CACHE_SECONDS
        if seconds <= 0 or obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            compute = partial(ModelBackend.get_all_permissions, self, user_obj)
            user_obj._perm_cache = set(_cached_set(user_obj, seconds, compute))
        return user_obj._perm_cache
