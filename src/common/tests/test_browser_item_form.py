"""In a real browser, at desktop and phone widths: the item form people can fill.

A repeat built from choices (and a rule read back into them), two assignees picked with the
keyboard alone, a colour picked with the arrow keys, progress locked with its reason, and the
move dialog's paths and focus. Each page is checked with axe and reloaded once.
"""

import datetime as dt

import pytest

from common.models import WorkItem
from testing.a11y import DESKTOP, NARROWEST, PHONE, assert_accessible, assert_fits_phone
from testing.browser import arrive_at, screenshot, sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ITEMS = "/oobc-management/work-items"


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def width(request, page):
    page.set_viewport_size({"width": request.param, "height": 900})
    return request.param


def looks_right(page, width: int, name: str) -> None:
    """axe finds nothing serious; at phone width nothing scrolls sideways or is too small."""
    assert_accessible(page, f"{name} at {width} px")
    if width == PHONE:
        assert_fits_phone(page, f"{name} at {width} px")
        page.set_viewport_size({"width": NARROWEST, "height": 900})
        assert_fits_phone(page, f"{name} at {NARROWEST} px")
        page.set_viewport_size({"width": width, "height": 900})
    screenshot(page, f"{name}-{width}")


def open_section(page, name: str) -> None:
    section = page.locator(f"details[data-section={name}]")
    if section.get_attribute("open") is None:
        section.locator("summary").focus()
        page.keyboard.press("Enter")
    page.wait_for_selector(f"details[data-section={name}][open]")


