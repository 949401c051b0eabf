"""Personal ICS subscription addresses: issue, look up, revoke."""

from __future__ import annotations

import hashlib
import secrets

from django.http import QueryDict
from django.utils import timezone

from common.models import CalendarSubscription

from .params import parse

#: Feed parameters a subscription may be bound to (the window is always "a year back, two ahead").
BINDABLE = (
    "type",
    "include_subtypes",
    "status",
    "priority",
    "assignee",
    "team",
    "organisation",
    "q",
    "include_completed",
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user, name: str, query: QueryDict) -> tuple[CalendarSubscription, str]:
    """Create a subscription bound to the given filters; returns it with its secret token.

    Raises params.ParameterError for filters the feed would refuse.
    """
    filters = {key: query.getlist(key) for key in BINDABLE if query.getlist(key)}
    parse(_as_query(filters), require_window=False)  # refuse what the feed would refuse
    token = secrets.token_urlsafe(32)
    subscription = CalendarSubscription.objects.create(
        user=user,
        name=name.strip()[:100] or "My calendar",
        token_hash=_hash(token),
        hint=token[:8],
        filters=filters,
    )
    return subscription, token


def _as_query(filters: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(key, list(values))
    return query


def find(token: str) -> CalendarSubscription | None:
    """The active subscription of an active user for `token`, or None."""
    subscription = (
        CalendarSubscription.objects.select_related("user", "user__organization")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if subscription is not None and (
        subscription.last_used_at is None
        or (timezone.now() - subscription.last_used_at).total_seconds() > 300
    ):
        CalendarSubscription.objects.filter(pk=subscription.pk).update(last_used_at=timezone.now())
    return subscription


def query_of(subscription: CalendarSubscription) -> QueryDict:
    return _as_query(subscription.filters)


def revoke(subscription: CalendarSubscription) -> None:
    CalendarSubscription.objects.filter(pk=subscription.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
