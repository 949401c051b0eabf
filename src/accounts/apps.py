"""Accounts app: organisations, users, teams, roles and API tokens."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.core import checks

        from .admin_scope import check_admin_scoping
        from .login import on_logged_in, on_login_failed

        post_migrate.connect(_ensure_roles_after_common, dispatch_uid="accounts.roles")
        user_login_failed.connect(on_login_failed, dispatch_uid="accounts.signin_failed")
        user_logged_in.connect(on_logged_in, dispatch_uid="accounts.signin_ok")
        checks.register(check_admin_scoping, checks.Tags.admin)


def _ensure_roles_after_common(sender, app_config=None, **kwargs) -> None:
    """Roles grant permissions of several apps; they all exist once the last app has migrated."""
    from django.apps import apps

    if app_config is not None and app_config.label == list(apps.get_app_configs())[-1].label:
        from .roles import ensure_role_groups

        ensure_role_groups()
