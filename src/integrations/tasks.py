"""Background work of outgoing webhooks: one attempt per task, and a sweep for due retries."""

from __future__ import annotations

from celery import current_app, shared_task
from django.utils import timezone

from .delivery import attempt, claim
from .models import Delivery


@shared_task
def deliver_webhook(delivery_id: int) -> str:
    """Try a delivery once; a retry is scheduled with its backoff (or left to the sweep)."""
    delivery = claim(delivery_id)
    if delivery is None:
        return "not due"
    logged = attempt(delivery)
    if delivery.state == Delivery.State.RETRYING and not current_app.conf.task_always_eager:
        wait = max(0, int((delivery.next_attempt_at - timezone.now()).total_seconds()))
        deliver_webhook.apply_async((delivery.pk,), countdown=wait)
    return f"attempt {logged.number}: {delivery.state}"


@shared_task
def retry_due_webhooks(limit: int = 500) -> int:
    """Every minute: deliveries whose time has come (a lost retry, a restarted worker, or
    running without a broker, where retries cannot wait in a queue)."""
    due = Delivery.objects.filter(
        state__in=[Delivery.State.PENDING, Delivery.State.RETRYING],
        next_attempt_at__lte=timezone.now(),
    ).values_list("pk", flat=True)[:limit]
    sent = 0
    for pk in list(due):
        if claim(pk) is not None:
            Delivery.objects.filter(pk=pk).update(next_attempt_at=None)
            deliver_webhook.delay(pk)
            sent += 1
    return sent
