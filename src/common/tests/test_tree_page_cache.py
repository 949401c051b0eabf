"""The tree page's content is kept per person and never shown stale or to someone else.

People come back to the tree all day while nothing in it changed; the filters and rows are then
served from the cache for one query (when anything last changed). Everything drawn per response
(CSRF token, messages, unread count) is drawn fresh around it.
"""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Team, User
from common.services import move_work_item, update_work_item
from testing.builders import item
from testing.queries import beyond_sign_in

TREE = "/oobc-management/work-items/"


@pytest.fixture
def projects(cast):
    hall = item("project", "Book the town hall", organization=cast.office)
    item("project", "Seaweed training", organization=cast.office, assignees=[cast.staff])
    return hall


def content_queries(captured) -> list[str]:
    """Statements beyond sign-in, the default view, the unread count and the page-time record:
    the page's own work."""
    return beyond_sign_in(
        captured, "planning_savedview", "notifications_notification", "operations_requesttiming"
    )


def test_an_unchanged_tree_costs_one_query_and_shows_the_same_rows(client, cast, projects):
    client.force_login(cast.manager)
    first = client.get(TREE)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(TREE)
    assert again.status_code == 200
    assert "Book the town hall" in again.content.decode()
    assert content_of(again) == content_of(first)
    assert len(content_queries(captured)) == 1, content_queries(captured)


def content_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<h1>Work items</h1>") : html.index('id="tree-status"')]


def test_a_change_to_an_item_is_shown_at_once(client, cast, projects):
    client.force_login(cast.manager)
    client.get(TREE)
    update_work_item(None, projects, title="Book the community hall")
    html = client.get(TREE).content.decode()
    assert "Book the community hall" in html
    assert "Book the town hall" not in html


#: Marks are written once a change commits (`accounts.work_marks`): these tests commit.
commits = pytest.mark.django_db(transaction=True)


@commits
def test_a_renamed_assignee_and_a_new_colleague_are_shown_at_once(client, cast, projects):
    client.force_login(cast.manager)
    assert "Sofia" in client.get(TREE).content.decode()
    cast.staff.first_name = "Sofía"
    cast.staff.save()
    assert "Sofía" in client.get(TREE).content.decode()
    User.objects.create_user("nadia", organization=cast.office, first_name="Nadia")
    assert ">Nadia</option>" in client.get(TREE).content.decode()  # an assignee to filter by
    Team.objects.create(organization=cast.office, name="Madrasah Support")
    assert ">Madrasah Support</option>" in client.get(TREE).content.decode()


def test_kept_content_is_never_shown_to_another_person(client, cast, projects):
    client.force_login(cast.manager)
    manager_html = client.get(TREE).content.decode()
    assert "New project" in manager_html
    client.force_login(cast.viewer)
    viewer_html = client.get(TREE).content.decode()
    assert "Book the town hall" in viewer_html
    assert "New project" not in viewer_html
    client.force_login(cast.partner_staff)
    assert "Book the town hall" not in client.get(TREE).content.decode()


def test_two_staff_members_each_see_only_their_own_edit_rights(client, cast, projects):
    """Same role, same office: Sofia may drag the project she is assigned to, Nadia may not."""
    from accounts.roles import STAFF, assign_role

    nadia = User.objects.create_user("nadia", organization=cast.office, first_name="Nadia")
    assign_role(nadia, STAFF)
    client.force_login(cast.staff)
    assert 'data-can-edit="1"' in client.get(TREE).content.decode()
    client.force_login(nadia)
    assert 'data-can-edit="1"' not in client.get(TREE).content.decode()


def colleague(cast, username: str, role: str) -> User:
    from accounts.roles import assign_role

    person = User.objects.create_user(username, organization=cast.office, first_name="Lina")
    assign_role(person, role)
    return person


def test_managers_of_one_office_share_kept_content(client, cast, projects):
    """Managers may edit every item of their office: what one was shown, another is served."""
    from accounts.roles import MANAGER

    second = colleague(cast, "lina", MANAGER)
    client.force_login(cast.manager)
    first = client.get(TREE)
    client.force_login(second)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(TREE)
    assert content_of(again) == content_of(first)
    assert len(content_queries(captured)) == 1, content_queries(captured)


@pytest.mark.parametrize("mine", [{"assignee": "me"}, {"mine": "on"}])
def test_my_items_are_never_served_to_another_manager(client, cast, projects, mine):
    from accounts.roles import MANAGER

    second = colleague(cast, "lina", MANAGER)
    item("project", "Survey by Lina", organization=cast.office, assignees=[second])
    item("project", "Audit by Marco", organization=cast.office, assignees=[cast.manager])
    for person, own, other in (
        (cast.manager, "by Marco", "by Lina"),
        (second, "by Lina", "by Marco"),
    ):
        client.force_login(person)
        html = content_of(client.get(TREE, mine))
        assert own in html
        assert other not in html


