"""An expired session met by a part of a page opens the sign-in page as a page, and comes back.

htmx would otherwise follow the redirect and draw the sign-in form inside the section.
"""

import pytest
from django.conf import settings

from testing.a11y import check_page
from testing.browser import sign_in
from testing.builders import item

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_fragment_asked_for_without_a_session_sends_the_page_to_sign_in(client, cast):
    task = item("task", "Book the hall", organization=cast.office)
    page = f"http://testserver/oobc-management/work-items/{task.pk}/?show=all"
    answer = client.get(
        f"/oobc-management/work-items/{task.pk}/schedule/", HTTP_HX_CURRENT_URL=page, **HTMX
    )
    assert answer.status_code == 200 and answer.content == b""
    assert answer["HX-Redirect"] == (
        f"/accounts/login/?next=%2Foobc-management%2Fwork-items%2F{task.pk}%2F%3Fshow%3Dall"
    )


def test_a_current_page_on_another_site_is_not_where_sign_in_returns(client, cast):
    answer = client.get(
        "/oobc-management/work-items/", HTTP_HX_CURRENT_URL="https://evil.example/x", **HTMX
    )
    assert answer["HX-Redirect"] == "/accounts/login/?next=%2Foobc-management%2Fwork-items%2F"


def test_ordinary_requests_and_other_redirects_are_left_alone(client, cast):
    answer = client.get("/oobc-management/work-items/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    client.force_login(cast.manager)
    task = item("task", "Old address", organization=cast.office)
    answer = client.post(f"/oobc-management/work-items/{task.pk}/edit/", {}, **HTMX)
    assert "HX-Redirect" not in answer


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_after_the_session_ends_a_section_action_opens_sign_in_and_returns(page, live_server, cast):
    task = item("task", "Print the programme", organization=cast.office)
    sign_in(page, live_server, "marco")
    address = f"{live_server.url}/oobc-management/work-items/{task.pk}/"
    page.goto(address)
    section = page.locator("[data-testid=section-schedule]")
    section.locator("[data-testid=schedule]").wait_for()
    # The session ends (expired, or signed out in another tab); the CSRF cookie stays.
    kept = [c for c in page.context.cookies() if c["name"] != settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    section.locator("button:has-text('Switch to automatic')").click()
    page.wait_for_url("**/accounts/login/**")
    assert section.count() == 0  # a whole page, not a form drawn inside the section
    check_page(page, "sign-in-after-expiry")
    page.fill("#id_username", "marco")
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url(address)
    assert page.problems == []
