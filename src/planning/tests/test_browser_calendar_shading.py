"""The calendar shades the organisation's non-working days: weekends and Christmas Day."""

import pytest

from testing.a11y import check_page
from testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_calendar_shades_weekends_and_public_holidays(page, live_server, cast):
    sign_in(page, live_server, "sofia")
    page.goto(f"{live_server.url}/oobc-management/calendar/?view=dayGridMonth&date=2026-12-01")
    page.wait_for_selector(".wi-closed")
    shaded = page.evaluate(
        "() => [...document.querySelectorAll('.wi-closed')].map(el => "
        "el.getAttribute('data-date') || el.closest('[data-date]')?.getAttribute('data-date'))"
    )
    assert "2026-12-25" in shaded  # Christmas Day, a Friday
    assert "2026-12-05" in shaded  # a Saturday
    assert "2026-12-23" not in shaded  # a Wednesday at work
    check_page(page, "calendar-non-working", widths=(1440,))
    page.reload()
    page.wait_for_selector(".wi-closed")
    assert page.problems == []
