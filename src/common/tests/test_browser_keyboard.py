"""In a real browser, keyboard only: create an item, move it, complete it.

Nothing is clicked: focus moves with Tab, links and buttons are pressed with Enter, and every
focused control shows a visible focus outline.
"""

import pytest

from common.models import Status, WorkItem
from testing.a11y import assert_accessible
from testing.browser import arrive_at, sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector`; its focus must be visible."""
    target = page.locator(selector).first
    target.wait_for()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_create_move_and_complete_with_the_keyboard_only(page, live_server, cast):
    item("project", "Coastal resilience", organization=cast.office)
    sign_in(page, live_server, "marco")

    tab_to(page, "nav a[href$='/work-items/']")
    page.keyboard.press("Enter")
    arrive_at(page, "Work items")
    tab_to(page, "a:text('New project')")
    page.keyboard.press("Enter")
    tab_to(page, "#id_title")
    page.keyboard.type("River clean-up drive")
    page.keyboard.press("Enter")
    arrive_at(page, "River clean-up drive")

    tab_to(page, "a:text('Add activity')")
    page.keyboard.press("Enter")
    tab_to(page, "#id_title")
    page.keyboard.type("Barangay assembly")
    page.keyboard.press("Enter")
    arrive_at(page, "Barangay assembly")
    activity = WorkItem.objects.get(title="Barangay assembly")

    tab_to(page, "a:text('Move…')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#candidate-search:focus")  # the dialog starts in its search box
    page.keyboard.type("Coastal")
    # The dialog first lists every candidate, then only the matches: wait for the matches.
    page.wait_for_selector("[data-testid=candidates] :text('Coastal resilience')")
    page.wait_for_selector(
        "[data-testid=candidates] :text('River clean-up drive')", state="detached"
    )
    tab_to(page, "button[aria-label='Move here, under Coastal resilience']")
    assert_accessible(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("text=“Barangay assembly” was moved.")
    assert WorkItem.objects.get(pk=activity.pk).parent.title == "Coastal resilience"

    tab_to(page, "a:text('Coastal resilience')")
    page.keyboard.press("Enter")
    tab_to(page, f"#status-{activity.pk}")
    page.keyboard.press("c")  # Completed is the first status starting with C
    page.wait_for_function(
        f"() => document.querySelector('#status-{activity.pk}').value === 'completed'"
    )
    page.wait_for_selector("#detail-progress:has-text('Progress: 100%')")
    assert WorkItem.objects.get(pk=activity.pk).status == Status.COMPLETED
    assert_accessible(page)
    assert page.problems == []
