"""Writes cost a fixed number of queries, whatever the size of the tree around them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.services import create_work_item, move_work_item
from testing.builders import branch, item


def queries_for(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_creating_a_leaf_at_depth_six_costs_the_same_in_small_and_large_trees(cast):
    small = branch(cast.office, depth=5, prefix="small ")
    large = branch(cast.office, depth=5, prefix="large ")
    for level in large:
        for n in range(3):
            if level.work_type != "subtask":
                item("task" if level.work_type != "task" else "subtask", f"extra {n}", parent=level)

    def create_under(parent):
        return lambda: create_work_item(None, work_type="subtask", title="Leaf", parent=parent)

    cost_small = queries_for(create_under(small[-1]))
    cost_large = queries_for(create_under(large[-1]))
    assert cost_small == cost_large == 10


def test_moving_a_subtree_costs_the_same_for_five_or_two_hundred_items(cast):
    target = item("project", "Target", organization=cast.office)

    def subtree_of(size: int):
        project = item("project", f"Source {size}", organization=cast.office)
        activity = item("activity", f"Moving {size}", parent=project)
        for n in range(size - 1):
            item("task", f"Task {n}", parent=activity)
        return activity

    few, many = subtree_of(5), subtree_of(200)
    cost_few = queries_for(lambda: move_work_item(None, few, parent=target))
    cost_many = queries_for(lambda: move_work_item(None, many, parent=target))
    assert cost_few == cost_many == 14
