"""What each role may read, as docs/domain.md says; a person without a role reads nothing."""

from __future__ import annotations

import pytest

from accounts.models import ApiToken, User
from common import permissions
from common.models import WorkItem
from testing.builders import item


@pytest.fixture
def nora(cast):
    """An office account nobody has given a role yet."""
    return User.objects.create_user("nora", password="x", organization=cast.office)


def test_a_person_without_a_role_gets_one_sentence_and_no_data(client, cast, nora):
    item("project", "Office plan", organization=cast.office)
    client.force_login(nora)
    for path in ("/", "/oobc-management/work-items/", "/oobc-management/calendar/"):
        response = client.get(path)
        assert response.status_code == 403
        page = response.content.decode()
        assert "ask an administrator of Office for Other Bangsamoro Communities" in page
        assert "Office plan" not in page


def test_a_person_without_a_role_reads_nothing_through_the_api(client, cast, nora):
    item("project", "Office plan", organization=cast.office)
    _token, raw = ApiToken.issue(nora)
    for path in ("/api/v1/work-items/", "/api/v1/users/", "/api/v1/teams/"):
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {raw}")
        assert response.status_code == 403
        assert "no role yet" in response.json()["detail"]
        assert "Office plan" not in response.content.decode()
    client.force_login(nora)
    assert client.get("/api/v1/users/").status_code == 403


def test_the_permission_module_gives_no_role_nothing(cast, nora):
    item("project", "Office plan", organization=cast.office)
    assert not permissions.has_role(nora)
    assert not permissions.visible_people(nora).exists()
    assert not permissions.visible_teams(nora).exists()
    assert not permissions.visible_organizations(nora).exists()
    assert not WorkItem.objects.visible_to(nora).exists()


@pytest.mark.parametrize("role", ["viewer", "staff", "manager"])
def test_every_role_lists_the_people_of_its_own_organisation_only(client, cast, role):
    client.force_login(getattr(cast, role))
    names = {row["username"] for row in client.get("/api/v1/users/").json()["results"]}
    assert {"sofia", "victor", "marco"} <= names
    assert "paolo" not in names


def test_signing_in_and_the_password_page_stay_open_without_a_role(client, cast, nora):
    client.force_login(nora)
    assert client.get("/accounts/password/").status_code == 200
