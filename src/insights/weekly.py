"""The weekly status e-mail for managers (opt-in: `notifications.Preference.weekly_status`).

Each Monday morning (Celery beat, obcms/celery.py) every active manager who asked for it gets one
e-mail, plain text and HTML, about the items they may see in their own organisation:

- the projects that changed in the last seven days (history records grouped by the item's tree,
  with how many were created and completed),
- items that became late in those seven days (open, due date passed during them),
- items due in the coming seven days (today included),
- a link to the portfolio.

A week with nothing to report still sends a short "nothing changed" e-mail: a manager who opted
in can then tell a quiet week from a broken mailer. A manager is written to at most once per week
(`ReminderLog`, kind "weekly", keyed by the Monday), so a re-run or a retried task never sends
twice. Reading one recipient's status costs a fixed number of queries whatever the data.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common import permissions
from common.models import Status, WorkItem
from notifications.models import Preference, ReminderLog

from .periods import OPEN, monday_of

log = logging.getLogger(__name__)
History = WorkItem.history.model
PROJECT_ROWS = 20
ITEM_ROWS = 30
KIND = "weekly"


@dataclass
class ProjectWeek:
    pk: int
    title: str
    changes: int
    created: int
    completed: int


@dataclass
class WeeklyStatus:
    user: User
    since: dt.date
    today: dt.date
    projects: list[ProjectWeek]
    newly_late: list[dict[str, Any]]
    due_soon: list[dict[str, Any]]
    portfolio_url: str

    @property
    def quiet(self) -> bool:
        return not (self.projects or self.newly_late or self.due_soon)

    @property
    def due_until(self) -> dt.date:
        return self.today + dt.timedelta(days=6)


def _project_of() -> Coalesce:
    """The tree an item belongs to: its root, or itself when it is a root."""
    return Coalesce("root_id", "id")


def weekly_status(user: User, today: dt.date | None = None) -> WeeklyStatus:
    """What one manager's e-mail says (four queries)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=7)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    visible = WorkItem.objects.visible_to(user).filter(organization_id=user.organization_id)
    title = Subquery(WorkItem.objects.filter(pk=OuterRef("project")).values("title")[:1])
    changed = list(
        History.objects.filter(history_date__gte=start, id__in=visible.values("pk"))
        .annotate(project=_project_of())
        .values("project")
        .annotate(
            title=title,
            changes=Count("history_id"),
            created=Count("history_id", filter=Q(history_type="+")),
        )
        .order_by("-changes", "project")
        .values_list("project", "title", "changes", "created")[:PROJECT_ROWS]
    )
    completed = dict(
        visible.filter(status=Status.COMPLETED, completed_at__gte=start)
        .annotate(project=_project_of())
        .order_by()
        .values("project")
        .annotate(n=Count("id"))
        .values_list("project", "n")
    )
    fields = ("pk", "title", "work_type", "status", "due_date")
    newly_late = list(
        visible.filter(OPEN, due_date__gte=since, due_date__lt=today)
        .order_by("due_date", "title", "id")
        .values(*fields)[:ITEM_ROWS]
    )
    due_soon = list(
        visible.filter(OPEN, due_date__gte=today, due_date__lte=today + dt.timedelta(days=6))
        .order_by("due_date", "title", "id")
        .values(*fields)[:ITEM_ROWS]
    )
    return WeeklyStatus(
        user=user,
        since=since,
        today=today,
        projects=[
            ProjectWeek(pk, title or "(deleted)", changes, created, completed.get(pk, 0))
            for pk, title, changes, created in changed
        ],
        newly_late=newly_late,
        due_soon=due_soon,
        portfolio_url=f"{settings.SITE_URL}{reverse('insights:portfolio')}",
    )


def message(status: WeeklyStatus) -> EmailMultiAlternatives:
    context = {"s": status, "site": settings.SITE_URL}
    subject = (
        f"Weekly status: {len(status.projects)} projects changed, "
        f"{len(status.newly_late)} newly late, {len(status.due_soon)} due this week"
        if not status.quiet
        else "Weekly status: nothing changed last week"
    )
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("insights/email/weekly_status.txt", context),
        to=[status.user.email],
    )
    email.attach_alternative(
        render_to_string("insights/email/weekly_status.html", context), "text/html"
    )
    return email


def recipients() -> list[User]:
    """Active managers (of their own organisation) who opted in and have an address."""
    people = [
        p.user
        for p in Preference.objects.filter(
            weekly_status=True, user__is_active=True, user__organization__isnull=False
        )
        .exclude(user__email="")
        .select_related("user", "user__organization")
        .order_by("user_id")
    ]
    return [u for u in people if permissions.manages(u, u.organization_id)]


def send_weekly_status(today: dt.date | None = None, dry_run: bool = False) -> list[WeeklyStatus]:
    """Send this week's e-mail to each recipient not yet written to; return what was (or, with
    `dry_run`, would be) sent."""
    today = today or timezone.localdate()
    week = monday_of(today)
    sent: list[WeeklyStatus] = []
    for user in recipients():
        if ReminderLog.objects.filter(user=user, kind=KIND, due_date=week).exists():
            continue
        status = weekly_status(user, today)
        if not dry_run:
            try:
                message(status).send()
            except (OSError, SMTPException):
                # Not logged as sent: the next run (or a re-run) tries this person again.
                log.exception("weekly status to user %s could not be sent", user.pk)
                continue
            ReminderLog.objects.create(user=user, work_item_id=0, kind=KIND, due_date=week)
            log.info("weekly status sent to user %s", user.pk)
        sent.append(status)
    return sent
