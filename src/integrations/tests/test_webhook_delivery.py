"""Deliveries reach a real local server, signed; failures back off; addresses are re-checked."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.utils import timezone

from collaboration.services import post_comment
from common.services import delete_work_item, move_work_item, update_work_item
from integrations import services
from integrations.models import Delivery
from integrations.tasks import deliver_webhook, retry_due_webhooks
from testing.builders import item

ALL = ["item.created", "item.changed", "item.moved", "item.deleted", "item.commented"]


@pytest.fixture
def hook(cast, receiver):
    created, secret = services.create_webhook(
        cast.manager, cast.office, name="Reporting system", url=receiver.url, events=ALL
    )
    created.plain_secret = secret
    return created


def test_a_new_item_is_delivered_signed_to_the_receiving_server(
    cast, hook, receiver, django_capture_on_commit_callbacks
):
    project = item("project", "Water system", organization=cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        task = item("task", "Survey households", parent=project, actor=cast.manager)
    (request,) = receiver.requests
    assert request.path == "/hooks/obcms"
    assert request.signed_with(hook.plain_secret)
    assert not request.signed_with("another secret")
    assert request.headers["X-OBCMS-Event"] == "item.created"
    assert abs(int(request.headers["X-OBCMS-Timestamp"]) - timezone.now().timestamp()) < 60
    payload = request.payload
    assert payload["event"] == "item.created"
    assert payload["actor"] == {"id": cast.manager.pk, "username": "marco"}
    assert payload["item"]["id"] == task.pk and payload["item"]["type"] == "task"
    assert payload["item"]["path"] == ["Water system"]
    assert payload["item"]["url"].endswith(f"/oobc-management/work-items/{task.pk}/")
    delivery = Delivery.objects.get(uuid=request.headers["X-OBCMS-Delivery"])
    assert delivery.state == "delivered"
    (attempt,) = delivery.log.all()
    assert (attempt.number, attempt.status_code, attempt.response_excerpt) == (1, 200, "ok")


def test_changes_moves_deletions_and_comments_are_each_their_event(
    cast, hook, receiver, django_capture_on_commit_callbacks
):
    first = item("project", "First", organization=cast.office)
    second = item("project", "Second", organization=cast.office)
    task = item("task", "Book the venue", parent=first)
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(cast.manager, task, title="Book the hall")
    with django_capture_on_commit_callbacks(execute=True):
        move_work_item(cast.manager, task, parent=second)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(cast.staff, task, "Hall confirmed for **Monday**.")
    with django_capture_on_commit_callbacks(execute=True):
        delete_work_item(cast.manager, task)
    by_event = {r.payload["event"]: r.payload for r in receiver.requests}
    changed = by_event["item.changed"]
    assert changed["change"]["title"] == {"old": "Book the venue", "new": "Book the hall"}
    moved = by_event["item.moved"]
    assert moved["change"]["parent_id"] == {"old": first.pk, "new": second.pk}
    assert moved["change"]["old_path"] == ["First"] and moved["item"]["path"] == ["Second"]
    commented = by_event["item.commented"]
    assert commented["comment"]["author"] == "sofia"
    assert commented["comment"]["url"].endswith(f"#comment-{commented['comment']['id']}")
    deleted = by_event["item.deleted"]
    assert deleted["item"]["title"] == "Book the hall" and deleted["item"]["path"] == ["Second"]


def test_a_hook_hears_only_its_own_organisations_events_it_chose(
    cast, hook, receiver, django_capture_on_commit_callbacks
):
    services.update_webhook(cast.manager, hook, events=["item.deleted"])
    with django_capture_on_commit_callbacks(execute=True):
        item("task", "Not announced", organization=cast.office)
        item("task", "Partner's", organization=cast.partner)
    assert receiver.requests == [] and not Delivery.objects.exists()


def _one_delivery(cast, receiver, django_capture_on_commit_callbacks) -> Delivery:
    with django_capture_on_commit_callbacks(execute=True):
        item("task", "Call the MAO", organization=cast.office)
    return Delivery.objects.get()


def test_server_errors_are_retried_with_exponential_backoff_until_delivered(
    cast, hook, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [(503, "busy", {}), (500, "x" * 2000, {})]
    delivery = _one_delivery(cast, receiver, django_capture_on_commit_callbacks)
    assert (delivery.state, delivery.attempts) == ("retrying", 1)
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < wait <= 30  # the first backoff
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert delivery.state == "retrying" and 55 < wait <= 60  # doubled
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert retry_due_webhooks() == 1  # the sweep picks it up
    delivery.refresh_from_db()
    assert delivery.state == "delivered"
    log = list(delivery.log.all())
    assert [a.status_code for a in log] == [503, 500, 200]
    assert len(log[1].response_excerpt) == 500
    ids = {r.headers["X-OBCMS-Delivery"] for r in receiver.requests}
    assert ids == {str(delivery.uuid)}  # retries keep their delivery id


def test_a_delivery_that_is_not_due_is_not_sent_twice(
    cast, hook, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [(502, "", {})]
    delivery = _one_delivery(cast, receiver, django_capture_on_commit_callbacks)
    assert deliver_webhook(delivery.pk) == "not due"
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(("status", "state"), [(404, "failed"), (410, "failed"), (429, "retrying")])
def test_client_errors_are_final_except_too_many_requests(
    cast, hook, receiver, django_capture_on_commit_callbacks, status, state
):
    receiver.answers = [(status, "no", {"Retry-After": "120"})]
    delivery = _one_delivery(cast, receiver, django_capture_on_commit_callbacks)
    assert delivery.state == state
    if status == 429:  # the receiver asked for two minutes
        assert (delivery.next_attempt_at - timezone.now()).total_seconds() > 100


def test_a_connection_that_fails_is_retried(
    cast, hook, settings, django_capture_on_commit_callbacks
):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    hook.url = f"http://127.0.0.1:{port}/"
    hook.save()
    with django_capture_on_commit_callbacks(execute=True):
        item("task", "Nobody listens", organization=cast.office)
    delivery = Delivery.objects.get()
    assert delivery.state == "retrying"
    assert "Could not connect" in delivery.log.get().error


def test_the_address_is_checked_again_at_delivery_time(
    cast, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    answers = {"hooks.example.org": "93.184.216.34"}
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    services.create_webhook(
        cast.manager,
        cast.office,
        name="Rebinding",
        url="http://hooks.example.org/in",
        events=["item.created"],
    )
    answers["hooks.example.org"] = "127.0.0.1"  # the name now points at the server itself
    with django_capture_on_commit_callbacks(execute=True):
        item("task", "Must not reach localhost", organization=cast.office)
    delivery = Delivery.objects.get()
    assert delivery.state == "failed" and receiver.requests == []
    assert "127.0.0.1" in delivery.log.get().error


def test_a_resend_is_a_new_delivery_with_the_same_body(
    cast, hook, receiver, django_capture_on_commit_callbacks
):
    delivery = _one_delivery(cast, receiver, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.resend(cast.manager, delivery)
    again.refresh_from_db()
    assert again.state == "delivered" and again.resent_from == delivery
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["X-OBCMS-Delivery"] != second.headers["X-OBCMS-Delivery"]
    assert second.signed_with(hook.plain_secret)


def test_a_switched_off_hook_is_not_sent_to(
    cast, hook, receiver, django_capture_on_commit_callbacks
):
    services.update_webhook(cast.manager, hook, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        item("task", "Quiet", organization=cast.office)
    assert receiver.requests == [] and not Delivery.objects.exists()


def test_an_attachment_added_is_delivered(
    cast, receiver, settings, tmp_path, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from collaboration.attachments import attach_files

    settings.MEDIA_ROOT = tmp_path / "media"
    services.create_webhook(
        cast.manager,
        cast.office,
        name="Files",
        url=receiver.url,
        events=["item.attachment_added"],
    )
    task = item("task", "Site photos", organization=cast.office, assignees=[cast.staff])
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 30)).save(out, "PNG")
    upload = SimpleUploadedFile("site.png", out.getvalue(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        (stored,) = attach_files(cast.staff, task, [upload])
    (request,) = receiver.requests
    payload = request.payload
    assert payload["event"] == "item.attachment_added"
    assert payload["attachment"]["id"] == stored.pk and payload["attachment"]["name"] == "site.png"
    assert payload["actor"]["username"] == "sofia" and payload["item"]["id"] == task.pk
