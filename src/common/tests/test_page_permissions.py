"""Every page × every person × both organisations: nothing leaks, refusals are clean.

The office's item and the partner's item each get every work item URL requested by every member
of the cast; a person outside an item's organisation always gets 404 (its existence is not
revealed) and never sees its title, and a forbidden action is a 403, never a 500.
"""

import pytest
from django.urls import reverse

from testing.builders import item

OFFICE_SECRET = "Office confidential consultation"
PARTNER_SECRET = "Partner confidential validation"

READ_PAGES = ["common:detail", "common:children", "common:expand_all"]
EDIT_PAGES = ["common:edit", "common:move", "common:move_candidates"]
DELETE_PAGES = ["common:delete"]


@pytest.fixture
def items(cast):
    office = item("project", OFFICE_SECRET, organization=cast.office)
    item("activity", "Office child", parent=office, assignees=[cast.staff])
    partner = item("project", PARTNER_SECRET, organization=cast.partner)
    item("task", "Partner child", parent=partner)
    return {"office": office, "partner": partner}


def expected_status(person, page, owner, cast):
    """What each person should get for a GET of `page` on the `owner` organisation's item."""
    same_org = person.organization_id == owner.organization_id or person == cast.administrator
    if not same_org:
        return 404
    if page in READ_PAGES:
        return 200
    if page in EDIT_PAGES:
        return 200 if person in (cast.administrator, cast.manager) else 403
    return 200 if person in (cast.administrator, cast.manager) else 403


PEOPLE = ["administrator", "manager", "staff", "viewer", "partner_staff"]


@pytest.mark.parametrize("person_name", PEOPLE)
@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES + DELETE_PAGES)
@pytest.mark.parametrize("owner_name", ["office", "partner"])
def test_item_pages_answer_each_person_correctly(
    client, cast, items, person_name, page, owner_name
):
    person = getattr(cast, person_name)
    owner = items[owner_name]
    client.force_login(person)
    response = client.get(reverse(page, args=[owner.pk]))
    assert response.status_code == expected_status(person, page, owner, cast)
    other_secret = PARTNER_SECRET if person.organization_id == cast.office.pk else OFFICE_SECRET
    if person != cast.administrator:
        assert other_secret not in response.content.decode()


@pytest.mark.parametrize("person_name", PEOPLE)
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/oobc-management/work-items/",
        "/oobc-management/work-items/?q=confidential",
        "/oobc-management/work-items/export.csv",
        "/oobc-management/work-items/export.csv?q=confidential",
    ],
)
def test_lists_search_and_exports_show_only_the_persons_organisation(
    client, cast, items, person_name, url
):
    person = getattr(cast, person_name)
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    if person == cast.administrator:
        return
    own, other = (
        (OFFICE_SECRET, PARTNER_SECRET)
        if person.organization_id == cast.office.pk
        else (PARTNER_SECRET, OFFICE_SECRET)
    )
    assert other not in text
    if "work-items" in url:
        assert own in text


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/oobc-management/work-items/",
        "/oobc-management/work-items/1/",
        "/oobc-management/work-items/new/",
        "/oobc-management/work-items/export.xlsx",
        "/oobc-management/work-items/1/children/",
        "/accounts/password/",
    ],
)
def test_every_page_needs_a_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_writes_by_a_viewer_are_refused_with_403(client, cast, items):
    office = items["office"]
    client.force_login(cast.viewer)
    for name, data in [
        ("common:set_status", {"status": "completed"}),
        ("common:set_progress", {"progress": "50"}),
        ("common:move", {"parent": ""}),
        ("common:quick_add", {"title": "x", "work_type": "activity"}),
        ("common:delete", {"children": "cascade"}),
    ]:
        response = client.post(reverse(name, args=[office.pk]), data)
        assert response.status_code == 403, name
    office.refresh_from_db()
    assert office.status == "not_started"


def test_a_partner_cannot_write_to_the_offices_items_even_by_guessing_ids(client, cast, items):
    own_task = item(
        "task", "Partner own task", organization=cast.partner, assignees=[cast.partner_staff]
    )
    client.force_login(cast.partner_staff)
    response = client.post(
        reverse("common:set_status", args=[items["office"].pk]), {"status": "cancelled"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("common:move", args=[own_task.pk]),
        {"parent": items["office"].pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 404
    own_task.refresh_from_db()
    assert own_task.parent_id is None
    items["office"].refresh_from_db()
    assert items["office"].status == "not_started"


@pytest.mark.parametrize(
    "url",
    [
        "/oobc-management/work-items/99999999999999999999999/",
        "/oobc-management/work-items/new/?parent=99999999999999999999999",
        "/oobc-management/work-items/?team=99999999999999999999999",
        "/oobc-management/work-items/?organization=99999999999999999999999&assignee=99999999999999999999",
        "/oobc-management/calendar/work-items/feed/?team=99999999999999999999999",
        "/api/v1/work-items/99999999999999999999999/",
        "/api/v1/work-items/?team=99999999999999999999999",
    ],
)
def test_absurd_ids_are_refused_cleanly_never_a_server_error(client, cast, url):
    client.force_login(cast.manager)
    assert client.get(url).status_code in (400, 404)
