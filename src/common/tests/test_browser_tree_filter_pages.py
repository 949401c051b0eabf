"""In a real browser: a filter with many matches is listed a page at a time, and the page shown
(its filters, its order, its number) survives a reload."""

import datetime as dt

import pytest

from testing.a11y import assert_accessible, check_page
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TREE = "/oobc-management/work-items/"


def test_many_matches_are_paged_and_the_page_survives_a_reload(page, live_server, cast):
    activity = item(
        "activity",
        "Household visits",
        parent=item("project", "Coastal census", organization=cast.office),
    )
    for n in range(60):
        due = dt.date(2026, 12, 1) + dt.timedelta(n)
        item("task", f"Survey house {n:02}", parent=activity, due_date=due)
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{TREE}?q=survey&sort=due")
    page.wait_for_selector("#tree-body[aria-busy=false]")
    count = page.inner_text("[data-testid=match-count]")
    assert "60 matching items" in count and "50 to a page" in count
    matches = page.locator("tr.tree-row:not(.text-slate-500) a.row-title")
    assert matches.count() == 50
    check_page(page, "tree-filter-pages")
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**page=2**")
    page.reload()
    page.wait_for_selector("#tree-body[aria-busy=false]")
    assert "Page 2 of 2" in page.inner_text("nav[aria-label=Pages]")
    assert matches.all_inner_texts() == [f"Survey house {n:02}" for n in range(50, 60)]
    assert page.locator("tr.tree-row.text-slate-500 a.row-title").all_inner_texts() == [
        "Coastal census",
        "Household visits",
    ]
    assert page.input_value("#id_q") == "survey"
    assert_accessible(page)
    assert page.problems == []
