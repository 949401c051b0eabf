"""A live self-check of the checklist's calendar feed, through the whole running configuration.

The request goes through Django's full handler (middleware, URLs, authentication by token,
permissions, the feed itself) with the settings in force, as an administrator would send it with
`curl -H "Authorization: Token …"`. The token it uses exists only inside a transaction that is
rolled back, so the check leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.test import Client

from accounts.models import ApiToken, User
from obcms.flags import flag

FEED_URL = "/oobc-management/calendar/work-items/feed/"
ALL_TYPES = {"project", "sub_project", "activity", "sub_activity", "task", "subtask"}


class SelfCheckFailed(RuntimeError):
    """The feed did not answer as it must; the message says what it did instead."""


@dataclass(frozen=True)
class FeedAnswer:
    username: str
    events: int
    types: set[str]
    milliseconds: float


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host not in ("*", "") and not host.startswith("."):
            return host
        if host.startswith("."):
            return "www" + host
    return "localhost"


def _administrator() -> User:
    user = (
        User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
        or User.objects.filter(is_active=True, is_staff=True).order_by("pk").first()
    )
    if user is None:
        raise SelfCheckFailed("no active administrator to ask as (run: manage.py ensure_admin)")
    return user


def check_feed(today: dt.date | None = None) -> FeedAnswer:
    """Ask the feed for a year around today, first without and then with a token."""
    today = today or dt.date.today()
    window = {
        "start": (today - dt.timedelta(days=183)).isoformat(),
        "end": (today + dt.timedelta(days=183)).isoformat(),
    }
    client = Client(HTTP_HOST=_host())
    secure = bool(settings.SECURE_SSL_REDIRECT)
    with transaction.atomic():
        anonymous = client.get(FEED_URL, window, secure=secure)
        if anonymous.status_code != 401:
            raise SelfCheckFailed(f"without a token the feed answered {anonymous.status_code}")
        user = _administrator()
        _, raw = ApiToken.issue(user, name="deployment self-check")
        started = time.perf_counter()
        answer = client.get(
            FEED_URL, window, secure=secure, headers={"Authorization": f"Token {raw}"}
        )
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    if answer.status_code != 200:
        raise SelfCheckFailed(f"with a token the feed answered {answer.status_code}")
    try:
        events = json.loads(answer.content)
    except ValueError:
        raise SelfCheckFailed("the feed's answer is not JSON") from None
    if not isinstance(events, list):
        raise SelfCheckFailed(f"the feed answered a JSON {type(events).__name__}, not an array")
    types = {e.get("extendedProps", {}).get("workType") for e in events} - {None}
    unexpected = types - (
        ALL_TYPES if flag("USE_UNIFIED_CALENDAR") else {"activity", "sub_activity"}
    )
    if unexpected:
        raise SelfCheckFailed(
            f"the feed shows types the calendar flag excludes: {sorted(unexpected)}"
        )
    return FeedAnswer(user.username, len(events), types, elapsed)
