"""In a real browser: every main page at phone (390 px) and desktop (1440 px) width.

Each page must fit 360 px without sideways scrolling, offer touch targets of at least 44 px on
a phone, have no serious or critical axe-core violation, and leave a screenshot of each width in
test-artifacts/ for people reviewing a change.
"""

import pytest

from testing.a11y import DESKTOP, PHONE, check_page, page_width
from testing.browser import sign_in
from testing.builders import branch, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ITEMS = "/oobc-management/work-items"


@pytest.fixture
def office_plan(cast):
    """A deep branch with long titles and dates, as a real office has."""
    chain = branch(cast.office, 6, prefix="Livelihood support for coastal barangays – ")
    item(
        "task",
        "Print the consultation agenda in Tagalog, Maguindanaon and English",
        parent=chain[3],
        assignees=[cast.staff],
        due_date=chain[3].due_date,
    )
    for number in range(3):
        item("project", f"Partner programme {number}", organization=cast.partner)
    return chain


def visit(page, live_server, path: str) -> None:
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")


def test_every_main_page_fits_a_phone_and_passes_axe(page, live_server, cast, office_plan):
    sign_in(page, live_server, "ana")
    leaf, middle = office_plan[-1], office_plan[3]
    pages = {
        "home": "/",
        "tree": f"{ITEMS}/",
        "tree-filtered": f"{ITEMS}/?q=agenda",
        "detail": f"{ITEMS}/{middle.pk}/",
        "new-item": f"{ITEMS}/new/?parent={middle.pk}&type=task",
        "edit-item": f"{ITEMS}/{leaf.pk}/edit/",
        "move-dialog": f"{ITEMS}/{middle.pk}/move/",
        "delete": f"{ITEMS}/{middle.pk}/delete/",
        "calendar": "/oobc-management/calendar/?view=dayGridMonth&date=2026-12-01",
        "calendar-week": "/oobc-management/calendar/?view=timeGridWeek&date=2026-12-08",
        "calendar-day": "/oobc-management/calendar/?view=timeGridDay&date=2026-12-08",
        "calendar-list": "/oobc-management/calendar/?view=listMonth&date=2026-12-08",
        "calendar-year": "/oobc-management/calendar/?view=multiMonthYear&date=2026-12-08",
        "subscriptions": "/oobc-management/calendar/subscriptions/",
        "notifications": "/notifications/",
        "feedback": "/feedback/",
        "password": "/accounts/password/",
        "not-found": f"{ITEMS}/987654/",
    }
    for name, path in pages.items():
        visit(page, live_server, path)
        if name == "move-dialog":
            page.wait_for_selector("[data-testid=candidates]")
        check_page(page, name)
    assert page.problems == []


def test_the_sign_in_page_fits_a_phone_and_passes_axe(page, live_server, cast):
    visit(page, live_server, "/accounts/login/")
    check_page(page, "sign-in")


def test_the_admin_add_form_names_every_field(page, live_server, cast):
    sign_in(page, live_server, "ana")
    visit(page, live_server, "/admin/common/workitem/add/")
    page.wait_for_selector(".select2-search__field[aria-label]")
    check_page(page, "admin-add-work-item", phone_layout=False)


def test_the_tree_and_detail_pages_were_a_thousand_pixels_wide(page, live_server, office_plan):
    """The measurements of the report: ~1,140 px tree and ~1,150 px detail page at 390 px."""
    sign_in(page, live_server, "ana")
    page.set_viewport_size({"width": PHONE, "height": 900})
    for path in (f"{ITEMS}/", f"{ITEMS}/{office_plan[2].pk}/"):
        visit(page, live_server, path)
        assert page_width(page) == PHONE
    page.set_viewport_size({"width": DESKTOP, "height": 900})


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_an_items_details_come_right_under_its_heading_on_a_phone(page, live_server, office_plan):
    """On a phone the dates and people came after the children, the conversation and the whole
    history; on a wide screen they stay on the right, above the other side cards."""
    sign_in(page, live_server, "sofia")
    detail = f"{ITEMS}/{office_plan[3].pk}/"
    page.set_viewport_size({"width": PHONE, "height": 900})
    visit(page, live_server, detail)
    details = _box(page, "[data-testid=item-details]")
    assert details["y"] < _box(page, "section[aria-labelledby=children-h]")["y"]
    assert details["y"] < _box(page, "#item-history")["y"]
    assert details["y"] < page.viewport_size["height"], "the details are below the first screen"
    check_page(page, "item-details")  # axe, layout and screenshots at both widths
    page.reload()
    assert _box(page, "[data-testid=item-details]")["y"] == details["y"]

    page.set_viewport_size({"width": DESKTOP, "height": 900})
    visit(page, live_server, detail)
    details, children = (
        _box(page, "[data-testid=item-details]"),
        _box(page, "section[aria-labelledby=children-h]"),
    )
    related = _box(page, "aside section:last-child")
    assert details["x"] > children["x"] + children["width"]  # beside the main column
    assert abs(details["y"] - children["y"]) < 2  # level with its top
    assert related["y"] > details["y"] + details["height"]  # the other side cards below
    assert related["y"] - (details["y"] + details["height"]) < 40  # with no gap between


