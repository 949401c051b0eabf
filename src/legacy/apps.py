from django.apps import AppConfig
from django.db.backends.signals import connection_created


class LegacyConfig(AppConfig):
    name = "legacy"
    verbose_name = "Legacy cut-over"

    def ready(self) -> None:
        from common.signals import work_items_changed

        from . import dualwrite
        from .guard import protect_connection

        connection_created.connect(protect_connection, dispatch_uid="legacy-read-only")
        work_items_changed.connect(dualwrite.record_changes, dispatch_uid="legacy-dual-write")
