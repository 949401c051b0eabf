"""The weekly status e-mail: managers who opted in, their organisation's week, once a week."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import MANAGER, assign_role
from common.models import WorkItem
from common.services import update_work_item
from insights.weekly import send_weekly_status, weekly_status
from notifications.models import Preference
from testing.builders import item

History = WorkItem.history.model


def opt_in(user, on: bool = True) -> None:
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    Preference.objects.update_or_create(user=user, defaults={"weekly_status": on})


def office_week(cast):
    """An office project changed this week, one item newly late, one due in the coming days."""
    today = timezone.localdate()
    project = item("project", "Coastal Livelihood Programme", organization=cast.office)
    item("task", "Book the venue", parent=project, due_date=today - dt.timedelta(days=2))
    item("task", "Print the handouts", parent=project, due_date=today + dt.timedelta(days=3))
    item("task", "Long overdue", parent=project, due_date=today - dt.timedelta(days=30))
    done = item("task", "Invite trainers", parent=project)
    update_work_item(cast.manager, done, status="completed")
    return project


@pytest.mark.django_db
def test_a_manager_who_opted_in_gets_the_week_in_text_and_html(cast):
    project = office_week(cast)
    opt_in(cast.manager)
    sent = send_weekly_status()
    assert [s.user for s in sent] == [cast.manager]
    [email] = mail.outbox
    assert email.to == [cast.manager.email]
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert "Coastal Livelihood Programme" in body
        assert "Book the venue" in body  # became late in the last seven days
        assert "Print the handouts" in body  # due in the coming week
        assert "Long overdue" not in body  # late for a month: not news
        assert "/oobc-management/dashboard/" in body
        assert f"/oobc-management/work-items/{project.pk}/report/" in body
    line = next(ln for ln in email.body.splitlines() if "Coastal Livelihood" in ln)
    records = History.objects.filter(root_id=project.pk) | History.objects.filter(id=project.pk)
    created = records.filter(history_type="+").count()
    assert f"{records.count()} changes, {created} new, 1 completed" in line


@pytest.mark.django_db
def test_people_who_did_not_opt_in_or_opted_out_receive_nothing(cast):
    office_week(cast)
    opt_in(cast.manager, on=False)
    Preference.objects.get_or_create(user=cast.administrator)
    assert send_weekly_status() == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_staff_who_tick_the_box_are_not_managers_and_get_nothing(cast):
    office_week(cast)
    opt_in(cast.staff)
    send_weekly_status()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_other_organisations_items_never_appear(cast):
    office_week(cast)
    today = timezone.localdate()
    partner_manager = cast.partner_staff
    assign_role(partner_manager, MANAGER)
    secret = item("project", "Partner secret programme", organization=cast.partner)
    item("task", "Partner late task", parent=secret, due_date=today - dt.timedelta(days=1))
    opt_in(cast.manager)
    opt_in(partner_manager)
    send_weekly_status()
    by_person = {m.to[0]: m.body + m.alternatives[0][0] for m in mail.outbox}
    office = by_person[cast.manager.email]
    partner = by_person[partner_manager.email]
    assert "Partner" not in office
    assert "Coastal" not in partner and "Book the venue" not in partner
    assert "Partner late task" in partner


@pytest.mark.django_db
def test_a_quiet_week_still_sends_a_short_nothing_changed_note(cast):
    opt_in(cast.manager)
    send_weekly_status()
    [email] = mail.outbox
    assert "nothing changed" in email.subject.lower()
    assert "Nothing changed last week" in email.body


@pytest.mark.django_db
def test_a_manager_is_written_to_once_a_week_however_often_it_runs(cast):
    office_week(cast)
    opt_in(cast.manager)
    send_weekly_status()
    send_weekly_status()
    assert len(mail.outbox) == 1
    next_week = timezone.localdate() + dt.timedelta(days=7)
    send_weekly_status(today=next_week)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_one_recipients_status_costs_the_same_queries_for_a_quiet_and_a_busy_week(cast):
    weekly_status(cast.manager)  # the person's permissions are read once, then cached
    with CaptureQueriesContext(connection) as quiet:
        weekly_status(cast.manager)
    project = office_week(cast)
    for n in range(15):
        item("task", f"More {n}", parent=project, due_date=timezone.localdate())
    with CaptureQueriesContext(connection) as busy:
        status = weekly_status(cast.manager)
    assert len(status.due_soon) == 16
    assert len(busy) == len(quiet) == 4


@pytest.mark.django_db
def test_the_command_lists_recipients_on_a_dry_run_and_sends_nothing(cast):
    office_week(cast)
    opt_in(cast.manager)
    out = io.StringIO()
    call_command("send_weekly_status", "--dry-run", stdout=out)
    assert f"would send to {cast.manager.email}" in out.getvalue()
    assert "1 weekly status e-mail(s) would send" in out.getvalue()
    assert mail.outbox == []
    call_command("send_weekly_status", stdout=io.StringIO())
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_profile_offers_the_weekly_status_and_saves_it(cast):
    client = Client()
    client.force_login(cast.manager)
    html = client.get("/accounts/profile/").content.decode()
    assert 'name="weekly_status"' in html
    assert Preference.for_user(cast.manager).weekly_status is False
