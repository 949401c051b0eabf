"""Creating notifications and sending reminder e-mails.

Every function here is safe to run again: reminders are recorded in ReminderLog under a unique
key before they are sent, so a retried or doubled sweep never tells anyone twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from common.models import Status, WorkItem

from .models import Notification, Preference, ReminderLog

log = logging.getLogger(__name__)
OPEN = ~Q(status__in=[Status.COMPLETED, Status.CANCELLED])


def item_url(item: WorkItem) -> str:
    return f"{settings.SITE_URL}/oobc-management/work-items/{item.pk}/"


def notify(
    user: User, kind: str, message: str, item: WorkItem | None = None, email_body: str | None = None
) -> Notification:
    """Store an in-app notification and, if the person wants e-mail, send it."""
    notification = Notification.objects.create(
        user=user, kind=kind, message=message[:500], work_item=item
    )
    preference = Preference.for_user(user)
    if preference.email_enabled and user.email:
        body = email_body or (message + (f"\n\n{item_url(item)}" if item else ""))
        Notification.objects.filter(pk=notification.pk).update(email_body=body)
        _email(notification, user, body)
    return notification


def notify_many(
    user_ids: Iterable[int], kind: str, message: str, item: WorkItem | None = None
) -> list[Notification]:
    """`notify` for many people at once: one query for their preferences, one bulk insert, then
    e-mail to those who want it (a watcher fan-out to hundreds is one job, not hundreds)."""
    people = list(User.objects.filter(pk__in=set(user_ids), is_active=True))
    if not people:
        return []
    wants_email = set(
        Preference.objects.filter(user__in=people, email_enabled=True).values_list(
            "user_id", flat=True
        )
    )
    # People without a stored preference have the defaults.
    stored = set(Preference.objects.filter(user__in=people).values_list("user_id", flat=True))
    default_email = Preference._meta.get_field("email_enabled").default
    body = message[:500] + (f"\n\n{item_url(item)}" if item else "")
    created = Notification.objects.bulk_create(
        [
            Notification(
                user=person,
                kind=kind,
                message=message[:500],
                work_item=item,
                email_body=body if person.email else "",
            )
            for person in people
        ]
    )
    sent = []
    for notification in created:
        person = notification.user
        email = person.pk in wants_email or (person.pk not in stored and default_email)
        if email and person.email and _email(notification, person, body, mark=False):
            sent.append(notification.pk)
    Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return created


def _email(notification: Notification, user: User, body: str, *, mark: bool = True) -> bool:
    """Send one notification by e-mail; a mail server that is down is retried later."""
    try:
        send_mail(
            f"[OBCMS Work] {notification.message[:120]}",
            body,
            None,
            [user.email],
            fail_silently=False,
        )
    except (OSError, smtplib.SMTPException) as error:
        log.warning("e-mail to %s not sent yet (%s); it will be retried", user.pk, error)
        return False
    if mark:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def send_pending_emails(now: dt.datetime | None = None) -> int:
    """Retry e-mails that could not be sent in the last day (e.g. the mail server was down)."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__gte=now - dt.timedelta(days=1),
            user__is_active=True,
            user__notification_preference__email_enabled=True,
        )
        .exclude(user__email="")
        .exclude(email_body="")
        .select_related("user")
    )
    sent = 0
    for notification in pending:
        sent += _email(notification, notification.user, notification.email_body)
    return sent


def people_of(item_ids: Iterable[int]) -> dict[int, set[int]]:
    """Everyone assigned to each item, directly or through a team (two queries)."""
    people: dict[int, set[int]] = {}
    for item_id, user_id in WorkItem.assignees.through.objects.filter(
        workitem_id__in=item_ids
    ).values_list("workitem_id", "user_id"):
        people.setdefault(item_id, set()).add(user_id)
    for item_id, user_id in WorkItem.teams.through.objects.filter(
        workitem_id__in=item_ids
    ).values_list("workitem_id", "team__memberships__user_id"):
        if user_id is not None:
            people.setdefault(item_id, set()).add(user_id)
    return people


def notify_assignment(
    item_id: int, user_ids: Iterable[int], team_ids: Iterable[int], actor_id: int | None
) -> int:
    """Tell newly assigned people (directly or through a newly assigned team), not the actor."""
    item = WorkItem.objects.filter(pk=item_id).first()
    if item is None:
        return 0
    recipients = (
        User.objects.filter(
            Q(pk__in=set(user_ids)) | Q(team_memberships__team_id__in=set(team_ids)), is_active=True
        )
        .exclude(pk=actor_id or 0)
        .distinct()
    )
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    by = f" by {actor}" if actor else ""
    for person in recipients:
        notify(
            person, Notification.Kind.ASSIGNED, f"You were assigned to “{item.title}”{by}.", item
        )
    return len(recipients)


