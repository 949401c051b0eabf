"""`manage.py ensure_admin`: create the `admin` account once and print its password once.

An account of that name may already exist without being an administrator — typically the old
system's own `admin`, brought over by the legacy migration as a staff member. Saying "already
exists" then would leave the office without an administrator, so the clash is named and the two
ways out are offered: another name, or `--promote` after confirmation.
"""

import secrets
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization, User
from accounts.roles import ADMINISTRATOR, assign_role


class Command(BaseCommand):
    help = (
        "Create the administrator account 'admin' if it does not exist, printing its password. "
        "If an account of that name exists but is not an administrator, say so; --promote makes "
        "it one (after confirmation, or with --yes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--promote",
            action="store_true",
            help="Make the existing account of that name an administrator.",
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask before promoting.")

    def handle(self, *args, username: str, promote: bool, yes: bool, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            self._create(username)
        elif user.is_superuser and user.is_active:
            self.stdout.write(
                f"Administrator '{username}' already exists (its password was printed when it "
                f"was created; change it with `manage.py changepassword {username}`)."
            )
        elif promote:
            self._promote(user, yes)
        else:
            self._explain_clash(user)

    def _create(self, username: str) -> None:
        office = Organization.objects.filter(kind=Organization.Kind.OFFICE).first()
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username, password=password, organization=office)
        assign_role(user, ADMINISTRATOR)
        self.stdout.write(self.style.SUCCESS(f"Administrator '{username}' created."))
        self.stdout.write(f"  username: {username}\n  password: {password}")

    def _explain_clash(self, user: User) -> None:
        what = (
            "an inactive account"
            if not user.is_active
            else "an account that is not an administrator"
        )
        others = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk)
        names = ", ".join(others.values_list("username", flat=True)[:5])
        self.stdout.write(
            f"'{user.username}' is {what} ({user.get_full_name() or 'no name'}, "
            f"{user.email or 'no e-mail'}, joined {user.date_joined:%Y-%m-%d})."
        )
        self.stdout.write(
            f"Administrators now: {names}." if names else "The office has no administrator yet."
        )
        self.stdout.write(
            "Either create one under another name:\n"
            "  python manage.py ensure_admin --username office-admin\n"
            f"or make '{user.username}' an administrator (it keeps its password):\n"
            f"  python manage.py ensure_admin --username {user.username} --promote"
        )
        raise CommandError(
            f"'{user.username}' exists but is not an administrator; nothing was changed."
        )

    def _promote(self, user: User, yes: bool) -> None:
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"Refusing to promote '{user.username}' unconfirmed: add --yes.")
            answer = input(
                f"Make '{user.username}' ({user.get_full_name() or 'no name'}) an administrator "
                "with every permission? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Not promoted; nothing was changed.")
        user.is_superuser = user.is_staff = user.is_active = True
        user.save(update_fields=["is_superuser", "is_staff", "is_active"])
        assign_role(user, ADMINISTRATOR)
        self.stdout.write(
            self.style.SUCCESS(
                f"'{user.username}' is now an administrator; its password is unchanged "
                f"(set one with `manage.py changepassword {user.username}`)."
            )
        )
