"""The read-only guard for the old database.

While `LEGACY_MODELS_READONLY` is on, nothing may write to the legacy tables. Three layers say
so: the database router refuses to route a write, the read models' manager and instances refuse
`save`/`delete`/`update`/`bulk_create`, and each connection to the `legacy` database is opened
read-only (PostgreSQL `default_transaction_read_only`, SQLite `query_only`), which also stops
raw SQL. The only way past is `legacy_writes()`, used by dual-write (when the flag allows it) and
by archive deletion and restore with an explicit `--force`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections, models

from obcms.flags import flag

ALIAS = "legacy"
_forced: ContextVar[bool] = ContextVar("legacy_writes_forced", default=False)


class LegacyReadOnly(RuntimeError):
    """A write to the old database was attempted while it is read-only."""

    def __init__(self) -> None:
        super().__init__(
            "The legacy tables are read-only (LEGACY_MODELS_READONLY=1); nothing may write to "
            "them. Turn the flag off for a parallel run, or use --force where a command offers it."
        )


def writes_allowed() -> bool:
    return _forced.get() or not flag("LEGACY_MODELS_READONLY")


def check_writable() -> None:
    if not writes_allowed():
        raise LegacyReadOnly()


def _set_connection_read_only(connection, read_only: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            mode = "ONLY" if read_only else "WRITE"
            cursor.execute(f"SET SESSION CHARACTERISTICS AS TRANSACTION READ {mode}")
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA query_only = {'ON' if read_only else 'OFF'}")


def protect_connection(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: a new connection to the old database starts read-only."""
    if (
        connection.alias == ALIAS
        and settings.LEGACY_READONLY_CONNECTION
        and flag("LEGACY_MODELS_READONLY")
    ):
        _set_connection_read_only(connection, True)


@contextmanager
def legacy_writes(*, force: bool = False) -> Iterator[None]:
    """Allow writes to the old database inside the block.

    Without `force` the flag must already allow writes; with it (archive deletion and restore
    after an operator said so) the guard stands aside for this block only.
    """
    if not force:
        check_writable()
    token = _forced.set(True)
    connection = connections[ALIAS]
    reopen_read_only = settings.LEGACY_READONLY_CONNECTION and flag("LEGACY_MODELS_READONLY")
    if reopen_read_only:
        connection.ensure_connection()  # opening it later would make it read-only again
        _set_connection_read_only(connection, False)
    try:
        yield
    finally:
        _forced.reset(token)
        if reopen_read_only and connection.connection is not None:
            _set_connection_read_only(connection, True)


class GuardedQuerySet(models.QuerySet):
    """Bulk writes through the ORM are refused while the old database is read-only."""

    def update(self, **kwargs):
        check_writable()
        return super().update(**kwargs)

    def delete(self):
        check_writable()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        check_writable()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        check_writable()
        return super().bulk_update(objs, *args, **kwargs)

    def _raw_delete(self, using):
        check_writable()
        return super()._raw_delete(using)


GuardedManager = models.Manager.from_queryset(GuardedQuerySet)
