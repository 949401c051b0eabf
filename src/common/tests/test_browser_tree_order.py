"""In a real browser: the tree puts rows where people expect them.

Top-level reordering by drag counts only the dragged item's organisation (people who see
several organisations saw drops land one place off); new top-level items appear first, not on
the last page; a top-level row without children is not indented like a child; and the actions
column is never clipped on wide screens.
"""

import datetime as dt

import pytest

from common.models import WorkItem
from testing.a11y import assert_accessible
from testing.browser import arrive_at, expand_row, sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TREE = "/oobc-management/work-items/"


def office_order(organization) -> list[str]:
    roots = WorkItem.objects.filter(parent=None, organization=organization)
    return list(roots.order_by("position", "id").values_list("title", flat=True))


def test_a_top_level_drop_lands_where_it_was_dropped_among_several_organisations(
    page, live_server, cast
):
    _, b, c = (item("project", name, organization=cast.office) for name in "ABC")
    for number in range(3):
        item("project", f"Partner {number}", organization=cast.partner)
    sign_in(page, live_server, "ana")  # the administrator sees both organisations
    page.goto(live_server.url + TREE)
    page.wait_for_selector("#tree-body[aria-busy=false]")
    page.drag_and_drop(
        f"#row-{c.pk} td:nth-child(2)",
        f"#row-{b.pk} td:nth-child(2)",
        target_position={"x": 10, "y": 2},  # the upper edge: before B
    )
    page.wait_for_selector("text=“C” was moved.")
    assert office_order(cast.office) == ["A", "C", "B"]
    page.reload()
    titles = page.locator("tr.tree-row td:first-child a").all_inner_texts()
    assert [t for t in titles if len(t) == 1] == ["A", "C", "B"]
    assert_accessible(page)
    assert page.problems == []


def test_a_new_top_level_item_is_on_the_first_page(page, live_server, cast):
    for number in range(30):
        item("project", f"Older project {number:02}", organization=cast.office)
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + TREE)
    page.click("text=New project")
    page.fill("#id_title", "Fresh project")
    page.click("button:has-text('Create')")
    arrive_at(page, "Fresh project")
    page.goto(live_server.url + TREE)
    assert page.locator("tr.tree-row td:first-child a").first.inner_text() == "Fresh project"
    assert_accessible(page)


def test_top_level_rows_line_up_and_children_are_indented_a_full_level(page, live_server, cast):
    parent = item("project", "Has children", organization=cast.office)
    child = item("activity", "A child", parent=parent)
    leaf = item("project", "No children", organization=cast.office)
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + TREE)
    expand_row(page, parent)

    def left(work_item) -> float:
        return page.locator(f"#row-{work_item.pk} td:first-child a").bounding_box()["x"]

    assert left(leaf) == left(parent)
    assert left(child) - left(parent) >= 32  # a whole level, more than the expander's width
    expander = page.locator(f"#row-{child.pk} td:first-child span[aria-hidden]").bounding_box()["x"]
    assert expander >= left(leaf)  # a child's gutter starts where a top-level title does


@pytest.mark.parametrize("width", [1440, 1920])
def test_the_actions_column_is_never_clipped(page, live_server, cast, width):
    chain = [
        item(
            "project",
            "Regional livelihood and peace-building programme " * 2,
            organization=cast.office,
            assignees=[cast.staff, cast.manager],
            start_date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 9, 30),
        )
    ]
    for work_type in ("sub_project", "activity", "sub_activity", "task", "subtask"):
        chain.append(
            item(
                work_type,
                f"{work_type} with a fairly long title",
                parent=chain[-1],
                start_date=dt.date(2026, 9, 1),
                due_date=dt.date(2026, 9, 30),
                assignees=[cast.manager],
            )
        )
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + TREE)
    for level in chain[:-1]:
        expand_row(page, level)
    box = page.locator("#tree").locator("xpath=..")  # the box the table scrolls in
    scroll, client = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert scroll <= client, f"the table is {scroll - client} px wider than its box"
    move = page.locator(f"#row-{chain[-1].pk} a:has-text('Move…')").bounding_box()
    assert move["x"] + move["width"] <= box.bounding_box()["x"] + client
    assert_accessible(page)


def test_moving_a_top_level_item_to_the_top_level_is_not_offered(page, live_server, cast):
    top = item("project", "Already on top", organization=cast.office)
    child = item("activity", "Stand-alone event", parent=top)
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{TREE}{top.pk}/move/")
    page.wait_for_selector("#candidate-search:focus")
    assert page.locator("button:has-text('Move to the top level')").count() == 0
    assert_accessible(page)
    page.goto(f"{live_server.url}{TREE}{child.pk}/move/")
    page.click("button:has-text('Move to the top level')")
    page.wait_for_selector("text=“Stand-alone event” was moved.")
    assert WorkItem.objects.get(pk=child.pk).parent_id is None
