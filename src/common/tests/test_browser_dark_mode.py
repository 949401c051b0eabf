"""In a real browser: dark mode follows the system, has a chooser in the header, is remembered,
is applied before the first paint, and keeps WCAG AA contrast (axe) on the main pages."""

import datetime as dt

import pytest

from notifications.models import Notification
from testing.a11y import check_page
from testing.browser import sign_in
from testing.builders import item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ITEMS = "/oobc-management/work-items"
#: Records, when <body> first appears, whether <html> was already dark: a theme applied later
#: (by a deferred script) would flash the light page first.
DARK_AT_FIRST_PAINT = """
new MutationObserver((changes, observer) => {
  if (document.body) {
    window.darkAtBody = document.documentElement.classList.contains('dark');
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture
def office(cast):
    project = item(
        "project",
        "Livelihood programme",
        organization=cast.office,
        start_date=dt.date(2026, 12, 1),
        due_date=dt.date(2026, 12, 31),
    )
    activity = item(
        "activity",
        "Town consultation",
        parent=project,
        start_date=dt.date(2026, 12, 8),
        assignees=[cast.staff],
    )
    task = item(
        "task",
        "Draft concept note",
        parent=activity,
        due_date=dt.date(2026, 12, 8),
        assignees=[cast.staff],
    )
    for number in range(4):
        Notification.objects.create(
            user=cast.staff, kind="changed", message=f"Change {number}", work_item=task
        )
    Notification.objects.create(
        user=cast.staff, kind="overdue", message="“Draft concept note” is overdue", work_item=task
    )
    return {"project": project, "activity": activity, "task": task}


def is_dark(page) -> bool:
    return page.evaluate("() => document.documentElement.classList.contains('dark')")


def page_background(page) -> float:
    """The relative luminance of the page's background (0 black … 1 white)."""
    return page.evaluate(
        """() => {
            // Colours may be oklch(); a canvas turns any CSS colour into sRGB bytes.
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 1;
            const context = canvas.getContext('2d');
            context.fillStyle = getComputedStyle(document.documentElement).backgroundColor;
            context.fillRect(0, 0, 1, 1);
            const [r, g, b] = [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)]
                .map(c => c / 255)
                .map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        }"""
    )


def test_the_chooser_switches_to_dark_and_it_survives_a_reload(page, live_server, cast, office):
    page.add_init_script(DARK_AT_FIRST_PAINT)
    sign_in(page, live_server, "sofia")
    assert not is_dark(page)
    assert page_background(page) > 0.8
    assert page.locator("#theme-choice").input_value() == "system"

    page.select_option("#theme-choice", "dark")
    assert is_dark(page)
    assert page_background(page) < 0.02
    page.reload()
    assert is_dark(page)
    assert page.evaluate("() => window.darkAtBody") is True
    assert page.locator("#theme-choice").input_value() == "dark"
    assert page_background(page) < 0.02

    # Every main page in dark mode: axe (contrast included) at 390 and 1440 px, phone fit.
    pages = {
        "home": "/",
        "tree": f"{ITEMS}/",
        "detail": f"{ITEMS}/{office['activity'].pk}/",
        "calendar": "/oobc-management/calendar/?view=dayGridMonth&date=2026-12-01",
        "calendar-list": "/oobc-management/calendar/?view=listMonth&date=2026-12-01",
        "notifications": "/notifications/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if name.startswith("calendar"):
            page.locator(".wi-event", has_text="Draft concept note").first.wait_for()
            # FullCalendar's own palette follows: its day cells are dark too.
            assert page.evaluate("() => document.documentElement.dataset.colorScheme") == "dark"
        assert is_dark(page), name
        check_page(page, f"dark-{name}")

    # Back to light: remembered as well.
    page.select_option("#theme-choice", "light")
    page.reload()
    assert not is_dark(page)
    assert page_background(page) > 0.8
    assert page.problems == []


def test_system_follows_the_operating_system(browser, live_server, cast, office):
    from testing.browser import new_tab

    page = new_tab(browser, color_scheme="dark", viewport={"width": 390, "height": 844})
    try:
        sign_in(page, live_server, "sofia")
        assert page.locator("#theme-choice").input_value() == "system"
        assert is_dark(page)
        assert page_background(page) < 0.02
        check_page(page, "dark-system-home")

        # The system turns light while the page is open: the page follows without a reload.
        page.emulate_media(color_scheme="light")
        page.wait_for_function("() => !document.documentElement.classList.contains('dark')")
        page.emulate_media(color_scheme="dark")
        page.wait_for_function("() => document.documentElement.classList.contains('dark')")

        # An explicit "light" wins over the system's dark, also after a reload.
        page.select_option("#theme-choice", "light")
        page.reload()
        assert not is_dark(page)
        page.select_option("#theme-choice", "system")
        page.reload()
        assert is_dark(page)
        assert page.problems == []
    finally:
        page.context.close()
