"""Deleting items: refused while children exist, unless they go too or move elsewhere."""

import pytest
from django.core.exceptions import ValidationError

from common.models import WorkItem
from common.services import delete_work_item, link_items
from testing.builders import item


@pytest.fixture
def project_tree(cast):
    project = item("project", "Project", organization=cast.office)
    activity = item("activity", "Activity", parent=project)
    item("task", "Task one", parent=activity, assignees=[cast.staff])
    item("task", "Task two", parent=activity)
    return project, activity


def test_an_item_with_children_is_not_deleted_by_accident(project_tree):
    _, activity = project_tree
    with pytest.raises(ValidationError) as error:
        delete_work_item(None, activity)
    assert "has 2 direct children" in str(error.value.message_dict["children"])
    assert WorkItem.objects.count() == 4


def test_cascade_removes_the_whole_subtree_and_its_links(project_tree):
    project, activity = project_tree
    link_items(None, activity, project)
    removed = delete_work_item(None, activity, cascade=True)
    assert removed == 3
    assert list(WorkItem.objects.values_list("title", flat=True)) == ["Project"]


def test_children_can_move_to_the_parent_instead(project_tree):
    project, activity = project_tree
    delete_work_item(None, activity, reparent_to=project)
    titles = list(project.children.order_by("position").values_list("title", flat=True))
    assert titles == ["Task one", "Task two"]


def test_children_cannot_move_where_their_type_is_not_allowed(cast):
    project = item("project", organization=cast.office)
    sub_project = item("sub_project", parent=project)
    item("sub_activity", "Venue scouting", parent=sub_project)
    with pytest.raises(ValidationError) as error:
        delete_work_item(None, sub_project, reparent_to=None)
    assert error.value.message_dict["reparent_to"] == [
        "“Venue scouting”: A Sub-Activity needs a parent; top-level items are Project, "
        "Activity, Task."
    ]
    assert WorkItem.objects.count() == 3


def test_children_cannot_move_below_the_item_being_deleted(project_tree):
    _, activity = project_tree
    grandchild = activity.children.first()
    with pytest.raises(ValidationError):
        delete_work_item(None, activity, reparent_to=grandchild)


def test_deleting_a_top_level_item_can_promote_its_children(cast):
    project = item("project", organization=cast.office)
    activity = item("activity", parent=project)
    task = item("task", parent=activity)
    delete_work_item(None, project, reparent_to=None)
    promoted = WorkItem.objects.get(pk=activity.pk)
    assert promoted.parent_id is None
    assert promoted.root_id == activity.pk
    assert WorkItem.objects.get(pk=task.pk).root_id == activity.pk


def test_cascade_and_reparent_together_are_contradictory(project_tree):
    project, activity = project_tree
    with pytest.raises(ValidationError):
        delete_work_item(None, activity, cascade=True, reparent_to=project)


def test_every_deleted_item_leaves_a_history_record(cast, project_tree):
    _, activity = project_tree
    delete_work_item(cast.manager, activity, cascade=True)
    deleted = WorkItem.history.filter(history_type="-")
    assert deleted.count() == 3
    assert {h.history_user for h in deleted} == {cast.manager}


def test_notifications_about_a_deleted_item_stay_without_the_link(cast):
    from notifications.models import Notification

    task = item("task", "Soon gone", organization=cast.office)
    notice = Notification.objects.create(
        user=cast.staff, kind="assigned", message="m", work_item=task
    )
    delete_work_item(None, task)
    notice.refresh_from_db()
    assert notice.work_item_id is None
