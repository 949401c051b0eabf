"""In a real browser, on an item's page: the Schedule section adds a predecessor found by title,
with a lag; the pushed follower's new dates show when the section refreshes, a loop is refused
beside the field, and the link is still there after a reload. At desktop and phone widths."""

from datetime import date

import pytest
from playwright.sync_api import expect

from common.services import link_dependency
from planning.tests.helpers import MONDAY, dated, fresh
from testing.a11y import DESKTOP, PHONE, check_page
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(cast):
    project = item("project", "Provincial consultations", organization=cast.office)
    survey = dated("Survey", project, MONDAY, date(2026, 3, 6))  # Mon–Fri
    report = dated("Report", project, date(2026, 3, 9), date(2026, 3, 10), automatic=True)
    publish = dated("Publish", project, date(2026, 3, 11), date(2026, 3, 11), automatic=True)
    link_dependency(None, publish, report)
    return survey, report, publish


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_adding_a_predecessor_with_a_lag_pushes_the_follower(page, live_server, cast, plan, width):
    survey, report, publish = plan
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}/oobc-management/work-items/{report.pk}/")
    section = page.locator("[data-testid=section-schedule]")
    section.locator("[data-testid=schedule]").wait_for()
    assert "Automatic: starts on the first working day" in section.inner_text()
    assert "Mar 11, 2026" in section.locator("[data-testid=followers]").inner_text()

    # A loop is refused beside the field and nothing is linked.
    page.fill(f"#schedule-predecessor-{report.pk}", str(publish.pk))
    page.click("[data-testid=schedule-add-submit]")
    error = page.locator("[data-testid=schedule-predecessor-error]")
    error.wait_for()
    assert "This would make a loop" in error.inner_text()
    expect(page.locator(f"#schedule-predecessor-{report.pk}")).to_be_focused()
    assert page.locator("#messages .flash-error").count() == 0

    # Found by title, picked, with a lag of 2 working days.
    page.fill(f"#schedule-predecessor-{report.pk}", "")
    page.fill(f"#schedule-lag-{report.pk}", "2")
    page.fill(f"#schedule-search-{report.pk}", "surv")
    page.click(f"[data-testid=schedule-candidates] button[value='{survey.pk}']")
    done = page.locator("[data-testid=schedule-done]")
    done.wait_for()
    assert "2 items moved" in done.inner_text()
    followers = section.locator("[data-testid=followers]").inner_text()
    assert "Mar 13, 2026" in followers  # Publish, pushed after Report's new dates
    assert (fresh(report).start_date, fresh(publish).start_date) == (
        date(2026, 3, 11),
        date(2026, 3, 13),
    )
    # The page's own Details and History follow without a reload.
    details = page.locator("[data-testid=item-details]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=item-details]').innerText.includes('Mar 11')"
    )
    assert "Mar 11, 2026" in details.inner_text()
    assert "Rescheduled because" in page.locator("[data-testid=history]").inner_text()
    check_page(page, f"schedule-section-{width}", widths=(width,))

    page.reload()
    waits_for = section.locator("[data-testid=predecessors]")
    waits_for.wait_for()
    assert "Survey" in waits_for.inner_text() and "lag 2 working days" in waits_for.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.problems == []


def test_what_is_typed_while_a_change_is_on_its_way_is_kept(page, live_server, cast, plan):
    """The refusal arrives after the person went on to the lag and the search: the new section
    keeps both (and runs the search again), focus stays where they type, the lag is used."""
    survey, report, publish = plan
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}/oobc-management/work-items/{report.pk}/")
    section = page.locator("[data-testid=section-schedule]")
    section.locator("[data-testid=schedule]").wait_for()
    held = []
    page.route("**/schedule/predecessors/", lambda route: held.append(route))

    page.fill(f"#schedule-predecessor-{report.pk}", str(publish.pk))
    page.click("[data-testid=schedule-add-submit]")
    while not held:  # the refusal is held back until the person has typed on
        page.wait_for_timeout(20)
    page.fill(f"#schedule-predecessor-{report.pk}", "")
    page.fill(f"#schedule-lag-{report.pk}", "2")
    page.fill(f"#schedule-search-{report.pk}", "surv")
    held[0].continue_()
    page.unroute("**/schedule/predecessors/")

    page.locator("[data-testid=schedule-predecessor-error]").wait_for()
    expect(page.locator(f"#schedule-lag-{report.pk}")).to_have_value("2")
    expect(page.locator(f"#schedule-search-{report.pk}")).to_have_value("surv")
    expect(page.locator(f"#schedule-search-{report.pk}")).to_be_focused()
    page.click(f"[data-testid=schedule-candidates] button[value='{survey.pk}']")
    done = page.locator("[data-testid=schedule-done]")
    done.wait_for()
    assert "now waits for “Survey” plus 2 working days." in done.inner_text()
    assert fresh(report).start_date == date(2026, 3, 11)
    assert page.problems == []
