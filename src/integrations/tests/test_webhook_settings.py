"""Managers configure their organisation's webhooks (page and API); nobody else sees them."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.roles import MANAGER
from integrations import services
from integrations.models import Delivery, Webhook
from testing.builders import item
from testing.cast import make_user

API = "/api/v1/webhooks/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_manager_adds_a_hook_and_sees_its_secret_only_once(cast, receiver):
    answer = api(cast.manager).post(
        API, {"name": "Reports", "url": receiver.url, "events": ["item.created"]}, format="json"
    )
    assert answer.status_code == 201, answer.content
    secret = answer.json()["secret"]
    assert len(secret) == 64 and answer.json()["organization"] == cast.office.pk
    listed = api(cast.manager).get(API).json()["results"]
    assert [h["name"] for h in listed] == ["Reports"]
    assert "secret" not in listed[0]
    one = api(cast.manager).get(f"{API}{listed[0]['id']}/").json()
    assert "secret" not in one and secret not in str(one)


def test_bad_input_is_answered_with_field_messages(cast, receiver):
    answer = api(cast.manager).post(
        API, {"name": "", "url": "ftp://example.org/", "events": ["item.exploded"]}, format="json"
    )
    assert answer.status_code == 400
    assert set(answer.json()) >= {"name", "events"}
    answer = api(cast.manager).post(
        API, {"name": "X", "url": "ftp://example.org/", "events": ["item.created"]}, format="json"
    )
    assert answer.status_code == 400 and "http" in str(answer.json()["url"])
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/hook",
        "http://localhost/hook",  # a name that resolves to 127.0.0.1
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_addresses_inside_private_networks_are_refused(cast, receiver, url):
    # 127.0.0.1 itself is allowed in these tests; nothing else is.
    answer = api(cast.manager).post(
        API, {"name": "Inside", "url": url, "events": ["item.created"]}, format="json"
    )
    assert answer.status_code == 400
    assert "WEBHOOK_ALLOWED_HOSTS" in str(answer.json()["url"])


def test_changing_the_address_checks_it_again(cast, receiver):
    hook, _ = services.create_webhook(
        cast.manager, cast.office, name="Reports", url=receiver.url, events=["item.created"]
    )
    answer = api(cast.manager).patch(
        f"{API}{hook.pk}/", {"url": "http://169.254.169.254/"}, format="json"
    )
    assert answer.status_code == 400
    answer = api(cast.manager).patch(f"{API}{hook.pk}/", {"active": False}, format="json")
    assert answer.status_code == 200 and answer.json()["active"] is False


def test_people_of_another_organisation_neither_see_nor_change_a_hook(cast, receiver):
    hook, _ = services.create_webhook(
        cast.manager, cast.office, name="Reports", url=receiver.url, events=["item.created"]
    )
    partner_manager = make_user("pia", cast.partner, MANAGER)
    for person in (partner_manager, cast.partner_staff, cast.staff, cast.viewer):
        client = api(person)
        assert client.get(API).json()["results"] == []
        assert client.get(f"{API}{hook.pk}/").status_code == 404
        assert client.patch(f"{API}{hook.pk}/", {"name": "Mine"}, format="json").status_code == 404
        assert client.delete(f"{API}{hook.pk}/").status_code == 404
        assert client.get(f"{API}{hook.pk}/deliveries/").status_code == 404
    answer = api(partner_manager).post(
        API,
        {
            "organization": cast.office.pk,
            "name": "Planted",
            "url": receiver.url,
            "events": ["item.created"],
        },
        format="json",
    )
    assert answer.status_code == 400 and "organization" in answer.json()
    assert Webhook.objects.get().name == "Reports"


def test_an_administrator_manages_any_organisations_hooks(cast, receiver):
    answer = api(cast.administrator).post(
        API,
        {
            "organization": cast.partner.pk,
            "name": "Ministry feed",
            "url": receiver.url,
            "events": ["item.deleted"],
        },
        format="json",
    )
    assert answer.status_code == 201
    assert Webhook.objects.get().organization == cast.partner


def test_the_delivery_log_and_resend_through_the_api(
    cast, receiver, django_capture_on_commit_callbacks
):
    hook, _ = services.create_webhook(
        cast.manager, cast.office, name="Reports", url=receiver.url, events=["item.created"]
    )
    receiver.answers = [(500, "oops", {})]
    with django_capture_on_commit_callbacks(execute=True):
        item("task", "Logged", organization=cast.office)
    (entry,) = api(cast.manager).get(f"{API}{hook.pk}/deliveries/").json()["results"]
    assert entry["state"] == "retrying"
    assert entry["log"][0]["status_code"] == 500 and entry["log"][0]["response_excerpt"] == "oops"
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(cast.manager).post(f"{API}{hook.pk}/deliveries/{entry['id']}/resend/")
    assert answer.status_code == 202 and answer.json()["resent_from"] == entry["id"]
    assert Delivery.objects.get(pk=answer.json()["id"]).state == "delivered"


def test_the_webhooks_page_adds_a_hook_shows_the_log_and_resends(
    cast, receiver, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(cast.manager)
    page = client.post(
        "/integrations/webhooks/",
        {"name": "Dashboard feed", "url": receiver.url, "events": ["item.created"], "active": "on"},
        follow=True,
    )
    hook = Webhook.objects.get()
    assert page.redirect_chain == [(f"/integrations/webhooks/{hook.pk}/", 302)]
    assert hook.secret in page.content.decode()  # shown this once
    assert hook.secret not in client.get(f"/integrations/webhooks/{hook.pk}/").content.decode()
    assert hook.secret not in client.get("/integrations/webhooks/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        item("task", "On the page", organization=cast.office)
    detail = client.get(f"/integrations/webhooks/{hook.pk}/").content.decode()
    assert "HTTP 200" in detail and "item.created" in detail
    assert hook.secret not in detail
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/integrations/webhooks/{hook.pk}/deliveries/{delivery.pk}/resend/")
    assert answer.status_code == 302 and len(receiver.requests) == 2


def test_the_page_refuses_a_private_address_with_a_message(cast, receiver):
    client = Client()
    client.force_login(cast.manager)
    page = client.post(
        "/integrations/webhooks/",
        {"name": "Metadata", "url": "http://169.254.169.254/", "events": ["item.created"]},
    )
    assert page.status_code == 400 and "link-local" in page.content.decode()
    assert not Webhook.objects.exists()


def test_staff_and_viewers_have_no_webhooks_page(cast):
    for person in (cast.staff, cast.viewer, cast.partner_staff):
        client = Client()
        client.force_login(person)
        assert client.get("/integrations/webhooks/").status_code == 404


def test_a_manager_rotates_the_secret_through_the_api_and_deliveries_use_the_new_one(
    cast, receiver, django_capture_on_commit_callbacks
):
    hook, old = services.create_webhook(
        cast.manager, cast.office, name="Reports", url=receiver.url, events=["item.created"]
    )
    answer = api(cast.manager).post(f"{API}{hook.pk}/secret/")
    assert answer.status_code == 200, answer.content
    new = answer.json()["secret"]
    assert len(new) == 64 and new != old and answer.json()["id"] == hook.pk
    assert new not in str(api(cast.manager).get(f"{API}{hook.pk}/").json())  # shown once
    with django_capture_on_commit_callbacks(execute=True):
        item("task", "After the rotation", organization=cast.office)
    (received,) = receiver.requests
    assert received.signed_with(new) and not received.signed_with(old)


def test_nobody_outside_the_hooks_managers_can_rotate_its_secret(cast, receiver):
    hook, secret = services.create_webhook(
        cast.manager, cast.office, name="Reports", url=receiver.url, events=["item.created"]
    )
    partner_manager = make_user("pia", cast.partner, MANAGER)
    for person in (partner_manager, cast.partner_staff, cast.staff, cast.viewer):
        answer = api(person).post(f"{API}{hook.pk}/secret/")
        assert answer.status_code == 404
        assert secret not in answer.content.decode()
    hook.refresh_from_db()
    assert hook.secret == secret


def test_the_page_shows_a_rotated_secret_once_and_a_reload_neither_shows_nor_rotates_it(
    cast, receiver
):
    hook, old = services.create_webhook(
        cast.manager, cast.office, name="Reports", url=receiver.url, events=["item.created"]
    )
    client = Client()
    client.force_login(cast.manager)
    page = client.post(f"/integrations/webhooks/{hook.pk}/secret/", follow=True)
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret in page.content.decode()
    assert page.redirect_chain == [(f"/integrations/webhooks/{hook.pk}/", 302)]
    again = client.get(f"/integrations/webhooks/{hook.pk}/")  # the reload
    assert hook.secret not in again.content.decode()
    assert Webhook.objects.get().secret == hook.secret
