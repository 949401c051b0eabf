"""In a real browser: a viewer is offered only what a viewer may do.

No drag hints on the tree or the calendar, no draggable rows, and no day-range selection on the
calendar (it led to the create form, which answered 403).
"""

import datetime as dt

import pytest

from testing.a11y import assert_accessible
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MAY = "/oobc-management/calendar/?view=dayGridMonth&date=2026-05-01"


def select_days(page, first: str, last: str) -> None:
    """Press on one day cell and release on another, as a mouse selecting a range would."""
    start = page.locator(f"[role=gridcell][data-date='{first}']").bounding_box()
    end = page.locator(f"[role=gridcell][data-date='{last}']").bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] - 8)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 8, steps=10)
    page.mouse.up()


@pytest.fixture
def workshop(cast):
    return item("activity", "Workshop", organization=cast.office, start_date=dt.date(2026, 5, 12))


def test_a_viewer_gets_no_drag_hints_and_cannot_select_days(page, live_server, cast, workshop):
    sign_in(page, live_server, "victor")
    page.goto(live_server.url + "/oobc-management/work-items/")
    page.wait_for_selector(f"#row-{workshop.pk}")
    assert page.locator("[data-testid=drag-hint]").count() == 0
    assert page.get_attribute(f"#row-{workshop.pk}", "draggable") is None
    assert_accessible(page)

    page.goto(live_server.url + MAY)
    page.locator(".wi-event", has_text="Workshop").wait_for()
    assert page.locator("[data-testid=calendar-hint]").count() == 0
    select_days(page, "2026-05-05", "2026-05-07")
    page.wait_for_timeout(700)
    assert "/calendar/" in page.url  # no trip to a form that would refuse
    assert_accessible(page)
    assert page.problems == []


def test_staff_may_select_days_to_plan_an_activity(page, live_server, cast, workshop):
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + MAY)
    page.locator(".wi-event", has_text="Workshop").wait_for()
    assert "Select days" in page.inner_text("[data-testid=calendar-hint]")
    select_days(page, "2026-05-05", "2026-05-07")
    page.wait_for_url("**/work-items/new/**")
    assert page.input_value("#id_start_date") == "2026-05-05"
    assert page.input_value("#id_due_date") == "2026-05-07"
    assert_accessible(page)
