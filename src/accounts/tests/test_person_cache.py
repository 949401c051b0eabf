"""The signed-in person comes from the shared cache, and every change of them applies at once.

With Redis, a signed-in request reads the person with the session and the permission set instead
of asking the database. Whatever was cached, a renamed, deactivated, deleted or re-passworded
person, a renamed organisation and a rotated secret key show on the very next request, and the
cache never holds a password hash.
"""

import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.permission_cache import _person_key

CACHED = {
    "PERMISSION_CACHE_SECONDS": 900,
    "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
}
HOME = "/"
CREATE = "/oobc-management/work-items/new/?type=project"

pytestmark = pytest.mark.usefixtures("cached")


@pytest.fixture
def cached():
    cache.clear()
    with override_settings(**CACHED):
        yield


def signed_in_with_password(client, person: User, password: str) -> None:
    """`person` has `password`, is signed in, and has been read into the cache by one page."""
    person.set_password(password)
    person.save()
    client.force_login(person)
    assert client.get(HOME).status_code == 200


def person_statements(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries if '"accounts_user"' in q["sql"]]


def test_a_person_once_signed_in_is_not_read_from_the_database_again(client, cast):
    client.force_login(cast.staff)
    client.get(HOME)
    assert person_statements(client, HOME) == []


def test_a_renamed_person_is_shown_by_the_next_page(client, cast):
    client.force_login(cast.staff)
    client.get(HOME)
    cast.staff.first_name, cast.staff.last_name = "Sofia", "Reyes-Lim"
    cast.staff.save(update_fields=["first_name", "last_name"])
    assert "Sofia Reyes-Lim" in client.get(HOME).content.decode()


def test_a_renamed_organisation_is_shown_by_the_next_page(client, cast):
    client.force_login(cast.staff)
    client.get(HOME)
    cast.office.acronym = "BARMM-OOBC"
    cast.office.save(update_fields=["acronym"])
    assert "· BARMM-OOBC" in client.get(HOME).content.decode()


def test_a_deleted_person_is_signed_out(client, cast):
    from accounts.roles import STAFF, assign_role

    leaver = User.objects.create_user("leaver", organization=cast.office)
    assign_role(leaver, STAFF)
    client.force_login(leaver)
    assert client.get(HOME).status_code == 200
    leaver.delete()
    assert client.get(HOME).status_code == 302


def test_changing_ones_password_keeps_one_signed_in_and_ends_the_other_sessions(client, cast):
    from django.test import Client

    cast.staff.set_password("old-Pa55word-1")
    cast.staff.save()
    other_browser = Client()
    other_browser.force_login(cast.staff)
    client.force_login(cast.staff)
    assert client.get(HOME).status_code == other_browser.get(HOME).status_code == 200
    answer = client.post(
        "/accounts/password/",
        {
            "old_password": "old-Pa55word-1",
            "new_password1": "new-Pa55word-2-long",
            "new_password2": "new-Pa55word-2-long",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:500]
    assert client.get(HOME).status_code == 200
    assert other_browser.get(HOME).status_code == 302
    assert User.objects.get(pk=cast.staff.pk).check_password("new-Pa55word-2-long")


def test_saving_a_person_read_from_the_cache_keeps_their_password(client, cast):
    from django.contrib.auth import get_user

    signed_in_with_password(client, cast.staff, "kept-Pa55word-3")

    request = client.get(HOME).wsgi_request
    person = get_user(request)
    person.time_zone = "Asia/Tokyo"
    person.save()
    assert User.objects.get(pk=cast.staff.pk).check_password("kept-Pa55word-3")


def test_the_cache_never_holds_a_password_hash(client, cast):
    signed_in_with_password(client, cast.staff, "secret-Pa55word-4")
    entry = cache.get(_person_key(cast.staff.pk))
    assert entry is not None
    assert cast.staff.password.encode() not in pickle.dumps(entry)


def test_a_rotated_secret_key_signs_out_sessions_it_no_longer_vouches_for(client, cast, settings):
    client.force_login(cast.staff)
    assert client.get(HOME).status_code == 200
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="rotated-" + "r" * 50, SECRET_KEY_FALLBACKS=[old]):
        assert client.get(HOME).status_code == 200
    client.force_login(cast.viewer)
    assert client.get(HOME).status_code == 200
    with override_settings(SECRET_KEY="rotated-" + "r" * 50, SECRET_KEY_FALLBACKS=[]):
        assert client.get(HOME).status_code == 302


def test_without_a_shared_cache_the_person_is_read_every_time(client, cast):
    client.force_login(cast.staff)
    with override_settings(PERMISSION_CACHE_SECONDS=0):
        client.get(HOME)
        assert len(person_statements(client, HOME)) == 1


def test_a_role_changed_after_the_person_was_cached_applies_at_once(client, cast):
    from accounts.roles import VIEWER, assign_role

    client.force_login(cast.staff)
    assert client.get(CREATE).status_code == 200
    assign_role(cast.staff, VIEWER)
    assert client.get(CREATE).status_code == 403


def test_caching_people_without_a_shared_cache_is_refused(settings):
    """With one process's memory as the cache, a change in another process would go unseen."""
    from obcms.checks import check_cached_people_have_a_shared_cache

    settings.PERMISSION_CACHE_SECONDS = 900
    assert [e.id for e in check_cached_people_have_a_shared_cache()] == ["obcms.E002"]
    settings.PERMISSION_CACHE_SECONDS = 0
    assert check_cached_people_have_a_shared_cache() == []


@pytest.mark.django_db(transaction=True)
def test_a_person_read_while_their_change_was_being_saved_is_not_kept(client, cast):
    """Another web process reads the old row before the change commits and caches it: once
    the change commits, that entry is already stale."""
    import threading

    from django.db import connections, transaction
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("a second connection reading beside an open write: run on PostgreSQL")
    client.force_login(cast.staff)
    client.get(HOME)
    seen_meanwhile = []

    def another_process_reads() -> None:
        other = Client()
        other.cookies = client.cookies
        try:
            seen_meanwhile.append(other.get(HOME).content.decode())
        finally:
            connections.close_all()

    with transaction.atomic():
        cast.staff.first_name, cast.staff.last_name = "Sofia", "Reyes-Lim"
        cast.staff.save(update_fields=["first_name", "last_name"])
        reader = threading.Thread(target=another_process_reads)
        reader.start()
        reader.join()
    assert "Sofia Reyes-Lim" not in seen_meanwhile[0]  # the old row, read and cached
    assert "Sofia Reyes-Lim" in client.get(HOME).content.decode()
