"""The database router for read replicas (after the legacy router in DATABASE_ROUTERS).

* Reads go to a replica only inside a read-only scope (`obcms.replicas.scope`), never while the
  primary is inside `transaction.atomic` (a transaction must read its own writes), and only to a
  replica that `health` finds up and within the allowed lag; otherwise to the primary.
* Writes never go to a replica: an object read from one is saved to the primary.
* Outside a scope an object read from a replica is re-read from the primary.
* Nothing is ever migrated on a replica.

Without DATABASE_REPLICAS every method returns None: routing is what it was.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from . import health, scope


def _instance_db(hints: dict[str, Any]) -> str | None:
    instance = hints.get("instance")
    return getattr(getattr(instance, "_state", None), "db", None)


def choose_replica(current: scope.ReplicaScope) -> str | None:
    """The scope's replica: the first healthy one, in random order to spread the load."""
    if not current.chosen:
        candidates = scope.replica_aliases()
        random.shuffle(candidates)
        current.alias = next((a for a in candidates if health.check(a).ok), None)
        current.chosen = True
    return current.alias


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        replicas = scope.replica_aliases()
        if not replicas:
            return None
        current = scope.current()
        if current is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # Not a read-only path: the primary, also for objects that came from a replica.
            return DEFAULT_DB_ALIAS if _instance_db(hints) in replicas else None
        alias = choose_replica(current)
        if alias is None:
            return DEFAULT_DB_ALIAS
        current.used.add(alias)
        return alias

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        if _instance_db(hints) in scope.replica_aliases():
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # A replica holds the primary's rows: objects from either may be related.
        replicas = scope.replica_aliases()
        same_data = {DEFAULT_DB_ALIAS, *replicas}
        if replicas and obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db in scope.replica_aliases() else None
