"""Progress rolls up from children: weighted mean, cancelled left out, completed counts fully."""

import pytest
from django.core.exceptions import ValidationError

from common.models import WorkItem
from common.services import create_work_item, delete_work_item, move_work_item, update_work_item
from testing.builders import item


def progress_of(work_item):
    return WorkItem.objects.get(pk=work_item.pk).progress


@pytest.fixture
def activity_with_two_tasks(cast):
    activity = item("activity", "Consultation", organization=cast.office)
    first = item("task", "Book venue", parent=activity)
    second = item("task", "Send invitations", parent=activity)
    return activity, first, second


def test_a_parent_shows_the_mean_of_its_childrens_progress(activity_with_two_tasks):
    activity, first, second = activity_with_two_tasks
    update_work_item(None, first, progress=40)
    update_work_item(None, second, progress=90)
    assert progress_of(activity) == 65


def test_partial_progress_of_a_child_counts_not_just_completion(activity_with_two_tasks):
    activity, first, second = activity_with_two_tasks
    update_work_item(None, first, status="completed")
    update_work_item(None, second, progress=90)
    assert progress_of(activity) == 95


def test_weights_make_a_child_count_more(activity_with_two_tasks):
    activity, first, _second = activity_with_two_tasks
    update_work_item(None, first, progress=100, weight=3)
    assert progress_of(activity) == 75


def test_cancelled_children_do_not_hold_a_parent_back(activity_with_two_tasks):
    activity, first, second = activity_with_two_tasks
    update_work_item(None, first, status="completed")
    update_work_item(None, second, status="cancelled")
    assert progress_of(activity) == 100


def test_changes_reach_the_top_of_a_deep_tree(cast):
    project = item("project", organization=cast.office)
    sub = item("sub_project", parent=project)
    activity = item("activity", parent=sub)
    task = item("task", parent=activity)
    update_work_item(None, task, progress=80)
    assert [progress_of(x) for x in (activity, sub, project)] == [80, 80, 80]


def test_a_manual_parent_keeps_its_own_value_and_stops_the_roll_up(cast):
    project = item("project", organization=cast.office)
    activity = item("activity", parent=project, progress_mode="manual", progress=10)
    task = item("task", parent=activity)
    update_work_item(None, task, progress=90)
    assert progress_of(activity) == 10
    assert progress_of(project) == 10


def test_switching_back_to_auto_recomputes_at_once(cast):
    activity = item("activity", organization=cast.office, progress_mode="manual", progress=10)
    task = item("task", parent=activity)
    update_work_item(None, task, progress=60)
    updated = update_work_item(None, activity, progress_mode="auto")
    assert updated.progress == 60 == progress_of(activity)


def test_progress_of_an_auto_parent_cannot_be_typed_over(activity_with_two_tasks):
    activity, _, _ = activity_with_two_tasks
    with pytest.raises(ValidationError) as error:
        update_work_item(None, activity, progress=50)
    assert "rolled up from its children" in str(error.value.message_dict["progress"])


def test_adding_a_child_lowers_the_parents_progress(activity_with_two_tasks):
    activity, first, second = activity_with_two_tasks
    update_work_item(None, first, status="completed")
    update_work_item(None, second, status="completed")
    assert progress_of(activity) == 100
    create_work_item(None, work_type="task", title="Write report", parent=activity)
    assert progress_of(activity) == 67


def test_deleting_and_moving_children_recompute_both_parents(cast, activity_with_two_tasks):
    activity, first, _second = activity_with_two_tasks
    other = item("activity", "Workshop", organization=cast.office)
    item("task", "Prepare", parent=other)
    update_work_item(None, first, progress=100)
    move_work_item(None, first, parent=other)
    assert progress_of(activity) == 0
    assert progress_of(other) == 50
    delete_work_item(None, WorkItem.objects.get(title="Prepare"))
    assert progress_of(other) == 100
