"""The project report in Chromium: charts drawn, tables readable, accessible, survives a reload."""

from __future__ import annotations

import json

import pytest

from testing.a11y import DESKTOP, PHONE, check_page
from testing.browser import sign_in

from .report_world import grow, project_with_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def drawn(page) -> None:
    for name in ("burnup", "status", "budget"):
        page.wait_for_selector(f"#chart-{name}[data-rendered=true] canvas")


def test_the_report_is_reached_from_the_item_and_reads_well_at_both_widths(page, live_server, cast):
    project = project_with_items(cast)
    grow(project, 30)
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}/oobc-management/work-items/{project.pk}/")
    page.get_by_test_id("action-report").click()
    page.wait_for_url(f"**/work-items/{project.pk}/report/")
    drawn(page)
    assert page.get_by_test_id("report-title").inner_text() == project.title
    assert "Book the venue" in page.get_by_test_id("report-late").inner_text()
    data = json.loads(page.locator("#chart-status-data").text_content())
    page.get_by_test_id("chart-status-table").locator("summary").click()
    cells = page.locator("[data-testid=chart-status-table] tbody td").all_text_contents()
    assert [int(c.strip()) for c in cells] == data["series"][0]["values"]
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 1000})
        check_page(page, f"project-report-{width}", widths=(width,))
    page.reload()
    drawn(page)
    assert page.get_by_test_id("report-title").inner_text() == project.title
    assert page.problems == []
