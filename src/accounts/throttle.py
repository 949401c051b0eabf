"""Sign-in throttling by account name and by client address, for every login form.

Why our own and not django-axes: axes 8.3 declares support up to Django 6.0 only, needs its own
authentication backend (which refuses `authenticate()` calls without a request, as the test
client and management commands make), and keeps counts in the database, so every wrong password
would be a write an attacker can cause. Here:

* each wrong password increments two counters in the shared cache (Redis in production, so all
  web processes count together): one for the user name as typed, one for the client address;
* when a counter reaches its limit within the window, a `SignInLockout` row is written; while
  it is active every sign-in for that name or from that address is refused *before* the
  password is checked, so the right password does not help an attacker either;
* the refusal names the wait ("Try again in 12 minutes"); an administrator sees the lockouts in
  the admin and may lift one, which also clears its counters.

The user name is counted whether or not such an account exists, so the answer never tells
which names are real.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from .models import SignInLockout


@dataclass(frozen=True)
class Policy:
    account_limit: int
    address_limit: int
    window: timedelta
    lockout: timedelta


def policy() -> Policy:
    return Policy(
        account_limit=settings.SIGNIN_FAILURES_PER_ACCOUNT,
        address_limit=settings.SIGNIN_FAILURES_PER_ADDRESS,
        window=timedelta(minutes=settings.SIGNIN_FAILURE_WINDOW_MINUTES),
        lockout=timedelta(minutes=settings.SIGNIN_LOCKOUT_MINUTES),
    )


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address; behind `TRUSTED_PROXIES` reverse proxies, from X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so the client is the
    entry that many places from the right; anything further left is whatever the client sent.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops > 0 and len(forwarded) >= hops:
        candidate = forwarded[-hops]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote


def account_key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def _counter(kind: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"signin-failures:{kind}:{digest}"


def _subjects(request: HttpRequest | None, username: str | None) -> list[tuple[str, str, int]]:
    """(kind, key, limit) for the account name and, when known, the client address."""
    rules = policy()
    subjects = []
    if account_key(username):
        subjects.append((SignInLockout.Kind.ACCOUNT, account_key(username), rules.account_limit))
    address = client_address(request)
    if address:
        subjects.append((SignInLockout.Kind.ADDRESS, address, rules.address_limit))
    return subjects


def active_lockout(request: HttpRequest | None, username: str | None) -> SignInLockout | None:
    """The lockout that refuses this sign-in (the one lasting longest), if any. One query."""
    subjects = _subjects(request, username)
    if not subjects:
        return None
    match = Q()
    for kind, key, _limit in subjects:
        match |= Q(kind=kind, key=key)
    return (
        SignInLockout.objects.filter(match, lifted_at__isnull=True, locked_until__gt=timezone.now())
        .order_by("-locked_until")
        .first()
    )


def _increment(name: str, window: timedelta) -> int:
    cache = caches["default"]
    seconds = max(1, int(window.total_seconds()))
    cache.add(name, 0, timeout=seconds)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=seconds)
        return 1


def record_failure(request: HttpRequest | None, username: str | None) -> SignInLockout | None:
    """Count a wrong password; lock the name or address that reached its limit."""
    rules = policy()
    locked = None
    for kind, key, limit in _subjects(request, username):
        count = _increment(_counter(kind, key), rules.window)
        if count < limit:
            continue
        caches["default"].delete(_counter(kind, key))
        now = timezone.now()
        already = SignInLockout.objects.filter(
            kind=kind, key=key, lifted_at__isnull=True, locked_until__gt=now
        ).first()
        locked = already or SignInLockout.objects.create(
            kind=kind, key=key, failures=count, locked_at=now, locked_until=now + rules.lockout
        )
    return locked


def record_success(username: str | None) -> None:
    """A right password clears the account's count (not the address's: one valid account must
    not let an address keep guessing other names)."""
    if account_key(username):
        caches["default"].delete(_counter(SignInLockout.Kind.ACCOUNT, account_key(username)))


def lift(lockout: SignInLockout, by: str) -> None:
    """End a lockout now and forget its counted failures."""
    if lockout.lifted_at is None:
        lockout.lifted_at = timezone.now()
        lockout.lifted_by = by[:150]
        lockout.save(update_fields=["lifted_at", "lifted_by"])
    caches["default"].delete(_counter(lockout.kind, lockout.key))


def wait_text(lockout: SignInLockout) -> str:
    """'in 14 minutes' / 'in 40 seconds', rounded up so the person never comes back too early."""
    seconds = max(1, math.ceil((lockout.locked_until - timezone.now()).total_seconds()))
    if seconds < 60:
        return f"in {seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"in {minutes} minute{'s' if minutes != 1 else ''}"


def retry_after(lockout: SignInLockout) -> int:
    return max(1, math.ceil((lockout.locked_until - timezone.now()).total_seconds()))


def refusal(lockout: SignInLockout) -> str:
    """The sentence a person sees on the login page while locked out."""
    what = (
        "for this account"
        if lockout.kind == SignInLockout.Kind.ACCOUNT
        else "from your network address"
    )
    return (
        f"Too many wrong passwords {what}. Try again {wait_text(lockout)}, "
        "or ask an administrator to lift the lockout."
    )
