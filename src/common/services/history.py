"""Explicit change history for work items.

Services write history themselves (not through save signals), so one logical change — a move
with its subtree, a cascade delete — becomes exactly one record per item, with the acting user
and a reason, in a single bulk insert.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from common.id_lists import ids_in
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


def record_current(item_ids: Sequence[int], kind: str, actor, reason: str = "") -> None:
    """Like `record`, for items whose rows already hold the state to record (a bulk load right
    after its inserts): one INSERT … SELECT per call instead of building a record per item."""
    if not item_ids:
        return
    history_model = WorkItem.history.model
    columns = [field.column for field in history_model.tracked_fields]
    user = actor if actor is not None and actor.is_authenticated else None
    ids_sql, ids_params = ids_in(item_ids)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    sql = (
        f"INSERT INTO {quote(history_model._meta.db_table)} ({names}, history_date, "
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join('w.' + quote(c) for c in columns)}, %s, %s, %s, %s "
        f"FROM {quote(WorkItem._meta.db_table)} w WHERE w.id IN ({ids_sql}) ORDER BY w.id"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, reason[:100], kind, user.pk if user else None, *ids_params])
    announce(kind, list(item_ids), None)
