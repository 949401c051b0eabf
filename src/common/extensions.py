"""Extension points of the work item pages, for the apps built on the domain core.

An app registers what it adds (in its `AppConfig.ready`); the core renders what is registered
without importing the app. A detail section is loaded into the item's page by htmx from the
registering app's own URL, so the detail view's query count does not depend on which apps are
installed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DetailSection:
    key: str
    title: str
    #: A URL name taking the item's `pk`, answering the section's HTML fragment.
    url_name: str
    #: Static files (JavaScript) the section needs on the page.
    scripts: tuple[str, ...] = ()


_DETAIL_SECTIONS: dict[str, DetailSection] = {}


def register_detail_section(section: DetailSection) -> None:
    _DETAIL_SECTIONS[section.key] = section


def detail_sections() -> list[DetailSection]:
    return list(_DETAIL_SECTIONS.values())


@dataclass(frozen=True)
class DetailAction:
    """A link among an item's page buttons to a page of another app about the item."""

    key: str
    label: str
    #: A URL name taking the item's `pk`.
    url_name: str


_DETAIL_ACTIONS: dict[str, DetailAction] = {}


def register_detail_action(action: DetailAction) -> None:
    _DETAIL_ACTIONS[action.key] = action


def detail_actions() -> list[DetailAction]:
    return list(_DETAIL_ACTIONS.values())
