"""Bookkeeping of items that came from the old system.

The migration creates items with `bulk_create_items` and edits them with `update_work_item` like
any other writer; this module holds the one write those cannot express: refreshing the read-only
copy of the old record's leftover fields (`legacy_data`). It is not a change a person made, so it
raises no version and writes no history.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from common.models import WorkItem


@transaction.atomic
def refresh_legacy_data(data_by_item: dict[int, dict[str, Any]]) -> int:
    items = list(WorkItem.objects.filter(pk__in=data_by_item).only("pk", "legacy_data"))
    changed = [i for i in items if i.legacy_data != data_by_item[i.pk]]
    for item in changed:
        item.legacy_data = data_by_item[item.pk]
    WorkItem.objects.bulk_update(changed, ["legacy_data"], batch_size=2000)
    return len(changed)
