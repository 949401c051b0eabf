"""In a real browser: personal calendar addresses are created once, copied, and described.

Reloading the page after "Create address" used to post the form again and create a second
address; now the page redirects after the post and shows the new address only once.
"""

import pytest

from common.models import CalendarSubscription
from testing.a11y import assert_accessible
from testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGE = "/oobc-management/calendar/subscriptions/"


def test_reloading_after_creating_an_address_creates_no_second_one(page, live_server, cast):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, live_server, "sofia")
    page.goto(live_server.url + PAGE)
    page.fill("#sub-name", "My phone")
    page.check("input[name=type][value=task]")
    page.check("input[name=assignee][value=me]")
    page.click("button:has-text('Create address')")
    address = page.locator("[data-testid=address]")
    address.wait_for()
    url = address.inner_text().strip()
    assert page.url == live_server.url + PAGE  # redirected after the post
    assert page.get_attribute("[data-testid=webcal]", "href") == "webcal://" + url.split("://")[1]
    page.click("[data-testid=copy]")
    page.wait_for_selector("text=Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    described = page.inner_text("[data-testid=filters]")
    assert described == "Type: Task; only items assigned to me"
    assert "assignee=me" not in page.content()
    assert_accessible(page)

    page.reload()
    assert CalendarSubscription.objects.filter(user=cast.staff).count() == 1
    assert page.locator("[data-testid=address]").count() == 0  # shown once only
    assert page.problems == []


def test_a_refused_filter_is_explained_on_the_form(page, live_server, cast):
    sign_in(page, live_server, "sofia")
    page.goto(live_server.url + PAGE)
    page.fill("#sub-name", "Odd")
    page.evaluate(
        "document.querySelector('input[name=type]').value = 'meeting';"
        "document.querySelector('input[name=type]').checked = true"
    )
    page.click("button:has-text('Create address')")
    page.wait_for_selector("[role=alert]:has-text('The address was not created')")
    assert CalendarSubscription.objects.count() == 0
    assert_accessible(page)
