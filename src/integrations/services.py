"""The one write path for webhooks: configure, switch off, delete, re-send.

Pages and the API both call these functions, which ask the permission module first (managers
of the hook's organisation, administrators any) and check the target address, so neither can
store a hook that points into the server's own network.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from common import permissions

from .addresses import resolve
from .events import enqueue
from .models import EVENTS, Delivery, Webhook

NAME_LENGTH = 100


def _check_may_manage(actor: User, organization: Organization | None) -> None:
    if not permissions.can_manage_webhooks(actor, organization):
        raise PermissionDenied("You may not manage this organisation's webhooks.")


def clean(name: str, url: str, events: list[str]) -> tuple[str, str, list[str]]:
    """Field messages for every problem at once (400 in the API, errors on the page)."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Give the hook a name."
    elif len(name) > NAME_LENGTH:
        errors["name"] = f"At most {NAME_LENGTH} characters."
    unknown = [e for e in events or [] if e not in EVENTS]
    if not events:
        errors["events"] = "Choose at least one event."
    elif unknown:
        errors["events"] = f"Unknown event: {', '.join(map(str, unknown))}."
    url = (url or "").strip()
    if len(url) > 500:
        errors["url"] = "At most 500 characters."
    else:
        try:
            resolve(url)
        except ValidationError as exc:
            errors["url"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    return name, url, sorted(set(events))


@transaction.atomic
def create_webhook(
    actor: User,
    organization: Organization | None,
    *,
    name: str,
    url: str,
    events: list[str],
    active: bool = True,
) -> tuple[Webhook, str]:
    """A new hook and its secret — the only time the secret is handed out."""
    _check_may_manage(actor, organization)
    name, url, events = clean(name, url, events)
    secret = secrets.token_hex(32)
    hook = Webhook.objects.create(
        organization=organization,
        name=name,
        url=url,
        events=events,
        active=active,
        secret=secret,
        created_by=actor,
    )
    return hook, secret


@transaction.atomic
def update_webhook(actor: User, hook: Webhook, **changes: Any) -> Webhook:
    """Change name, URL, events or the active flag; the address is checked again."""
    _check_may_manage(actor, hook.organization)
    name, url, events = clean(
        changes.get("name", hook.name),
        changes.get("url", hook.url),
        changes.get("events", hook.events),
    )
    hook.name, hook.url, hook.events = name, url, events
    if "active" in changes:
        hook.active = bool(changes["active"])
    hook.save()
    return hook


@transaction.atomic
def rotate_secret(actor: User, hook: Webhook) -> str:
    """A new secret (shown once); deliveries from now on are signed with it."""
    _check_may_manage(actor, hook.organization)
    hook.secret = secrets.token_hex(32)
    hook.save(update_fields=["secret", "updated_at"])
    return hook.secret


@transaction.atomic
def delete_webhook(actor: User, hook: Webhook) -> None:
    _check_may_manage(actor, hook.organization)
    hook.delete()


def resend(actor: User, delivery: Delivery) -> Delivery:
    """Send a delivery's body again, as a new delivery (new id, fresh signature and attempts)."""
    hook = delivery.webhook
    _check_may_manage(actor, hook.organization)
    if not hook.active:
        raise ValidationError({"webhook": "The hook is switched off; switch it on to re-send."})
    again = Delivery(
        webhook=hook,
        event=delivery.event,
        work_item_id=delivery.work_item_id,
        body=delivery.body,
        resent_from=delivery,
        next_attempt_at=timezone.now(),
    )
    (created,) = enqueue([again])
    return created
