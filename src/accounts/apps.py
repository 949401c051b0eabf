"""Accounts app: organisations, users, teams, roles and API tokens."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.models import Group, Permission
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.core import checks
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_save,
            pre_delete,
            pre_save,
        )

        from .admin_scope import check_admin_scoping
        from .login import on_logged_in, on_login_failed
        from .models import Organization, User
        from .permission_cache import forget_all, person_changing

        post_migrate.connect(_ensure_roles_after_common, dispatch_uid="accounts.roles")
        user_login_failed.connect(on_login_failed, dispatch_uid="accounts.signin_failed")
        user_logged_in.connect(on_logged_in, dispatch_uid="accounts.signin_ok")
        checks.register(check_admin_scoping, checks.Tags.admin)
        # Any change of who holds which permission ends every cached permission set.
        for through in (User.groups.through, User.user_permissions.through):
            m2m_changed.connect(forget_all, sender=through, dispatch_uid=f"perms.{through}")
        m2m_changed.connect(forget_all, sender=Group.permissions.through, dispatch_uid="perms.g")
        for model in (Group, Permission, Organization):
            post_save.connect(forget_all, sender=model, dispatch_uid=f"perms.save.{model}")
            post_delete.connect(forget_all, sender=model, dispatch_uid=f"perms.delete.{model}")
        # A signed-in person is read from the cache too: any save or deletion supersedes it.
        pre_save.connect(person_changing, sender=User, dispatch_uid="person.save")
        pre_delete.connect(person_changing, sender=User, dispatch_uid="person.delete")
        self._connect_work_marks()

    @staticmethod
    def _connect_work_marks() -> None:
        """Names and memberships that items show move their organisation's work mark."""
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from . import work_marks
        from .models import Organization, Team, TeamMembership, User

        for model in (User, Team):
            name = model._meta.model_name
            pre_save.connect(work_marks.member_saving, sender=model, dispatch_uid=f"mark.{name}.s")
            post_save.connect(work_marks.member_saved, sender=model, dispatch_uid=f"mark.{name}")
            post_delete.connect(
                work_marks.member_deleted, sender=model, dispatch_uid=f"mark.{name}.d"
            )
        membership = work_marks.membership_changed
        post_save.connect(membership, sender=TeamMembership, dispatch_uid="mark.m")
        post_delete.connect(membership, sender=TeamMembership, dispatch_uid="mark.m.d")
        m2m_changed.connect(
            work_marks.memberships_added, sender=Team.members.through, dispatch_uid="mark.m2m"
        )
        post_save.connect(work_marks.organization_saved, sender=Organization, dispatch_uid="mark.o")


def _ensure_roles_after_common(sender, app_config=None, **kwargs) -> None:
    """Roles grant permissions of several apps; they all exist once the last app has migrated."""
    from django.apps import apps

    if app_config is not None and app_config.label == list(apps.get_app_configs())[-1].label:
        from .roles import ensure_role_groups

        ensure_role_groups()
