"""In a real browser: repeats fold into one row with the item's path, at 1440 and 390 px."""

import pytest

from notifications.models import Notification
from testing.a11y import DESKTOP, PHONE, assert_accessible, assert_fits_phone
from testing.browser import screenshot, sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PATH = "Livelihood programme › Town consultation › Draft concept note"


@pytest.fixture
def changes(cast):
    project = item("project", "Livelihood programme", organization=cast.office)
    activity = item("activity", "Town consultation", parent=project)
    note = item("task", "Draft concept note", parent=activity)
    Notification.objects.create(
        user=cast.staff,
        kind="assigned",
        message="You were assigned to “Draft concept note”.",
        work_item=note,
    )
    for number in range(1, 5):
        Notification.objects.create(
            user=cast.staff,
            kind="changed",
            message=f"Change {number}: due date moved",
            work_item=note,
        )
    return note


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_four_changes_are_one_row_with_the_path(page, live_server, cast, changes, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "sofia")
    page.goto(live_server.url + "/notifications/")
    rows = page.locator("[data-testid=notification-row]")
    assert rows.count() == 2
    group = rows.first
    assert group.get_attribute("data-count") == "4"
    headline = group.locator("[data-testid=group-headline]")
    assert headline.inner_text().startswith("4 changes to “Draft concept note”")
    assert group.locator("[data-testid=notification-path]").inner_text().endswith(PATH)
    assert rows.nth(1).locator("[data-testid=notification-path]").inner_text().endswith(PATH)

    # Folded until asked: the single changes show when the row opens.
    singles = group.locator("[data-testid=group-items] li")
    assert not singles.first.is_visible()
    headline.click()
    assert singles.count() == 4 and singles.first.is_visible()
    assert "Change 4" in singles.first.inner_text()
    if width == PHONE:
        assert_fits_phone(page, "notifications")
    assert_accessible(page, f"notifications at {width} px")
    screenshot(page, f"notifications-grouped-{width}")

    # "Mark read" on the group marks all four; the reload shows them read, still one row.
    group.get_by_role("button", name="Mark read (all 4)").click()
    page.wait_for_load_state("networkidle")
    page.reload()
    assert Notification.objects.filter(kind="changed", read_at__isnull=True).count() == 0
    assert Notification.objects.filter(kind="assigned", read_at__isnull=True).count() == 1
    rows = page.locator("[data-testid=notification-row]")
    assert rows.count() == 2
    assert rows.first.get_attribute("data-count") == "4"
    assert rows.first.get_by_role("button", name="Mark read (all 4)").count() == 0
    assert page.get_by_test_id("bell").get_attribute("aria-label") == "Notifications, 1 unread"
    assert_accessible(page, f"notifications after reading at {width} px")
    assert page.problems == []
