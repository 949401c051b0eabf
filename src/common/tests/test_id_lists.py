"""Breadcrumbs and people for a very large window: more ids than SQLite allows variables."""

from common.calendar.feed import _people
from common.tree import ancestor_ids_of_many, ancestor_trails
from testing.builders import item


def test_forty_thousand_ids_at_once_are_answered(cast):
    project = item("project", "Programme", organization=cast.office)
    task = item("task", "Visit", parent=project, assignees=[cast.staff])
    ids = [*range(10_000_000, 10_040_000), task.pk]
    trails = ancestor_trails(ids)
    assert [title for _, title in trails[task.pk]] == ["Programme", "Visit"]
    assert ancestor_ids_of_many(ids)[task.pk] == [project.pk]
    assignees, _, _ = _people(ids, cast.staff.pk)
    assert [name for _, name in assignees[task.pk]] == [cast.staff.display_name]
