"""In Chromium: the portfolio dashboard draws its charts, its table views show the charts' own
numbers, it passes axe and fits a phone, and it draws again after a reload."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from testing.a11y import DESKTOP, PHONE, check_page
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URL = "/oobc-management/dashboard/"


@pytest.fixture
def programme(cast):
    today = timezone.localdate()
    project = item("project", "Coastal livelihood programme", organization=cast.office)
    for number in range(5):
        item(
            "task",
            f"Consultation round {number}",
            parent=project,
            assignees=[cast.staff],
            status=["in_progress", "at_risk", "blocked", "not_started", "in_progress"][number],
            due_date=today + timezone.timedelta(days=number * 5),
        )
    return project


def rendered(page) -> None:
    page.wait_for_selector("#chart-status[data-rendered=true] canvas")
    page.wait_for_selector("#chart-heatmap[data-rendered=true] canvas")


def test_the_portfolio_draws_its_charts_and_the_table_shows_the_same_numbers(
    page, live_server, cast, programme
):
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + URL)
    rendered(page)
    data = json.loads(page.locator("#chart-status-data").text_content())
    page.get_by_test_id("chart-status-table").locator("summary").click()
    cells = page.locator("[data-testid=chart-status-table] tbody td").all_text_contents()
    assert [int(c.strip()) for c in cells] == data["series"][0]["values"]
    assert sum(data["series"][0]["values"]) == 6
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 1000})
        check_page(page, f"dashboard-{width}", widths=(width,))
    page.reload()
    rendered(page)
    assert page.problems == []


def test_adoption_and_satisfaction_draw_for_an_administrator(page, live_server, cast, programme):
    from operations.models import Feedback

    Feedback.objects.create(user=cast.staff, rating=4, category="calendar", comment="Clear")
    sign_in(page, live_server, "ana")
    page.goto(f"{live_server.url}{URL}adoption/?organization={cast.office.pk}")
    page.wait_for_selector("#chart-activity[data-rendered=true] canvas")
    page.wait_for_selector("#chart-satisfaction[data-rendered=true] canvas")
    assert "Clear" in page.inner_text("[data-testid=feedback-comments]")
    check_page(page, "dashboard-adoption", widths=(PHONE, DESKTOP))
    page.reload()
    page.wait_for_selector("#chart-activity[data-rendered=true] canvas")
    assert not page.problems
