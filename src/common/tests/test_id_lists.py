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


def test_a_team_month_of_the_feed_lists_the_team_items_only(client, cast):
    """The team's item ids are gathered first (`id_lists.gathered`): the same events come back."""
    field = item("activity", "Field visit", organization=cast.office, start_date="2026-11-10")
    field.teams.add(cast.field_team)
    item("activity", "Office retreat", organization=cast.office, start_date="2026-11-12")
    client.force_login(cast.manager)
    events = client.get(
        "/oobc-management/calendar/work-items/feed/",
        {"start": "2026-11-01", "end": "2026-12-01", "team": cast.field_team.pk},
    ).json()
    assert [e["title"] for e in events] == ["Field visit"]
