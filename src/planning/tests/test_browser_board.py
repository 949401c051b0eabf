"""In a real browser: the board at desktop and phone widths, moving cards, and saved views."""

from __future__ import annotations

import pytest

from common.models import WorkItem
from common.services import NewItem, bulk_create_items, update_work_item
from planning.models import SavedView
from testing.a11y import DESKTOP, PHONE, assert_accessible, check_page
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def task(cast):
    project = item("project", "Community consultations", organization=cast.office)
    return item("task", "Book the hall", parent=project)


def open_board(page, live_server, query: str = "") -> None:
    page.goto(f"{live_server.url}/oobc-management/board/{query}")
    page.wait_for_selector("[data-testid=board]")


def card_in(page, column: str, task: WorkItem):
    return page.locator(f"[data-testid=column-{column}] [data-testid=card-{task.pk}]")


def test_dragging_a_card_to_another_column_changes_its_status(page, live_server, cast, task):
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    sign_in(page, live_server, "marco")
    open_board(page, live_server)
    check_page(page, "board")
    page.drag_and_drop(
        f"[data-testid=card-{task.pk}]", "[data-testid=column-in_progress] [data-cards]"
    )
    page.wait_for_selector("#messages >> text=Moved “Book the hall”")
    assert WorkItem.objects.get(pk=task.pk).status == "in_progress"
    assert page.locator("[data-testid=column-in_progress] [data-count]").inner_text() == "1"
    page.reload()
    card_in(page, "in_progress", task).wait_for()
    assert_accessible(page, "board after a move")
    assert page.problems == []


def test_a_stale_card_goes_back_and_says_why(page, live_server, cast, task):
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    sign_in(page, live_server, "marco")
    open_board(page, live_server)
    update_work_item(cast.administrator, task.pk, title="Book the big hall")  # Ana, meanwhile
    page.drag_and_drop(f"[data-testid=card-{task.pk}]", "[data-testid=column-blocked] [data-cards]")
    message = page.locator("#messages [role=alert]")
    message.wait_for()
    assert "changed by Ana" in message.inner_text()
    card = card_in(page, "not_started", task)
    card.wait_for()
    assert "Book the big hall" in card.inner_text()  # the card shows the latest values
    assert WorkItem.objects.get(pk=task.pk).status == "not_started"
    assert page.locator("[data-testid=column-blocked] [data-count]").inner_text() == "0"
    assert_accessible(page, "board after a refused move")
    # Moving it again from the refreshed card works.
    page.drag_and_drop(f"[data-testid=card-{task.pk}]", "[data-testid=column-blocked] [data-cards]")
    page.wait_for_selector("#messages >> text=Moved")
    assert WorkItem.objects.get(pk=task.pk).status == "blocked"
    assert page.problems == []


def test_a_viewer_is_offered_no_moves(page, live_server, cast, task):
    sign_in(page, live_server, "victor")
    open_board(page, live_server)
    card = page.locator(f"[data-testid=card-{task.pk}]")
    assert card.get_attribute("draggable") is None
    assert card.locator("[data-move-menu]").count() == 0
    card.focus()
    page.keyboard.press("ArrowRight")
    assert WorkItem.objects.get(pk=task.pk).status == "not_started"
    assert_accessible(page, "board for a viewer")
    assert page.problems == []


def test_the_keyboard_moves_a_focused_card(page, live_server, cast, task):
    sign_in(page, live_server, "marco")
    open_board(page, live_server)
    page.locator(f"[data-testid=card-{task.pk}]").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#messages >> text=Moved")
    assert WorkItem.objects.get(pk=task.pk).status == "in_progress"
    focused = page.evaluate("document.activeElement.dataset.id")
    assert focused == str(task.pk)  # focus stays on the card, so it can move on
    page.keyboard.press("ArrowRight")
    card_in(page, "at_risk", task).wait_for()
    # The card moves at once; the server confirms a moment later. Reload only after that.
    page.wait_for_selector("#messages >> text=to At risk")
    assert WorkItem.objects.get(pk=task.pk).status == "at_risk"
    page.reload()
    card_in(page, "at_risk", task).wait_for()
    page.locator(f"[data-testid=card-{task.pk}]").focus()
    page.keyboard.press("Enter")  # the Move menu, for any column
    dialog = page.locator("#board-move-dialog")
    dialog.wait_for()
    assert_accessible(page, "move menu")
    dialog.get_by_role("button", name="Not started").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#messages >> text=Moved")
    assert WorkItem.objects.get(pk=task.pk).status == "not_started"
    assert page.evaluate("document.activeElement.dataset.id") == str(task.pk)
    assert page.problems == []


def test_on_a_phone_the_board_scrolls_in_its_box_and_the_move_menu_works(
    touch_page, live_server, cast, task
):
    page = touch_page
    sign_in(page, live_server, "marco")
    open_board(page, live_server)
    check_page(page, "board-phone", widths=(PHONE,))
    widths = page.evaluate(
        "() => { const b = document.querySelector('[data-board]');"
        " return [document.documentElement.scrollWidth, b.scrollWidth, b.clientWidth]; }"
    )
    assert widths[0] <= PHONE  # the page itself does not scroll sideways
    assert widths[1] > widths[2]  # the board does, inside its own box
    page.locator(f"[data-testid=card-{task.pk}] [data-move-menu]").tap()
    dialog = page.locator("#board-move-dialog")
    dialog.wait_for()
    assert_accessible(page, "move menu on a phone")
    dialog.get_by_role("button", name="Blocked").tap()
    page.wait_for_selector("#messages >> text=Moved")
    assert WorkItem.objects.get(pk=task.pk).status == "blocked"
    page.reload()
    card_in(page, "blocked", task).wait_for()
    assert page.problems == []


