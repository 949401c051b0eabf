"""Wrong passwords lock an account name or a client address for a while, on both sign-in pages."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from accounts import throttle
from accounts.models import SignInLockout

PASSWORD = "correct horse battery staple"
PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.fixture(autouse=True)
def fresh_counts():
    """Counts live in the cache, which outlives each test's database rollback."""
    caches["default"].clear()
    yield
    caches["default"].clear()


def sign_in(client, page: str, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(page, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("page", PAGES)
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, cast, page):
    for _ in range(4):
        assert sign_in(client, page, "marco", "wrong").status_code == 200
    locked = sign_in(client, page, "marco", "wrong")
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()
    right = sign_in(client, page, "marco", PASSWORD)
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 800
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account(client, cast):
    for _ in range(5):
        sign_in(client, PAGES[0], "marco", "wrong")
    assert sign_in(client, PAGES[0], "sofia", PASSWORD).status_code == 302


def test_many_names_from_one_address_lock_the_address(client, cast):
    for n in range(20):
        sign_in(client, PAGES[0], f"guess{n}", "wrong", address="198.51.100.9")
    response = sign_in(client, PAGES[0], "sofia", PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert "from your network address" in response.content.decode()
    assert sign_in(client, PAGES[0], "sofia", PASSWORD, address="198.51.100.10").status_code == 302


def test_unknown_names_are_counted_like_real_ones(client, cast):
    for _ in range(5):
        sign_in(client, PAGES[0], "nobody-here", "wrong")
    assert SignInLockout.objects.filter(kind="account", key="nobody-here").exists()


def test_a_right_password_clears_the_account_count(client, cast):
    for _ in range(4):
        sign_in(client, PAGES[0], "sofia", "wrong")
    assert sign_in(client, PAGES[0], "sofia", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, PAGES[0], "sofia", "wrong")
    assert sign_in(client, PAGES[0], "sofia", PASSWORD).status_code == 302


def test_an_administrator_sees_and_lifts_a_lockout(client, cast):
    for _ in range(5):
        sign_in(client, PAGES[0], "sofia", "wrong")
    lockout = SignInLockout.objects.get(kind="account", key="sofia")
    admin_client = client.__class__()
    admin_client.force_login(cast.administrator)
    listing = admin_client.get("/admin/accounts/signinlockout/", {"state": "active"})
    assert "sofia" in listing.content.decode()
    admin_client.post(
        "/admin/accounts/signinlockout/",
        {"action": "lift_selected", "_selected_action": [lockout.pk]},
    )
    lockout.refresh_from_db()
    assert lockout.lifted_by == "ana" and not lockout.is_active
    assert sign_in(client, PAGES[0], "sofia", PASSWORD).status_code == 302


def test_a_manager_cannot_see_lockouts(client, cast):
    client.force_login(cast.manager)
    assert client.get("/admin/accounts/signinlockout/").status_code == 403


@override_settings(TRUSTED_PROXIES=1)
def test_behind_the_proxy_the_forwarded_client_is_counted(rf):
    request = rf.post("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.44", REMOTE_ADDR="127.0.0.1")
    assert throttle.client_address(request) == "192.0.2.44"
    spoofed = rf.post("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="127.0.0.1")
    assert throttle.client_address(spoofed) == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=0)
def test_without_a_proxy_the_forwarded_header_is_ignored(rf):
    request = rf.post("/", HTTP_X_FORWARDED_FOR="192.0.2.44", REMOTE_ADDR="203.0.113.5")
    assert throttle.client_address(request) == "203.0.113.5"


def _redis_url() -> str | None:
    url = os.environ.get("SIGNIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # any failure means there is no Redis to test against
        return None
    return url


def test_failures_in_another_process_count_through_the_shared_cache(client, cast):
    """Four wrong passwords counted by a separate Python process, the fifth here: locked."""
    url = _redis_url()
    if url is None:
        pytest.skip("Redis is not reachable (make test starts it in CI)")
    name = f"shared-{uuid.uuid4().hex[:8]}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "obcms",
        }
    }
    script = (
        "import django; django.setup()\n"
        "from accounts import throttle\n"
        f"for _ in range(4): throttle.record_failure(None, {name!r})\n"
    )
    env = {**os.environ, "REDIS_URL": url, "DJANGO_SETTINGS_MODULE": "obcms.settings"}
    src = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", script], cwd=src, env=env, check=True, timeout=60)
    with override_settings(CACHES=redis_cache):
        caches.close_all()
        try:
            response = sign_in(client, PAGES[0], name, "wrong")
        finally:
            caches["default"].delete_many(
                [throttle._counter(kind, key) for kind, key, _ in throttle._subjects(None, name)]
            )
    assert response.status_code == 429
