"""The work items feed that FullCalendar (and the checklist's curl) reads."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from common.services import delete_work_item, update_work_item
from testing.builders import item

FEED = "/oobc-management/calendar/work-items/feed/"
MAY = {"start": "2026-05-01", "end": "2026-06-01"}
FLAGS = {
    "USE_WORKITEM_MODEL": True,
    "USE_UNIFIED_CALENDAR": True,
    "DUAL_WRITE_ENABLED": False,
    "LEGACY_MODELS_READONLY": True,
}


def d(text):
    return dt.date.fromisoformat(text)


def events(client, **params):
    response = client.get(FEED, {**MAY, **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def titles(client, **params):
    return sorted(e["title"] for e in events(client, **params))


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast.manager)
    return client


def test_the_feed_is_a_json_array_of_fullcalendar_events(signed_in, cast):
    project = item(
        "project",
        "Livelihood",
        organization=cast.office,
        start_date=d("2026-05-04"),
        due_date=d("2026-05-06"),
    )
    activity = item(
        "activity",
        "Consultation",
        parent=project,
        start_date=d("2026-05-05"),
        assignees=[cast.staff],
        teams=[cast.field_team],
    )
    item("task", "Agenda", parent=activity)
    [project_event, event] = sorted(events(signed_in), key=lambda e: e["title"])[::-1]
    assert project_event["title"] == "Livelihood"
    assert event == {
        "id": str(activity.pk),
        "title": "Consultation",
        "start": "2026-05-05",
        "end": "2026-05-06",
        "allDay": True,
        "color": "#059669",
        "url": f"/oobc-management/work-items/{activity.pk}/",
        "className": "wi-item",
        "editable": True,
        "extendedProps": {
            "workType": "activity",
            "status": "not_started",
            "priority": "medium",
            "progress": 0,
            "breadcrumb": ["Livelihood"],
            "parentId": project.pk,
            "childCount": 1,
            "assignees": ["Sofia"],
            "teams": ["Field Coordination"],
            "organisation": "Office for Other Bangsamoro Communities",
            "version": 1,
            "itemId": activity.pk,
            "recurring": False,
            "container": False,
            "rank": 0,
            "days": 1,
        },
    }


def test_all_six_types_appear(signed_in, cast):
    project = item("project", "P", organization=cast.office, start_date=d("2026-05-02"))
    sub = item("sub_project", "SP", parent=project, start_date=d("2026-05-02"))
    activity = item("activity", "A", parent=sub, start_date=d("2026-05-02"))
    sub_activity = item("sub_activity", "SA", parent=activity, start_date=d("2026-05-02"))
    task = item("task", "T", parent=sub_activity, due_date=d("2026-05-02"))
    item("subtask", "ST", parent=task, due_date=d("2026-05-02"))
    types = {e["extendedProps"]["workType"] for e in events(signed_in)}
    assert types == {"project", "sub_project", "activity", "sub_activity", "task", "subtask"}


def test_an_item_spanning_the_whole_window_appears_in_every_month(signed_in, cast):
    item(
        "project",
        "Year-long",
        organization=cast.office,
        start_date=d("2026-01-01"),
        due_date=d("2026-12-31"),
    )
    for month in range(1, 13):
        start = dt.date(2026, month, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        assert titles(signed_in, start=start.isoformat(), end=end.isoformat()) == ["Year-long"]


def test_window_edges_are_exact_and_the_end_is_exclusive(signed_in, cast):
    item("task", "Ends the day before", organization=cast.office, due_date=d("2026-04-30"))
    item("task", "Ends on the first day", organization=cast.office, due_date=d("2026-05-01"))
    item("task", "Starts on the last day", organization=cast.office, start_date=d("2026-05-31"))
    item("task", "Starts on the end", organization=cast.office, start_date=d("2026-06-01"))
    assert titles(signed_in) == ["Ends on the first day", "Starts on the last day"]


def test_single_dates_become_one_day_events_and_undated_items_stay_out(signed_in, cast):
    item("task", "Only due", organization=cast.office, due_date=d("2026-05-10"))
    item("task", "Only start", organization=cast.office, start_date=d("2026-05-11"))
    item("task", "No date", organization=cast.office)
    by_title = {e["title"]: e for e in events(signed_in)}
    assert set(by_title) == {"Only due", "Only start"}
    assert (by_title["Only due"]["start"], by_title["Only due"]["end"]) == (
        "2026-05-10",
        "2026-05-11",
    )


def test_timed_items_are_timed_events_in_the_office_zone_or_the_asked_one(signed_in, cast):
    item(
        "activity",
        "Workshop",
        organization=cast.office,
        start_date=d("2026-05-05"),
        due_date=d("2026-05-05"),
        start_time=dt.time(9),
        end_time=dt.time(16, 30),
    )
    [local] = events(signed_in)
    assert (local["start"], local["end"], local["allDay"]) == (
        "2026-05-05T09:00:00+08:00",
        "2026-05-05T16:30:00+08:00",
        False,
    )
    [utc] = events(signed_in, timeZone="UTC")
    assert (utc["start"], utc["end"]) == ("2026-05-05T01:00:00+00:00", "2026-05-05T08:30:00+00:00")


def test_a_timed_window_with_offsets_cuts_at_the_exact_instant(signed_in, cast):
    item(
        "activity",
        "Morning",
        organization=cast.office,
        start_date=d("2026-05-05"),
        start_time=dt.time(8),
        end_time=dt.time(9),
    )
    item(
        "activity",
        "Evening",
        organization=cast.office,
        start_date=d("2026-05-05"),
        start_time=dt.time(18),
        end_time=dt.time(19),
    )
    params = {"start": "2026-05-05T12:00:00+08:00", "end": "2026-05-06T00:00:00+08:00"}
    assert titles(signed_in, **params) == ["Evening"]


def test_hidden_items_stay_off_the_calendar(signed_in, cast):
    item(
        "task",
        "Hidden",
        organization=cast.office,
        due_date=d("2026-05-10"),
        is_calendar_visible=False,
    )
    assert titles(signed_in) == []


def test_colours_come_from_the_override_or_the_type_and_done_items_are_muted(signed_in, cast):
    item(
        "task",
        "Own colour",
        organization=cast.office,
        due_date=d("2026-05-10"),
        calendar_color="#112233",
    )
    item("task", "Type colour", organization=cast.office, due_date=d("2026-05-10"))
    item("task", "Done", organization=cast.office, due_date=d("2026-05-10"), status="completed")
    item("task", "Off", organization=cast.office, due_date=d("2026-05-10"), status="cancelled")
    colours = {e["title"]: e["color"] for e in events(signed_in)}
    assert colours == {
        "Own colour": "#112233",
        "Type colour": "#D97706",
        "Done": "#94A3B8",
        "Off": "#CBD5E1",
    }


@pytest.fixture
def mixed(cast):
    project = item(
        "project", "Project", organization=cast.office, start_date=d("2026-05-02"), priority="high"
    )
    sub = item("sub_project", "Sub-project", parent=project, start_date=d("2026-05-02"))
    item(
        "activity",
        "Mine",
        parent=sub,
        start_date=d("2026-05-03"),
        assignees=[cast.manager],
        status="in_progress",
    )
    item(
        "task",
        "Team task",
        organization=cast.office,
        due_date=d("2026-05-04"),
        teams=[cast.field_team],
        priority="urgent",
    )
    item("task", "Finished", organization=cast.office, due_date=d("2026-05-04"), status="completed")
    item("task", "Other org", organization=cast.partner, due_date=d("2026-05-04"))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "project"}, ["Project"]),
        ({"type": "project", "include_subtypes": "1"}, ["Project", "Sub-project"]),
        ({"type": ["activity", "task"]}, ["Finished", "Mine", "Team task"]),
        ({"status": "in_progress"}, ["Mine"]),
        ({"priority": ["high", "urgent"]}, ["Project", "Team task"]),
        ({"assignee": "me"}, ["Mine"]),
        ({"q": "team"}, ["Team task"]),
        ({"include_completed": "0"}, ["Mine", "Project", "Sub-project", "Team task"]),
    ],
)
def test_every_filter_narrows_the_feed(signed_in, mixed, params, expected):
    assert titles(signed_in, **params) == expected


def test_team_and_organisation_filters(signed_in, cast, mixed):
    assert titles(signed_in, team=cast.field_team.pk) == ["Team task"]
    assert titles(signed_in, organisation=cast.partner.pk) == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"start": "", "end": "2026-06-01"}, "start"),
        ({"start": "May 1st"}, "start"),
        ({"end": "2026-13-01"}, "end"),
        ({"start": "2026-06-01", "end": "2026-05-01"}, "end"),
        ({"start": "2026-01-01", "end": "2027-03-01"}, "end"),
        ({"timeZone": "Mars/Olympus"}, "timeZone"),
        ({"type": "meeting"}, "type"),
        ({"status": "done"}, "status"),
        ({"assignee": "boss"}, "assignee"),
        ({"include_completed": "maybe"}, "include_completed"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(signed_in, params, parameter):
    response = signed_in.get(FEED, {**MAY, **params})
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["error"]


def test_without_a_window_the_feed_shows_the_current_month(signed_in, cast):
    from django.utils import timezone

    today = timezone.localdate()
    item("task", "This month", organization=cast.office, due_date=today.replace(day=1))
    item("task", "Long ago", organization=cast.office, due_date=today.replace(year=today.year - 2))
    response = signed_in.get(FEED)
    assert response.status_code == 200
    assert [e["title"] for e in response.json()] == ["This month"]


def test_anonymous_callers_get_a_401_json_not_a_login_page(client, db):
    response = client.get(FEED, MAY)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Token")
    [message] = response.json()  # an array like the feed, so `| jq '.[:2]'` shows it
    assert "\n" not in message
    assert message.startswith("401 Unauthorized")
    assert 'curl -H "Authorization: Token $TOKEN"' in message


def test_the_checklists_jq_line_prints_how_to_pass_a_token(client, db):
    import shutil
    import subprocess

    if not shutil.which("jq"):
        pytest.skip("jq is not installed (make test installs it)")
    body = client.get(FEED, MAY).content
    shown = subprocess.run(["jq", ".[:2]"], input=body, capture_output=True, check=True)
    assert b"Authorization: Token" in shown.stdout


def test_a_personal_token_opens_the_feed(client, cast):
    item("task", "Token visible", organization=cast.office, due_date=d("2026-05-10"))
    _, raw = ApiToken.issue(cast.staff)
    response = client.get(FEED, MAY, HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 200
    assert [e["title"] for e in response.json()] == ["Token visible"]
    assert client.get(FEED, MAY, HTTP_AUTHORIZATION="Token obw_wrong").status_code == 401


def test_no_other_organisations_items_ever(client, cast):
    item("task", "Office", organization=cast.office, due_date=d("2026-05-10"))
    partner_project = item(
        "project", "Partner", organization=cast.partner, start_date=d("2026-05-01")
    )
    item("task", "Partner task", parent=partner_project, due_date=d("2026-05-10"))
    client.force_login(cast.partner_staff)
    assert titles(client) == ["Partner", "Partner task"]
    client.force_login(cast.staff)
    assert titles(client) == ["Office"]
    client.force_login(cast.administrator)
    assert titles(client) == ["Office", "Partner", "Partner task"]


def test_editable_tells_each_person_what_they_may_drag(client, cast):
    item(
        "task",
        "Assigned to staff",
        organization=cast.office,
        due_date=d("2026-05-10"),
        assignees=[cast.staff],
    )
    item("task", "Not theirs", organization=cast.office, due_date=d("2026-05-10"))
    client.force_login(cast.staff)
    assert {e["title"]: e["editable"] for e in events(client)} == {
        "Assigned to staff": True,
        "Not theirs": False,
    }
    client.force_login(cast.viewer)
    assert {e["editable"] for e in events(client)} == {False}


@override_settings(FEATURE_FLAGS={**FLAGS, "USE_UNIFIED_CALENDAR": False})
def test_without_the_unified_calendar_only_events_show(signed_in, cast):
    activity = item("activity", "Event", organization=cast.office, start_date=d("2026-05-02"))
    item("sub_activity", "Session", parent=activity, start_date=d("2026-05-02"))
    item("task", "Task", organization=cast.office, due_date=d("2026-05-02"))
    assert titles(signed_in) == ["Event", "Session"]


@override_settings(FEATURE_FLAGS={**FLAGS, "USE_WORKITEM_MODEL": False})
def test_before_cut_over_nothing_is_draggable(signed_in, cast):
    item("task", "Task", organization=cast.office, due_date=d("2026-05-02"))
    assert [e["editable"] for e in events(signed_in)] == [False]


def test_repeating_items_are_expanded_inside_the_window(signed_in, cast):
    item(
        "activity",
        "Weekly huddle",
        organization=cast.office,
        start_date=d("2026-04-06"),
        due_date=d("2026-04-06"),
        start_time=dt.time(9),
        end_time=dt.time(10),
        recurrence_rule="FREQ=WEEKLY;BYDAY=MO",
        recurrence_exdates=["2026-05-18"],
    )
    found = events(signed_in)
    assert [e["start"] for e in found] == [
        "2026-05-04T09:00:00+08:00",
        "2026-05-11T09:00:00+08:00",
        "2026-05-25T09:00:00+08:00",
    ]
    assert {e["editable"] for e in found} == {False}
    assert found[0]["id"].endswith("@2026-05-04")


def test_a_series_that_ended_before_the_window_is_left_out(signed_in, cast):
    item(
        "task",
        "Old series",
        organization=cast.office,
        start_date=d("2026-01-05"),
        recurrence_rule="FREQ=WEEKLY;COUNT=4",
    )
    assert titles(signed_in) == []


def feed_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(FEED, MAY).status_code == 200
    return len(captured.captured_queries)


def test_the_feed_costs_the_same_for_10_and_500_events(client, cast):
    client.force_login(cast.staff)
    project = item("project", "Deep", organization=cast.office, start_date=d("2026-05-01"))
    parent = item("activity", "Parent", parent=project, start_date=d("2026-05-01"))
    for n in range(10):
        item(
            "task",
            f"E{n}",
            parent=parent,
            due_date=d("2026-05-02"),
            assignees=[cast.staff],
            teams=[cast.field_team],
        )
    ten = feed_queries(client)
    for n in range(10, 500):
        item(
            "task",
            f"E{n}",
            parent=parent,
            due_date=d("2026-05-03"),
            assignees=[cast.staff],
            teams=[cast.field_team],
        )
    assert feed_queries(client) == ten
    with (
        CaptureQueriesContext(connection) as captured,
        override_settings(CALENDAR_BODY_CACHE_SECONDS=0),
    ):
        client.get(FEED, MAY)
    data_queries = [
        q
        for q in captured.captured_queries
        if "django_session" not in q["sql"]
        and "auth_permission" not in q["sql"]
        and 'FROM "accounts_user"' not in q["sql"].split("WHERE")[0]
    ]
    assert len(data_queries) <= 5


def test_a_matching_etag_answers_304_and_any_change_changes_it(signed_in, cast):
    task = item("task", "Task", organization=cast.office, due_date=d("2026-05-02"))
    first = signed_in.get(FEED, MAY)
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = signed_in.get(FEED, MAY, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    update_work_item(None, task, title="Renamed")
    assert signed_in.get(FEED, MAY, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_renaming_a_parent_outside_the_window_refreshes_breadcrumbs(signed_in, cast):
    project = item(
        "project",
        "Old name",
        organization=cast.office,
        start_date=d("2025-01-01"),
        due_date=d("2025-02-01"),
    )
    item("task", "Child", parent=project, due_date=d("2026-05-02"))
    etag = signed_in.get(FEED, MAY)["ETag"]
    update_work_item(None, project, title="New name")
    response = signed_in.get(FEED, MAY, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()[0]["extendedProps"]["breadcrumb"] == ["New name"]


def test_a_deletion_changes_the_validators(signed_in, cast):
    item("task", "Stays", organization=cast.office, due_date=d("2026-05-02"))
    goes = item("task", "Goes", organization=cast.office, due_date=d("2026-05-02"))
    first = signed_in.get(FEED, MAY)
    delete_work_item(None, goes)
    second = signed_in.get(FEED, MAY, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert [e["title"] for e in second.json()] == ["Stays"]


def test_long_containers_are_marked_thin_and_ordered_after_short_items(signed_in, cast):
    """Projects, sub-projects and anything longer than the limit carry the thin-bar class."""
    project = item(
        "project",
        "Programme",
        organization=cast.office,
        start_date=d("2026-05-01"),
        due_date=d("2026-05-02"),
    )
    item("sub_project", "Phase", parent=project, start_date=d("2026-05-04"))
    item(
        "activity",
        "Fortnight",
        parent=project,
        start_date=d("2026-05-01"),
        due_date=d("2026-05-14"),
    )
    item(
        "activity",
        "Long survey",
        parent=project,
        start_date=d("2026-05-01"),
        due_date=d("2026-05-15"),
    )
    item("task", "Print", parent=project, due_date=d("2026-05-05"))
    by_title = {e["title"]: e for e in events(signed_in)}
    marks = {
        title: (e["className"], e["extendedProps"]["container"], e["extendedProps"]["rank"])
        for title, e in by_title.items()
    }
    assert marks == {
        "Programme": ("wi-container", True, 1),
        "Phase": ("wi-container", True, 1),
        "Fortnight": ("wi-item", False, 0),  # exactly 14 days: not longer than the limit
        "Long survey": ("wi-container", True, 1),
        "Print": ("wi-item", False, 0),
    }
    assert by_title["Long survey"]["extendedProps"]["days"] == 15
    assert by_title["Print"]["extendedProps"]["breadcrumb"] == ["Programme"]


@override_settings(CALENDAR_LONG_EVENT_DAYS=3)
def test_the_length_limit_comes_from_settings(signed_in, cast):
    item(
        "activity",
        "Four days",
        organization=cast.office,
        start_date=d("2026-05-04"),
        due_date=d("2026-05-07"),
    )
    item(
        "activity",
        "Three days",
        organization=cast.office,
        start_date=d("2026-05-04"),
        due_date=d("2026-05-06"),
    )
    classes = {e["title"]: e["className"] for e in events(signed_in)}
    assert classes == {"Four days": "wi-container", "Three days": "wi-item"}