def test_a_saved_view_reopens_the_board_identical(page, live_server, cast, task):
    sign_in(page, live_server, "sofia")
    query = "?columns=priority&lanes=assignee&q=hall"
    open_board(page, live_server, query)
    page.click("[data-testid=save-view]")
    page.wait_for_selector("#id_name")
    assert_accessible(page, "save a view")
    page.fill("#id_name", "Hall bookings")
    page.click("button:has-text('Save view')")
    page.wait_for_selector("[data-testid=board]")
    saved_url = page.url
    assert saved_url.endswith("/oobc-management/board/" + query)
    view = SavedView.objects.get(name="Hall bookings")
    page.goto(f"{live_server.url}/oobc-management/views/")
    assert_accessible(page, "saved views")
    page.click("text=Hall bookings")
    page.wait_for_selector("[data-testid=board]")
    assert page.url == saved_url
    assert page.locator("#columns").input_value() == "priority"
    assert page.locator("#lanes").input_value() == "assignee"
    assert page.locator("#id_q").input_value() == "hall"
    page.goto(f"{live_server.url}/oobc-management/views/")
    page.click(f"[data-testid=view-{view.pk}] button:has-text('Set as my default')")
    page.wait_for_selector("text=Your default")
    open_board(page, live_server)
    assert page.url == saved_url
    page.reload()
    assert page.locator("#columns").input_value() == "priority"
    assert page.problems == []


def _touch(session, kind: str, x: float, y: float) -> None:
    """A finger on the screen, through Chromium's own input (Playwright only taps)."""
    points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
    session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_a_long_press_and_drag_moves_a_card_on_a_touch_screen(touch_page, live_server, cast, task):
    page = touch_page
    sign_in(page, live_server, "marco")
    open_board(page, live_server)
    page.locator("[data-board]").evaluate("board => board.scrollIntoView({block: 'start'})")
    card = page.locator(f"[data-testid=card-{task.pk}] dl").bounding_box()
    target = page.locator("[data-testid=column-in_progress] h3").bounding_box()
    start = (card["x"] + 20, card["y"] + 10)
    finger = page.context.new_cdp_session(page)
    _touch(finger, "touchStart", *start)
    page.wait_for_timeout(500)  # a long press picks the card up; a swipe would scroll
    end = (target["x"] + 12, target["y"] + target["height"] + 30)  # the visible edge of it
    for step in range(1, 6):
        _touch(
            finger,
            "touchMove",
            start[0] + (end[0] - start[0]) * step / 5,
            start[1] + (end[1] - start[1]) * step / 5,
        )
    _touch(finger, "touchEnd", *end)
    page.wait_for_selector("#messages >> text=Moved")
    assert WorkItem.objects.get(pk=task.pk).status == "in_progress"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.problems == []


@pytest.mark.parametrize(
    ("address", "view_type", "expected"),
    [
        ("/oobc-management/work-items/?q=hall&sort=title", "tree", "q=hall&sort=title"),
        ("/oobc-management/calendar/", "calendar", ""),
    ],
)
def test_save_this_view_on_the_tree_and_calendar_keeps_the_address(
    page, live_server, cast, task, address, view_type, expected
):
    sign_in(page, live_server, "sofia")
    page.goto(f"{live_server.url}{address}")
    page.wait_for_selector("[data-testid=save-view]")
    if view_type == "calendar":  # the calendar writes its state into the address as it goes
        page.wait_for_function("() => window.location.search.length > 1")
        expected = page.evaluate("() => window.location.search.slice(1)")
    page.click("[data-testid=save-view]")
    page.wait_for_selector("#id_name")
    assert page.locator("#id_view_type").input_value() == view_type
    assert page.locator("#id_query").input_value() == expected
    page.fill("#id_name", f"My {view_type}")
    page.click("button:has-text('Save view')")
    page.wait_for_url(f"**{address.split('?')[0]}**")
    view = SavedView.objects.get(name=f"My {view_type}")
    assert view.view_type == view_type
    page.goto(f"{live_server.url}/oobc-management/views/")
    check_page(page, "saved-views")
    page.click(f"text=My {view_type}")
    page.wait_for_selector("[data-testid=save-view]")
    assert page.url.split("?", 1)[-1] == expected or (not expected and "?" not in page.url)
    assert page.problems == []


def test_a_long_column_loads_more_cards_as_it_is_scrolled(page, live_server, cast, task):
    bulk_create_items(
        [
            NewItem(
                n, "task", f"Survey {n}", parent_id=task.parent_id, fields={"status": "blocked"}
            )
            for n in range(120)
        ]
    )
    sign_in(page, live_server, "marco")
    open_board(page, live_server)
    cards = page.locator("[data-testid=column-blocked] [data-card]")
    assert cards.count() == 50
    assert page.locator("[data-testid=column-blocked] [data-count]").inner_text() == "120"
    column = page.locator("[data-testid=column-blocked] [data-cards]")
    column.evaluate(
        "list => { list.scrollIntoView({block: 'end'}); list.scrollTop = list.scrollHeight; }"
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=column-blocked] [data-card]').length === 100"
    )
    column.evaluate(
        "list => { list.scrollIntoView({block: 'end'}); list.scrollTop = list.scrollHeight; }"
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=column-blocked] [data-card]').length === 120"
    )
    assert page.locator("[data-testid=column-blocked] [data-testid=load-more]").count() == 0
    # A card that came with "load more" moves like the others.
    late = page.locator("[data-testid=column-blocked] [data-card]").nth(110)
    late.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector("#messages >> text=Moved")
    assert WorkItem.objects.filter(status="at_risk").count() == 1
    assert_accessible(page, "board after loading more")
    assert page.problems == []
