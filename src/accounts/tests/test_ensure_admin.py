"""`ensure_admin` creates the administrator once and prints the password only then."""

from io import StringIO

from django.core.management import call_command

from accounts.models import User


def test_the_admin_account_is_created_once_with_a_printed_password(db):
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = out.getvalue().split("password: ")[1].strip()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)
    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert "already exists" in again.getvalue()
    assert "password:" not in again.getvalue()
