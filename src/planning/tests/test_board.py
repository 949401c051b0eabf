"""The board: columns of cards from the tree's filters, moves through the services, paging."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.models import WorkItem
from common.services import NewItem, bulk_create_items
from testing.builders import item

BOARD = "/oobc-management/board/"


def signed_in(client, user):
    client.force_login(user)
    return client


def move(client, card: WorkItem, **data):
    data.setdefault("columns", "status")
    data.setdefault("version", card.version)
    return client.post(reverse("planning:board_move", args=[card.pk]), data)


@pytest.fixture
def project(cast):
    return item("project", "Community consultations", organization=cast.office)


def test_the_board_shows_a_column_per_status_with_its_cards(client, cast, project):
    activity = item("activity", "Barangay visit", parent=project)
    task = item("task", "Book the hall", parent=activity, due_date="2026-12-01")
    task.assignees.add(cast.staff)
    page = signed_in(client, cast.manager).get(BOARD)
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("Not started", "In progress", "Blocked", "Completed"):
        assert label in html
    assert f'data-testid="card-{task.pk}"' in html
    assert "Community consultations › Barangay visit" in html
    assert "Sofia" in html
    assert "1 Dec 2026" in html


def test_the_board_takes_the_same_filters_as_the_tree(client, cast, project):
    item("task", "Print flyers", parent=project)
    item("task", "Rent chairs", parent=project, priority="urgent")
    page = signed_in(client, cast.manager).get(BOARD, {"priority": "urgent"})
    assert "Rent chairs" in page.content.decode()
    assert "Print flyers" not in page.content.decode()


def test_columns_by_priority_assignee_and_children(client, cast, project):
    phase = item("sub_project", "Phase one", parent=project)
    task = item("task", "Survey", parent=phase, priority="high")
    task.assignees.add(cast.staff)
    client = signed_in(client, cast.manager)
    assert 'data-testid="column-high"' in client.get(BOARD, {"columns": "priority"}).text
    by_person = client.get(BOARD, {"columns": "assignee"}).text
    assert f'data-testid="column-{cast.staff.pk}"' in by_person
    assert 'data-testid="column-none"' in by_person
    children = client.get(BOARD, {"columns": "children", "parent": project.pk}).text
    assert f'data-testid="column-{phase.pk}"' in children
    assert f'data-testid="card-{task.pk}"' in children


def test_swimlanes_split_each_column_by_assignee(client, cast, project):
    task = item("task", "Survey", parent=project)
    task.assignees.add(cast.staff)
    item("task", "Unowned", parent=project)
    page = signed_in(client, cast.manager).get(BOARD, {"lanes": "assignee"}).text
    assert f'data-testid="column-not_started-{cast.staff.pk}"' in page
    assert 'data-testid="column-not_started-none"' in page


def test_a_bad_layout_is_a_400_with_a_reason_not_a_crash(client, cast):
    client = signed_in(client, cast.manager)
    page = client.get(BOARD, {"columns": "weather"})
    assert page.status_code == 400
    assert "is not a way to make columns" in page.text
    assert client.get(BOARD, {"columns": "children", "parent": "99999999"}).status_code == 400
    assert client.get(BOARD, {"assignee": "someone"}).status_code == 400


def test_dropping_a_card_on_another_status_column_changes_its_status(client, cast, project):
    task = item("task", "Book the hall", parent=project)
    answer = move(
        signed_in(client, cast.manager), task, from_column="not_started", to_column="in_progress"
    )
    assert answer.status_code == 200
    task.refresh_from_db()
    assert task.status == "in_progress"
    assert task.history.first().history_change_reason == "board"
    assert f'data-version="{task.version}"' in answer.json()["card"]


def test_completing_a_child_on_the_board_rolls_progress_up(client, cast, project):
    task = item("task", "Only task", parent=project)
    move(signed_in(client, cast.manager), task, from_column="not_started", to_column="completed")
    project.refresh_from_db()
    assert project.progress == 100


def test_a_stale_card_is_refused_with_409_and_the_current_version(client, cast, project):
    task = item("task", "Book the hall", parent=project)
    stale = task.version
    move(signed_in(client, cast.manager), task, from_column="not_started", to_column="blocked")
    answer = move(client, task, version=stale, from_column="not_started", to_column="completed")
    assert answer.status_code == 409
    assert "since you opened it" in answer.json()["message"]
    task.refresh_from_db()
    assert task.status == "blocked"
    assert answer.json()["version"] == task.version


def test_a_viewer_may_not_move_cards(client, cast, project):
    task = item("task", "Book the hall", parent=project)
    answer = move(
        signed_in(client, cast.viewer), task, from_column="not_started", to_column="completed"
    )
    assert answer.status_code == 403
    assert answer.json()["message"]
    task.refresh_from_db()
    assert task.status == "not_started"


def test_another_organisations_card_is_not_found(client, cast, project):
    task = item("task", "Book the hall", parent=project)
    answer = move(
        signed_in(client, cast.partner_staff), task, from_column="not_started", to_column="blocked"
    )
    assert answer.status_code == 404


def test_a_status_rule_refusal_is_a_400_with_the_rule(client, cast, project):
    task = item("task", "Book the hall", parent=project)
    answer = move(
        signed_in(client, cast.manager), task, from_column="not_started", to_column="sleeping"
    )
    assert answer.status_code == 400
    assert "is not a status" in answer.json()["message"]


def test_moving_between_assignee_columns_swaps_the_person(client, cast, project):
    task = item("task", "Survey", parent=project)
    task.assignees.add(cast.staff)
    move(
        signed_in(client, cast.manager),
        task,
        columns="assignee",
        from_column=cast.staff.pk,
        to_column=cast.manager.pk,
    )
    assert list(task.assignees.values_list("username", flat=True)) == ["marco"]


def test_children_columns_move_the_card_to_another_parent_and_reorder(client, cast, project):
    first = item("sub_project", "Phase one", parent=project)
    second = item("sub_project", "Phase two", parent=project)
    a = item("task", "A", parent=second)
    b = item("task", "B", parent=second)
    moving = item("task", "Moving", parent=first)
    client = signed_in(client, cast.manager)
    answer = move(
        client,
        moving,
        columns="children",
        from_column=first.pk,
        to_column=second.pk,
        before=b.pk,
    )
    assert answer.status_code == 200
    order = list(second.children.order_by("position").values_list("title", flat=True))
    assert order == ["A", "Moving", "B"]
    moving.refresh_from_db()
    move(
        client, moving, columns="children", from_column=second.pk, to_column=second.pk, before=a.pk
    )
    order = list(second.children.order_by("position").values_list("title", flat=True))
    assert order == ["Moving", "A", "B"]


def _column_of(project, count: int, status: str = "in_progress") -> None:
    bulk_create_items(
        [
            NewItem(
                key=n,
                work_type="task",
                title=f"Task {n}",
                parent_id=project.pk,
                fields={"status": status},
            )
            for n in range(count)
        ]
    )


def _queries(client, url, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url, params)
    assert page.status_code == 200
    return len(captured.captured_queries), page.text


def test_a_large_column_sends_one_page_of_cards_and_costs_no_more_queries(client, cast):
    small = item("project", "Small", organization=cast.office)
    large = item("project", "Large", organization=cast.office)
    _column_of(small, 3)
    client = signed_in(client, cast.manager)
    client.get(BOARD)  # warm the session and permission caches
    small_cost, _ = _queries(client, BOARD, {"q": "Task"})
    _column_of(large, 600)
    large_cost, html = _queries(client, BOARD, {"q": "Task"})
    assert small_cost == large_cost
    assert html.count('data-testid="card-') == 50
    assert "Load more cards (553 more)" in html


def test_loading_more_of_a_column_costs_the_same_at_any_depth(client, cast, project):
    _column_of(project, 160)
    client = signed_in(client, cast.manager)
    params = {"columns": "status", "column": "in_progress", "lane": ""}
    client.get(BOARD)
    first, html = _queries(client, reverse("planning:board_cards"), {**params, "offset": 50})
    later, tail = _queries(client, reverse("planning:board_cards"), {**params, "offset": 150})
    assert first == later
    assert html.count('data-testid="card-') == 50 and "load-more" in html
    assert tail.count('data-testid="card-') == 10 and "load-more" not in tail


def test_a_card_with_two_people_counts_once_in_a_status_column(client, cast, project):
    task = item("task", "Survey", parent=project)
    task.assignees.add(cast.staff, cast.manager)
    task.teams.add(cast.field_team)
    page = signed_in(client, cast.manager).get(BOARD, {"team": cast.field_team.pk})
    assert 'aria-label="1 cards"' in page.text
    assert page.text.count(f'data-testid="card-{task.pk}"') == 1
    by_person = client.get(BOARD, {"columns": "assignee", "team": cast.field_team.pk}).text
    assert by_person.count(f'data-testid="card-{task.pk}"') == 2  # once under each person
