"""In a real browser: errors a person can cause are sentences in the product's words, in place.

Checked with DEBUG on (the trial set-up of `make run`) and off (production): a bad repeat rule,
a missing item or address, and a refused inline change.
"""

import datetime as dt

import pytest

from testing.a11y import assert_accessible
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ITEMS = "/oobc-management/work-items"


@pytest.fixture(params=[True, False], ids=["trial (DEBUG)", "production"])
def mode(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_a_bad_repeat_rule_is_explained_in_product_words(page, live_server, cast, mode):
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{ITEMS}/new/?type=activity")
    page.fill("#id_title", "Weekly coordination meeting")
    page.fill("#id_start_date", "2026-12-07")
    rule = page.locator("#id_recurrence_rule")
    if rule.is_visible():
        rule.fill("every monday")
    else:  # behind a repeat builder: the rule as typed elsewhere (or by an old form) arrives
        rule.evaluate("(field, text) => { field.value = text; }", "every monday")
    page.click("button:has-text('Create')")
    error = page.locator(".field-error, [role=alert]", has_text="does not understand").first
    error.wait_for()
    text = error.inner_text()
    assert "does not understand “every monday”" in text
    assert "FREQ=WEEKLY;BYDAY=MO (every Monday)" in text
    assert "unpack" not in page.content()
    assert_accessible(page)


@pytest.mark.parametrize("path", [f"{ITEMS}/987654/", "/no/such/page/"])
def test_a_missing_page_is_the_products_own_404(page, live_server, cast, mode, path):
    sign_in(page, live_server, "sofia")
    response = page.goto(live_server.url + path)
    assert response.status == 404
    assert page.inner_text("h1") == "Nothing here"
    content = page.content()
    assert "URLconf" not in content and "DEBUG = True" not in content
    page.get_by_role("link", name="Back to my work").wait_for()
    assert_accessible(page)


def test_a_refused_inline_change_is_shown_in_place(page, live_server, cast, mode):
    task = item("task", "Print agenda", organization=cast.office, due_date=dt.date(2026, 12, 1))
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{ITEMS}/")
    page.evaluate(f"document.querySelector('#progress-{task.pk}').removeAttribute('max')")
    page.fill(f"#progress-{task.pk}", "150")
    page.press(f"#progress-{task.pk}", "Tab")
    page.wait_for_selector("#messages [role=alert]:has-text('from 0 to 100')")
    assert page.locator("[data-testid=tree]").is_visible()  # the page is still the page
    assert page.inner_text("h1") == "Work items"
    assert_accessible(page)