def test_a_repeat_built_from_choices_is_saved_and_read_in_words(page, live_server, cast, width):
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{ITEMS}/new/?type=activity")
    page.fill("#id_title", "Coordination meeting")
    page.fill("#id_start_date", "2026-12-07")
    open_section(page, "repeat")
    assert page.is_hidden("#id_repeat-weekdays_0")  # weekdays only once "weekly" is chosen
    page.select_option("#id_repeat-freq", "weekly")
    page.fill("#id_repeat-interval", "2")
    page.check("#id_repeat-weekdays_0")  # Monday
    page.check("#id_repeat-weekdays_2")  # Wednesday
    page.check("[name=repeat-ends][value=after]")
    page.fill("#id_repeat-count", "6")
    page.keyboard.press("Tab")  # leave the field, as people do, before the checks below
    assert page.input_value("#id_recurrence_rule") == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"
    words = page.locator("[data-testid=repeat-words]")
    assert words.inner_text() == "Every 2 weeks on Mon and Wed, 6 times"
    assert page.inner_text("[data-repeat-unit]") == "weeks"
    looks_right(page, width, "form-repeat-builder")

    page.click("button:has-text('Create')")
    arrive_at(page, "Coordination meeting")
    saved = WorkItem.objects.get(title="Coordination meeting")
    assert saved.recurrence_rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"
    repeats = page.locator("[data-testid=repeats]")
    assert repeats.inner_text() == "Every 2 weeks on Mon and Wed, 6 times"
    page.reload()
    assert repeats.inner_text() == "Every 2 weeks on Mon and Wed, 6 times"

    # The edit page opens the section and reads the rule back; an expert rule is read too.
    page.goto(f"{live_server.url}{ITEMS}/{saved.pk}/edit/")
    assert page.locator("details[data-section=repeat]").get_attribute("open") is not None
    assert page.input_value("#id_repeat-freq") == "weekly"
    assert page.is_checked("#id_repeat-weekdays_2") and not page.is_checked("#id_repeat-weekdays_1")
    page.fill("#id_recurrence_rule", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270625")
    assert page.input_value("#id_repeat-freq") == "monthly"
    assert page.is_checked("[name=repeat-monthly_by][value=weekday]")
    assert page.input_value("#id_repeat-nth") == "-1"
    assert page.input_value("#id_repeat-nth_weekday") == "FR"
    assert page.input_value("#id_repeat-until") == "2027-06-25"
    assert words.inner_text() == "Every month on the last Friday, until Jun 25, 2027"
    page.fill("#id_recurrence_rule", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1")
    assert page.input_value("#id_repeat-freq") == "custom"
    page.click("button:has-text('Save')")
    page.wait_for_selector("[data-testid=repeats]:has-text('By the rule FREQ=MONTHLY')")
    assert WorkItem.objects.get(pk=saved.pk).recurrence_rule.endswith("BYSETPOS=-1")
    page.reload()
    assert_accessible(page)
    assert page.problems == []


def test_two_assignees_are_picked_with_the_keyboard_alone(page, live_server, cast, width):
    task = item("task", "Print the agenda", organization=cast.office)
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{ITEMS}/{task.pk}/edit/")
    combo = page.get_by_role("combobox", name="Assignees")
    assert page.is_hidden("#id_assignees")  # the plain select is dressed, still in the form
    combo.focus()
    page.keyboard.type("mar")
    options = page.locator("#id_assignees-list [role=option]")
    assert options.all_inner_texts() == ["Marco"]
    page.keyboard.press("Enter")  # picks Marco; the search starts afresh from him
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_assignees-list .active").inner_text() == "Sofia"
    page.keyboard.press("Space")
    chips = page.locator("[data-chooser] .chip span")
    assert chips.all_inner_texts() == ["Marco", "Sofia"]
    page.get_by_role("button", name="Remove Sofia").wait_for()
    assert page.locator("#id_assignees-list [aria-selected=true]").count() == 2
    looks_right(page, width, "form-people-chooser")
    page.keyboard.press("Escape")
    assert combo.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")  # with the list closed, Enter submits as in any field
    arrive_at(page, "Print the agenda")
    saved = WorkItem.objects.get(pk=task.pk)
    assert set(saved.assignees.all()) == {cast.manager, cast.staff}
    page.goto(f"{live_server.url}{ITEMS}/{task.pk}/edit/")
    page.reload()
    assert chips.all_inner_texts() == ["Marco", "Sofia"]
    assert page.problems == []


def test_a_colour_is_picked_with_the_arrow_keys(page, live_server, cast, width):
    task = item("task", "Print the agenda", organization=cast.office)
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{ITEMS}/{task.pk}/edit/")
    open_section(page, "appearance")
    default = page.get_by_role("radio", name="The type's colour")
    assert default.is_checked()
    default.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    violet = page.get_by_role("radio", name="Violet")
    assert violet.is_checked() and violet.evaluate("el => el === document.activeElement")
    looks_right(page, width, "form-colour-picker")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    arrive_at(page, "Print the agenda")
    assert WorkItem.objects.get(pk=task.pk).calendar_color == "#7C3AED"
    page.goto(f"{live_server.url}{ITEMS}/{task.pk}/edit/")
    page.reload()
    assert page.get_by_role("radio", name="Violet").is_checked()
    assert page.problems == []


def test_rolled_up_progress_is_locked_with_its_reason(page, live_server, cast, width):
    activity = item("activity", "Barangay assembly", organization=cast.office)
    for number in range(3):
        item("task", f"Step {number}", parent=activity, progress=30)
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{ITEMS}/{activity.pk}/edit/")
    assert "rolled up from 3 child items" in page.inner_text("details[data-section=progress]")
    open_section(page, "progress")
    progress = page.get_by_label("Progress (%)")
    assert progress.is_disabled()
    reason = page.locator("[data-testid=progress-reason]")
    assert reason.is_visible()
    assert reason.inner_text() == (
        "Rolled up from its 3 children — switch to set by hand to change it."
    )
    looks_right(page, width, "form-progress-locked")
    page.reload()
    open_section(page, "progress")
    assert progress.is_disabled()

    page.select_option("#id_progress_mode", "manual")
    assert progress.is_enabled() and reason.is_hidden()
    progress.fill("70")
    page.click("button:has-text('Save')")
    arrive_at(page, "Barangay assembly")
    saved = WorkItem.objects.get(pk=activity.pk)
    assert (saved.progress_mode, saved.progress) == ("manual", 70)
    assert page.problems == []


def test_the_move_dialog_starts_in_the_search_and_shows_paths(page, live_server, cast, width):
    west = item("project", "West district", organization=cast.office)
    east = item("project", "East district", organization=cast.office)
    item("activity", "Planning workshop", parent=west)
    schools = item("sub_project", "Schools", parent=east)
    item("activity", "Planning workshop", parent=schools, start_date=dt.date(2026, 12, 1))
    task = item("task", "Book the hall", organization=cast.office)
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{ITEMS}/{task.pk}/")
    page.click("a:has-text('Move…')")
    page.wait_for_selector("#candidate-search:focus")
    page.keyboard.type("planning")
    paths = page.locator("[data-testid=candidates] [data-testid=candidate-path]")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=candidate-path]').length === 2"
    )
    assert sorted(paths.all_inner_texts()) == ["in East district › Schools", "in West district"]
    looks_right(page, width, "move-dialog-paths")
    page.reload()
    page.wait_for_selector("#candidate-search:focus")
    page.wait_for_selector("[data-testid=candidate-path]")
    assert page.problems == []
