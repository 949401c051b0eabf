"""Reads whose cost must follow the page, not the organisation: a fixed number of queries, and
the rows they pick out, whatever else the organisation holds (bench/pages_bench.py measures
the times at a million items)."""

import datetime as dt

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.queries.my_work import mine
from testing.builders import item

API = "/api/v1/work-items/"


def _crowd(cast, projects: int, per_project: int) -> None:
    """Items nobody in the cast is assigned: what a bigger office adds."""
    for p in range(projects):
        project = item("project", f"Crowd {p}", organization=cast.office)
        for n in range(per_project):
            item("task", f"Crowd task {p}.{n}", parent=project)


def test_api_list_counts_children_for_its_page_with_fixed_queries(client, cast):
    project = item("project", "Counted", organization=cast.office)
    for n in range(3):
        item("task", f"Child {n}", parent=project)
    client.force_login(cast.manager)
    client.get(API, {"page_size": 5})
    with CaptureQueriesContext(connection) as few:
        body = client.get(API, {"page_size": 5}).json()
    counts = {row["title"]: row["children_count"] for row in body["results"]}
    assert counts["Counted"] == 3 and counts["Child 0"] == 0
    _crowd(cast, projects=4, per_project=6)
    with CaptureQueriesContext(connection) as many:
        again = client.get(API, {"page_size": 5}).json()
    assert len(again["results"]) == 5 and again["next"]
    assert len(many) == len(few)


def test_mine_is_direct_and_team_assignments_only(cast):
    today = timezone.localdate()
    direct = item("task", "Mine directly", organization=cast.office, assignees=[cast.staff])
    project = item("project", "Team project", organization=cast.office)
    through_team = item("task", "Mine through my team", parent=project, due_date=today)
    through_team.teams.add(cast.field_team)
    item("task", "Someone else's", organization=cast.office, assignees=[cast.manager])
    item("task", "Partner's", organization=cast.partner, assignees=[cast.partner_staff])
    _crowd(cast, projects=2, per_project=3)
    assert set(mine(cast.staff).values_list("title", flat=True)) == {
        direct.title,
        through_team.title,
    }
    assert set(mine(cast.manager).values_list("title", flat=True)) == {"Someone else's"}


def test_my_work_queries_stay_fixed_as_the_office_grows_around_my_items(client, cast):
    today = timezone.localdate()
    item(
        "task",
        "Overdue of mine",
        organization=cast.office,
        assignees=[cast.staff],
        due_date=today - dt.timedelta(days=3),
    )
    team_item = item(
        "task",
        "Due soon for my team",
        organization=cast.office,
        due_date=today + dt.timedelta(days=2),
    )
    team_item.teams.add(cast.field_team)
    client.force_login(cast.staff)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        html = client.get("/").content.decode()
    assert "Overdue of mine" in html and "Due soon for my team" in html
    _crowd(cast, projects=3, per_project=8)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


@override_settings(PAGE_CONTENT_CACHE_SECONDS=0)  # drawn in full both times: the search's own
def test_nested_search_finds_deep_matches_with_fixed_queries(client, cast, on_postgres):
    project = item("project", "Coastal programme", organization=cast.office)
    activity = item("activity", "Fisheries", parent=project)
    task = item("task", "Survey the harbour", parent=activity)
    item("subtask", "Hire the boat for the Harbour survey", parent=task)
    client.force_login(cast.manager)
    client.get("/oobc-management/work-items/", {"q": "harbour"})
    with CaptureQueriesContext(connection) as few:
        html = client.get("/oobc-management/work-items/", {"q": "HARBOUR"}).content.decode()
    assert "Hire the boat for the Harbour survey" in html and "Coastal programme" in html
    _crowd(cast, projects=3, per_project=8)
    with CaptureQueriesContext(connection) as many:
        client.get("/oobc-management/work-items/", {"q": "HARBOUR"})
    assert len(many) == len(few)
    if on_postgres:  # the trigram indexes the search can use (migration 0007)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'common_workitem' "
                "AND indexname LIKE %s",
                ["%trgm"],
            )
            assert {r[0] for r in cursor.fetchall()} == {
                "workitem_title_trgm",
                "workitem_description_trgm",
            }


def _rows_request(client, name: str, parent) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name, args=[parent.pk]), {"depth": 1})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_expanding_a_wide_parent_costs_what_a_narrow_one_does(client, cast):
    narrow = item("activity", "Narrow", organization=cast.office)
    wide = item("activity", "Wide", organization=cast.office)
    for n in range(3):
        item("task", f"Narrow task {n}", parent=narrow, assignees=[cast.staff])
    for n in range(60):
        item("task", f"Wide task {n}", parent=wide, assignees=[cast.staff, cast.manager])
    client.force_login(cast.manager)
    few, _ = _rows_request(client, "common:children", narrow)
    many, html = _rows_request(client, "common:children", wide)
    assert html.count('class="tree-row') == 60 and html.count(">Marco, Sofia<") == 60
    assert many == few


def test_expand_all_costs_the_same_for_a_small_or_a_deep_wide_subtree(client, cast):
    small = item("project", "Small", organization=cast.office)
    item("task", "Only task", parent=item("activity", "Only activity", parent=small))
    big = item("project", "Big", organization=cast.office)
    for a in range(4):
        activity = item("activity", f"Activity {a}", parent=big)
        for t in range(8):
            task = item("task", f"Task {a}.{t}", parent=activity, assignees=[cast.staff])
            item("subtask", f"Subtask {a}.{t}", parent=task)
    client.force_login(cast.manager)
    few, _ = _rows_request(client, "common:expand_all", small)
    many, html = _rows_request(client, "common:expand_all", big)
    assert html.count('class="tree-row') == 4 + 32 + 32
    assert many == few


def test_the_tree_pages_choice_lists_are_read_without_a_server_side_cursor(
    client, cast, monkeypatch
):
    """Teams and organisations in the filter are a short list each: one ordinary query, not a
    cursor opened, fetched and closed (three round trips on PostgreSQL) for each select."""
    cursors_opened = []
    chunked = connection.chunked_cursor

    def counting_chunked_cursor():
        cursors_opened.append(True)
        return chunked()

    client.force_login(cast.manager)
    monkeypatch.setattr(connection, "chunked_cursor", counting_chunked_cursor)
    page = client.get(reverse("common:tree")).content.decode()
    assert cast.field_team.name in page
    assert cursors_opened == []
