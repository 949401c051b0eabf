"""Accounts app: organisations, users, teams, roles and API tokens."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(_ensure_roles_after_common, dispatch_uid="accounts.roles")


def _ensure_roles_after_common(sender, app_config=None, **kwargs) -> None:
    """Roles grant permissions of several apps; they all exist once the last app has migrated."""
    from django.apps import apps

    if app_config is not None and app_config.label == list(apps.get_app_configs())[-1].label:
        from .roles import ensure_role_groups

        ensure_role_groups()
