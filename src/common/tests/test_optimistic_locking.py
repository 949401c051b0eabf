"""An edit made on an outdated copy is refused instead of silently overwriting someone's work."""

import pytest

from common.models import WorkItem
from common.services import VersionConflict, delete_work_item, move_work_item, update_work_item
from testing.builders import item


def test_every_change_raises_the_version(cast):
    task = item("task", organization=cast.office)
    assert task.version == 1
    assert update_work_item(cast.manager, task, expected_version=1, title="Renamed").version == 2


def test_an_edit_from_an_outdated_copy_is_refused_and_names_who_changed_it(cast):
    task = item("task", "Draft agenda", organization=cast.office)
    update_work_item(cast.manager, task, expected_version=1, title="Final agenda")
    with pytest.raises(VersionConflict) as conflict:
        update_work_item(cast.administrator, task, expected_version=1, title="My agenda")
    assert conflict.value.current.title == "Final agenda"
    assert conflict.value.changed_by == cast.manager
    assert "changed by Marco since you opened it" in str(conflict.value)
    assert WorkItem.objects.get(pk=task.pk).title == "Final agenda"


def test_moves_and_deletes_check_the_version_too(cast):
    project = item("project", organization=cast.office)
    task = item("task", parent=project)
    update_work_item(None, task, title="Changed")
    with pytest.raises(VersionConflict):
        move_work_item(None, task, parent=None, expected_version=1)
    with pytest.raises(VersionConflict):
        delete_work_item(None, task, expected_version=1)
    assert WorkItem.objects.filter(pk=task.pk, parent=project).exists()
