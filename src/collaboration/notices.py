"""Who hears about what happens to an item: the people a comment mentions, and its watchers.

Runs after the writing transaction commits, as one job per event however many watchers there
are: the watchers are found in two queries, checked against the permission module in one, and
told with one bulk insert. Watchers get at most one unread notice per item and kind at a time —
a further event within the batching window updates that notice ("3 new comments on …") instead
of adding another — and nobody is told about their own actions.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import TeamMembership, User
from common import permissions
from common.models import WorkItem
from common.tree import ancestor_trails
from notifications.delivery import notify_many
from notifications.models import Notification

from .models import Comment, Watch

BATCH_MINUTES = 10
MENTIONED = "mentioned"
COMMENTED = "commented"
CHANGED = "changed"
ATTACHED = "attached"
_COUNT = re.compile(r"(\d+) ")


def watchers_of(item_id: int) -> set[int]:
    """Direct watchers, plus people watching a whole subtree the item sits in."""
    trail = [pk for pk, _ in ancestor_trails([item_id]).get(item_id, [])]
    direct = Watch.objects.filter(work_item_id=item_id).values_list("user_id", flat=True)
    above = Watch.objects.filter(work_item_id__in=trail[:-1], subtree=True).values_list(
        "user_id", flat=True
    )
    return set(direct) | set(above)


def tell_watchers(
    item: WorkItem,
    kind: str,
    first: str,
    again: str,
    *,
    actor_id: int | None,
    skip: set[int] = frozenset(),
) -> int:
    """Tell the item's watchers (who may see it, other than the actor): `first` as a new notice,
    or — where one of this kind is still unread from the last few minutes — `again` with the
    running count (`again` has a `{count}` placeholder). Returns how many were told."""
    audience = permissions.people_who_can_view(item, watchers_of(item.pk) - set(skip) - {actor_id})
    if not audience:
        return 0
    since = timezone.now() - dt.timedelta(minutes=BATCH_MINUTES)
    waiting = Notification.objects.filter(
        kind=kind, work_item=item, user_id__in=audience, read_at__isnull=True, created_at__gte=since
    )
    by_count: dict[int, list[int]] = {}
    for notice in waiting:  # usually all at the same count: one UPDATE for the lot
        counted = _COUNT.match(notice.message)
        by_count.setdefault((int(counted[1]) if counted else 1) + 1, []).append(notice.pk)
    for count, ids in by_count.items():
        Notification.objects.filter(pk__in=ids).update(message=again.format(count=count)[:500])
    fresh = audience - {n.user_id for n in waiting}
    notify_many(fresh, kind, first, item)
    return len(audience)


def _name(user: User | None) -> str:
    return user.display_name if user else "Someone"


def mentioned(comment_id: int, user_ids: list[int], team_ids: list[int]) -> set[int]:
    """Tell each mentioned person (and each member of a mentioned team) once."""
    comment = Comment.objects.select_related("work_item", "author").get(pk=comment_id)
    item = comment.work_item
    members = TeamMembership.objects.filter(team_id__in=team_ids).values_list("user_id", flat=True)
    told = permissions.people_who_can_view(
        item, (set(user_ids) | set(members)) - {comment.author_id}
    )
    notify_many(told, MENTIONED, f"{_name(comment.author)} mentioned you on “{item.title}”", item)
    return told


def comment_posted(comment_id: int, user_ids: list[int], team_ids: list[int]) -> None:
    told = mentioned(comment_id, user_ids, team_ids)
    comment = Comment.objects.select_related("work_item", "author").get(pk=comment_id)
    item, author = comment.work_item, _name(comment.author)
    tell_watchers(
        item,
        COMMENTED,
        f"{author} commented on “{item.title}”",
        f"{{count}} new comments on “{item.title}”, the latest from {author}",
        actor_id=comment.author_id,
        skip=told,
    )


def files_added(sender, attachment, **kwargs) -> None:
    """`attachment_added` receiver: watchers hear of new files, batched like comments."""
    item = attachment.work_item
    who = _name(attachment.uploaded_by)
    tell_watchers(
        item,
        ATTACHED,
        f"{who} added “{attachment.original_name}” to “{item.title}”",
        f"{{count}} new files on “{item.title}”, the latest from {who}",
        actor_id=attachment.uploaded_by_id,
    )


#: What watchers hear about when an item changes, in the words of the change.
_TRACKED = {"status": "status", "start_date": "start", "due_date": "due date", "parent_id": "place"}


def _describe(older, newer) -> str | None:
    changed = [
        label for name, label in _TRACKED.items() if getattr(older, name) != getattr(newer, name)
    ]
    if not changed:
        return None
    if changed == ["status"]:
        return f"set to {newer.get_status_display()}"
    if set(changed) <= {"start", "due date"}:
        return "rescheduled"
    if changed == ["place"]:
        return "moved"
    return "changed (" + ", ".join(changed) + ")"


MAX_ITEMS_PER_CHANGE = 500


def items_changed(item_ids: list[int]) -> None:
    """After a change to items: their watchers hear of status changes, reschedules and moves
    (not of every edited field), batched per item, never about their own change."""
    chosen = item_ids[:MAX_ITEMS_PER_CHANGE]
    latest = _latest_two_records(chosen)
    for item in WorkItem.objects.filter(pk__in=chosen):
        newer, *rest = latest.get(item.pk) or [None]
        if newer is None or not rest:
            continue
        what = _describe(rest[0], newer)
        if what is None:
            continue
        first, again = _change_messages(item.title, what, newer)
        tell_watchers(item, CHANGED, first, again, actor_id=newer.history_user_id)


def _change_messages(title: str, what: str, record) -> tuple[str, str]:
    """The first notice of a change and the running count's, naming whoever made the change.

    A change nobody made by hand (a command, a scheduled job, dates that follow children) names
    no one: it says why, when the change recorded a reason, rather than "Someone".
    """
    if record.history_user is None:
        reason = (record.history_change_reason or "").strip()
        repeats_itself = reason.lower() == what  # a move's own reason is "moved"
        why = f" ({reason[0].lower()}{reason[1:]})" if reason and not repeats_itself else ""
        verb = f"was {what}" if what in ("rescheduled", "moved") else what
        return f"“{title}” {verb}{why}", f"{{count}} changes to “{title}”"
    who = _name(record.history_user)
    if what in ("rescheduled", "moved"):
        first = f"{who} {what} “{title}”"
    else:
        first = f"{who}: “{title}” {what}"
    return first, f"{{count}} changes to “{title}”, the latest by {who}"


def _latest_two_records(item_ids: list[int]) -> dict[int, list]:
    """The two newest history records of each item, newest first, in one query (a change to
    hundreds of items, such as a migration's roll-up, asked once per item before)."""
    history = WorkItem.history.model
    newest_first = Window(RowNumber(), partition_by=F("id"), order_by=F("history_id").desc())
    records = (
        history.objects.filter(id__in=item_ids)
        .annotate(newness=newest_first)
        .filter(newness__lte=2)
        .select_related("history_user")
        .order_by("id", "newness")
    )
    latest: dict[int, list] = {}
    for record in records:
        latest.setdefault(record.id, []).append(record)
    return latest
