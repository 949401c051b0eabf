"""In a real browser: dragging a bar on the timeline moves its dates and pushes its follower
after a preview; a refused drag puts the bar back and says why. At desktop and phone widths."""

from datetime import date

import pytest

from common.models import WorkItem
from common.services import link_dependency
from planning.tests.helpers import dated
from testing.a11y import check_page
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(cast):
    project = item("project", "Provincial consultations", organization=cast.office)
    survey = dated("Survey", project, date(2026, 12, 7), date(2026, 12, 11))  # Mon–Fri
    report = dated("Report", project, date(2026, 12, 14), date(2026, 12, 15), automatic=True)
    link_dependency(None, report, survey)
    return project, survey, report


def open_timeline(page, live_server, project, zoom="day"):
    page.goto(f"{live_server.url}/oobc-management/timeline/?root={project.pk}&zoom={zoom}")
    page.wait_for_selector("[data-layer=bars] .tl-bar")


def drag_bar(page, work_item, days: int, px_per_day: int = 36) -> None:
    bar = page.locator(f"[data-testid=bar-{work_item.pk}] .tl-body")
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 3, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(x + days * px_per_day * step / 5, y)
    page.mouse.up()


def test_dragging_a_predecessor_moves_it_and_pushes_its_follower(page, live_server, cast, plan):
    project, survey, report = plan
    sign_in(page, live_server, "marco")
    open_timeline(page, live_server, project)
    check_page(page, "timeline")
    # The critical path in words: in order, with dates and slack, and every item's slack.
    path = page.locator("[data-testid=critical-path-list] li")
    assert path.all_inner_texts()[0].startswith("Survey · ")
    assert [t.split(" · ")[0] for t in path.all_inner_texts()] == ["Survey", "Report"]
    assert "slack 0" in path.first.inner_text()
    page.click("text=Slack of every scheduled item")
    assert page.locator("[data-testid=slack-table] tbody tr").count() == 2
    check_page(page, "timeline-path")
    with page.expect_download() as download:
        page.click("[data-testid=timeline-png]")
    assert download.value.suggested_filename == "timeline.png"
    with open(download.value.path(), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    page.emulate_media(media="print")  # the printed page: chart only, fitted to the sheet
    assert page.locator("header").is_hidden() and page.locator("#tl-form").is_hidden()
    assert page.locator("[data-testid=timeline] svg").is_visible()
    page.emulate_media(media="screen")
    drag_bar(page, survey, 3)
    page.wait_for_selector("#tl-confirm[open]")
    assert page.inner_text("#tl-confirm-title") == "1 item will move"
    page.click("[data-testid=timeline-confirm]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=timeline-message]').textContent"
        ".includes('1 item follows')"
    )
    survey_now = WorkItem.objects.get(pk=survey.pk)
    report_now = WorkItem.objects.get(pk=report.pk)
    assert (survey_now.start_date, survey_now.due_date) == (date(2026, 12, 10), date(2026, 12, 14))
    assert (report_now.start_date, report_now.due_date) == (date(2026, 12, 15), date(2026, 12, 16))
    assert "Rescheduled because “Survey” moved" in report_now.history.first().history_change_reason
    # Switching "Auto" off fixes the report's dates by hand: the item is manual now.
    page.click(f"[data-testid=mode-{report.pk}]")
    page.wait_for_selector(f"[data-testid=mode-{report.pk}][aria-pressed=false]")
    assert WorkItem.objects.get(pk=report.pk).scheduling_mode == "manual"
    page.reload()
    page.wait_for_selector("[data-layer=bars] .tl-bar")
    assert page.input_value("#tl-zoom") == "day"
    assert "Dec 15, 2026" in page.get_attribute(f"[data-testid=bar-{report.pk}]", "aria-label") or (
        "15 Dec 2026" in page.get_attribute(f"[data-testid=bar-{report.pk}]", "aria-label")
    )
    assert page.problems == []


def test_a_refused_drag_puts_the_bar_back_and_says_why(page, live_server, cast, plan):
    project, _survey, report = plan
    sign_in(page, live_server, "marco")
    open_timeline(page, live_server, project)
    before = page.locator(f"[data-testid=bar-{report.pk}] .tl-body").bounding_box()
    drag_bar(page, report, -3)
    page.wait_for_selector("[data-testid=timeline-error]:not(.hidden)")
    reason = page.inner_text("[data-testid=timeline-error]")
    assert "scheduled automatically" in reason and "Survey" in reason
    after = page.locator(f"[data-testid=bar-{report.pk}] .tl-body").bounding_box()
    assert abs(after["x"] - before["x"]) < 1
    assert WorkItem.objects.get(pk=report.pk).start_date == date(2026, 12, 14)
    check_page(page, "timeline-refused")
    page.reload()
    page.wait_for_selector("[data-layer=bars] .tl-bar")
    assert page.locator("[data-testid=timeline-error]").is_hidden()
    assert page.problems == []


def test_a_phone_reads_the_timeline_and_keeps_the_zoom_and_collapsed_rows(
    page, live_server, cast, plan
):
    project, survey, _report = plan
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "sofia")
    open_timeline(page, live_server, project, zoom="week")
    page.click(f"[data-row='{project.pk}'] .tl-toggle")
    assert page.locator(f"[data-testid=bar-{survey.pk}]").count() == 0
    assert "collapsed=" in page.url
    check_page(page, "timeline-phone", widths=(390,))
    page.reload()
    page.wait_for_selector("[data-layer=bars] .tl-bar")
    assert page.locator(f"[data-testid=bar-{survey.pk}]").count() == 0
    assert page.input_value("#tl-zoom") == "week"
    assert page.problems == []


def test_the_working_days_page_reads_well_at_desktop_and_phone_widths(page, live_server, cast):
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}/oobc-management/working-days/")
    page.fill("#id_date", "2026-03-06")
    page.fill("#id_name", "Office retreat")
    page.click("button:has-text('Add the day')")
    page.wait_for_selector("[data-testid=non-working-days] >> text=Office retreat")
    check_page(page, "working-days")
    page.reload()
    assert "Office retreat" in page.inner_text("[data-testid=non-working-days]")
    assert page.problems == []
