"""The move dialog: every candidate parent shows where it stands, at one query for all paths."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testing.builders import item


def test_each_candidate_shows_its_path(client, cast):
    west = item("project", "West district", organization=cast.office)
    east = item("project", "East district", organization=cast.office)
    item("activity", "Planning workshop", parent=west)
    nested = item("sub_project", "Schools", parent=east)
    item("activity", "Planning workshop", parent=nested)
    task = item("task", "Book the hall", organization=cast.office)
    client.force_login(cast.manager)
    html = client.get(
        reverse("common:move_candidates", args=[task.pk]), {"q": "planning"}
    ).content.decode()
    assert html.count(">Planning workshop<") == 2
    assert "in West district</span>" in html
    assert "in East district › Schools</span>" in html


def test_a_top_level_candidate_says_so(client, cast):
    item("project", "Community census", organization=cast.office)
    task = item("task", "Count households", organization=cast.office)
    client.force_login(cast.manager)
    html = client.get(
        reverse("common:move_candidates", args=[task.pk]), {"q": "census"}
    ).content.decode()
    assert "at the top level</span>" in html


def candidate_queries(client, task) -> tuple[int, int]:
    url = reverse("common:move_candidates", args=[task.pk])
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url, {"q": "hall"}).content.decode()
    return len(captured), html.count('data-testid="candidate-path"')


def test_paths_cost_one_query_however_many_candidates(client, cast):
    task = item("task", "Book a hall", organization=cast.office)
    project = item("project", "Venues", organization=cast.office)
    for number in range(2):
        item("activity", f"Town hall {number}", parent=project)
    client.force_login(cast.manager)
    candidate_queries(client, task)  # warm the session and permission caches
    few, shown_few = candidate_queries(client, task)
    deeper = item("sub_project", "More venues", parent=project)
    for number in range(14):
        item("activity", f"School hall {number}", parent=deeper)
    many, shown_many = candidate_queries(client, task)
    assert (shown_few, shown_many) == (2, 16)
    assert many == few


def test_the_move_page_starts_in_the_search_box(client, cast):
    task = item("task", "Book the hall", organization=cast.office)
    client.force_login(cast.manager)
    html = client.get(reverse("common:move", args=[task.pk])).content.decode()
    search = html[html.index('id="candidate-search"') :].split(">", 1)[0]
    assert " autofocus" in search
