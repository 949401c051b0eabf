"""In a real browser: two people edit the same item; their changes merge field by field.

Only fields both people changed are a conflict; everything else keeps the newest value, and
"Save again" after a real conflict no longer reverts fields the other person alone touched.
"""

import datetime as dt

import pytest

from common.models import Priority, WorkItem
from common.services import update_work_item
from testing.a11y import assert_accessible
from testing.browser import screenshot, sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def task(cast):
    return item(
        "task",
        "Draft concept note",
        organization=cast.office,
        priority=Priority.MEDIUM,
        due_date=dt.date(2026, 12, 10),
    )


def open_editor(page, live_server, task) -> None:
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}/oobc-management/work-items/{task.pk}/edit/")
    page.wait_for_selector("#id_title")


def test_edits_of_different_fields_merge_without_asking(page, live_server, cast, task):
    open_editor(page, live_server, task)
    update_work_item(cast.administrator, task.pk, priority=Priority.HIGH)  # Ana, meanwhile
    page.fill("#id_title", "Draft concept note (bilingual)")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=was saved. Ana's newer priority kept.")
    saved = WorkItem.objects.get(pk=task.pk)
    assert (saved.title, saved.priority) == ("Draft concept note (bilingual)", Priority.HIGH)
    assert_accessible(page)
    assert page.problems == []


def test_save_again_keeps_what_only_the_other_person_changed(page, live_server, cast, task):
    open_editor(page, live_server, task)
    update_work_item(
        cast.administrator, task.pk, priority=Priority.HIGH, due_date=dt.date(2026, 12, 18)
    )
    page.select_option("#id_priority", "urgent")
    page.click("button:has-text('Save')")
    conflict = page.locator("[data-testid=conflict]")
    conflict.wait_for()
    rows = page.locator("[data-testid=conflict-fields] tbody tr")
    assert rows.count() == 1  # only the priority: the due date was Ana's alone
    assert rows.first.inner_text().split("\t") == ["Priority", "High", "Urgent"]
    assert page.input_value("#id_due_date") == "2026-12-18"  # Ana's date is in the form
    screenshot(page, "edit-conflict-merge")
    assert_accessible(page)

    page.click("button:has-text('Save')")
    page.wait_for_selector("text=“Draft concept note” was saved.")
    saved = WorkItem.objects.get(pk=task.pk)
    assert (saved.priority, saved.due_date) == (Priority.URGENT, dt.date(2026, 12, 18))
    # History: nobody's due date was reverted.
    dues = list(saved.history.order_by("history_id").values_list("due_date", flat=True))
    assert dues[-2:] == [dt.date(2026, 12, 18), dt.date(2026, 12, 18)]
    assert page.problems == []
