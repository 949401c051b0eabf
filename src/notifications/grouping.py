"""The inbox's rows: repeats about the same item folded into one row, each with the item's path.

Four changes to one item in a row used to be four rows saying almost the same thing; on a page,
consecutive notifications of the same kind about the same item now make one row ("4 changes to
“Draft concept note”") that unfolds to the single notifications. Every row names where its item
sits in the tree, from the top down; the paths of a whole page cost one query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from common.tree import ancestor_trails

from .models import Notification

#: How a group of each kind reads: "{count} {phrase} “{title}”".
PHRASES = {
    Notification.Kind.ASSIGNED: "assignments to",
    Notification.Kind.DUE_SOON: "due-date reminders for",
    Notification.Kind.OVERDUE: "overdue reminders for",
    Notification.Kind.MENTIONED: "mentions on",
    Notification.Kind.COMMENTED: "new comments on",
    "changed": "changes to",
    "updated": "changes to",
}
FALLBACK_PHRASE = "notifications about"
#: A comment notice may already stand for several comments ("3 new comments on …", see
#: collaboration.notices): a group of them counts the comments, not the notices.
COMMENTS_IN_MESSAGE = re.compile(r"(\d+) new comments")


@dataclass
class Row:
    """One row of the inbox: a single notification, or a run of repeats about one item."""

    notifications: list[Notification]
    path: list[str] = field(default_factory=list)

    @property
    def first(self) -> Notification:
        """The newest notification of the row (the inbox lists newest first)."""
        return self.notifications[0]

    @property
    def count(self) -> int:
        return len(self.notifications)

    @property
    def grouped(self) -> bool:
        return self.count > 1

    @property
    def unread(self) -> int:
        return sum(1 for n in self.notifications if n.read_at is None)

    @property
    def other_ids(self) -> list[int]:
        """The ids besides the first: "Mark read" and "Open" on a group send them along."""
        return [n.pk for n in self.notifications[1:]]

    @property
    def kind_label(self) -> str:
        labels = dict(Notification.Kind.choices)
        kind = self.first.kind
        return labels.get(kind, kind.replace("_", " ").capitalize())

    @property
    def headline(self) -> str:
        """The notification's own sentence, or for a group: "4 changes to “Draft concept note”"."""
        if not self.grouped:
            return self.first.message
        count = self.count
        if self.first.kind == Notification.Kind.COMMENTED:
            count = sum(_comments_in(n.message) for n in self.notifications)
        phrase = PHRASES.get(self.first.kind, FALLBACK_PHRASE)
        return f"{count} {phrase} “{self.first.work_item.title}”"


def _comments_in(message: str) -> int:
    found = COMMENTS_IN_MESSAGE.match(message)
    return int(found[1]) if found else 1


def _same_run(row: Row, notification: Notification) -> bool:
    first = row.first
    return (
        notification.work_item_id is not None
        and notification.work_item_id == first.work_item_id
        and notification.kind == first.kind
        and first.kind != Notification.Kind.DIGEST
    )


def inbox_rows(notifications: Iterable[Notification]) -> list[Row]:
    """Fold consecutive repeats and attach each item's path (one query for all rows).

    `notifications` should come with `select_related("work_item")`, as the inbox's page does,
    so a group's headline reads the item's title without a query of its own.
    """
    rows: list[Row] = []
    for notification in notifications:
        if rows and _same_run(rows[-1], notification):
            rows[-1].notifications.append(notification)
        else:
            rows.append(Row([notification]))
    trails = ancestor_trails(r.first.work_item_id for r in rows if r.first.work_item_id)
    for row in rows:
        if row.first.work_item_id:
            row.path = [title for _, title in trails.get(row.first.work_item_id, [])]
    return rows
