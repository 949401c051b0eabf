"""One activity stream per item: comments (with their replies) and changes, newest first.

Read in a fixed number of queries whatever the length of the conversation: one page of
top-level comments, their replies, one page of history — merged by time. Older entries are
paged by a time cursor ("Show older").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from common import permissions
from common.models import WorkItem
from common.queries.detail import HistoryEntry, history_entries

from .models import Attachment, Comment, Watch

PAGE = 20
#: The newest files shown at the top of the conversation (older ones stay with their comments).
FILES_SHOWN = 60
SHOW = ("all", "comments", "changes")


@dataclass
class Entry:
    when: dt.datetime
    comment: Comment | None = None
    change: HistoryEntry | None = None


@dataclass
class Stream:
    item: WorkItem
    show: str
    entries: list[Entry] = field(default_factory=list)
    older: dt.datetime | None = None
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


def load_stream(user, item: WorkItem, *, before: dt.datetime | None = None, show: str = "all"):
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
            comments = comments.filter(created_at__lt=before)
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
        entries += [Entry(c.when, change=c) for c in history_entries(item, before, PAGE + 1)]
    entries.sort(key=lambda e: e.when, reverse=True)
    stream = Stream(item=item, show=show, entries=entries[:PAGE])
    if len(entries) > PAGE:
        stream.older = entries[PAGE - 1].when
    stream.can_comment = permissions.can_comment(user, item)
    stream.files = [
        _file(user, f, item)
        for f in Attachment.objects.filter(work_item=item)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")[:FILES_SHOWN]
    ]
    stream.watching = Watch.objects.filter(work_item=item, user=user).first()
    return stream
