"""Background jobs of the work item domain."""

from __future__ import annotations

import logging

from celery import shared_task

from .models import WorkItem
from .progress import recompute_trees

log = logging.getLogger(__name__)
BATCH = 200


@shared_task
def verify_rollups() -> int:
    """Recompute every roll-up from scratch, repair drift, and log what was wrong.

    Drift should never happen (every write recomputes along the path); this nightly check catches
    anything that bypassed the services, such as hand-made SQL or a restored partial backup.
    """
    roots = list(
        WorkItem.objects.filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    repaired = 0
    for start in range(0, len(roots), BATCH):
        fixed = recompute_trees(roots[start : start + BATCH])
        for item_id, value in fixed.items():
            log.warning("roll-up drift repaired: item %s progress now %s", item_id, value)
        repaired += len(fixed)
    log.info("roll-up verification: %s trees checked, %s items repaired", len(roots), repaired)
    return repaired
