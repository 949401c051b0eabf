"""In a real browser: a child planned outside its parent's dates is warned about, not refused.

The person sees where the dates disagree and may widen the parent's dates with one click.
"""

import datetime as dt

import pytest

from common.models import WorkItem
from testing.a11y import assert_accessible
from testing.browser import arrive_at, screenshot, sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_child_outside_its_parent_is_created_with_an_offer_to_extend_the_parent(
    page, live_server, cast
):
    activity = item(
        "activity",
        "Province-wide consultation",
        organization=cast.office,
        start_date=dt.date(2026, 12, 1),
        due_date=dt.date(2026, 12, 10),
    )
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}/oobc-management/work-items/new/?parent={activity.pk}&type=task")
    page.fill("#id_title", "Write the report")
    page.fill("#id_start_date", "2026-12-05")
    page.fill("#id_due_date", "2026-12-15")
    page.click("button:has-text('Create')")
    arrive_at(page, "Write the report")  # created, not refused
    warning = page.locator("[data-testid=outside-parent]")
    assert "outside “Province-wide consultation” (Dec 1, 2026 – Dec 10, 2026)" in (
        warning.inner_text()
    )
    screenshot(page, "child-outside-parent")
    assert_accessible(page)

    page.click("button:has-text('Extend “Province-wide consultation” to Dec 1, 2026 – Dec 15')")
    page.wait_for_selector("text=now runs long enough to include “Write the report”")
    saved = WorkItem.objects.get(pk=activity.pk)
    assert (saved.start_date, saved.due_date) == (dt.date(2026, 12, 1), dt.date(2026, 12, 15))
    page.reload()
    assert page.locator("[data-testid=outside-parent]").count() == 0
    assert page.problems == []


def test_a_viewer_sees_the_warning_but_no_offer(page, live_server, cast):
    activity = item(
        "activity", "Short event", organization=cast.office, start_date=dt.date(2026, 12, 1)
    )
    task = item("task", "Follow-up", parent=activity, due_date=dt.date(2026, 12, 20))
    sign_in(page, live_server, "victor")
    page.goto(f"{live_server.url}/oobc-management/work-items/{task.pk}/")
    page.locator("[data-testid=outside-parent]").wait_for()
    assert page.locator("button:has-text('Extend')").count() == 0
    assert_accessible(page)


@pytest.mark.parametrize("width", [1440, 390])
def test_a_parent_set_to_follow_its_children_takes_and_keeps_their_span(
    page, live_server, cast, width
):
    page.set_viewport_size({"width": width, "height": 900})
    activity = item(
        "activity",
        "Regional forum",
        organization=cast.office,
        start_date=dt.date(2026, 12, 1),
        due_date=dt.date(2026, 12, 2),
    )
    task = item(
        "task",
        "Print the programme",
        parent=activity,
        start_date=dt.date(2026, 12, 3),
        due_date=dt.date(2026, 12, 4),
    )
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}/oobc-management/work-items/{activity.pk}/edit/")
    page.check("#id_dates_from_children")
    page.click("button:has-text('Save')")
    page.wait_for_selector("[data-testid=dates-from-children]")
    saved = WorkItem.objects.get(pk=activity.pk)
    assert (saved.start_date, saved.due_date) == (dt.date(2026, 12, 3), dt.date(2026, 12, 4))
    assert "Dec 3, 2026" in page.get_by_test_id("item-details").inner_text()
    assert_accessible(page)

    # Its dates are now the children's: the form locks them and says why.
    page.goto(f"{live_server.url}/oobc-management/work-items/{activity.pk}/edit/")
    assert page.locator("#id_due_date").is_disabled()
    assert page.locator("text=Set by its children").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)

    # A child that slips takes its parent along; a reload shows the stored dates.
    page.goto(f"{live_server.url}/oobc-management/work-items/{task.pk}/edit/")
    page.fill("#id_due_date", "2026-12-11")
    page.click("button:has-text('Save')")
    arrive_at(page, "Print the programme")
    page.goto(f"{live_server.url}/oobc-management/work-items/{activity.pk}/")
    page.reload()
    assert "Dec 11, 2026" in page.get_by_test_id("item-details").inner_text()
    assert page.problems == []
