"""Dragging and resizing on the calendar reschedules through the services."""

import datetime as dt
import json

from django.test import override_settings

from common.models import WorkItem
from testing.builders import item

FLAGS = {
    "USE_WORKITEM_MODEL": True,
    "USE_UNIFIED_CALENDAR": True,
    "DUAL_WRITE_ENABLED": False,
    "LEGACY_MODELS_READONLY": True,
}


def reschedule(client, work_item, **data):
    response = client.post(
        f"/oobc-management/calendar/work-items/{work_item.pk}/reschedule/",
        data,
        HTTP_ACCEPT="application/json",
    )
    return response.status_code, json.loads(response.content)


def test_dragging_an_all_day_item_moves_both_dates(client, cast):
    task = item(
        "activity",
        "Visit",
        organization=cast.office,
        start_date=dt.date(2026, 5, 4),
        due_date=dt.date(2026, 5, 6),
    )
    client.force_login(cast.manager)
    status, body = reschedule(
        client, task, allDay="true", start="2026-05-11", end="2026-05-14", version="1"
    )
    assert (status, body) == (200, {"ok": True, "version": 2})
    saved = WorkItem.objects.get(pk=task.pk)
    assert (saved.start_date, saved.due_date) == (dt.date(2026, 5, 11), dt.date(2026, 5, 13))
    assert saved.history.first().history_change_reason == "rescheduled on the calendar"


def test_a_deadline_stays_a_deadline(client, cast):
    task = item("task", "Report", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.force_login(cast.manager)
    reschedule(client, task, allDay="true", start="2026-05-08", end="2026-05-09")
    saved = WorkItem.objects.get(pk=task.pk)
    assert (saved.start_date, saved.due_date) == (None, dt.date(2026, 5, 8))


def test_resizing_a_timed_event_converts_to_office_time(client, cast):
    event = item(
        "activity",
        "Meeting",
        organization=cast.office,
        start_date=dt.date(2026, 5, 4),
        start_time=dt.time(9),
        end_time=dt.time(10),
    )
    client.force_login(cast.manager)
    reschedule(
        client, event, allDay="false", start="2026-05-04T02:00:00Z", end="2026-05-04T04:30:00Z"
    )
    saved = WorkItem.objects.get(pk=event.pk)
    assert (saved.start_time, saved.end_time) == (dt.time(10), dt.time(12, 30))


def test_a_forbidden_drag_is_refused_and_nothing_changes(client, cast):
    task = item("task", "Not theirs", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.force_login(cast.staff)
    status, body = reschedule(client, task, allDay="true", start="2026-05-08")
    assert status == 403
    assert body["ok"] is False
    assert WorkItem.objects.get(pk=task.pk).due_date == dt.date(2026, 5, 4)


def test_a_stale_drag_is_a_conflict(client, cast):
    task = item("task", "Busy", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.force_login(cast.manager)
    reschedule(client, task, allDay="true", start="2026-05-05", version="1")
    status, body = reschedule(client, task, allDay="true", start="2026-05-09", version="1")
    assert status == 409
    assert "since you opened it" in body["error"]


def test_nonsense_dates_are_a_400(client, cast):
    task = item("task", "Task", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.force_login(cast.manager)
    status, body = reschedule(client, task, allDay="true", start="someday")
    assert status == 400
    assert body["ok"] is False


@override_settings(FEATURE_FLAGS={**FLAGS, "USE_WORKITEM_MODEL": False})
def test_before_cut_over_dragging_is_refused(client, cast):
    task = item("task", "Task", organization=cast.office, due_date=dt.date(2026, 5, 4))
    client.force_login(cast.manager)
    status, body = reschedule(client, task, allDay="true", start="2026-05-08")
    assert status == 403
    assert "read-only until the cut-over" in body["error"]
