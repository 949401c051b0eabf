"""The one write path for the conversation: comments, mentions and watching.

Every function takes the acting person and checks the permission module first, so pages and
the API cannot differ in who may say what. Notifications leave after the transaction commits.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from common import permissions
from common.models import WorkItem

from . import signals, tasks
from .markdown import mentioned_names, render
from .models import Comment, Mention, Watch

MAX_LENGTH = 10_000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            {"body": f"A comment may be at most {MAX_LENGTH:,} characters ({len(body):,} now)."}
        )
    return body


def resolve_mentions(actor: User, item: WorkItem, body: str) -> tuple[list[User], list[Team]]:
    """The people and teams named with @ that the actor can see; a named person who could not
    see the item is refused, so a mention never shows anyone what they may not read."""
    names = mentioned_names(body)
    if not names:
        return [], []
    people = permissions.visible_people(actor).filter(is_active=True)
    found_people = {u.username.lower(): u for u in people.filter(username__in=names)}
    for name in names:  # names with capitals or spaces: match case-insensitively
        if name.lower() not in found_people:
            match = people.filter(username__iexact=name).first()
            if match is not None:
                found_people[name.lower()] = match
    teams = {
        t.name.lower(): t
        for t in permissions.visible_teams(actor).filter(
            organization_id=item.organization_id, name__in=names
        )
    }
    users = [found_people[n.lower()] for n in names if n.lower() in found_people]
    blind = [u for u in users if not permissions.can_view(u, item)]
    if blind:
        who = ", ".join(u.display_name for u in blind)
        raise ValidationError({"body": f"{who} cannot see this item, so cannot be mentioned here."})
    return users, [teams[n.lower()] for n in names if n.lower() in teams]


@transaction.atomic
def post_comment(
    actor: User, item: WorkItem, body: str, reply_to: Comment | None = None
) -> Comment:
    if not permissions.can_comment(actor, item):
        raise PermissionDenied("You may not comment on this item.")
    body = _clean_body(body)
    if reply_to is not None:
        if reply_to.work_item_id != item.pk:
            raise ValidationError({"reply_to": "That comment belongs to another item."})
        reply_to = reply_to.reply_to or reply_to  # threads are one level deep
    users, teams = resolve_mentions(actor, item, body)
    comment = Comment.objects.create(
        work_item=item, author=actor, reply_to=reply_to, body=body, body_html=render(body)
    )
    _record_mentions(comment, users, teams)
    watch_people(item, [actor, *users])
    transaction.on_commit(
        partial(
            tasks.tell_about_comment.delay, comment.pk, [u.pk for u in users], [t.pk for t in teams]
        ),
        robust=True,
    )
    transaction.on_commit(
        partial(signals.comment_posted.send, sender=Comment, comment=comment), robust=True
    )
    return comment


def _record_mentions(comment: Comment, users: list[User], teams: list[Team]) -> None:
    Mention.objects.bulk_create(
        [Mention(comment=comment, user=u) for u in users]
        + [Mention(comment=comment, team=t) for t in teams]
    )


@transaction.atomic
def edit_comment(actor: User, comment: Comment, body: str) -> Comment:
    if not permissions.can_change_comment(actor, comment):
        raise PermissionDenied("Only the author may edit this comment.")
    body = _clean_body(body)
    before = set(comment.mentions.values_list("user_id", flat=True))
    users, teams = resolve_mentions(actor, comment.work_item, body)
    comment.body, comment.body_html, comment.edited_at = body, render(body), timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    comment.mentions.all().delete()
    _record_mentions(comment, users, teams)
    new_people = [u for u in users if u.pk not in before]
    watch_people(comment.work_item, new_people)
    if new_people:
        transaction.on_commit(
            partial(tasks.tell_about_mentions.delay, comment.pk, [u.pk for u in new_people], []),
            robust=True,
        )
    return comment


@transaction.atomic
def remove_comment(actor: User, comment: Comment) -> Comment:
    """Remove the words, keep the place in the thread ("comment deleted")."""
    if not permissions.can_remove_comment(actor, comment):
        raise PermissionDenied("You may not remove this comment.")
    comment.body = comment.body_html = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "deleted_at"])
    comment.mentions.all().delete()
    for attachment in comment.attachments.all():  # its files go with its words
        attachment.delete()
    return comment


def watch_people(item: WorkItem, people: list[User]) -> None:
    """Make each person (who may see the item) a watcher, once."""
    ids = {p.pk for p in people if p is not None and permissions.can_view(p, item)}
    if ids:
        Watch.objects.bulk_create(
            [Watch(work_item=item, user_id=pk) for pk in ids], ignore_conflicts=True
        )


def watch(actor: User, item: WorkItem, *, subtree: bool = False) -> Watch:
    if not permissions.can_view(actor, item):
        raise PermissionDenied("You may not see this item.")
    entry, _ = Watch.objects.update_or_create(
        work_item=item, user=actor, defaults={"subtree": subtree}
    )
    return entry


def unwatch(actor: User, item: WorkItem) -> None:
    Watch.objects.filter(work_item=item, user=actor).delete()
