"""In a real browser: long containers no longer bury the work on the calendar.

A year-long project used to take the top row of every day, pushing the day's tasks below it.
Short items now come first and containers are thin bars; the type filter is remembered; every
event names its path in its tooltip and in the side panel. At 1440 and 390 px, with axe.
"""

import datetime as dt

import pytest

from testing.a11y import DESKTOP, PHONE, assert_accessible
from testing.browser import screenshot, sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CALENDAR = "/oobc-management/calendar/"
MAY = CALENDAR + "?view=dayGridMonth&date=2026-05-01"
PROGRAMME = "Year-long livelihood programme"


@pytest.fixture
def plan(cast):
    project = item(
        "project",
        PROGRAMME,
        organization=cast.office,
        start_date=dt.date(2026, 3, 1),
        due_date=dt.date(2026, 9, 30),
    )
    phase = item(
        "sub_project",
        "Preparation",
        parent=project,
        start_date=dt.date(2026, 5, 4),
        due_date=dt.date(2026, 5, 20),
    )
    activity = item("activity", "Town consultation", parent=phase, start_date=dt.date(2026, 5, 12))
    task = item("task", "Print agenda", parent=activity, due_date=dt.date(2026, 5, 12))
    return {"project": project, "phase": phase, "activity": activity, "task": task}


def event(page, title: str):
    # FullCalendar may keep hidden copies of a bar (a measuring pass, a "+ more" popover).
    return page.locator(".wi-event", has_text=title).filter(visible=True).first


def bars_over(page, day: str) -> dict[str, dict]:
    """Every event bar drawn across a day cell (multi-day bars start in earlier cells)."""
    page.locator(f"[role=gridcell][data-date='{day}'] .wi-event").filter(
        visible=True
    ).first.wait_for()
    return page.evaluate(
        """(day) => {
            const cell = document.querySelector(`[role=gridcell][data-date='${day}']`);
            const row = cell.closest('[role=row]').getBoundingClientRect();
            const middle = cell.getBoundingClientRect().left + cell.offsetWidth / 2;
            const bars = {};
            for (const el of document.querySelectorAll('.wi-event')) {
                const b = el.getBoundingClientRect();
                const across = b.left <= middle && b.right >= middle;
                if (across && b.top >= row.top && b.bottom <= row.bottom) {
                    bars[el.textContent.trim()] = {y: b.top, height: b.height};
                }
            }
            return bars;
        }""",
        day,
    )


def assert_work_above_containers(page) -> None:
    """On the 12th the task and the activity sit above the sub-project and the project bars."""
    bars = bars_over(page, "2026-05-12")
    assert set(bars) == {"Print agenda", "Town consultation", "Preparation", PROGRAMME}, bars
    task, activity = bars["Print agenda"], bars["Town consultation"]
    phase, project = bars["Preparation"], bars[PROGRAMME]
    assert max(task["y"], activity["y"]) < min(phase["y"], project["y"]), bars
    # Containers are thin bars: lower than a work item's bar (at 390 px FullCalendar already
    # draws items smaller, so the margin is narrower there).
    assert project["height"] <= task["height"] * 0.85, bars
    assert phase["height"] <= task["height"] * 0.85, bars


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_short_items_come_first_and_containers_are_thin(page, live_server, cast, plan, width):
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + MAY)
    assert_work_above_containers(page)
    thin = page.locator(".wi-thin", has_text=PROGRAMME).first
    assert "wi-container" in thin.get_attribute("class")
    assert_accessible(page, f"calendar month at {width} px")
    screenshot(page, f"calendar-containers-{width}")

    # The tooltip names the path from the top down.
    tip = event(page, "Print agenda").get_attribute("title")
    assert tip == f"{PROGRAMME} › Preparation › Town consultation › Print agenda"

    # After a reload the layout is the same.
    # A person reloads a page that has finished loading and saving its state.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    page.reload()
    assert_work_above_containers(page)

    # The side panel shows the path too.
    event(page, "Print agenda").click()
    path = page.locator("#event-panel [data-testid=panel-path]")
    path.wait_for()
    assert path.inner_text().split("›")[0].strip() == PROGRAMME
    assert "Town consultation" in path.inner_text()
    assert_accessible(page, f"calendar panel at {width} px")
    assert page.problems == []


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_type_filter_survives_a_reload_and_a_fresh_visit(page, live_server, cast, plan, width):
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + MAY)
    event(page, "Print agenda").wait_for()
    if not page.locator("#filter-box").evaluate("el => el.open"):
        page.click("[data-testid=filters-toggle]")
    page.uncheck("input[name=type][value=project]")
    page.wait_for_selector(f".wi-event:has-text('{PROGRAMME}')", state="detached")

    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    page.reload()
    event(page, "Print agenda").wait_for()
    assert not page.locator("input[name=type][value=project]").is_checked()
    assert page.locator(".wi-event", has_text=PROGRAMME).count() == 0

    # The menu's link (no filters in the address) opens with the filters last used here.
    page.goto(live_server.url + MAY)
    event(page, "Print agenda").wait_for()
    assert not page.locator("input[name=type][value=project]").is_checked()
    assert page.locator("input[name=type][value=task]").is_checked()
    assert "type=task" in page.url
    assert page.locator(".wi-event", has_text=PROGRAMME).count() == 0
    assert_accessible(page, f"calendar filtered at {width} px")
    assert page.problems == []


