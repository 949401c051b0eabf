"""Changes applied to many items at once, each through the single-item service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from common.models import Status, WorkItem

from .errors import VersionConflict
from .items import update_work_item


@dataclass(frozen=True)
class BulkResult:
    """The outcome for one item: `ok`, or the reason it was left unchanged."""

    item_id: int
    ok: bool
    error: str = ""


def bulk_update(
    actor: User | None, item_id: int, reason: str = "bulk change", **changes
) -> BulkResult:
    """Apply `changes` to one item in its own savepoint; report instead of raising."""
    try:
        with transaction.atomic():
            update_work_item(actor, item_id, reason=reason, **changes)
    except WorkItem.DoesNotExist:
        return BulkResult(item_id, False, "No such item.")
    except (PermissionDenied, VersionConflict) as exc:
        return BulkResult(item_id, False, str(exc))
    except ValidationError as exc:
        return BulkResult(item_id, False, " ".join(exc.messages))
    return BulkResult(item_id, True)


def bulk_set_status(actor: User | None, item_ids: Iterable[int], status: str) -> list[BulkResult]:
    """Set `status` on each item; an item that fails keeps its state and the others proceed.

    Every item runs in its own savepoint through `update_work_item`, so roll-up, history and
    permissions behave exactly as for a single edit.
    """
    if status not in Status.values:
        raise ValidationError({"status": f"“{status}” is not a status."})
    return [
        bulk_update(actor, item_id, reason="bulk status change", status=status)
        for item_id in dict.fromkeys(item_ids)
    ]
