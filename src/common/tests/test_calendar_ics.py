"""ICS subscriptions: valid RFC 5545 for Outlook, Google and Apple Calendar, revocable."""

import datetime as dt

import pytest
from django.http import QueryDict
from icalendar import Calendar

from common.calendar import subscriptions
from common.models import CalendarSubscription
from common.services import update_work_item
from testing.builders import item


def d(text):
    return dt.date.fromisoformat(text)


def today_plus(days):
    return dt.date.today() + dt.timedelta(days=days)


def subscribe(user, **filters):
    query = QueryDict(mutable=True)
    for key, value in filters.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return subscriptions.issue(user, "My calendar", query)


def fetch(client, token, **headers):
    return client.get(f"/oobc-management/calendar/ics/{token}.ics", **headers)


def parsed(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    for component in calendar.walk():
        assert component.errors == [], (component.name, component.errors)
    return calendar


@pytest.fixture
def office_items(cast):
    project = item(
        "project",
        "Livelihood",
        organization=cast.office,
        start_date=today_plus(-10),
        due_date=today_plus(60),
    )
    item(
        "activity",
        "Workshop",
        parent=project,
        start_date=today_plus(5),
        due_date=today_plus(5),
        start_time=dt.time(9),
        end_time=dt.time(16),
        details={"venue": "Hall"},
        assignees=[cast.staff],
    )
    item(
        "task",
        "Weekly report",
        organization=cast.office,
        start_date=today_plus(1),
        recurrence_rule="FREQ=WEEKLY;COUNT=8",
        recurrence_exdates=[today_plus(8).isoformat()],
    )
    item("task", "Partner only", organization=cast.partner, due_date=today_plus(3))
    return project


def test_a_subscription_feed_is_valid_icalendar_with_every_required_property(
    client, cast, office_items
):
    _, token = subscribe(cast.staff)
    calendar = parsed(fetch(client, token))
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Livelihood", "Workshop", "Weekly report"}
    for event in events.values():
        for prop in ("UID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND", "URL"):
            assert prop in event, prop
    assert str(events["Workshop"]["UID"]).startswith("workitem-")
    assert "In: Livelihood" in str(events["Workshop"]["DESCRIPTION"])


def test_all_day_items_use_dates_with_an_exclusive_end(client, cast, office_items):
    _, token = subscribe(cast.staff)
    project = next(
        e for e in parsed(fetch(client, token)).walk("VEVENT") if str(e["SUMMARY"]) == "Livelihood"
    )
    assert project["DTSTART"].dt == today_plus(-10)
    assert project["DTEND"].dt == today_plus(61)
    assert not isinstance(project["DTSTART"].dt, dt.datetime)


def test_timed_items_carry_their_time_zone(client, cast, office_items):
    _, token = subscribe(cast.staff)
    calendar = parsed(fetch(client, token))
    workshop = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Workshop")
    assert workshop["DTSTART"].params["TZID"] == "Asia/Manila"
    assert workshop["DTSTART"].dt.hour == 9
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Manila"]


def test_repeating_items_carry_rrule_and_exdate(client, cast, office_items):
    _, token = subscribe(cast.staff)
    report = next(
        e
        for e in parsed(fetch(client, token)).walk("VEVENT")
        if str(e["SUMMARY"]) == "Weekly report"
    )
    assert report["RRULE"]["FREQ"] == ["WEEKLY"]
    assert report["RRULE"]["COUNT"] == [8]
    assert report["EXDATE"].dts[0].dt == today_plus(8)


def test_the_sequence_follows_the_item_version(client, cast, office_items):
    _, token = subscribe(cast.staff)
    update_work_item(None, office_items, title="Livelihood programme")
    update_work_item(None, office_items, priority="high")
    project = next(
        e
        for e in parsed(fetch(client, token)).walk("VEVENT")
        if str(e["SUMMARY"]) == "Livelihood programme"
    )
    assert project["SEQUENCE"] == 3


def test_a_subscription_can_be_bound_to_filters(client, cast, office_items):
    _, token = subscribe(cast.staff, assignee="me")
    summaries = [str(e["SUMMARY"]) for e in parsed(fetch(client, token)).walk("VEVENT")]
    assert summaries == ["Workshop"]


def test_a_revoked_or_unknown_address_answers_404(client, cast, office_items):
    subscription, token = subscribe(cast.staff)
    subscriptions.revoke(subscription)
    assert fetch(client, token).status_code == 404
    assert fetch(client, "not-a-token").status_code == 404


def test_a_matching_etag_answers_304(client, cast, office_items):
    _, token = subscribe(cast.staff)
    first = fetch(client, token)
    assert fetch(client, token, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_subscriptions_page_creates_lists_and_revokes(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        "/oobc-management/calendar/subscriptions/",
        {"name": "Phone", "type": ["task"], "assignee": "me"},
        follow=True,  # post, then redirect: a reload cannot create a second address
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "/oobc-management/calendar/ics/" in html
    token = html.split("/oobc-management/calendar/ics/")[1].split(".ics")[0]
    subscription = CalendarSubscription.objects.get(user=cast.staff)
    assert subscription.filters == {"type": ["task"], "assignee": ["me"]}
    assert fetch(client, token).status_code == 200
    client.post(f"/oobc-management/calendar/subscriptions/{subscription.pk}/revoke/")
    assert fetch(client, token).status_code == 404


def test_nobody_can_revoke_someone_elses_subscription(client, cast):
    subscription, token = subscribe(cast.staff)
    client.force_login(cast.manager)
    response = client.post(f"/oobc-management/calendar/subscriptions/{subscription.pk}/revoke/")
    assert response.status_code == 404
    assert fetch(client, token).status_code == 200


def test_bad_filters_are_refused_when_subscribing(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        "/oobc-management/calendar/subscriptions/", {"name": "Bad", "type": ["meeting"]}
    )
    assert response.status_code == 400
    assert not CalendarSubscription.objects.exists()
