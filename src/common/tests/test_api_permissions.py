"""Every API endpoint × every person × both organisations: correct codes, nothing leaks."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from testing.builders import item

OFFICE_SECRET = "Office API secret"
PARTNER_SECRET = "Partner API secret"
PEOPLE = ["administrator", "manager", "staff", "viewer", "partner_staff"]


def api_for(user) -> APIClient:
    client = APIClient()
    _, raw = ApiToken.issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.fixture
def items(cast):
    office = item("project", OFFICE_SECRET, organization=cast.office)
    item("activity", "Office child", parent=office)
    partner = item("project", PARTNER_SECRET, organization=cast.partner)
    item("task", "Partner child", parent=partner)
    return {"office": office, "partner": partner}


def sees(person, owner, cast) -> bool:
    return person == cast.administrator or person.organization_id == owner.organization_id


def manages(person, owner, cast) -> bool:
    return person == cast.administrator or (
        person == cast.manager and owner.organization_id == cast.office.pk
    )


@pytest.mark.parametrize("person_name", PEOPLE)
@pytest.mark.parametrize("owner_name", ["office", "partner"])
@pytest.mark.parametrize("suffix", ["", "children/", "ancestors/", "history/"])
def test_reading_an_item(cast, items, person_name, owner_name, suffix):
    person, owner = getattr(cast, person_name), items[owner_name]
    response = api_for(person).get(f"/api/v1/work-items/{owner.pk}/{suffix}")
    assert response.status_code == (200 if sees(person, owner, cast) else 404)


@pytest.mark.parametrize("person_name", PEOPLE)
@pytest.mark.parametrize("owner_name", ["office", "partner"])
def test_changing_an_item(cast, items, person_name, owner_name):
    person, owner = getattr(cast, person_name), items[owner_name]
    response = api_for(person).patch(
        f"/api/v1/work-items/{owner.pk}/", {"priority": "high"}, format="json"
    )
    if not sees(person, owner, cast):
        assert response.status_code == 404
    else:
        assert response.status_code == (200 if manages(person, owner, cast) else 403)


@pytest.mark.parametrize("person_name", PEOPLE)
@pytest.mark.parametrize("owner_name", ["office", "partner"])
def test_deleting_an_item(cast, items, person_name, owner_name):
    person, owner = getattr(cast, person_name), items[owner_name]
    response = api_for(person).delete(f"/api/v1/work-items/{owner.pk}/?cascade=true")
    if not sees(person, owner, cast):
        assert response.status_code == 404
    else:
        assert response.status_code == (204 if manages(person, owner, cast) else 403)


@pytest.mark.parametrize("person_name", PEOPLE)
def test_adding_under_the_offices_project(cast, items, person_name):
    person = getattr(cast, person_name)
    response = api_for(person).post(
        "/api/v1/work-items/",
        {"work_type": "task", "title": "New", "parent": items["office"].pk},
        format="json",
    )
    if person == cast.partner_staff:
        assert response.status_code == 400  # the parent is invisible to them
        assert "parent" in response.json()
    else:
        assert response.status_code == (201 if manages(person, items["office"], cast) else 403)


@pytest.mark.parametrize("person_name", PEOPLE)
@pytest.mark.parametrize(
    "url",
    ["/api/v1/work-items/", "/api/v1/work-items/?q=secret", "/api/v1/teams/", "/api/v1/users/"],
)
def test_lists_never_show_another_organisation(cast, items, person_name, url):
    person = getattr(cast, person_name)
    response = api_for(person).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    if person == cast.administrator:
        return
    other = PARTNER_SECRET if person.organization_id == cast.office.pk else OFFICE_SECRET
    other_team = "Partner Liaison" if person.organization_id == cast.office.pk else "Field Co"
    assert other not in text
    assert other_team not in text