def _assigned_people(items: list[WorkItem]) -> tuple[dict[int, set[int]], dict[int, User]]:
    """Who is assigned to each item, and those people (active only), in three queries."""
    people = people_of([i.pk for i in items])
    wanted = {u for ids in people.values() for u in ids}
    users = {u.pk: u for u in User.objects.filter(pk__in=wanted, is_active=True)}
    return people, users


def _once(user_id: int, item: WorkItem, kind: str, days_before: int) -> bool:
    """Record a reminder; False if it was already sent (the unique key refuses a second row)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                user_id=user_id,
                work_item_id=item.pk,
                kind=kind,
                due_date=item.due_date,
                days_before=days_before,
            )
    except IntegrityError:
        return False
    return True


def send_due_reminders(today: dt.date | None = None) -> int:
    """Remind assignees N days before a due date (N from each person's preference)."""
    today = today or timezone.localdate()
    preferences = {p.user_id: set(p.reminder_days) for p in Preference.objects.all()}
    default_days = {1, 3}
    horizon = max([d for days in preferences.values() for d in days] + list(default_days))
    items = list(
        WorkItem.objects.filter(
            OPEN, due_date__gt=today, due_date__lte=today + dt.timedelta(days=horizon)
        )
    )
    people, users = _assigned_people(items)
    sent = 0
    for item in items:
        days = (item.due_date - today).days
        for user_id in people.get(item.pk, ()):
            if (
                user_id in users
                and days in preferences.get(user_id, default_days)
                and _once(user_id, item, Notification.Kind.DUE_SOON, days)
            ):
                when = "tomorrow" if days == 1 else f"in {days} days"
                notify(
                    users[user_id],
                    Notification.Kind.DUE_SOON,
                    f"“{item.title}” is due {when} ({item.due_date:%b %d}).",
                    item,
                )
                sent += 1
    return sent


def send_overdue_notices(today: dt.date | None = None) -> int:
    """Tell assignees once when an item passes its due date unfinished."""
    today = today or timezone.localdate()
    items = list(
        WorkItem.objects.filter(
            OPEN, due_date__lt=today, due_date__gte=today - dt.timedelta(days=30)
        )
    )
    people, users = _assigned_people(items)
    sent = 0
    for item in items:
        for user_id in people.get(item.pk, ()):
            if user_id in users and _once(user_id, item, Notification.Kind.OVERDUE, 0):
                notify(
                    users[user_id],
                    Notification.Kind.OVERDUE,
                    f"“{item.title}” is overdue (was due {item.due_date:%b %d}).",
                    item,
                )
                sent += 1
    return sent


def send_daily_digests(today: dt.date | None = None) -> int:
    """One morning summary per person who asked for it, never two on the same day."""
    from common.queries.my_work import mine

    today = today or timezone.localdate()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    since = timezone.now() - dt.timedelta(days=1)
    sent = 0
    for preference in Preference.objects.filter(
        daily_digest=True, user__is_active=True
    ).select_related("user"):
        user = preference.user
        if ReminderLog.objects.filter(user=user, kind="digest", due_date=today).exists():
            continue
        base = mine(user)
        overdue = list(base.filter(OPEN, due_date__lt=today).order_by("due_date")[:20])
        week = list(
            base.filter(OPEN, due_date__gte=today, due_date__lte=week_end).order_by("due_date")[:20]
        )
        assigned = list(
            Notification.objects.filter(
                user=user, kind=Notification.Kind.ASSIGNED, created_at__gte=since
            )[:20]
        )
        if not (overdue or week or assigned):
            continue
        lines = [f"Good morning, {user.display_name}. Your work on {today:%A, %B %d}:", ""]
        for heading, rows in (("Overdue", overdue), ("Due this week", week)):
            if rows:
                lines.append(f"{heading}:")
                lines += [f"  - {i.title} (due {i.due_date:%b %d}) {item_url(i)}" for i in rows]
                lines.append("")
        if assigned:
            lines.append("Newly assigned:")
            lines += [f"  - {n.message}" for n in assigned]
        ReminderLog.objects.create(user=user, work_item_id=0, kind="digest", due_date=today)
        notify(
            user,
            Notification.Kind.DIGEST,
            f"Daily digest: {len(overdue)} overdue, {len(week)} due this week, "
            f"{len(assigned)} newly assigned.",
            email_body="\n".join(lines),
        )
        sent += 1
    return sent


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_many_read(user: User, ids: Iterable[int]) -> int:
    """Mark a group of the person's notifications read at once (others' ids are ignored)."""
    return Notification.objects.filter(user=user, pk__in=list(ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def prune(now: dt.datetime | None = None) -> int:
    """Read notifications go after 90 days, all after a year; old reminder logs after a year."""
    now = now or timezone.now()
    read, _ = Notification.objects.filter(read_at__lt=now - dt.timedelta(days=90)).delete()
    old, _ = Notification.objects.filter(created_at__lt=now - dt.timedelta(days=365)).delete()
    ReminderLog.objects.filter(sent_at__lt=now - dt.timedelta(days=400)).delete()
    return read + old
