"""Someone without a role or an organisation reads one sentence naming whom to ask, and can still
reach their profile and sign out."""

from __future__ import annotations

import pytest

from accounts.models import User
from accounts.roles import STAFF, assign_role


@pytest.fixture
def nora(cast) -> User:
    return User.objects.create_user("nora", password="x", organization=cast.office)


def test_the_sentence_names_the_people_who_can_give_a_role(client, cast, nora):
    client.force_login(nora)
    page = client.get("/").content.decode()
    assert "ask an administrator of Office for Other Bangsamoro Communities (Ana or Marco)" in page


def test_a_partner_without_managers_is_pointed_to_the_administrators(client, cast):
    newcomer = User.objects.create_user("pat", password="x", organization=cast.partner)
    client.force_login(newcomer)
    page = client.get("/").content.decode()
    assert "ask an administrator of Ministry of Social Services (Ana)" in page


def test_a_role_without_an_organisation_is_explained_too(client, cast):
    drifter = User.objects.create_user("drifter", password="x")
    assign_role(drifter, STAFF)
    client.force_login(drifter)
    response = client.get("/oobc-management/work-items/")
    assert response.status_code == 403
    assert "belongs to no organisation yet" in response.content.decode()


def test_profile_and_sign_out_stay_reachable(client, cast, nora):
    client.force_login(nora)
    page = client.get("/accounts/profile/")
    assert page.status_code == 200
    assert (
        client.post("/accounts/profile/", {"first_name": "Nora", "time_zone": ""}).status_code
        == 302
    )
    blocked = client.get("/").content.decode()
    assert 'href="/accounts/profile/"' in blocked and 'action="/accounts/logout/"' in blocked
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302  # signed out
    assert client.get("/people/").status_code == 302
