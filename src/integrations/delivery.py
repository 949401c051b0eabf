"""Sending one delivery: sign, check the address again, POST, log the attempt, plan the next.

Every attempt is signed afresh with the current time (`X-OBCMS-Timestamp`), so a receiver can
refuse anything older than its replay window and a retry an hour later still passes; the
delivery id (`X-OBCMS-Delivery`) stays the same across retries so a receiver can drop
duplicates. Failures worth retrying (5xx, 429, timeouts, refused connections) are tried again
with exponential backoff; other answers (4xx, redirects) and refused addresses are final.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .addresses import Target, resolve
from .models import Attempt, Delivery

log = logging.getLogger(__name__)
USER_AGENT = "OBCMS-Webhooks/1"
EXCERPT = 500


@dataclass
class Outcome:
    status_code: int | None = None
    duration_ms: int = 0
    excerpt: str = ""
    error: str = ""
    retry: bool = False
    retry_after: int | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` + hex HMAC-SHA256 of "<timestamp>.<body>" with the hook's secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def backoff(attempt: int, retry_after: int | None = None) -> int:
    """Seconds to wait after failed attempt number `attempt` (1, 2, …): base × 2^(n-1), capped;
    a longer Retry-After from the receiver is honoured up to the cap."""
    wait = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1)
    if retry_after:
        wait = max(wait, retry_after)
    return min(wait, settings.WEBHOOK_BACKOFF_MAX_SECONDS)


def claim(delivery_id: int) -> Delivery | None:
    """Take a due delivery for one attempt, so two workers (a retry and the sweep) never send it
    twice at once: the claim moves its next time past the attempt's longest duration."""
    now = timezone.now()
    lease = now + timezone.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 30)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    taken = Delivery.objects.filter(
        due,
        pk=delivery_id,
        state__in=[Delivery.State.PENDING, Delivery.State.RETRYING],
    ).update(next_attempt_at=lease)
    if not taken:
        return None
    return Delivery.objects.select_related("webhook").get(pk=delivery_id)


def attempt(delivery: Delivery) -> Attempt:
    """One attempt: send, record, and set the delivery's state and next time."""
    hook = delivery.webhook
    number = delivery.attempts + 1
    if not hook.active:
        outcome = Outcome(error="The hook was switched off; not sent.")
    else:
        outcome = send(hook.url, hook.secret, delivery)
    with transaction.atomic():
        logged = Attempt.objects.create(
            delivery=delivery,
            number=number,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            response_excerpt=outcome.excerpt[:EXCERPT],
            error=outcome.error[:300],
        )
        delivery.attempts = number
        if outcome.ok:
            delivery.state, delivery.next_attempt_at = Delivery.State.DELIVERED, None
        elif outcome.retry and number < settings.WEBHOOK_MAX_ATTEMPTS:
            wait = backoff(number, outcome.retry_after)
            delivery.state = Delivery.State.RETRYING
            delivery.next_attempt_at = timezone.now() + timezone.timedelta(seconds=wait)
        else:
            delivery.state, delivery.next_attempt_at = Delivery.State.FAILED, None
        delivery.save(update_fields=["attempts", "state", "next_attempt_at"])
    return logged


def send(url: str, secret: str, delivery: Delivery) -> Outcome:
    """POST the delivery's body to `url`, connecting to the address that was just checked."""
    try:
        target = resolve(url)
    except ValidationError as exc:
        return Outcome(error=" ".join(exc.messages))
    body = delivery.body.encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Host": _host_header(target),
        "X-OBCMS-Event": delivery.event,
        "X-OBCMS-Delivery": str(delivery.uuid),
        "X-OBCMS-Timestamp": timestamp,
        "X-OBCMS-Signature": signature(secret, timestamp, body),
    }
    started = time.monotonic()
    pool = _pool(target)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=headers,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        raw = response.read(EXCERPT * 4, decode_content=True)
        response.release_conn()
    except urllib3.exceptions.NewConnectionError as exc:  # a subclass of the timeout error
        reason = str(exc).rsplit(": ", 1)[-1]
        return Outcome(
            duration_ms=_since(started), error=f"Could not connect: {reason}", retry=True
        )
    except urllib3.exceptions.TimeoutError:
        return Outcome(duration_ms=_since(started), error="No answer in time.", retry=True)
    except urllib3.exceptions.HTTPError as exc:
        return Outcome(duration_ms=_since(started), error=f"Could not connect: {exc}", retry=True)
    finally:
        pool.close()
    status = response.status
    outcome = Outcome(status, _since(started), raw.decode("utf-8", errors="replace")[:EXCERPT])
    if 300 <= status < 400:
        outcome.error = "Redirects are not followed; give the final address."
    outcome.retry = status >= 500 or status == 429
    if status == 429:
        outcome.retry_after = _seconds(response.headers.get("Retry-After"))
    return outcome


def _pool(target: Target) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(connect=5, read=settings.WEBHOOK_TIMEOUT_SECONDS)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            maxsize=1,
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, maxsize=1)


def _host_header(target: Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = {"http": 80, "https": 443}[target.scheme]
    return host if target.port == default else f"{host}:{target.port}"


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _seconds(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None
