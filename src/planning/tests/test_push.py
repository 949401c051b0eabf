"""Moving a predecessor pushes automatic followers later (never earlier), in one transaction."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.models import WorkItem
from common.services import link_dependency, preview_push, update_work_item
from planning.tests.helpers import MONDAY, api, dated, fresh, long_chain
from testing.builders import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast):
    return item("project", "Consultations", organization=cast.office)


def chain(project, length: int, automatic: bool = True) -> list[WorkItem]:
    """`length` one-day tasks on consecutive working days, each following the one before."""
    items, day = [], MONDAY
    for n in range(length):
        items.append(dated(f"Step {n}", project, day, day, automatic=automatic))
        if n:
            link_dependency(None, items[n], items[n - 1])
        day += timedelta(days=1 if day.weekday() < 4 else 3)
    return items


def test_moving_a_predecessor_pushes_an_automatic_follower_keeping_its_length(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY + timedelta(days=4))  # Mon–Fri
    report = dated(
        "Report", project, date(2026, 3, 10), date(2026, 3, 12), automatic=True
    )  # Tue–Thu, 3 working days
    link_dependency(None, report, survey, lag_days=1)
    before = fresh(report)
    assert before.start_date == date(2026, 3, 10)  # Fri + 1 working day of lag: Tue
    update_work_item(cast.manager, survey, due_date=date(2026, 3, 10))
    report = fresh(report)
    assert report.version == before.version + 1 and report.updated_at > before.updated_at
    assert report.start_date == date(2026, 3, 12)  # Tue + 1 day of lag → Thu
    assert report.due_date == date(2026, 3, 16)  # Thu, Fri, (weekend), Mon
    latest = report.history.first()
    assert latest.history_change_reason == "Rescheduled because “Survey” moved"
    assert latest.history_user == cast.manager


def test_moving_a_predecessor_earlier_never_pulls_the_follower(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY + timedelta(days=4))
    report = dated("Report", project, date(2026, 3, 9), date(2026, 3, 9), automatic=True)
    link_dependency(None, report, survey)
    update_work_item(cast.manager, survey, due_date=MONDAY)
    assert fresh(report).start_date == date(2026, 3, 9)


def test_a_manual_follower_keeps_its_dates_and_shows_the_violation(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY)
    report = dated("Report", project, MONDAY + timedelta(days=1), MONDAY + timedelta(days=1))
    link_dependency(None, report, survey)
    update_work_item(cast.manager, survey, due_date=MONDAY + timedelta(days=3))
    assert fresh(report).start_date == MONDAY + timedelta(days=1)
    listed = api(cast.manager).get(f"/api/v1/work-items/{report.pk}/dependencies/").json()
    assert listed["predecessors"][0]["violated"] is True


def test_the_preview_says_how_many_items_will_move_and_changes_nothing(cast, project):
    steps = chain(project, 8)
    client = api(cast.manager)
    answer = client.post(
        f"/api/v1/work-items/{steps[0].pk}/schedule/",
        {"start_date": "2026-03-04", "due_date": "2026-03-04", "preview": True},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["count"] == 7
    assert [fresh(s).start_date for s in steps] == [s.start_date for s in steps]
    confirmed = client.post(
        f"/api/v1/work-items/{steps[0].pk}/schedule/",
        {"start_date": "2026-03-04", "due_date": "2026-03-04", "version": steps[0].version},
        format="json",
    )
    assert confirmed.status_code == 200 and len(confirmed.json()["moved"]) == 7
    assert fresh(steps[-1]).start_date == date(2026, 3, 13)  # Wed + 7 working days


def test_a_push_beyond_the_last_year_is_a_400_and_changes_nothing(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY)
    report = dated("Report", project, MONDAY + timedelta(days=1), None, automatic=True)
    link_dependency(None, report, survey, lag_days=200)
    before = fresh(report).start_date
    answer = api(cast.manager).post(
        f"/api/v1/work-items/{survey.pk}/schedule/",
        {"start_date": "2200-12-01", "due_date": "2200-12-20"},
        format="json",
    )
    assert answer.status_code == 400 and "start_date" in answer.json()
    assert fresh(survey).start_date == MONDAY and fresh(report).start_date == before


def test_a_stale_version_is_a_409_and_nothing_moves(cast, project):
    steps = chain(project, 3)
    answer = api(cast.manager).post(
        f"/api/v1/work-items/{steps[0].pk}/schedule/",
        {"start_date": "2026-03-05", "due_date": "2026-03-05", "version": 999},
        format="json",
    )
    assert answer.status_code == 409
    assert fresh(steps[2]).start_date == steps[2].start_date


def test_the_viewer_may_neither_preview_nor_move(cast, project):
    steps = chain(project, 2)
    client = api(cast.viewer)
    for body in ({"preview": True}, {}):
        answer = client.post(
            f"/api/v1/work-items/{steps[0].pk}/schedule/",
            {"start_date": "2026-03-05", "due_date": "2026-03-05", **body},
            format="json",
        )
        assert answer.status_code == 403
    assert fresh(steps[0]).start_date == MONDAY


def _push_queries(project, length: int) -> tuple[int, int]:
    """(queries other than history-insert batches, UPDATE statements on work items)."""
    steps = list(WorkItem.objects.filter(pk__in=long_chain(project, length)).order_by("pk"))
    history_table = WorkItem.history.model._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        update_work_item(None, steps[0], start_date=date(2026, 3, 3), due_date=date(2026, 3, 3))
    assert fresh(steps[-1]).start_date > steps[-1].start_date
    sqls = [q["sql"] for q in captured.captured_queries]
    other = [s for s in sqls if not s.startswith(f'INSERT INTO "{history_table}"')]
    updates = [s for s in sqls if s.startswith('UPDATE "common_workitem"')]
    return len(other), len(updates)


def test_pushing_a_chain_costs_the_same_for_ten_or_two_thousand_items(cast):
    small = _push_queries(item("project", "Small", organization=cast.office), 10)
    large = _push_queries(item("project", "Large", organization=cast.office), 2000)
    assert small == large
    assert small[1] == 2  # the moved item's own save, then one UPDATE for every pushed item


def test_the_preview_costs_the_same_for_ten_or_two_thousand_items(cast):
    def cost(length: int) -> int:
        project = item("project", f"P{length}", organization=cast.office)
        steps = list(WorkItem.objects.filter(pk__in=long_chain(project, length)).order_by("pk"))
        with CaptureQueriesContext(connection) as captured:
            moves = preview_push(steps[0], date(2026, 3, 3), date(2026, 3, 3))
        assert len(moves) == length - 1
        return len(captured)

    assert cost(10) == cost(2000)


@pytest.mark.parametrize(
    "body",
    [
        {"start_date": "2026-03-06", "due_date": "2026-03-02"},
        {"start_date": "2026-03-06", "due_date": "2026-03-02", "preview": True},
        {"start_date": "10000-01-01", "due_date": None},
        {"start_date": "soon", "due_date": None},
    ],
)
def test_dates_out_of_order_or_range_are_a_400_and_nothing_moves(cast, project, body):
    steps = chain(project, 3)
    answer = api(cast.manager).post(
        f"/api/v1/work-items/{steps[0].pk}/schedule/", body, format="json"
    )
    assert answer.status_code == 400
    assert [fresh(s).start_date for s in steps] == [s.start_date for s in steps]
