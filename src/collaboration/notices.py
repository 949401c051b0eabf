"""Who hears about a comment: the people it mentions, and the item's watchers.

Runs after the comment's transaction commits. Watchers get at most one unread notice per item
at a time: a further comment within the batching window updates that notice ("3 new comments
on …") instead of adding another, and nobody is told about their own words.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from accounts.models import TeamMembership, User
from common import permissions
from common.tree import ancestor_trails
from notifications.delivery import notify
from notifications.models import Notification

from .models import Comment, Watch

BATCH_MINUTES = 10
MENTIONED = "mentioned"
COMMENTED = "commented"


def watchers_of(item_id: int) -> set[int]:
    """Direct watchers, plus people watching a whole subtree the item sits in."""
    trail = [pk for pk, _ in ancestor_trails([item_id]).get(item_id, [])]
    direct = Watch.objects.filter(work_item_id=item_id).values_list("user_id", flat=True)
    above = Watch.objects.filter(work_item_id__in=trail[:-1], subtree=True).values_list(
        "user_id", flat=True
    )
    return set(direct) | set(above)


def mentioned(comment_id: int, user_ids: list[int], team_ids: list[int]) -> set[int]:
    """Tell each mentioned person (and each member of a mentioned team) once."""
    comment = Comment.objects.select_related("work_item", "author").get(pk=comment_id)
    item = comment.work_item
    members = TeamMembership.objects.filter(team_id__in=team_ids).values_list("user_id", flat=True)
    ids = (set(user_ids) | set(members)) - {comment.author_id}
    told: set[int] = set()
    for person in User.objects.filter(pk__in=ids, is_active=True):
        if permissions.can_view(person, item):
            author = comment.author.display_name if comment.author else "Someone"
            notify(person, MENTIONED, f"{author} mentioned you on “{item.title}”", item)
            told.add(person.pk)
    return told


def comment_posted(comment_id: int, user_ids: list[int], team_ids: list[int]) -> None:
    told = mentioned(comment_id, user_ids, team_ids)
    comment = Comment.objects.select_related("work_item", "author").get(pk=comment_id)
    item = comment.work_item
    author = comment.author.display_name if comment.author else "Someone"
    since = timezone.now() - dt.timedelta(minutes=BATCH_MINUTES)
    waiting = {
        n.user_id: n
        for n in Notification.objects.filter(
            kind=COMMENTED, work_item=item, read_at__isnull=True, created_at__gte=since
        )
    }
    for person in User.objects.filter(
        pk__in=watchers_of(item.pk) - told - {comment.author_id}, is_active=True
    ):
        if not permissions.can_view(person, item):
            continue
        earlier = waiting.get(person.pk)
        if earlier is None:
            notify(person, COMMENTED, f"{author} commented on “{item.title}”", item)
            continue
        counted = re.match(r"(\d+) new comments", earlier.message)
        count = (int(counted[1]) if counted else 1) + 1
        Notification.objects.filter(pk=earlier.pk).update(
            message=f"{count} new comments on “{item.title}”, the latest from {author}"[:500]
        )