def _link_rows(page) -> set[int]:
    """The distinct tops of the main links: one per row they take."""
    boxes = page.locator("[data-testid=nav-links] a").evaluate_all(
        "links => links.map(link => link.getBoundingClientRect().toJSON())"
    )
    return {round(box["y"]) for box in boxes}


def _in_view_of_row(page) -> bool:
    """Whether the current page's link lies within the visible part of the links' row."""
    row, current = _box(page, "[data-testid=nav-links]"), _box(page, ".nav-links .nav-active")
    slack = 1  # sub-pixel widths of the links
    left, right = current["x"], current["x"] + current["width"]
    return row["x"] - slack <= left and right <= row["x"] + row["width"] + slack


def test_the_header_takes_two_rows_on_a_phone_with_every_link_in_reach(page, live_server, cast):
    """The header took five rows of a phone (its links alone three) before any content."""
    sign_in(page, live_server, "ana")  # an administrator: the most links
    page.set_viewport_size({"width": PHONE, "height": 900})
    visit(page, live_server, "/oobc-management/dashboard/")
    assert len(_link_rows(page)) == 1, "the main links wrap onto more than one row"
    assert _box(page, "header")["height"] <= 2 * 60, "more than two rows of 44 px controls"
    assert page_width(page) == PHONE  # the row scrolls, not the page
    # The current page's link is scrolled into the row's view.
    assert _in_view_of_row(page)
    check_page(page, "header")
    page.get_by_role("link", name="Webhooks").click()  # the last link, off to the right
    page.wait_for_url("**/webhooks/**")
    page.reload()
    assert _in_view_of_row(page)

    page.set_viewport_size({"width": DESKTOP, "height": 900})
    visit(page, live_server, "/oobc-management/dashboard/")
    assert len(_link_rows(page)) == 1  # the links side by side on a wide screen too
    for tablet in (800, 1000):  # between the two, the links wrap instead of widening the page
        page.set_viewport_size({"width": tablet, "height": 900})
        assert page_width(page) == tablet


def test_the_calendar_shows_the_calendar_first_on_a_phone(touch_page, live_server, cast):
    page = touch_page
    sign_in(page, live_server, "sofia")
    visit(page, live_server, "/oobc-management/calendar/?date=2026-12-08")
    calendar_top = page.locator("[data-testid=calendar]").bounding_box()["y"]
    assert calendar_top < page.viewport_size["height"] / 2, "filters fill the first screen"
    assert "view=listMonth" in page.url  # a phone starts with the list
    page.click("[data-testid=filters-toggle]")
    page.locator("input[name=type][value=task]").uncheck()
    page.reload()  # the filter and the view live in the address
    assert not page.locator("input[name=type][value=task]").is_checked()
    assert "view=listMonth" in page.url


def test_the_bell_is_an_icon_the_product_ships(page, live_server, cast):
    sign_in(page, live_server, "sofia")
    bell = page.locator("[data-testid=bell]")
    assert bell.locator("svg[data-testid=bell-icon]").is_visible()
    assert "🔔" not in bell.inner_text()
    assert bell.get_attribute("aria-label").startswith("Notifications")
    box = bell.locator("svg").bounding_box()
    assert box["width"] >= 16 and box["height"] >= 16


def test_a_touch_screen_is_pointed_to_move_instead_of_dragging(touch_page, live_server, cast):
    page = touch_page
    item("project", "Coastal clean-up", organization=cast.office)
    sign_in(page, live_server, "marco")
    visit(page, live_server, "/oobc-management/work-items/")
    assert page.locator("[data-testid=move-hint]").is_visible()
    assert not page.locator("[data-testid=drag-hint]").is_visible()
    move = page.locator("tr.tree-row a:has-text('Move…')").bounding_box()
    assert move["height"] >= 44 and move["width"] >= 44
