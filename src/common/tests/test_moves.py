"""Moving items: reparenting with the whole subtree, reordering, and every rule on the way."""

import pytest
from django.core.exceptions import ValidationError

from common.models import WorkItem
from common.services import move_work_item
from testing.builders import branch, item


def fresh(work_item):
    return WorkItem.objects.get(pk=work_item.pk)


def test_moving_an_item_takes_its_subtree_along(cast):
    first = item("project", "Livelihood", organization=cast.office)
    second = item("project", "Education", organization=cast.office)
    activity = item("activity", "Training", parent=first)
    task = item("task", "Book trainers", parent=activity)
    move_work_item(None, activity, parent=second)
    assert fresh(activity).parent_id == second.pk
    assert fresh(activity).root_id == second.pk
    assert fresh(task).root_id == second.pk


def test_an_item_cannot_move_under_its_own_descendant(cast):
    chain = branch(cast.office, depth=4)
    with pytest.raises(ValidationError) as error:
        move_work_item(None, chain[1], parent=chain[3])
    assert "under itself or its own descendants" in str(error.value.message_dict["parent"])
    assert fresh(chain[1]).parent_id == chain[0].pk


def test_an_item_cannot_move_under_itself(cast):
    project = item("project", organization=cast.office)
    with pytest.raises(ValidationError):
        move_work_item(None, project, parent=project)


def test_a_move_must_respect_the_type_matrix(cast):
    project = item("project", organization=cast.office)
    activity = item("activity", parent=project)
    task = item("task", parent=project)
    with pytest.raises(ValidationError) as error:
        move_work_item(None, activity, parent=task)
    assert "cannot be placed under a Task" in str(error.value.message_dict["parent"])


def test_a_move_that_would_make_the_tree_too_deep_is_refused(cast):
    deep = branch(cast.office, depth=7)
    task = item("task", organization=cast.office)
    subtask = item("subtask", parent=task)
    item("subtask", parent=subtask)
    with pytest.raises(ValidationError) as error:
        move_work_item(None, subtask, parent=deep[-1])
    assert "deeper than 8" in str(error.value.message_dict["parent"])


def test_reordering_siblings_keeps_the_chosen_place(cast):
    project = item("project", organization=cast.office)
    _a, _b, c = (item("task", name, parent=project) for name in "ABC")
    move_work_item(None, c, parent=project, index=0)
    order = list(project.children.order_by("position").values_list("title", flat=True))
    assert order == ["C", "A", "B"]
    move_work_item(None, c, parent=project, index=5)
    order = list(project.children.order_by("position").values_list("title", flat=True))
    assert order == ["A", "B", "C"]


def test_a_subtree_can_become_its_own_top_level_item(cast):
    project = item("project", organization=cast.office)
    activity = item("activity", parent=project)
    task = item("task", parent=activity)
    move_work_item(None, activity, parent=None)
    assert fresh(activity).parent_id is None
    assert fresh(activity).root_id == activity.pk
    assert fresh(task).root_id == activity.pk


def test_moving_to_another_organisations_tree_moves_the_subtree_there(cast):
    office_project = item("project", organization=cast.office)
    partner_project = item("project", organization=cast.partner)
    activity = item("activity", parent=office_project)
    task = item("task", parent=activity)
    move_work_item(cast.administrator, activity, parent=partner_project)
    assert fresh(task).organization_id == cast.partner.pk
    assert fresh(activity).organization_id == cast.partner.pk


def test_a_manager_cannot_move_items_into_another_organisation(cast):
    office_project = item("project", organization=cast.office)
    partner_project = item("project", organization=cast.partner)
    activity = item("activity", parent=office_project)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        move_work_item(cast.manager, activity, parent=partner_project)
    assert fresh(activity).organization_id == cast.office.pk


def test_a_move_is_recorded_in_the_history(cast):
    first = item("project", organization=cast.office)
    second = item("project", organization=cast.office)
    task = item("task", parent=first)
    move_work_item(cast.manager, task, parent=second)
    latest = task.history.order_by("-history_id").first()
    assert latest.parent_id == second.pk
    assert latest.history_user == cast.manager
    assert latest.history_change_reason == "moved"
