"""The profile page: one's name, time zone, notification settings and personal API tokens.

A new token is shown once (reloading does not show or make it again), it works against the API,
and once revoked the API refuses it. Bad input on any of the forms answers 400 with the reason.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, User
from notifications.models import Notification, Preference

PROFILE = "/accounts/profile/"


@pytest.fixture
def sofia(client: Client, cast) -> Client:
    client.force_login(cast.staff)
    return client


def test_a_person_sets_their_name_and_time_zone(sofia, cast):
    response = sofia.post(
        PROFILE, {"first_name": "Sofia", "last_name": "Reyes", "time_zone": "Europe/Berlin"}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=cast.staff.pk)
    assert (user.get_full_name(), user.time_zone) == ("Sofia Reyes", "Europe/Berlin")


def test_times_on_pages_follow_the_chosen_time_zone(sofia, cast):
    note = Notification.objects.create(user=cast.staff, kind="assigned", message="Hello")
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.datetime(2026, 3, 2, 12, 0, tzinfo=timezone.UTC)
    )
    assert "Mar 2, 2026 20:00" in sofia.get("/notifications/").content.decode()  # Manila
    User.objects.filter(pk=cast.staff.pk).update(time_zone="Europe/Berlin")
    assert "Mar 2, 2026 13:00" in sofia.get("/notifications/").content.decode()


@pytest.mark.parametrize("zone", ["Mars/Olympus", "x" * 500, "<script>"])
def test_an_unknown_time_zone_is_a_400_with_the_reason(sofia, cast, zone):
    response = sofia.post(PROFILE, {"first_name": "S", "time_zone": zone})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert User.objects.get(pk=cast.staff.pk).time_zone == ""


def test_notification_settings_live_on_the_profile(sofia, cast):
    assert 'id="notifications"' in sofia.get(PROFILE).content.decode()
    bad = sofia.post(f"{PROFILE}notifications/", {"reminder_days": "1, soon"})
    assert bad.status_code == 400
    assert "“soon” is not a number of days" in bad.content.decode()
    sofia.post(f"{PROFILE}notifications/", {"reminder_days": "5", "daily_digest": "on"})
    preference = Preference.objects.get(user=cast.staff)
    assert (preference.reminder_days, preference.daily_digest) == ([5], True)


def test_the_old_settings_address_leads_to_the_profile(sofia, cast):
    response = sofia.post("/notifications/", {"reminder_days": "4"})
    assert response.status_code == 307
    assert response["Location"] == f"{PROFILE}notifications/"
    followed = sofia.post("/notifications/", {"reminder_days": "4"}, follow=True)
    assert followed.status_code == 200
    assert Preference.objects.get(user=cast.staff).reminder_days == [4]
    assert "/accounts/profile/#notifications" in sofia.get("/notifications/").content.decode()


def test_a_new_token_is_shown_once_and_works_against_the_api(sofia, cast):
    created = sofia.post(f"{PROFILE}tokens/", {"name": "Weekly report"})
    assert created.status_code == 302
    page = sofia.get(PROFILE).content.decode()
    raw = re.search(r'data-testid="token-value">(obw_[^<]+)<', page).group(1)
    assert 'data-copy="#new-token-value"' in page
    assert raw not in sofia.get(PROFILE).content.decode()  # once only
    assert ApiToken.objects.filter(user=cast.staff).count() == 1
    api = Client().get("/api/v1/work-items/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.status_code == 200


def test_a_revoked_token_is_refused_by_the_api(sofia, cast):
    sofia.post(f"{PROFILE}tokens/", {"name": "Script"})
    raw = re.search(r"(obw_[\w-]+)", sofia.get(PROFILE).content.decode()).group(1)
    token = ApiToken.objects.get(user=cast.staff)
    assert sofia.post(f"{PROFILE}tokens/{token.pk}/revoke/").status_code == 302
    api = Client().get("/api/v1/work-items/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.status_code == 401
    assert "Script" not in sofia.get(PROFILE).content.decode().split('id="tokens"')[1]


def test_nobody_revokes_someone_elses_token_from_their_profile(sofia, cast):
    token, raw = ApiToken.issue(cast.manager, name="Marco's")
    assert sofia.post(f"{PROFILE}tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.authenticate(raw) == cast.manager


def test_a_token_needs_a_name(sofia, cast):
    response = sofia.post(f"{PROFILE}tokens/", {"name": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.filter(user=cast.staff).exists()


def test_names_are_escaped_on_the_page(sofia, cast):
    sofia.post(PROFILE, {"first_name": "<b>Sofia</b>", "last_name": "", "time_zone": ""})
    page = sofia.get(PROFILE).content.decode()
    assert "<b>Sofia</b>" not in page
    assert "&lt;b&gt;Sofia&lt;/b&gt;" in page


def test_the_profile_needs_a_sign_in_and_csrf(cast):
    assert Client().get(PROFILE).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.staff)
    assert strict.post(f"{PROFILE}tokens/", {"name": "x"}).status_code == 403
