"""One activity stream per item: comments (with their replies) and changes, newest first.

Read in a fixed number of queries whatever the length of the conversation: one page of
top-level comments, their replies, one page of history — merged by time. Older entries are
paged by a compound cursor ("Show older"): the last shown entry's (time, kind, id), so entries
that share one timestamp are split exactly at the page boundary — none skipped, none repeated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from common import permissions
from common.models import WorkItem
from common.queries.detail import HistoryEntry, history_entries

from .models import Attachment, Comment, Watch

PAGE = 20
#: The newest files shown at the top of the conversation (older ones stay with their comments).
FILES_SHOWN = 60
SHOW = ("all", "comments", "changes")


#: At one instant a comment sorts after (newer than) a change; within a kind, by id.
RANK = {"change": 0, "comment": 1}
#: Above every id: "all changes at this time", as the bound for a comment cursor.
NO_ID_BOUND = 2**63 - 1


@dataclass(frozen=True)
class Cursor:
    """Where the page ended: entries strictly older than this one in (when, kind, id) order."""

    when: dt.datetime
    kind: str  # "comment" or "change"
    id: int

    @property
    def key(self) -> tuple[dt.datetime, int, int]:
        return (self.when, RANK[self.kind], self.id)


@dataclass
class Entry:
    when: dt.datetime
    comment: Comment | None = None
    change: HistoryEntry | None = None

    @property
    def cursor(self) -> Cursor:
        if self.comment is not None:
            return Cursor(self.when, "comment", self.comment.pk)
        return Cursor(self.when, "change", self.change.id)


@dataclass
class Stream:
    item: WorkItem
    show: str
    entries: list[Entry] = field(default_factory=list)
    older: Cursor | None = None
    can_comment: bool = False
    files: list[Attachment] = field(default_factory=list)
    watching: Watch | None = None


def _file(user, attachment: Attachment, item: WorkItem) -> Attachment:
    attachment.work_item = item
    attachment.can_remove = permissions.can_remove_attachment(user, attachment)
    return attachment


def _decorate(user, comment: Comment, item: WorkItem) -> Comment:
    comment.work_item = item  # the page's item: permission checks need no query per comment
    comment.can_edit = permissions.can_change_comment(user, comment)
    comment.can_remove = permissions.can_remove_comment(user, comment)
    return comment


def _older_comments(comments, before: Cursor):
    same_time_older = Q(created_at=before.when, pk__lt=before.id)
    if before.kind == "comment":
        return comments.filter(Q(created_at__lt=before.when) | same_time_older)
    return comments.filter(created_at__lt=before.when)  # comments at that time came first


def _history(item: WorkItem, before: Cursor | None, limit: int) -> list[HistoryEntry]:
    if before is None:
        return history_entries(item, None, limit)
    # After a comment, every change of that same instant is still to come.
    bound = before.id if before.kind == "change" else NO_ID_BOUND
    return history_entries(item, before.when, limit, before_id=bound)


def load_stream(user, item: WorkItem, *, before: Cursor | None = None, show: str = "all"):
    show = show if show in SHOW else "all"
    entries: list[Entry] = []
    if show != "changes":
        files = Attachment.objects.select_related("uploaded_by").order_by("created_at", "id")
        replies = (
            Comment.objects.select_related("author")
            .prefetch_related(Prefetch("attachments", queryset=files))
            .order_by("created_at", "id")
        )
        comments = Comment.objects.filter(work_item=item, reply_to__isnull=True)
        if before is not None:
            comments = _older_comments(comments, before)
        page = list(
            comments.select_related("author")
            .prefetch_related(
                Prefetch("replies", queryset=replies), Prefetch("attachments", queryset=files)
            )
            .order_by("-created_at", "-id")[: PAGE + 1]
        )
        for comment in page:
            _decorate(user, comment, item)
            for reply in comment.replies.all():
                _decorate(user, reply, item)
            entries.append(Entry(comment.created_at, comment=comment))
    if show != "comments":
        entries += [Entry(c.when, change=c) for c in _history(item, before, PAGE + 1)]
    entries.sort(key=lambda e: e.cursor.key, reverse=True)
    stream = Stream(item=item, show=show, entries=entries[:PAGE])
    if len(entries) > PAGE:
        stream.older = entries[PAGE - 1].cursor
    stream.can_comment = permissions.can_comment(user, item)
    stream.files = [
        _file(user, f, item)
        for f in Attachment.objects.filter(work_item=item)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")[:FILES_SHOWN]
    ]
    stream.watching = Watch.objects.filter(work_item=item, user=user).first()
    return stream
