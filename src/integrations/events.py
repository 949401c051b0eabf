"""From what happened to the events hooks hear: receivers of the core's and the conversation's
signals, and the payloads they become.

What changed is read inside the writing transaction (a deleted item is gone afterwards, and the
state before a change is only known then); the payload is built and the deliveries stored after
the transaction commits, so a write that rolls back is never announced and the item is
described as it finally is. When no organisation has an active hook, a write pays one query.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from common.models import WorkItem
from common.tree import ancestor_trails

from .models import Delivery, Webhook

#: History columns that are bookkeeping, not a change anyone made.
NOT_A_CHANGE = {"version", "id"}


def _anyone_listening() -> bool:
    return Webhook.objects.filter(active=True).exists()


def items_changed(sender, kind: str, item_ids: list[int], **kwargs) -> None:
    """`work_items_changed` receiver: created ("+"), changed or moved ("~"), deleted ("-").

    Creations and changes are looked at after commit (their history is stored by then), so the
    write path pays nothing when no hook listens; a deletion must be described while its rows
    still exist.
    """
    if not item_ids:
        return
    if kind in ("+", "~"):
        transaction.on_commit(partial(_created_or_changed, kind, list(item_ids)), robust=True)
    elif kind == "-" and _anyone_listening():
        described = describe(item_ids)  # the rows go at the end of the transaction
        events = [("item.deleted", pk, {}, _last_actor(pk)) for pk in item_ids]
        transaction.on_commit(partial(emit, events, described=described), robust=True)


def _created_or_changed(kind: str, item_ids: list[int]) -> None:
    if not _anyone_listening():
        return
    if kind == "+":
        emit([("item.created", pk, {}, _last_actor(pk)) for pk in item_ids])
    else:
        emit(
            [
                ("item.moved" if "parent_id" in change else "item.changed", pk, change, actor)
                for pk, (change, actor) in changes_of(item_ids).items()
            ]
        )


def commented(sender, comment, **kwargs) -> None:
    """`collaboration.signals.comment_posted` receiver (sent after commit)."""
    if not _anyone_listening():
        return
    url = _item_url(comment.work_item_id) + f"#comment-{comment.pk}"
    extra = {
        "comment": {
            "id": comment.pk,
            "author": comment.author.username if comment.author_id else None,
            "reply_to": comment.reply_to_id,
            "body": comment.body,
            "created_at": comment.created_at,
            "url": url,
        }
    }
    actor = (comment.author_id, comment.author.username) if comment.author_id else None
    transaction.on_commit(
        partial(emit, [("item.commented", comment.work_item_id, {}, actor)], extra=extra),
        robust=True,
    )


def attachment_added(sender, attachment, **kwargs) -> None:
    """`collaboration.signals.attachment_added` receiver (the attachment service sends it)."""
    if not _anyone_listening():
        return
    uploader = getattr(attachment, "uploaded_by", None)
    extra = {
        "attachment": {
            "id": attachment.pk,
            "name": getattr(attachment, "original_name", ""),
            "content_type": getattr(attachment, "content_type", ""),
            "size": getattr(attachment, "size", None),
            "comment": getattr(attachment, "comment_id", None),
        }
    }
    actor = (uploader.pk, uploader.username) if uploader is not None else None
    transaction.on_commit(
        partial(emit, [("item.attachment_added", attachment.work_item_id, {}, actor)], extra=extra),
        robust=True,
    )


def changes_of(item_ids: list[int]) -> dict[int, tuple[dict, tuple | None]]:
    """Per item, `{field: {"old", "new"}}` of the change just written, and who made it.

    The service that writes history records the new state right before it announces; a
    roll-up of progress announces without history. So: when the item equals its newest history
    record, the change is that record against the one before; otherwise it is the item against
    its newest record (and nobody in particular made it).
    """
    history = WorkItem.history.model
    fields = [f.attname for f in history.tracked_fields if f.attname not in NOT_A_CHANGE]
    rows = WorkItem.objects.filter(pk__in=item_ids).values("id", *fields)
    current = {row["id"]: row for row in rows}
    ranked = (
        history.objects.filter(id__in=item_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("id")], order_by=F("history_id").desc()))
        .filter(rank__lte=2)
        .values("id", "rank", "history_user_id", "history_user__username", *fields)
    )
    records: dict[int, dict[int, dict]] = {}
    for row in ranked:
        records.setdefault(row["id"], {})[row["rank"]] = row
    result = {}
    for pk in item_ids:
        now, kept = current.get(pk), records.get(pk, {})
        newest, before = kept.get(1), kept.get(2)
        if now is None:
            continue
        if newest is not None and all(now[f] == newest[f] for f in fields):
            actor = (newest["history_user_id"], newest["history_user__username"])
            change = _diff(before, newest, fields) if before is not None else {}
        else:
            actor = None
            change = _diff(newest, now, fields) if newest is not None else {}
        result[pk] = (change, actor if actor and actor[0] else None)
    return result


def _diff(old: dict, new: dict, fields: list[str]) -> dict[str, dict[str, Any]]:
    return {f: {"old": old[f], "new": new[f]} for f in fields if old[f] != new[f]}


def _last_actor(pk: int) -> tuple | None:
    row = (
        WorkItem.history.filter(id=pk, history_user__isnull=False)
        .order_by("-history_id")
        .values_list("history_user_id", "history_user__username")
        .first()
    )
    return tuple(row) if row else None


def _item_url(pk: int) -> str:
    return settings.SITE_URL + reverse("common:detail", args=[pk])


def describe(item_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The item part of payloads: id, title, type, status, path (root first) and address."""
    items = list(
        WorkItem.objects.filter(pk__in=item_ids).values(
            "id", "title", "work_type", "status", "parent_id", "organization_id"
        )
    )
    trails = ancestor_trails([i["parent_id"] for i in items if i["parent_id"]])
    return {
        i["id"]: {
            "id": i["id"],
            "title": i["title"],
            "type": i["work_type"],
            "status": i["status"],
            "parent": i["parent_id"],
            "path": [title for _, title in trails.get(i["parent_id"], [])],
            "url": _item_url(i["id"]),
            "organization": i["organization_id"],
        }
        for i in items
    }


