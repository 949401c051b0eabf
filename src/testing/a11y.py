"""Accessibility and layout checks that every browser test runs on every page it opens.

`check_page` is the one call a test makes after a page has settled: it runs axe-core (from the
pinned npm package, never a CDN) and fails on any serious or critical violation, and it can also
look at the page at phone and desktop widths, saving a screenshot of each into test-artifacts/.
Phone width is where people met overflowing pages and fingertip-sized buttons, so at 360 and
390 px it also asserts that the page does not scroll sideways and that controls are ≥ 44 px.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from testing.browser import screenshot

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
PHONE, DESKTOP = 390, 1440
NARROWEST = 360
TOUCH_TARGET = 44

#: Controls a finger must hit. Links inside running text are exempt (WCAG 2.5.8), as are
#: controls the page hides or has scrolled into a box of their own.
TARGETS = (
    "button, a.btn, a.nav-link, select, summary, "
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    "label:has(> input[type=checkbox]), label:has(> input[type=radio])"
)


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError("axe-core is missing: run `npm ci` (it is pinned in package.json).")
    return AXE_JS.read_text()


def axe_violations(page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
        page.evaluate(_axe_source())
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))"
    )
    return [v for v in result if v["impact"] in BLOCKING_IMPACTS]


def assert_accessible(page, where: str = "") -> None:
    """0 serious or critical axe-core violations, with a readable list when there are some."""
    found = axe_violations(page)
    assert not found, f"axe-core on {where or page.url}:\n" + json.dumps(found, indent=1)


def page_width(page) -> int:
    """How wide the document is: more than the viewport means the page scrolls sideways."""
    return page.evaluate("() => document.documentElement.scrollWidth")


def small_targets(page) -> list[str]:
    """Visible controls smaller than 44 × 44 px (outside boxes that scroll on their own)."""
    return page.evaluate(
        """([selector, size]) => [...document.querySelectorAll(selector)].filter(el => {
            const box = el.getBoundingClientRect();
            if (!box.width || !box.height || el.closest('[hidden], .sr-only, #djDebug')) {
                return false;
            }
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || style.display === 'none') return false;
            return box.height < size - 0.5 || box.width < size - 0.5;
        }).map(el => el.outerHTML.slice(0, 120))""",
        [TARGETS, TOUCH_TARGET],
    )


def assert_fits_phone(page, where: str = "") -> None:
    """No sideways page scroll at 360 px, and touch targets of at least 44 px."""
    width = page_width(page)
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{where or page.url} is {width} px wide at {viewport} px"
    tiny = small_targets(page)
    assert not tiny, f"{where or page.url}: touch targets under {TOUCH_TARGET} px: {tiny}"


def check_page(
    page, name: str, *, widths: tuple[int, ...] = (PHONE, DESKTOP), phone_layout: bool = True
) -> None:
    """Check the open page at each width: axe, layout, and a screenshot `<name>-<width>.png`.

    `phone_layout=False` is for pages the product does not draw (Django's admin): those are
    held to axe only. The viewport is restored afterwards, so a test can go on where it was.
    """
    original = page.viewport_size
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": original["height"]})
            page.wait_for_timeout(150)  # let layout and FullCalendar's resize observer settle
            if width <= PHONE and phone_layout:
                assert_fits_phone(page, f"{name} at {width} px")
                page.set_viewport_size({"width": NARROWEST, "height": original["height"]})
                page.wait_for_timeout(150)
                assert_fits_phone(page, f"{name} at {NARROWEST} px")
                page.set_viewport_size({"width": width, "height": original["height"]})
                page.wait_for_timeout(100)
            assert_accessible(page, f"{name} at {width} px")
            screenshot(page, f"{name}-{width}")
    finally:
        page.set_viewport_size(original)
