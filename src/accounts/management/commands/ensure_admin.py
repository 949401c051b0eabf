"""`manage.py ensure_admin`: create the `admin` account once and print its password once."""

import secrets

from django.core.management.base import BaseCommand

from accounts.models import Organization, User
from accounts.roles import ADMINISTRATOR, assign_role


class Command(BaseCommand):
    help = "Create the administrator account 'admin' if it does not exist, printing its password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Administrator '{username}' already exists (its password was printed when it "
                f"was created; change it with `manage.py changepassword {username}`)."
            )
            return
        office = Organization.objects.filter(kind=Organization.Kind.OFFICE).first()
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username, password=password, organization=office)
        assign_role(user, ADMINISTRATOR)
        self.stdout.write(self.style.SUCCESS(f"Administrator '{username}' created."))
        self.stdout.write(f"  username: {username}\n  password: {password}")