def emit(
    events: list[tuple[str, int, dict, tuple | None]],
    *,
    described: dict[int, dict] | None = None,
    extra: dict | None = None,
) -> list[Delivery]:
    """Store one delivery per event and subscribed hook, then hand them to the worker."""
    if not events:
        return []
    items = described if described is not None else describe([pk for _, pk, _, _ in events])
    organizations = {item["organization"] for item in items.values()}
    hooks = [
        hook
        for hook in Webhook.objects.filter(organization_id__in=organizations, active=True)
        if hook.events
    ]
    if not hooks:
        return []
    occurred = timezone.now()
    moved_from = ancestor_trails(
        [c["parent_id"]["old"] for _, _, c, _ in events if c.get("parent_id", {}).get("old")]
    )
    deliveries = []
    for event, pk, change, actor in events:
        item = items.get(pk)
        if item is None:
            continue
        body = _body(event, item, change, actor, occurred, extra or {}, moved_from)
        deliveries += [
            Delivery(
                webhook=hook, event=event, work_item_id=pk, body=body, next_attempt_at=occurred
            )
            for hook in hooks
            if hook.organization_id == item["organization"] and event in hook.events
        ]
    return enqueue(deliveries)


def _body(event, item, change, actor, occurred, extra, moved_from) -> str:
    item = {k: v for k, v in item.items() if k != "organization"}
    if event == "item.moved":
        old_parent = change["parent_id"]["old"]
        change = {**change, "old_path": [t for _, t in moved_from.get(old_parent, [])]}
    payload = {
        "event": event,
        "occurred_at": occurred,
        "actor": {"id": actor[0], "username": actor[1]} if actor else None,
        "item": item,
        "change": change,
        **extra,
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def enqueue(deliveries: list[Delivery]) -> list[Delivery]:
    """Store deliveries and start each after the storing transaction commits."""
    if not deliveries:
        return []
    from .tasks import deliver_webhook

    with transaction.atomic():
        created = Delivery.objects.bulk_create(deliveries)
        ids = [d.pk for d in created] if all(d.pk for d in created) else _ids_of(created)
        for pk in ids:
            transaction.on_commit(partial(deliver_webhook.delay, pk), robust=True)
    return created


def _ids_of(created: list[Delivery]) -> list[int]:
    return list(
        Delivery.objects.filter(uuid__in=[d.uuid for d in created]).values_list("pk", flat=True)
    )
