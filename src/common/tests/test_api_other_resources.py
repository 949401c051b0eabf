"""Teams, people, notifications and calendar subscriptions through the API."""

from rest_framework.test import APIClient

from accounts.models import ApiToken
from common.models import CalendarSubscription
from notifications.models import Notification


def api_for(user) -> APIClient:
    client = APIClient()
    _, raw = ApiToken.issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_people_and_teams_of_the_callers_organisation_only(cast):
    people = api_for(cast.staff).get("/api/v1/users/").json()["results"]
    assert {p["username"] for p in people} == {"ana", "marco", "sofia", "victor"}
    teams = api_for(cast.staff).get("/api/v1/teams/").json()["results"]
    assert [t["name"] for t in teams] == ["Field Coordination"]
    assert api_for(cast.staff).get(f"/api/v1/users/{cast.partner_staff.pk}/").status_code == 404


def test_notifications_are_private_and_can_be_marked_read(cast):
    mine = Notification.objects.create(user=cast.staff, kind="assigned", message="mine")
    other = Notification.objects.create(user=cast.manager, kind="assigned", message="theirs")
    client = api_for(cast.staff)
    assert [n["message"] for n in client.get("/api/v1/notifications/").json()["results"]] == [
        "mine"
    ]
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read_at"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 0}


def test_subscriptions_are_created_once_with_their_address_and_revoked(cast):
    client = api_for(cast.staff)
    created = client.post(
        "/api/v1/calendar-subscriptions/",
        {"name": "Phone", "filters": {"type": ["task"]}},
        format="json",
    )
    assert created.status_code == 201
    url = created.json()["url"]
    assert "/oobc-management/calendar/ics/" in url
    listed = client.get("/api/v1/calendar-subscriptions/").json()["results"]
    assert "url" not in listed[0]
    token = url.split("/ics/")[1].removesuffix(".ics")
    assert APIClient().get(f"/oobc-management/calendar/ics/{token}.ics").status_code == 200
    subscription = CalendarSubscription.objects.get()
    assert client.delete(f"/api/v1/calendar-subscriptions/{subscription.pk}/").status_code == 204
    assert APIClient().get(f"/oobc-management/calendar/ics/{token}.ics").status_code == 404


def test_bad_subscription_filters_are_400(cast):
    response = api_for(cast.staff).post(
        "/api/v1/calendar-subscriptions/",
        {"name": "x", "filters": {"colour": ["red"]}},
        format="json",
    )
    assert response.status_code == 400
    assert "filters" in response.json()
