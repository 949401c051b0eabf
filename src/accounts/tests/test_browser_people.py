"""In a real browser: a manager invites someone, who accepts on a phone and signs in.

Walks invite → accept → sign in at 1440 and 390 px, runs axe-core and the phone-width checks
(no sideways scroll at 360 px, touch targets ≥ 44 px) on every page it opens, reloads pages to
show nothing is posted twice, and shows a new API token once with a working copy button.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import ApiToken, Invitation, User
from testing.a11y import DESKTOP, check_page
from testing.browser import new_tab, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long fresh passphrase 42"


def test_invite_accept_and_sign_in_at_desktop_and_phone_width(browser, page, live_server, cast):
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    sign_in(page, live_server, "marco")
    page.click("nav >> text=People")
    page.wait_for_selector("[data-testid=person-sofia]")
    assert page.locator("[data-testid=person-paolo]").count() == 0
    check_page(page, "people")

    page.fill("#id_email", "nadia@example.org")
    page.fill("#id_first_name", "Nadia")
    page.select_option("#id_role", "Staff")
    page.click("button:has-text('Send the invitation')")
    page.wait_for_selector("text=An invitation was e-mailed to nadia@example.org")
    page.reload()  # redirected after the post: reloading sends nothing again
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)

    phone = new_tab(browser, viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        phone.goto(link)
        phone.wait_for_selector("[data-testid=accept-form]")
        check_page(phone, "accept-invitation")
        assert phone.input_value("#id_username") == "nadia"
        phone.fill("#id_password1", "short")
        phone.fill("#id_password2", "short")
        phone.click("button:has-text('Create my account')")
        phone.wait_for_selector(".field-error")  # 400, the reason beside the field
        assert "too short" in phone.inner_text("[data-testid=accept-form]")
        phone.fill("#id_password1", PASSWORD)
        phone.fill("#id_password2", PASSWORD)
        phone.click("button:has-text('Create my account')")
        phone.wait_for_url(f"{live_server.url}/")
        phone.wait_for_selector("text=Welcome, Nadia")
        assert User.objects.get(username="nadia").role == "Staff"

        phone.click("button:has-text('Sign out')")
        phone.wait_for_url("**/accounts/login/")
        check_page(phone, "sign-in")
        phone.goto(link)  # the link worked once
        phone.wait_for_selector("text=already been used")
        sign_in(phone, live_server, "nadia", PASSWORD)
        phone.reload()
        phone.wait_for_selector("nav >> text=Profile")
        assert not phone.problems, phone.problems
    finally:
        phone.context.close()
    assert not page.problems, page.problems


def test_a_new_token_is_shown_once_copied_and_revoked(page, live_server, cast):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    sign_in(page, live_server, "sofia")
    page.click("nav >> text=Profile")
    page.wait_for_selector("[data-testid=token-form]")
    check_page(page, "profile")
    page.fill("#id_name", "Weekly report")
    page.click("button:has-text('Create a token')")
    raw = page.inner_text("[data-testid=token-value]").strip()
    page.click("[data-testid=copy-token]")
    page.wait_for_selector("text=Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == raw
    check_page(page, "profile-new-token")
    page.reload()
    assert page.locator("[data-testid=token-value]").count() == 0  # shown once only
    assert ApiToken.objects.filter(user=cast.staff).count() == 1
    page.click("button:has-text('Revoke')")
    page.wait_for_selector("text=no longer works")
    assert ApiToken.authenticate(raw) is None
    assert not page.problems, page.problems