def test_a_role_taken_away_is_shown_at_once(client, cast, projects):
    from accounts.roles import VIEWER, assign_role

    client.force_login(cast.manager)
    assert "New project" in client.get(TREE).content.decode()
    assign_role(cast.manager, VIEWER)
    assert "New project" not in client.get(TREE).content.decode()


@commits
def test_each_answer_has_its_own_csrf_token_and_its_messages(client, cast, projects):
    client.force_login(cast.manager)
    first = client.get(TREE)
    doomed = item("project", "Old plan", organization=cast.office)
    update_work_item(None, projects, title="Book the community hall")  # the latest change
    client.get(TREE)  # kept again, with "Old plan"
    deleted = client.post(
        f"/oobc-management/work-items/{doomed.pk}/delete/",
        {"expected_version": doomed.version, "children": "cascade"},
        follow=True,
    )
    assert "“Old plan” was deleted" in deleted.content.decode()
    assert "Old plan" not in content_of(deleted)
    again = client.get(TREE)
    tokens = {token_of(r) for r in (first, deleted, again)}
    assert len(tokens) == 3  # masked afresh for each answer, as on any page
    assert "was deleted" not in again.content.decode()  # a message is shown once


def token_of(response) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', response.content.decode()).group(1)


def offered_reads(captured) -> list[str]:
    """Statements reading the people, teams or organisations the filter form offers."""
    return [
        sql
        for sql in (q["sql"] for q in captured.captured_queries)
        if 'FROM "accounts_team"' in sql
        or 'FROM "accounts_organization"' in sql
        or (
            'FROM "accounts_user"' in sql
            and '"accounts_user"."is_active"' in sql.split("WHERE")[-1]
        )
    ]


def test_an_edited_item_draws_the_rows_again_but_not_the_filter_form(client, cast, projects):
    """The form offers people, teams and organisations and shows no item: after an item is
    edited the rows are drawn again while the form, unchanged, comes from the cache."""
    client.force_login(cast.manager)
    with CaptureQueriesContext(connection) as first:
        client.get(TREE)
    assert len(offered_reads(first)) == 3  # people, teams, organisations: drawn once
    update_work_item(None, projects, title="Book the community hall")
    with CaptureQueriesContext(connection) as captured:
        html = client.get(TREE).content.decode()
    assert "Book the community hall" in html
    assert ">Sofia</option>" in html and ">Field Coordination</option>" in html
    assert offered_reads(captured) == []


def test_the_kept_filter_form_shows_the_filters_asked_for(client, cast, projects):
    client.force_login(cast.manager)
    client.get(TREE, {"q": "hall"})
    update_work_item(None, projects, title="Book the community hall")
    html = client.get(TREE, {"q": "training"}).content.decode()
    assert 'value="training"' in html
    assert 'value="hall"' not in html
    assert 'value="hall"' in client.get(TREE, {"q": "hall", "page": "1"}).content.decode()


def test_another_organisations_person_is_never_offered_the_office_people(client, cast, projects):
    """Sofia and Paolo are both staff (the same permissions), of two organisations."""
    client.force_login(cast.staff)
    assert ">Marco</option>" in client.get(TREE).content.decode()
    client.force_login(cast.partner_staff)
    html = client.get(TREE).content.decode()
    assert ">Marco</option>" not in html
    assert ">Paolo</option>" in html


@commits
def test_an_item_moved_to_another_organisation_leaves_the_first_at_once(client, cast, projects):
    workshop = item("activity", "Harbour workshop", organization=cast.office)
    partner_project = item("project", "Ministry programme", organization=cast.partner)
    update_work_item(None, projects, title="Book the community hall")  # the office's latest
    client.force_login(cast.manager)
    assert "Harbour workshop" in client.get(TREE).content.decode()
    move_work_item(None, workshop, parent=partner_project)
    assert "Harbour workshop" not in client.get(TREE).content.decode()


@commits
def test_a_colleague_moved_to_another_organisation_is_no_longer_offered(client, cast, projects):
    client.force_login(cast.manager)
    assert ">Sofia</option>" in client.get(TREE).content.decode()
    cast.staff.organization = cast.partner
    cast.staff.save()
    assert ">Sofia</option>" not in client.get(TREE).content.decode()


def test_a_refused_filter_is_answered_400_every_time(client, cast, projects):
    client.force_login(cast.manager)
    for _ in range(2):
        response = client.get(TREE, {"date_from": "not a date"})
        assert response.status_code == 400
        assert "form-error" in response.content.decode()


@override_settings(PAGE_CONTENT_CACHE_SECONDS=0)
def test_keeping_content_can_be_turned_off(client, cast, projects):
    client.force_login(cast.manager)
    client.get(TREE)
    with CaptureQueriesContext(connection) as captured:
        client.get(TREE)
    assert len(content_queries(captured)) > 1
