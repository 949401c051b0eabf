"""My work: real counts of what is assigned to me or my teams."""

import datetime as dt
import re

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


def _my_items(cast):
    today = timezone.localdate()
    project = item("project", "Education support", organization=cast.office)
    activity = item("activity", "Provincial consultation", parent=project)
    item(
        "task",
        "Book the hall",
        parent=activity,
        assignees=[cast.staff],
        due_date=today - dt.timedelta(days=1),
    )
    item(
        "task",
        "Send invitations",
        parent=activity,
        assignees=[cast.staff],
        due_date=today + dt.timedelta(days=10),
    )
    item(
        "task",
        "Stand-alone errand",
        organization=cast.office,
        teams=[cast.field_team],
        due_date=today + dt.timedelta(days=3),
        status="in_progress",
    )
    item(
        "task",
        "Not mine",
        organization=cast.office,
        assignees=[cast.manager],
        due_date=today + dt.timedelta(days=2),
    )
    item(
        "task",
        "Far away",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today + dt.timedelta(days=30),
    )
    return project


def test_every_counter_opens_the_list_it_counts(client, cast):
    _my_items(cast)
    client.force_login(cast.staff)
    html = client.get("/").content.decode()
    for key in ("overdue", "upcoming", "progress", "open"):
        link = html.split(f'data-testid="link-{key}"')[0].rsplit('href="', 1)[1].split('"')[0]
        count = int(html.split(f'data-testid="count-{key}">')[1].split("<")[0])
        listed = client.get(link.replace("&amp;", "&")).content.decode()
        titles = [
            t
            for t in (
                "Book the hall",
                "Send invitations",
                "Stand-alone errand",
                "Far away",
                "Not mine",
            )
            if f">{t}<" in listed
        ]
        assert len(titles) == count, (key, link, titles)


def test_the_next_two_weeks_are_listed(client, cast):
    _my_items(cast)
    client.force_login(cast.staff)
    html = client.get("/").content.decode()
    upcoming = html.split('data-testid="list-upcoming"')[1].split("</section>")[0]
    assert "Send invitations" in upcoming and "Stand-alone errand" in upcoming
    assert "Far away" not in upcoming and "Book the hall" not in upcoming
    assert 'data-testid="count-upcoming">2<' in html


def test_listed_items_are_grouped_by_project_with_their_path(client, cast):
    _my_items(cast)
    client.force_login(cast.staff)
    html = client.get("/").content.decode()
    upcoming = html.split('data-testid="list-upcoming"')[1].split("</section>")[0]
    groups = [g.split(">", 1)[1].split("<")[0] for g in upcoming.split('data-testid="group"')[1:]]
    assert groups == ["Education support"]
    assert 'data-testid="path">Provincial consultation<' in upcoming


def test_a_stand_alone_item_is_listed_once_not_under_a_heading_of_its_own(client, cast):
    _my_items(cast)
    client.force_login(cast.staff)
    html = client.get("/").content.decode()
    upcoming = html.split('data-testid="list-upcoming"')[1].split("</section>")[0]
    assert upcoming.count("Stand-alone errand") == 1
    assert ">Stand-alone errand</a>" in upcoming


def test_my_work_costs_the_same_queries_for_few_and_many_items(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from common.services import link_dependency

    _my_items(cast)
    # Something in every list, so both pages fill the same lists.
    due_today = item(
        "task",
        "Due today",
        organization=cast.office,
        assignees=[cast.staff],
        start_date=timezone.localdate(),
        due_date=timezone.localdate(),
    )
    blocker = item(
        "task", "Permit", organization=cast.office, due_date=timezone.localdate() + dt.timedelta(30)
    )
    link_dependency(None, due_today, blocker)  # starts before the permit: a conflict
    client.force_login(cast.staff)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    project = item("project", "Water systems", organization=cast.office)
    for n in range(25):
        activity = item("activity", f"Site visit {n}", parent=project)
        visit = item(
            "task",
            f"Prepare visit {n}",
            parent=activity,
            assignees=[cast.staff],
            start_date=timezone.localdate(),
            due_date=timezone.localdate() + dt.timedelta(days=n % 12),
        )
        link_dependency(None, visit, blocker)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


def test_an_item_starting_before_what_it_waits_for_is_listed_and_marked(client, cast):
    from common.services import link_dependency

    project = item("project", "Consultations", organization=cast.office)
    survey = item(
        "task",
        "Survey",
        parent=project,
        start_date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 3, 6),
    )
    report = item(
        "task",
        "Write the report",
        parent=project,
        start_date=dt.date(2026, 3, 5),
        due_date=dt.date(2026, 3, 9),
        assignees=[cast.staff],
    )
    link_dependency(None, report, survey, lag_days=1)
    client.force_login(cast.staff)
    page = client.get("/").content.decode()
    assert 'data-testid="list-conflicts"' in page
    assert "Starts before what it waits for" in page
    # Survey is due Friday 6 March; one working day of lag: Tuesday 10 March at the earliest.
    assert "Starts Thu, Mar 5, before “" in page and "Survey</a>” allows (from Tue, Mar 10)" in page

    link_dependency(None, report, survey, lag_days=0)
    from common.services import update_work_item

    update_work_item(cast.staff, report, start_date=dt.date(2026, 3, 9))
    page = client.get("/").content.decode()
    assert 'data-testid="list-conflicts"' not in page and 'data-testid="conflict"' not in page


def _listed_titles(html: str, key: str) -> list[str]:
    listed = html.split(f'data-testid="list-{key}"')[1].split("</section>")[0]
    return re.findall(r'<a[^>]*href="/oobc-management/work-items/\d+/"[^>]*>([^<]+)</a>', listed)


def test_each_list_shows_the_ten_most_pressing_items_first(client, cast):
    """Earliest due first, the higher priority first on the same day; of 13 overdue, 10 shown."""
    today = timezone.localdate()
    for n in range(12):
        item(
            "task",
            f"Late {n:02}",
            organization=cast.office,
            assignees=[cast.staff],
            due_date=today - dt.timedelta(days=20 - n),
            priority="low",
        )
    item(
        "task",
        "Urgent and late",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today - dt.timedelta(days=15),
        priority="urgent",
    )
    client.force_login(cast.staff)
    html = client.get("/").content.decode()
    assert 'data-testid="count-overdue">13<' in html
    assert _listed_titles(html, "overdue") == [
        "Late 00",
        "Late 01",
        "Late 02",
        "Late 03",
        "Late 04",
        "Urgent and late",
        "Late 05",
        "Late 06",
        "Late 07",
        "Late 08",
    ]


def test_work_in_progress_without_a_date_is_listed_after_dated_work(client, cast):
    today = timezone.localdate()
    mine = {"organization": cast.office, "assignees": [cast.staff], "status": "in_progress"}
    item("task", "Ongoing, no date", **mine)
    item("task", "Ongoing, due next week", due_date=today + dt.timedelta(days=7), **mine)
    client.force_login(cast.staff)
    html = client.get("/").content.decode()
    assert _listed_titles(html, "progress") == ["Ongoing, due next week", "Ongoing, no date"]
