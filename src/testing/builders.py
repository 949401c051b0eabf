"""Builders that create work items through the service layer, as the product does."""

from __future__ import annotations

from typing import Any

from accounts.models import Organization
from common.models import WorkItem
from common.services import create_work_item

#: A legal type for each level of a deep branch (project … subtask).
BRANCH_TYPES = ["project", "sub_project", "activity", "sub_activity", "task", "subtask"]


def item(
    work_type: str,
    title: str | None = None,
    parent: WorkItem | None = None,
    organization: Organization | None = None,
    actor=None,
    **fields: Any,
) -> WorkItem:
    return create_work_item(
        actor,
        work_type=work_type,
        title=title if title is not None else work_type.replace("_", " ").title(),
        parent=parent,
        organization=organization if parent is None else None,
        **fields,
    )


def branch(organization: Organization, depth: int = 6, prefix: str = "") -> list[WorkItem]:
    """A chain project → … of `depth` levels, legal under the default rules."""
    types = BRANCH_TYPES + ["subtask"] * max(0, depth - len(BRANCH_TYPES))
    chain: list[WorkItem] = []
    parent = None
    for level, work_type in enumerate(types[:depth], start=1):
        parent = item(work_type, f"{prefix}Level {level}", parent=parent, organization=organization)
        chain.append(parent)
    return chain
