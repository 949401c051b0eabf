"""Assignment notices, due-date reminders, overdue notices and digests — each sent once."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from common.services import update_work_item
from notifications import delivery
from notifications.models import Notification, Preference
from testing.builders import item


def today():
    return timezone.localdate()


def test_being_assigned_sends_a_notification_and_an_email(cast, django_capture_on_commit_callbacks):
    cast.staff.email = "sofia@example.org"
    cast.staff.save()
    task = item("task", "Prepare venue", organization=cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(cast.manager, task, assignees=[cast.staff])
    [notice] = Notification.objects.filter(user=cast.staff)
    assert notice.message == "You were assigned to “Prepare venue” by Marco."
    assert notice.kind == "assigned"
    assert [m.to for m in mail.outbox] == [["sofia@example.org"]]
    assert "/oobc-management/work-items/" in mail.outbox[0].body


def test_team_members_hear_when_their_team_is_assigned_but_not_the_actor(
    cast, django_capture_on_commit_callbacks
):
    task = item("task", "Field visit", organization=cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(cast.manager, task, teams=[cast.field_team])
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["sofia"]
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(cast.manager, task, teams=[cast.field_team], title="Field visit 2")
    assert Notification.objects.count() == 1  # unchanged assignment: no new notice


def test_reminders_come_on_the_preferred_days_and_only_once(cast):
    item(
        "task",
        "In one day",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=1),
    )
    item(
        "task",
        "In two days",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=2),
    )
    item(
        "task",
        "In three days",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=3),
    )
    item(
        "task",
        "Done already",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=1),
        status="completed",
    )
    assert delivery.send_due_reminders() == 2
    assert delivery.send_due_reminders() == 0
    messages = sorted(Notification.objects.values_list("message", flat=True))
    assert messages[0].startswith("“In one day” is due tomorrow")
    assert messages[1].startswith("“In three days” is due in 3 days")


def test_a_person_can_choose_other_reminder_days(cast):
    preference = Preference.for_user(cast.staff)
    preference.reminder_days = [2]
    preference.save()
    item(
        "task",
        "In two days",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=2),
    )
    item(
        "task",
        "In one day",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=1),
    )
    assert delivery.send_due_reminders() == 1
    assert Notification.objects.get().message.startswith("“In two days”")


def test_an_overdue_item_is_announced_once_to_each_assignee(cast):
    item(
        "task",
        "Late",
        organization=cast.office,
        assignees=[cast.staff],
        teams=[cast.field_team],
        due_date=today() - dt.timedelta(days=1),
    )
    assert delivery.send_overdue_notices() == 1  # sofia, once, although assigned twice over
    assert delivery.send_overdue_notices() == 0


def test_moving_a_due_date_earns_a_new_reminder(cast):
    task = item(
        "task",
        "Moving",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=1),
    )
    assert delivery.send_due_reminders() == 1
    update_work_item(None, task, due_date=today() + dt.timedelta(days=3))
    assert delivery.send_due_reminders() == 1


def test_the_daily_digest_goes_to_those_who_asked_once_a_day(cast):
    cast.staff.email = "sofia@example.org"
    cast.staff.save()
    preference = Preference.for_user(cast.staff)
    preference.daily_digest = True
    preference.save()
    item(
        "task",
        "Late report",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() - dt.timedelta(days=2),
    )
    assert delivery.send_daily_digests() == 1
    assert delivery.send_daily_digests() == 0
    digest = mail.outbox[-1]
    assert "Overdue:" in digest.body
    assert "Late report" in digest.body


def test_people_who_turned_email_off_get_only_in_app_notices(cast):
    cast.staff.email = "sofia@example.org"
    cast.staff.save()
    preference = Preference.for_user(cast.staff)
    preference.email_enabled = False
    preference.save()
    item(
        "task",
        "Quiet",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=1),
    )
    delivery.send_due_reminders()
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_old_read_notifications_are_pruned(cast):
    old = Notification.objects.create(user=cast.staff, kind="assigned", message="old")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=200),
        read_at=timezone.now() - dt.timedelta(days=120),
    )
    Notification.objects.create(user=cast.staff, kind="assigned", message="fresh")
    assert delivery.prune() == 1
    assert list(Notification.objects.values_list("message", flat=True)) == ["fresh"]


def test_a_mail_server_outage_loses_nothing_and_is_retried(cast, settings):
    cast.staff.email = "sofia@example.org"
    cast.staff.save()
    settings.MAILERS = {"default": {"BACKEND": "testing.mail.UnreachableMailServer"}}
    item(
        "task",
        "Due soon",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today() + dt.timedelta(days=1),
    )
    assert delivery.send_due_reminders() == 1
    notice = Notification.objects.get()
    assert notice.emailed_at is None
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert delivery.send_pending_emails() == 1
    assert [m.to for m in mail.outbox] == [["sofia@example.org"]]
    assert delivery.send_pending_emails() == 0


def test_an_unreachable_mail_server_never_fails_the_edit(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "testing.mail.UnreachableMailServer"}}
    cast.staff.email = "sofia@example.org"
    cast.staff.save()
    task = item("task", "Assigned while mail is down", organization=cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        saved = update_work_item(cast.manager, task, assignees=[cast.staff])
    assert saved.version == 2
    assert Notification.objects.get().emailed_at is None
