"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright.

No browser is ever downloaded; `make test` installs Debian's chromium when it is missing.
Screenshots go to test-artifacts/ at the repository root.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is not installed; `make test` installs Debian's chromium package.")
    return path


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django must allow its ORM here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_tab(browser, **context_options):
    """A tab in a fresh context (own cookies, clock zone, touch …) that records script errors."""
    options = {"viewport": {"width": 1400, "height": 1000}, **context_options}
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    # Refusals (400, 403, 409) are expected answers; script errors are not.
    tab.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    tab.problems = problems
    return tab


@pytest.fixture
def page(browser):
    tab = new_tab(browser)
    yield tab
    tab.context.close()


@pytest.fixture
def touch_page(browser):
    """A phone: 390 px wide, touch screen, coarse pointer."""
    tab = new_tab(browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    yield tab
    tab.context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def sign_in(page, live_server, username: str, password: str = "correct horse battery staple"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def arrive_at(page, heading: str) -> None:
    """Wait for the page whose main heading is exactly `heading`.

    A substring match would also accept the edit form still on screen ("Edit “Print the
    agenda”"), so a test could read the database before the form's POST has been answered.
    """
    page.get_by_role("heading", level=1, name=heading, exact=True).wait_for()


def expand_row(page, work_item) -> None:
    """Open a tree row's children and wait until they are in the table."""
    page.wait_for_selector("#tree-body[aria-busy=false]")  # remembered rows are re-opened
    button = page.locator(f"#row-{work_item.pk} .expander")
    button.wait_for()
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    page.wait_for_selector(f"#row-{work_item.pk} .expander[aria-expanded=true]")
    page.wait_for_selector(f"tr.tree-row[data-parent='{work_item.pk}']")


def progress_of(page, work_item) -> int:
    """The progress a tree row shows."""
    return int(page.locator(f"#row-{work_item.pk} progress").get_attribute("value"))
