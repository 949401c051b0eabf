"""The admin lists work items as a tree and writes only through the services."""

import pytest
from django.urls import reverse

from common.models import WorkItem
from common.services import update_work_item
from testing.builders import item

CHANGELIST = "/admin/common/workitem/"


@pytest.fixture
def tree(cast):
    project = item("project", "Zeta project", organization=cast.office)
    activity = item("activity", "Alpha activity", parent=project)
    item("project", "Another project", organization=cast.office)
    item("task", "Middle task", parent=activity)
    item("project", "Partner project", organization=cast.partner)
    return project, activity


def add_form(**overrides):
    data = {
        "work_type": "task",
        "title": "New task",
        "status": "not_started",
        "priority": "medium",
        "progress_mode": "auto",
        "progress": "0",
        "weight": "1",
        "is_calendar_visible": "on",
        "details": "{}",
        "outgoing_links-TOTAL_FORMS": "0",
        "outgoing_links-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_the_list_is_in_tree_order_with_indentation(client, cast, tree):
    client.force_login(cast.manager)
    page = client.get(CHANGELIST).content.decode()
    assert (
        page.index("Zeta project")
        < page.index("— Alpha activity")
        < page.index("— — Middle task")
        < page.index("Another project")
    )


def test_a_manager_sees_only_their_organisation(client, cast, tree):
    client.force_login(cast.manager)
    page = client.get(CHANGELIST).content.decode()
    assert "Partner project" not in page
    partner = WorkItem.objects.get(title="Partner project")
    assert client.get(reverse("admin:common_workitem_change", args=[partner.pk])).status_code in (
        302,
        403,
        404,
    )


def test_a_wrong_type_under_a_parent_is_a_form_error_not_a_crash(client, cast, tree):
    _, activity = tree
    client.force_login(cast.manager)
    response = client.post(
        reverse("admin:common_workitem_add"), add_form(work_type="project", parent=str(activity.pk))
    )
    assert response.status_code == 200
    assert "cannot be placed under a Activity" in response.content.decode()
    assert not WorkItem.objects.filter(title="New task").exists()


def test_adding_through_the_admin_uses_the_services(client, cast, tree):
    _, activity = tree
    client.force_login(cast.manager)
    response = client.post(
        reverse("admin:common_workitem_add"), add_form(parent=str(activity.pk), status="completed")
    )
    assert response.status_code == 302
    created = WorkItem.objects.get(title="New task")
    assert created.root_id == activity.root_id
    assert created.completed_at is not None
    assert created.progress == 100
    assert created.created_by == cast.manager
    assert created.history.first().history_user == cast.manager


def test_a_stale_admin_form_reports_the_conflict(client, cast, tree):
    project, _ = tree
    client.force_login(cast.manager)
    update_work_item(cast.administrator, project, title="Renamed meanwhile")
    data = add_form(work_type="project", title="My title", expected_version="1")
    response = client.post(reverse("admin:common_workitem_change", args=[project.pk]), data)
    assert response.status_code == 200
    assert "changed by Ana since you opened it" in response.content.decode()
    assert WorkItem.objects.get(pk=project.pk).title == "Renamed meanwhile"


def test_the_complete_action_rolls_up_progress(client, cast, tree):
    project, _activity = tree
    client.force_login(cast.manager)
    task = WorkItem.objects.get(title="Middle task")
    response = client.post(CHANGELIST, {"action": "mark_completed", "_selected_action": [task.pk]})
    assert response.status_code == 302
    assert WorkItem.objects.get(pk=project.pk).progress == 100


def test_a_viewer_cannot_change_items_in_the_admin(client, cast, tree):
    project, _ = tree
    cast.viewer.is_staff = True
    cast.viewer.save()
    client.force_login(cast.viewer)
    response = client.post(
        reverse("admin:common_workitem_change", args=[project.pk]),
        add_form(work_type="project", title="Hijack", expected_version="1"),
    )
    assert response.status_code == 403
    assert WorkItem.objects.get(pk=project.pk).title == "Zeta project"


def test_deleting_an_item_with_children_is_refused_cleanly(client, cast, tree):
    project, _ = tree
    client.force_login(cast.manager)
    response = client.post(
        reverse("admin:common_workitem_delete", args=[project.pk]), {"post": "yes"}
    )
    assert response.status_code == 200
    assert WorkItem.objects.filter(pk=project.pk).exists()


def test_the_parent_picker_offers_only_visible_items(client, cast, tree):
    client.force_login(cast.manager)
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "common",
            "model_name": "workitem",
            "field_name": "parent",
            "term": "project",
        },
    )
    titles = {row["text"] for row in response.json()["results"]}
    assert titles == {"Zeta project", "Another project"}


def test_search_and_the_overdue_filter_work(client, cast, tree):
    client.force_login(cast.manager)
    assert "Middle task" in client.get(CHANGELIST, {"q": "Middle"}).content.decode()
    assert client.get(CHANGELIST, {"overdue": "yes"}).status_code == 200
