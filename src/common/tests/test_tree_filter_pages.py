"""A filtered tree lists its matches a page at a time, each under its ancestors.

A busy person's "Mine" and "Overdue" can match hundreds of items in a few trees; a page once
held every match of 25 trees (700 rows and more). Now a page holds 50 matches in the chosen
order, their ancestors shown greyed for context, and the count says how many there are.
"""

import datetime as dt
import re

import pytest

from common.queries import tree_rows
from testing.builders import item

TREE = "/oobc-management/work-items/"


@pytest.fixture
def survey(cast):
    """60 survey tasks in one activity, due one day after another."""
    project = item("project", "Coastal census", organization=cast.office)
    activity = item("activity", "Household visits", parent=project)
    first = dt.date(2026, 12, 1)
    for n in range(60):
        item("task", f"Survey house {n:02}", parent=activity, due_date=first + dt.timedelta(n))
    return project, activity


def rows(html: str) -> dict[str, bool]:
    """Each listed row's title and whether it is a match (context rows are greyed)."""
    listed = {}
    for muted, body in re.findall(r'<tr class="tree-row( text-slate-500)?"(.*?)</tr>', html, re.S):
        title = re.search(r'class="row-title[^"]*"[^>]*>([^<]+)<', body)
        listed[title.group(1).strip()] = not muted
    return listed


def listed(client, **params) -> tuple[str, dict[str, bool]]:
    response = client.get(TREE, params)
    assert response.status_code == 200
    html = response.content.decode()
    return html, rows(html)


def test_fifty_matches_to_a_page_each_under_its_ancestors(client, cast, survey):
    client.force_login(cast.manager)
    html, first = listed(client, q="survey", sort="due")
    assert "60 matching items" in html and "50 to a page" in html and "Page 1 of 2" in html
    matches = [title for title, match in first.items() if match]
    assert matches == [f"Survey house {n:02}" for n in range(50)]
    assert first["Coastal census"] is False and first["Household visits"] is False
    html, second = listed(client, q="survey", sort="due", page=2)
    assert "Page 2 of 2" in html
    assert [t for t, match in second.items() if match] == [
        f"Survey house {n:02}" for n in range(50, 60)
    ]
    assert second["Household visits"] is False  # the context again, on its own page


def test_the_chosen_order_decides_which_matches_come_first(client, cast, survey):
    client.force_login(cast.manager)
    _, latest_first = listed(client, q="survey", sort="-due")
    matches = {t for t, match in latest_first.items() if match}
    assert "Survey house 59" in matches and "Survey house 10" in matches
    assert "Survey house 09" not in matches  # among the ten earliest: on page 2


def test_a_few_matches_fit_one_page_without_paging(client, cast, survey):
    client.force_login(cast.manager)
    html, found = listed(client, q="house 1")
    assert "10 matching items, shown under their parents" in html
    assert "to a page" not in html and "Page 1 of" not in html
    assert sum(found.values()) == 10


def test_a_broad_filter_is_counted_only_up_to_the_limit(client, cast, survey, monkeypatch):
    monkeypatch.setattr(tree_rows, "MATCH_COUNT_LIMIT", 20)
    client.force_login(cast.manager)
    html, found = listed(client, q="survey")
    assert "At least 20 matching items (the first 20 are listed)" in html
    assert sum(found.values()) == 20


def test_a_page_past_the_last_shows_the_last(client, cast, survey):
    client.force_login(cast.manager)
    html, found = listed(client, q="survey", sort="due", page=9)
    assert "Page 2 of 2" in html
    assert "Survey house 59" in found


def test_the_count_reads_right_for_none_and_for_one(client, cast, survey):
    client.force_login(cast.manager)
    html, found = listed(client, q="house 07")
    assert "1 matching item, shown under its parents (others are greyed)." in html
    html, found = listed(client, q="lighthouse")
    assert found == {}
    assert "No items match these filters." in html
    assert "0 matching items" not in html
