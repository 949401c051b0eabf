"""An expanded node's rows are kept like the tree page's, never stale or shown to someone else.

Opening a parent (its children, or its whole subtree) drew every row again each time, a
thousand of them for a wide activity, while nothing had changed. The rows are now served from
the cache for the visibility check and one query (when anything last changed).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import MANAGER, STAFF, assign_role
from common.services import create_work_item, update_work_item
from testing.builders import item
from testing.queries import beyond_sign_in

#: Marks are written once a change commits (`accounts.work_marks`): these tests commit.
commits = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workshop(cast):
    """An activity with two tasks, the second assigned to Sofia (staff)."""
    activity = item("activity", "Harbour workshop", organization=cast.office)
    item("task", "Print the agenda", parent=activity)
    item("task", "Book the boat", parent=activity, assignees=[cast.staff])
    return activity


def children_url(parent) -> str:
    return reverse("common:children", args=[parent.pk])


def subtree_url(parent) -> str:
    return reverse("common:expand_all", args=[parent.pk])


def rows_of(client, parent, depth: int = 1) -> str:
    """The children rows of `parent` as the signed-in person is served them."""
    return client.get(children_url(parent), {"depth": depth}).content.decode()


def colleague(cast, username: str, role: str) -> User:
    """Another person of the office with `role`."""
    person = User.objects.create_user(username, organization=cast.office, first_name="Nadia")
    assign_role(person, role)
    return person


def own_queries(captured) -> list[str]:
    """The expansion's own statements (beyond sign-in and the request-time record)."""
    return beyond_sign_in(captured, "operations_requesttiming")


def item_reads(captured) -> list[str]:
    """Statements reading items or their assignees (drawing rows takes at least three)."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "common_workitem"' in q["sql"] or "common_workitem_assignees" in q["sql"]
    ]


@pytest.mark.parametrize("url", [children_url, subtree_url])
def test_an_unchanged_expansion_costs_two_queries_and_shows_the_same_rows(
    client, cast, workshop, url
):
    client.force_login(cast.manager)
    first = client.get(url(workshop), {"depth": 1})
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url(workshop), {"depth": 1})
    assert again.status_code == 200
    assert again.content == first.content
    assert "Book the boat" in again.content.decode()
    # The parent's visibility, then when anything the manager may see last changed.
    assert len(own_queries(captured)) == 2, own_queries(captured)
    assert len(item_reads(captured)) == 1, item_reads(captured)  # the parent alone


@pytest.mark.parametrize("url", [children_url, subtree_url])
def test_a_change_to_a_child_is_shown_at_once(client, cast, workshop, url):
    client.force_login(cast.manager)
    client.get(url(workshop), {"depth": 1})
    task = workshop.children.get(title="Print the agenda")
    update_work_item(None, task, title="Print the programme")
    html = client.get(url(workshop), {"depth": 1}).content.decode()
    assert "Print the programme" in html
    assert "Print the agenda" not in html


def test_a_new_child_is_shown_at_once(client, cast, workshop):
    client.force_login(cast.manager)
    rows_of(client, workshop)
    create_work_item(cast.manager, parent=workshop, work_type="task", title="Hire a translator")
    assert "Hire a translator" in rows_of(client, workshop)


def test_rows_drawn_for_one_depth_are_not_served_for_another(client, cast, workshop):
    client.force_login(cast.manager)
    shallow = rows_of(client, workshop)
    deep = rows_of(client, workshop, depth=4)
    assert 'data-depth="1"' in shallow
    assert 'data-depth="4"' in deep
    assert 'data-depth="1"' not in deep


def test_each_staff_member_sees_only_their_own_edit_rights_in_the_rows(client, cast, workshop):
    """Same role, same office: Sofia may edit the task she is assigned, Nadia may not."""
    nadia = colleague(cast, "nadia", STAFF)
    client.force_login(cast.staff)
    assert 'data-can-edit="1"' in rows_of(client, workshop)
    client.force_login(nadia)
    html = rows_of(client, workshop)
    assert "Book the boat" in html
    assert 'data-can-edit="1"' not in html


def test_managers_of_one_office_share_kept_rows(client, cast, workshop):
    lina = colleague(cast, "lina", MANAGER)
    client.force_login(cast.manager)
    first = client.get(children_url(workshop), {"depth": 1})
    client.force_login(lina)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(children_url(workshop), {"depth": 1})
    assert again.content == first.content
    assert len(item_reads(captured)) == 1, item_reads(captured)


def test_a_viewer_is_not_served_the_rows_a_manager_may_edit(client, cast, workshop):
    client.force_login(cast.manager)
    assert 'data-can-edit="1"' in rows_of(client, workshop)
    client.force_login(cast.viewer)
    html = rows_of(client, workshop)
    assert "Book the boat" in html
    assert 'data-can-edit="1"' not in html


@pytest.mark.parametrize("url", [children_url, subtree_url])
def test_kept_rows_are_never_served_to_another_organisation(client, cast, workshop, url):
    client.force_login(cast.manager)
    assert client.get(url(workshop), {"depth": 1}).status_code == 200
    client.force_login(cast.partner_staff)
    refused = client.get(url(workshop), {"depth": 1})
    assert refused.status_code == 404
    assert "Book the boat" not in refused.content.decode()


@commits
def test_a_renamed_assignee_is_shown_at_once(client, cast, workshop):
    client.force_login(cast.manager)
    assert "Sofia" in rows_of(client, workshop)
    cast.staff.first_name = "Sofía"
    cast.staff.save()
    assert "Sofía" in rows_of(client, workshop)


@pytest.mark.parametrize("url", [children_url, subtree_url])
def test_each_parent_is_served_its_own_rows(client, cast, workshop, url):
    survey = item("activity", "Seaweed survey", organization=cast.office)
    item("task", "Count the farms", parent=survey)
    client.force_login(cast.manager)
    client.get(url(workshop), {"depth": 1})
    html = client.get(url(survey), {"depth": 1}).content.decode()
    assert "Count the farms" in html
    assert "Book the boat" not in html


def test_rows_beyond_the_size_limit_are_drawn_every_time(client, cast, workshop, monkeypatch):
    """A parent of many thousands of children is not held in the cache (`MAX_CHARACTERS`)."""
    from common import page_cache

    monkeypatch.setattr(page_cache, "MAX_CHARACTERS", 100)
    client.force_login(cast.manager)
    first = client.get(children_url(workshop), {"depth": 1})
    with CaptureQueriesContext(connection) as captured:
        again = client.get(children_url(workshop), {"depth": 1})
    assert again.content == first.content
    assert len(item_reads(captured)) >= 3, item_reads(captured)  # parent, rows, assignees
