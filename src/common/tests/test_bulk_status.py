"""Bulk status changes run each item through the same rules and report per item."""

from common.models import WorkItem
from common.services import bulk_set_status
from testing.builders import item


def test_bulk_completion_reports_each_item_and_rolls_up(cast):
    activity = item("activity", organization=cast.office)
    mine = item("task", "Mine", parent=activity, assignees=[cast.staff])
    not_mine = item("task", "Not mine", parent=activity)
    results = bulk_set_status(cast.staff, [mine.pk, not_mine.pk, 999999], "completed")
    outcome = {r.item_id: (r.ok, r.error) for r in results}
    assert outcome[mine.pk] == (True, "")
    assert outcome[not_mine.pk] == (False, "You may not edit this item.")
    assert outcome[999999][0] is False
    assert WorkItem.objects.get(pk=mine.pk).status == "completed"
    assert WorkItem.objects.get(pk=not_mine.pk).status == "not_started"
    assert WorkItem.objects.get(pk=activity.pk).progress == 50