def test_the_year_view_is_readable(page, live_server, cast, plan):
    page.set_viewport_size({"width": DESKTOP, "height": 1000})
    sign_in(page, live_server, "marco")
    page.goto(live_server.url + CALENDAR + "?view=multiMonthYear&date=2026-05-01")
    page.locator(".wi-event", has_text="Print agenda").first.wait_for()
    # Three months a row at most, so each month is wide enough to read its items.
    lefts = page.evaluate(
        """() => [...document.querySelectorAll('#calendar [role=grid]')]
            .map(g => Math.round(g.getBoundingClientRect().left))"""
    )
    assert len(set(lefts)) <= 3, lefts
    task = page.locator(".wi-event", has_text="Print agenda").first.bounding_box()
    assert task["width"] >= 40
    assert_accessible(page, "calendar year")
    screenshot(page, "calendar-year-1440")
    assert page.problems == []


def test_on_a_phone_the_list_shows_whole_titles_with_their_path_beneath(
    page, live_server, cast, plan
):
    """The path used to take a column of its own beside the title, which was cut to a few
    letters ("Pri")."""
    page.set_viewport_size({"width": PHONE, "height": 900})
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{CALENDAR}?view=listMonth&date=2026-05-01")
    task = event(page, "Print agenda")
    title = task.locator(".wi-list-title")
    path = title.locator(".wi-path")
    assert path.inner_text() == f"{PROGRAMME} › Preparation › Town consultation"
    assert title.evaluate("box => box.scrollWidth <= box.clientWidth")  # nothing cut off
    assert title.evaluate("box => box.firstChild.textContent") == "Print agenda"
    assert path.bounding_box()["y"] > title.bounding_box()["y"]  # beneath, not beside
    assert_accessible(page, "calendar list on a phone")
    page.reload()
    again = event(page, "Print agenda").locator(".wi-list-title .wi-path")
    again.wait_for()  # the calendar draws its events after the page has loaded
    assert again.inner_text() == f"{PROGRAMME} › Preparation › Town consultation"
    assert page.problems == []


def _listed_titles(page) -> list[str]:
    """The title of every item row the list shows, in order (its path and days left out)."""
    page.locator(".wi-event", has_text="Print agenda").filter(visible=True).first.wait_for()
    return (
        page.locator(".wi-event")
        .filter(visible=True)
        .evaluate_all(
            "rows => rows.map(row => (row.querySelector('.wi-list-title') || row)"
            ".firstChild.textContent.trim())"
        )
    )


def _runs_of(page, title: str) -> str:
    text = event(page, title).locator(".wi-runs").inner_text()
    return text.replace("\u2009", " ").replace("\u202f", " ")


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_list_names_each_container_once_with_the_days_it_runs(
    page, live_server, cast, plan, width
):
    """A project listed on every day it spans buried the month's work (24,000 px on a phone)."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "marco")
    page.goto(f"{live_server.url}{CALENDAR}?view=listMonth&date=2026-05-01")

    titles = _listed_titles(page)
    assert sorted(titles) == sorted(
        [PROGRAMME, "Preparation", "Town consultation", "Print agenda"]
    ), titles
    assert _runs_of(page, PROGRAMME) == "Runs Mar 1 – Sep 30, 2026"
    assert _runs_of(page, "Preparation") == "Runs May 4 – 20, 2026"
    # Each is listed on its first day in May: the programme on the 1st, ahead of the rest.
    assert titles[0] == PROGRAMME
    assert_accessible(page, f"calendar list at {width} px")

    # Through the month grid and back: the grid draws the bars whole, the list lists them once.
    page.get_by_role("tab", name="Month view").click()
    assert set(bars_over(page, "2026-05-12")) >= {PROGRAMME, "Preparation"}
    page.get_by_role("tab", name="List view").click()
    assert sorted(_listed_titles(page)) == sorted(titles)

    page.reload()
    assert sorted(_listed_titles(page)) == sorted(titles)
    assert _runs_of(page, "Preparation") == "Runs May 4 – 20, 2026"
    assert page.problems == []
