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


def _run(**options) -> tuple[str, str | None]:
    from django.core.management.base import CommandError

    out = StringIO()
    try:
        call_command("ensure_admin", stdout=out, **options)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_an_existing_account_that_is_not_an_administrator_is_named_not_taken_for_one(db):
    # The old system's own `admin`, brought over by the migration as a staff member.
    User.objects.create_user("admin", password="from the old system", is_staff=True)
    out, error = _run()
    assert error == "'admin' exists but is not an administrator; nothing was changed."
    assert "already exists" not in out
    assert "The office has no administrator yet." in out
    assert "ensure_admin --username office-admin" in out
    assert "--promote" in out
    assert not User.objects.get(username="admin").is_superuser


def test_another_name_gives_the_office_its_administrator(db):
    User.objects.create_user("admin", password="from the old system")
    out, error = _run(username="office-admin")
    assert error is None
    assert User.objects.get(username="office-admin").is_superuser
    assert "password: " in out


def test_promote_asks_for_confirmation_and_keeps_the_password(db):
    User.objects.create_user("admin", password="from the old system")
    _, refused = _run(promote=True)  # no terminal to confirm on
    assert refused == "Refusing to promote 'admin' unconfirmed: add --yes."
    assert not User.objects.get(username="admin").is_superuser

    out, error = _run(promote=True, yes=True)
    admin = User.objects.get(username="admin")
    assert error is None and "is now an administrator" in out
    assert admin.is_superuser and admin.is_staff
    assert admin.has_perm("common.manage_all_items")
    assert admin.check_password("from the old system")
