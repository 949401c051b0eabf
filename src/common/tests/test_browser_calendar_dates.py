"""In a real browser: the calendar keeps the day and view of its address through reloads.

The page writes the shown date back into the address; it must be the same calendar day in the
office's time zone whatever the browser's own zone is (bug: it wrote a UTC instant and lost a
day per reload east of Greenwich).
"""

import pytest

from testing.a11y import assert_accessible
from testing.browser import new_tab, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CALENDAR = "/oobc-management/calendar/"
ZONES = ["UTC", "Asia/Manila", "America/New_York"]


@pytest.fixture(params=ZONES)
def zoned_page(request, browser):
    """A tab whose browser clock runs in one of the zones the office's people use."""
    tab = new_tab(browser, viewport={"width": 1440, "height": 1000}, timezone_id=request.param)
    yield tab
    tab.context.close()


def shown(page) -> tuple[str, str]:
    page.wait_for_selector("[data-testid=calendar] .fc-view, [data-testid=calendar] [role=grid]")
    page.wait_for_function("() => new URL(location.href).searchParams.get('date')")
    params = page.evaluate("() => Object.fromEntries(new URL(location.href).searchParams)")
    return params["view"], params["date"]


@pytest.mark.parametrize(
    ("view", "date", "title"),
    [
        ("timeGridDay", "2026-12-08", "December 8, 2026"),
        ("dayGridMonth", "2026-12-01", "December 2026"),
        ("timeGridWeek", "2026-12-08", "Dec"),
    ],
)
def test_the_calendar_keeps_its_day_through_reloads(
    zoned_page, live_server, cast, view, date, title
):
    page = zoned_page
    sign_in(page, live_server, "sofia")
    page.goto(f"{live_server.url}{CALENDAR}?view={view}&date={date}")
    for _ in range(3):
        assert shown(page) == (view, date)
        assert title in page.inner_text("[data-testid=calendar]")
        page.reload()
    assert shown(page) == (view, date)
    assert_accessible(page)
    assert page.problems == []


def test_next_month_is_written_as_the_first_of_that_month(zoned_page, live_server, cast):
    page = zoned_page
    sign_in(page, live_server, "sofia")
    page.goto(f"{live_server.url}{CALENDAR}?view=dayGridMonth&date=2026-11-01")
    shown(page)
    page.get_by_role("button", name="Next month").click()
    page.wait_for_function("() => location.href.includes('date=2026-12')")
    page.reload()
    assert shown(page)[1].startswith("2026-12")
    assert "December 2026" in page.inner_text("[data-testid=calendar]")
    assert_accessible(page)
