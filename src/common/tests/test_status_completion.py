"""Status, completion time and progress stay consistent."""

from common.models import WorkItem
from common.services import update_work_item
from testing.builders import item


def test_completing_a_leaf_sets_completion_time_and_full_progress(cast):
    task = item("task", organization=cast.office, progress=30)
    done = update_work_item(None, task, status="completed")
    assert done.completed_at is not None
    assert done.progress == 100


def test_reopening_clears_the_completion_time(cast):
    task = item("task", organization=cast.office)
    update_work_item(None, task, status="completed")
    reopened = update_work_item(None, task, status="in_progress")
    assert reopened.completed_at is None
    assert WorkItem.objects.get(pk=task.pk).completed_at is None


def test_completing_a_parent_keeps_its_rolled_up_progress(cast):
    activity = item("activity", organization=cast.office)
    item("task", parent=activity, progress=40)
    item("task", parent=activity, progress=60)
    done = update_work_item(None, activity, status="completed")
    assert done.completed_at is not None
    assert done.progress == 50


def test_an_item_created_completed_is_complete_at_once(cast):
    task = item("task", organization=cast.office, status="completed")
    assert task.completed_at is not None
    assert task.progress == 100


def test_saving_without_changes_does_not_create_a_new_version(cast):
    task = item("task", "Same", organization=cast.office)
    again = update_work_item(None, task, title="Same")
    assert again.version == 1
    assert task.history.count() == 1
