"""Routes the legacy read models to the `legacy` database and keeps our tables out of it."""

from __future__ import annotations

from .guard import ALIAS, check_writable


def _is_read_model(model) -> bool:
    return model._meta.app_label == "legacy" and not model._meta.managed


class LegacyRouter:
    def db_for_read(self, model, **hints):
        return ALIAS if _is_read_model(model) else None

    def db_for_write(self, model, **hints):
        if _is_read_model(model):
            check_writable()
            return ALIAS
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The legacy database belongs to the old system: no migration of ours ever touches it.
        # (When it is our own database, `legacy` is a second connection to the same tables.)
        if db == ALIAS:
            return False
        return None
