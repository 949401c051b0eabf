"""The read-only scope: the only place where reads may go to a replica.

Routing every read to a replica would hand stale rows to code that reads in order to write
(a form's validation, a move's cycle check). Replica reads are therefore opt-in: a context
variable, set for one request by the middleware (or by `replica_reads()` in code that knows it
only reads), tells the router that this work tolerates data a few seconds old.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings


@dataclass
class ReplicaScope:
    """One read-only unit of work; it keeps to a single replica so its reads agree."""

    #: The replica chosen on the first read, None when none is healthy (reads use the primary).
    alias: str | None = None
    chosen: bool = False
    #: Replicas this scope actually sent a query to (for retrying on the primary).
    used: set[str] = field(default_factory=set)


_current: ContextVar[ReplicaScope | None] = ContextVar("obcms_replica_scope", default=None)


def replica_aliases() -> list[str]:
    """The configured replica aliases (settings.DATABASE_REPLICAS), empty without replicas."""
    return list(getattr(settings, "DATABASE_REPLICAS", []) or [])


def current() -> ReplicaScope | None:
    return _current.get()


def enter() -> object:
    """Open a scope; returns the token for `leave`."""
    return _current.set(ReplicaScope())


def leave(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def suspend() -> None:
    """From here on, this context reads from the primary (after a replica failed)."""
    _current.set(None)


@contextmanager
def replica_reads() -> Iterator[ReplicaScope]:
    """Reads inside may go to a healthy replica (for code that only reads)."""
    token = _current.set(ReplicaScope())
    try:
        yield _current.get()  # type: ignore[misc]
    finally:
        _current.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside go to the primary, even within a read-only scope.

    For reads whose answer is kept beyond the request (a cached permission set): a lagging
    replica's rows would be stored as current.
    """
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)
