"""In a real browser: a manager adds a webhook, copies its secret (shown once), replaces it,
and reads the delivery log — on a desktop and on a phone, accessible, reload-safe."""

from __future__ import annotations

import pytest

from integrations.models import Webhook
from testing.a11y import DESKTOP, PHONE, assert_accessible, assert_fits_phone
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_a_manager_adds_a_hook_sees_the_secret_once_rotates_it_and_reads_the_log(
    page, live_server, cast, receiver, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}/integrations/webhooks/")
    assert "No webhooks yet." in page.inner_text("[data-testid=hooks]")
    assert_accessible(page, f"webhooks at {width} px")
    if width == PHONE:
        assert_fits_phone(page, "webhooks")

    form = page.locator("[data-testid=hook-form]")
    form.get_by_label("Name").fill("Regional dashboard")
    form.get_by_label("Address (URL)").fill(receiver.url)
    form.get_by_label("Item created").check()
    form.get_by_role("button", name="Add the webhook").click()
    page.wait_for_selector("[data-testid=new-secret]")
    hook = Webhook.objects.get()
    assert page.url == f"{live_server.url}/integrations/webhooks/{hook.pk}/"
    first = page.inner_text("[data-testid=secret]").strip()
    assert first == hook.secret and len(first) == 64
    assert "Nothing sent yet." in page.inner_text("[data-testid=deliveries]")
    assert_accessible(page, f"new webhook at {width} px")
    if width == PHONE:
        assert_fits_phone(page, "new webhook")

    page.reload()  # shown once: the address survives, the secret does not come back
    page.wait_for_selector("[data-testid=deliveries]")
    assert page.locator("[data-testid=new-secret]").count() == 0
    assert first not in page.content()

    page.get_by_role("button", name="New secret").click()
    page.wait_for_selector("[data-testid=new-secret]")
    second = page.inner_text("[data-testid=secret]").strip()
    hook.refresh_from_db()
    assert second == hook.secret and second != first
    page.reload()  # neither shown again nor replaced again by the reload
    page.wait_for_selector("[data-testid=deliveries]")
    assert page.locator("[data-testid=new-secret]").count() == 0
    hook.refresh_from_db()
    assert hook.secret == second

    item("task", "Prepare the regional report", organization=cast.office, actor=cast.manager)
    (received,) = receiver.requests
    assert received.signed_with(second) and received.payload["event"] == "item.created"
    page.reload()
    log = page.locator("[data-testid=deliveries]")
    assert "item.created" in log.inner_text()
    assert "Delivered" in log.inner_text()
    assert "HTTP 200" in log.locator("[data-testid=attempt]").first.inner_text()
    assert_accessible(page, f"delivery log at {width} px")
    if width == PHONE:
        assert_fits_phone(page, "delivery log")
    assert page.problems == []
