"""The tree page: top-level items, lazy expansion, nested search, sorting, paging, query counts."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testing.builders import item

TREE = "/oobc-management/work-items/"


@pytest.fixture
def office_tree(cast):
    project = item("project", "Coastal livelihood", organization=cast.office, priority="low")
    activity = item("activity", "Seaweed training", parent=project, assignees=[cast.staff])
    item("task", "Buy seedlings for the hatchery", parent=activity, assignees=[cast.staff])
    item("task", "Hire trainers", parent=activity)
    item("project", "Madrasah support", organization=cast.office, priority="critical")
    return project, activity


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_tree_starts_with_top_level_items_and_their_child_counts(client, cast, office_tree):
    client.force_login(cast.manager)
    html = page(client, TREE)
    assert "Coastal livelihood" in html
    assert "Seaweed training" not in html
    assert 'data-children="1"' in html


def test_expanding_a_node_returns_its_children_rows(client, cast, office_tree):
    project, _ = office_tree
    client.force_login(cast.manager)
    html = page(client, reverse("common:children", args=[project.pk]), depth=1)
    assert "Seaweed training" in html
    assert 'data-depth="1"' in html
    assert 'data-children="2"' in html


def test_expand_all_returns_the_whole_subtree_in_one_request(client, cast, office_tree):
    project, _ = office_tree
    client.force_login(cast.manager)
    html = page(client, reverse("common:expand_all", args=[project.pk]), depth=1)
    assert html.index("Seaweed training") < html.index("Buy seedlings") < html.index("Hire")
    assert 'data-depth="2"' in html


def test_a_search_finds_nested_items_and_shows_them_with_their_ancestors(client, cast, office_tree):
    client.force_login(cast.manager)
    html = page(client, TREE, q="seedlings")
    assert "1 matching item" in html
    assert (
        html.index("Coastal livelihood")
        < html.index("Seaweed training")
        < html.index("Buy seedlings")
    )
    assert "Hire trainers" not in html
    assert "Madrasah support" not in html


def test_filters_by_assignee_me_and_by_type_reach_every_level(client, cast, office_tree):
    client.force_login(cast.staff)
    html = page(client, TREE, assignee="me", work_type="task")
    assert "Buy seedlings" in html
    assert "Hire trainers" not in html


def test_bad_filter_values_are_reported_not_crashed(client, cast, office_tree):
    client.force_login(cast.manager)
    response = client.get(TREE, {"status": "finished", "date_from": "yesterday"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Enter a valid date" in html


def test_every_open_filter_choice_reads_as_words(client, cast, office_tree):
    client.force_login(cast.administrator)  # offered every organisation
    html = client.get(TREE).content.decode()
    assert ">Anyone</option>" in html
    assert ">Any team</option>" in html
    assert ">Any organisation</option>" in html
    assert ">Any time</option>" in html
    assert "---------" not in html


def test_top_level_items_sort_by_severity(client, cast, office_tree):
    client.force_login(cast.manager)
    html = page(client, TREE, sort="-priority")
    assert html.index("Madrasah support") < html.index("Coastal livelihood")


def test_top_level_items_are_paginated(client, cast):
    for n in range(30):
        item("task", f"Standalone {n:02d}", organization=cast.office)
    client.force_login(cast.manager)
    first = page(client, TREE, sort="title")
    second = page(client, TREE, sort="title", page=2)
    assert "Standalone 00" in first
    assert "Standalone 29" not in first
    assert "Standalone 29" in second
    assert "Page 2 of 2" in second


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured.captured_queries)


def grow(cast, parent, n):
    for i in range(n):
        item("task", f"Child {parent.pk}-{i}", parent=parent, assignees=[cast.staff])


#: The page drawn in full each time (nothing kept), so the counts are the query layer's own.
drawn_every_time = override_settings(PAGE_CONTENT_CACHE_SECONDS=0)


@drawn_every_time
def test_the_tree_page_costs_the_same_for_few_or_many_items(client, cast):
    client.force_login(cast.staff)
    for n in range(3):
        grow(cast, item("project", f"P{n}", organization=cast.office), 2)
    few = count_queries(client, TREE)
    for n in range(3, 20):
        grow(cast, item("project", f"P{n}", organization=cast.office), 5)
    assert count_queries(client, TREE) == few


def test_expanding_a_node_costs_the_same_for_few_or_many_children(client, cast):
    client.force_login(cast.staff)
    small = item("activity", "Small", organization=cast.office)
    grow(cast, small, 2)
    large = item("activity", "Large", organization=cast.office)
    grow(cast, large, 40)
    cost_small = count_queries(client, reverse("common:children", args=[small.pk]))
    cost_large = count_queries(client, reverse("common:children", args=[large.pk]))
    # Drawn (not kept) both times: the rows' statements and the latest change that names them.
    assert cost_small == cost_large <= 9


@drawn_every_time
def test_search_costs_the_same_for_few_or_many_matches(client, cast):
    client.force_login(cast.staff)
    few_parent = item("activity", "Few", organization=cast.office)
    grow(cast, few_parent, 2)
    few = count_queries(client, TREE, {"q": "Child"})
    many_parent = item("activity", "Many", organization=cast.office)
    grow(cast, many_parent, 40)
    assert count_queries(client, TREE, {"q": "Child"}) == few
