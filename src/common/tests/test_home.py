"""My work: real counts of what is assigned to me or my teams."""

import datetime as dt

from django.utils import timezone

from testing.builders import item


def test_my_work_counts_what_is_mine_and_nothing_else(client, cast):
    today = timezone.localdate()
    item(
        "task",
        "Late report",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today - dt.timedelta(days=2),
    )
    item(
        "task",
        "Team visit",
        organization=cast.office,
        teams=[cast.field_team],
        due_date=today,
        status="in_progress",
    )
    item(
        "task",
        "Done long ago",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today - dt.timedelta(days=9),
        status="completed",
    )
    item(
        "task",
        "Someone else's",
        organization=cast.office,
        assignees=[cast.manager],
        due_date=today - dt.timedelta(days=1),
    )
    client.force_login(cast.staff)
    html = client.get("/").content.decode()
    assert 'data-testid="count-overdue">1<' in html
    assert 'data-testid="count-progress">1<' in html
    assert 'data-testid="count-open">2<' in html
    assert "Late report" in html and "Team visit" in html
    assert "Someone else" not in html
