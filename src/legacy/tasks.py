"""Background work of the cut-over: applying dual-write entries."""

from celery import shared_task

from .dualwrite import apply_pending


@shared_task
def apply_dual_writes() -> dict[str, int]:
    """Apply waiting entries right after the change that queued them."""
    return apply_pending()


@shared_task
def retry_dual_writes() -> dict[str, int]:
    """Hourly: apply anything still waiting and retry failures (up to a day of attempts)."""
    return apply_pending(retry_failed=True, limit=5000)
