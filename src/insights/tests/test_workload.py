"""Workload: per person and team, open items and items due per week, overload marked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.models import Status
from insights.periods import week_starts
from insights.scope import resolve_scope
from insights.workload import UNASSIGNED, workload

from .helpers import Row, write_rows

URL = "/oobc-management/dashboard/workload/"
OPEN = {s for s in Status.values if s not in (Status.COMPLETED, Status.CANCELLED)}


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_workload_equals_a_recount_of_the_assignments(cast, data):
    team = [cast.staff.pk, cast.manager.pk, cast.viewer.pk]
    rows = data.draw(
        st.lists(
            st.builds(
                Row,
                work_type=st.just("task"),
                status=st.sampled_from(Status.values),
                due_in=st.one_of(st.none(), st.integers(-10, 60)),
                assignees=st.lists(st.sampled_from(team), unique=True, max_size=3),
            ),
            max_size=20,
        )
    )
    today = timezone.localdate()
    write_rows(cast.office, rows, today)
    charts = workload(resolve_scope(cast.manager, {}), cast.manager, today, "/x?")
    weeks, open_items = charts["people_weeks"], charts["people_open"]
    names = weeks.categories
    mondays = week_starts(today)
    for pk in team:
        from accounts.models import User

        row = names.index(User.objects.get(pk=pk).display_name)
        mine = [r for r in rows if pk in r.assignees and r.status in OPEN]
        assert open_items.series[0].values[row] == len(mine)
        for week, monday in enumerate(mondays):
            expected = sum(
                r.due_in is not None
                and monday <= today + dt.timedelta(r.due_in) <= monday + dt.timedelta(6)
                for r in mine
            )
            assert weeks.series[week].values[row] == expected
    unassigned = sum(not r.assignees and r.status in OPEN for r in rows)
    assert (UNASSIGNED in names) == bool(unassigned)
    if unassigned:
        assert open_items.series[0].values[names.index(UNASSIGNED)] == unassigned


@pytest.mark.django_db
def test_more_than_the_limit_due_in_one_week_is_marked_overloaded(cast, settings):
    settings.INSIGHTS_OVERLOAD_PER_WEEK = 2
    today = timezone.localdate()
    monday = week_starts(today)[1]
    due_in = (monday - today).days
    write_rows(
        cast.office,
        [Row("task", "in_progress", due_in, [cast.staff.pk])] * 3
        + [Row("task", "in_progress", due_in, [cast.manager.pk])] * 2,
        today,
    )
    client = Client()
    client.force_login(cast.manager)
    html = client.get(URL).content.decode()
    assert html.count("(overloaded)") == 1  # Sofia's three, not Marco's two
    assert '"overload": 2' in html


@pytest.mark.django_db
def test_a_workload_cell_links_to_the_items_it_counts(cast):
    today = timezone.localdate()
    monday = week_starts(today)[2]
    write_rows(
        cast.office,
        [Row("task", "in_progress", (monday - today).days + 1, [cast.staff.pk])] * 3,
        today,
    )
    scope = resolve_scope(cast.manager, {})
    charts = workload(
        scope, cast.manager, today, "/oobc-management/dashboard/items/?" + scope.query
    )
    row = charts["people_weeks"].categories.index(cast.staff.display_name)
    link = charts["people_weeks"].cell_links[row][2]
    client = Client()
    client.force_login(cast.viewer)
    html = client.get(link).content.decode()
    assert html.count('<tr><th scope="row"') == 3


@pytest.mark.django_db
def test_workload_renders_in_the_same_number_of_queries_for_small_and_larger_data(cast):
    today = timezone.localdate()
    client = Client()
    client.force_login(cast.manager)
    write_rows(cast.office, [Row("task", "in_progress", 3, [cast.staff.pk])], today)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    write_rows(
        cast.office,
        [Row("task", "in_progress", i % 50, [cast.staff.pk, cast.manager.pk]) for i in range(500)],
        today,
    )
    with CaptureQueriesContext(connection) as larger:
        assert client.get(URL).status_code == 200
    assert len(larger) == len(small)
