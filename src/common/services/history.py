"""Explicit change history for work items.

Services write history themselves (not through save signals), so one logical change — a move
with its subtree, a cascade delete — becomes exactly one record per item, with the acting user
and a reason, in a single bulk insert.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from common.models import WorkItem
from common.signals import announce

CREATED, CHANGED, DELETED = "+", "~", "-"


def record(items: Sequence[WorkItem], kind: str, actor, reason: str = "") -> None:
    if not items:
        return
    history_model = WorkItem.history.model
    now = timezone.now()
    user = actor if actor is not None and actor.is_authenticated else None
    rows = [
        history_model(
            history_date=now,
            history_user=user,
            history_change_reason=reason[:100],
            history_type=kind,
            **{
                field.attname: getattr(item, field.attname)
                for field in history_model.tracked_fields
            },
        )
        for item in items
    ]
    history_model.objects.bulk_create(rows)
    deleted = (
        [(i.pk, i.legacy_source, i.legacy_id) for i in items if i.legacy_source]
        if kind == DELETED
        else None
    )
    announce(kind, [item.pk for item in items], deleted)
