"""In a real browser: all six types on the calendar, filters, drag to reschedule, refusals."""

import datetime as dt

import pytest

from common.models import WorkItem
from common.services import update_work_item
from testing.a11y import assert_accessible
from testing.browser import screenshot, sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MAY = "/oobc-management/calendar/?view=dayGridMonth&date=2026-05-01"


def d(day):
    return dt.date(2026, 5, day)


@pytest.fixture
def plan(cast):
    project = item(
        "project",
        "Year-long livelihood programme",
        organization=cast.office,
        start_date=dt.date(2026, 3, 1),
        due_date=dt.date(2026, 9, 30),
    )
    sub = item("sub_project", "Preparation", parent=project, start_date=d(4), due_date=d(8))
    activity = item("activity", "Town consultation", parent=sub, start_date=d(12), due_date=d(12))
    session = item("sub_activity", "Breakout", parent=activity, start_date=d(12))
    task = item("task", "Print agenda", parent=session, due_date=d(14))
    item("subtask", "Buy paper", parent=task, due_date=d(13))
    return {"project": project, "activity": activity, "task": task}


def event(page, title):
    return page.locator(".wi-event", has_text=title).first


def drag(page, title: str, day: str) -> None:
    """Press on an event, move in small steps onto a day cell, release (as a mouse would)."""
    source = event(page, title).bounding_box()
    target = page.locator(f"[role=gridcell][data-date='{day}']").bounding_box()
    page.mouse.move(source["x"] + 10, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + target["height"] / 2, steps=12)
    page.mouse.up()


def test_the_calendar_shows_filters_and_reschedules(page, live_server, cast, plan):
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + MAY)
    for title in (
        "Year-long livelihood programme",
        "Preparation",
        "Town consultation",
        "Breakout",
        "Print agenda",
        "Buy paper",
    ):
        event(page, title).wait_for()
    screenshot(page, "calendar-may")
    assert_accessible(page)

    # Untick tasks: the task disappears, the others stay; the filter is kept in the URL.
    page.uncheck("input[name=type][value=task]")
    page.wait_for_selector(".wi-event:has-text('Print agenda')", state="detached")
    assert event(page, "Town consultation").is_visible()
    assert "type=activity" in page.url
    page.check("input[name=type][value=task]")
    event(page, "Print agenda").wait_for()

    # Drag the consultation from the 12th to the 19th.
    drag(page, "Town consultation", "2026-05-19")
    page.wait_for_selector("text=now runs on 2026-05-19")
    saved = WorkItem.objects.get(pk=plan["activity"].pk)
    assert (saved.start_date, saved.due_date) == (d(19), d(19))
    screenshot(page, "calendar-after-drag")

    # Someone else changes the task meanwhile: the drag is refused and the event snaps back.
    update_work_item(cast.administrator, plan["task"].pk, title="Print agenda")  # new version
    update_work_item(cast.administrator, plan["task"].pk, priority="high")
    drag(page, "Print agenda", "2026-05-21")
    page.wait_for_selector("text=was not moved")
    assert WorkItem.objects.get(pk=plan["task"].pk).due_date == d(14)
    cell = page.locator("[role=gridcell][data-date='2026-05-14']")
    cell.locator(".wi-event", has_text="Print agenda").wait_for()

    # A click opens the side panel with the breadcrumb.
    event(page, "Buy paper").click()
    page.wait_for_selector("#event-panel:has-text('Year-long livelihood programme')")
    assert_accessible(page)
    assert page.problems == []


def test_a_viewer_cannot_drag_anything(page, live_server, cast, plan):
    sign_in(page, live_server, "victor")
    page.goto(live_server.url + MAY)
    event(page, "Town consultation").wait_for()
    assert_accessible(page)
    drag(page, "Town consultation", "2026-05-19")
    page.wait_for_timeout(500)
    assert WorkItem.objects.get(pk=plan["activity"].pk).start_date == d(12)
