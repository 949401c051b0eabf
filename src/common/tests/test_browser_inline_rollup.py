"""In a real browser: inline status and progress changes update every row they affect.

Setting a subtask's progress moves the rolled-up progress of all its ancestors; the answer
carries their rows (htmx out-of-band swaps), so the page never shows stale numbers. Completing
the last open child offers to complete the parent, and that button works. A row from a stale
tab sends its version and is answered in place instead of silently overwriting a newer change.
"""

import pytest

from common.models import Status, WorkItem
from common.services import update_work_item
from testing.a11y import DESKTOP, PHONE, assert_accessible, check_page
from testing.browser import expand_row, progress_of, screenshot, sign_in
from testing.builders import branch, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TREE = "/oobc-management/work-items/"


def open_branch(page, live_server, chain) -> None:
    page.goto(live_server.url + TREE)
    for ancestor in chain[:-1]:
        expand_row(page, ancestor)
    page.wait_for_selector(f"#row-{chain[-1].pk}")


def test_setting_a_subtask_progress_updates_all_five_ancestor_rows(page, live_server, cast):
    chain = branch(cast.office, 6)
    sign_in(page, live_server, "marco")
    open_branch(page, live_server, chain)
    subtask = chain[-1]
    page.fill(f"#progress-{subtask.pk}", "50")
    page.press(f"#progress-{subtask.pk}", "Tab")
    page.wait_for_function(
        f"() => document.querySelector('#row-{chain[0].pk} progress').value === 50"
    )
    assert [progress_of(page, level) for level in chain] == [50] * 6
    assert WorkItem.objects.get(pk=chain[0].pk).progress == 50
    screenshot(page, "inline-rollup")
    assert_accessible(page)
    page.reload()  # the server agrees, and the open rows come back
    page.wait_for_selector(f"#row-{subtask.pk}")
    assert [progress_of(page, level) for level in chain] == [50] * 6
    assert page.problems == []


def test_the_detail_page_summary_follows_a_child_changed_inline(page, live_server, cast):
    activity = item("activity", "Coastal clean-up", organization=cast.office)
    first = item("task", "Sign up volunteers", parent=activity)
    item("task", "Rent a boat", parent=activity)
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{TREE}{activity.pk}/")
    page.fill(f"#progress-{first.pk}", "80")
    page.press(f"#progress-{first.pk}", "Tab")
    page.wait_for_selector("#detail-progress:has-text('Progress: 40%')")
    page.reload()
    assert "Progress: 40%" in page.inner_text("#detail-progress")
    assert_accessible(page)
    assert page.problems == []


def test_completing_the_last_task_offers_to_complete_the_parent_and_the_button_works(
    page, live_server, cast
):
    activity = item("activity", "Barangay assembly", organization=cast.office)
    item("task", "Book the hall", parent=activity, status=Status.COMPLETED)
    last = item("task", "Send invitations", parent=activity)
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + TREE)
    expand_row(page, activity)
    page.select_option(f"#status-{last.pk}", "completed")
    offer = page.locator("[data-testid=complete-parent]")
    offer.wait_for()
    assert_accessible(page)
    offer.get_by_role("button", name="Complete “Barangay assembly”").click()
    page.wait_for_selector("text=“Barangay assembly” is now completed.")
    assert WorkItem.objects.get(pk=activity.pk).status == Status.COMPLETED
    assert page.locator(f"#status-{activity.pk}").input_value() == "completed"
    assert progress_of(page, activity) == 100
    page.reload()
    assert page.locator(f"#status-{activity.pk}").input_value() == "completed"
    assert page.problems == []


def test_a_stale_row_does_not_overwrite_a_newer_change(page, live_server, cast):
    task = item("task", "Draft concept note", organization=cast.office)
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + TREE)
    page.wait_for_selector(f"#status-{task.pk}")
    # Meanwhile, in another tab, Ana marks it blocked and renames it.
    update_work_item(cast.administrator, task.pk, status=Status.BLOCKED, title="Concept note v2")
    page.select_option(f"#status-{task.pk}", "in_progress")
    note = page.locator(f"#row-{task.pk} [data-testid=row-note]")
    note.wait_for()
    assert "Not saved: Ana changed “Concept note v2”" in note.inner_text()
    assert page.locator(f"#status-{task.pk}").input_value() == "blocked"  # the newest value
    saved = WorkItem.objects.get(pk=task.pk)
    assert (saved.status, saved.version) == (Status.BLOCKED, 2)
    assert_accessible(page)
    # The row now carries the new version: the change goes through when made again.
    page.select_option(f"#status-{task.pk}", "in_progress")
    page.wait_for_function(
        f"() => !document.querySelector('#row-{task.pk} [data-testid=row-note]')"
    )
    assert WorkItem.objects.get(pk=task.pk).status == Status.IN_PROGRESS
    assert page.problems == []


def test_on_a_phone_a_reload_after_an_inline_change_shows_the_change(touch_page, live_server, cast):
    """The tree's rows are kept between visits; a change made on the page is never undone by
    a reload that serves what was kept before it."""
    page = touch_page
    task = item("task", "Print the agenda", organization=cast.office)
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + TREE)
    page.wait_for_selector(f"#row-{task.pk}")
    check_page(page, "tree-kept-phone", widths=(PHONE, DESKTOP))
    page.reload()  # now served from what was kept
    page.fill(f"#progress-{task.pk}", "30")
    page.press(f"#progress-{task.pk}", "Tab")
    page.wait_for_function(f"() => document.querySelector('#row-{task.pk} progress').value === 30")
    assert WorkItem.objects.get(pk=task.pk).progress == 30
    page.reload()
    page.wait_for_selector(f"#row-{task.pk}")
    assert progress_of(page, task) == 30
    assert page.locator(f"#progress-{task.pk}").input_value() == "30"
    assert_accessible(page, "tree after a reload on a phone")
    assert page.problems == []


def test_on_a_phone_reopened_children_show_a_change_made_inline(touch_page, live_server, cast):
    """An expanded node's rows are kept too; reopening it after a change shows the change."""
    page = touch_page
    workshop = item("activity", "Harbour workshop", organization=cast.office)
    task = item("task", "Book the boat", parent=workshop)
    sign_in(page, live_server, "marco")
    open_branch(page, live_server, [workshop, task])
    check_page(page, "children-kept-phone", widths=(PHONE, DESKTOP))
    page.reload()  # the open rows come back, now from what was kept
    page.wait_for_selector(f"#row-{task.pk}")
    page.fill(f"#progress-{task.pk}", "40")
    page.press(f"#progress-{task.pk}", "Tab")
    page.wait_for_function(f"() => document.querySelector('#row-{task.pk} progress').value === 40")
    page.reload()
    page.wait_for_selector(f"#row-{task.pk}")
    assert progress_of(page, task) == 40
    assert progress_of(page, workshop) == 40
    assert_accessible(page, "reopened children on a phone")
    assert page.problems == []
