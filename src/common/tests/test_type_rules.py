"""Which type may sit under which, what may stand at the top, and how deep a tree may grow."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from common.models import WorkItem
from testing.builders import branch, item


def test_a_project_can_hold_every_lower_type(cast):
    project = item("project", organization=cast.office)
    for work_type in ["sub_project", "activity", "sub_activity", "task", "subtask"]:
        child = item(work_type, parent=project)
        assert child.parent_id == project.pk
        assert child.root_id == project.pk


def test_a_task_cannot_hold_an_activity(cast):
    task = item("task", organization=cast.office)
    with pytest.raises(ValidationError) as error:
        item("activity", parent=task)
    assert "cannot be placed under a Task" in str(error.value.message_dict["work_type"])
    assert WorkItem.objects.count() == 1


def test_a_sub_activity_may_nest_another_sub_activity(cast):
    activity = item("activity", organization=cast.office)
    outer = item("sub_activity", parent=activity)
    inner = item("sub_activity", parent=outer)
    assert inner.parent_id == outer.pk


@pytest.mark.parametrize("work_type", ["project", "activity", "task"])
def test_projects_standalone_events_and_staff_tasks_may_be_top_level(cast, work_type):
    top = item(work_type, organization=cast.office)
    assert top.parent_id is None
    assert top.root_id == top.pk


@pytest.mark.parametrize("work_type", ["sub_project", "sub_activity", "subtask"])
def test_sub_types_need_a_parent(cast, work_type):
    with pytest.raises(ValidationError) as error:
        item(work_type, organization=cast.office)
    assert "needs a parent" in str(error.value.message_dict["work_type"])


def test_a_tree_cannot_grow_deeper_than_the_limit(cast):
    chain = branch(cast.office, depth=8)
    with pytest.raises(ValidationError) as error:
        item("subtask", parent=chain[-1])
    assert "deeper than 8 levels" in str(error.value.message_dict["parent"])


@override_settings(
    WORK_ITEM_CHILD_TYPES={"project": ["task"], "task": []}, WORK_ITEM_ROOT_TYPES=["project"]
)
def test_the_type_matrix_comes_from_settings(cast):
    project = item("project", organization=cast.office)
    item("task", parent=project)
    with pytest.raises(ValidationError):
        item("activity", parent=project)
    with pytest.raises(ValidationError):
        item("task", organization=cast.office)
