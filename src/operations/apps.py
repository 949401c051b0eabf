"""Operations: health and readiness, backups and restores, request timing, user feedback."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from .middleware import install_slow_query_logger

        connection_created.connect(install_slow_query_logger, dispatch_uid="slow-queries")
