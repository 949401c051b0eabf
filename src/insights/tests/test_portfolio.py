"""Portfolio dashboard: its numbers equal a recount of the raw rows, it costs a fixed number
of queries, and every chart's table and CSV carry the chart's own numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.models import Status, WorkType
from insights import portfolio
from insights.periods import week_starts
from insights.scope import resolve_scope
from testing.builders import item

from .helpers import Row, write_rows

URL = "/oobc-management/dashboard/"
OPEN = {s for s in Status.values if s not in (Status.COMPLETED, Status.CANCELLED)}

rows_strategy = st.lists(
    st.builds(
        Row,
        work_type=st.sampled_from(WorkType.values),
        status=st.sampled_from(Status.values),
        due_in=st.one_of(st.none(), st.integers(-20, 70)),
    ),
    max_size=25,
)


def chart_data(response, name: str) -> dict:
    html = response.content.decode()
    found = re.search(
        rf'<script id="chart-{name}-data" type="application/json">(.*?)</script>', html
    )
    assert found, f"no JSON for chart {name}"
    return json.loads(found.group(1))


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy)
def test_portfolio_counts_equal_a_recount_of_the_rows(cast, rows):
    today = timezone.localdate()
    write_rows(cast.office, rows, today)
    scope = resolve_scope(cast.manager, {})
    drill = "/x?"

    head = portfolio.headline(scope.items, today)
    assert head.total == len(rows)
    assert head.open == sum(r.status in OPEN for r in rows)
    assert head.overdue == sum(
        r.status in OPEN and r.due_in is not None and r.due_in < 0 for r in rows
    )
    assert head.at_risk == sum(r.status == Status.AT_RISK for r in rows)

    by_status = portfolio.by_status(scope, drill).series[0].values
    assert by_status == [sum(r.status == s for r in rows) for s in Status.values]
    by_type = portfolio.by_type(scope, drill).series[0].values
    assert by_type == [sum(r.work_type == t for r in rows) for t in WorkType.values]

    heat = portfolio.due_heatmap(scope, today, drill)
    first = week_starts(today)[0]
    for day_index, series in enumerate(heat.series):
        for week_index, value in enumerate(series.values):
            day = first + dt.timedelta(weeks=week_index, days=day_index)
            expected = sum(
                r.status in OPEN and r.due_in is not None and today + dt.timedelta(r.due_in) == day
                for r in rows
            )
            assert value == expected, (day, value, expected)


def _render_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_portfolio_renders_in_the_same_number_of_queries_for_small_and_larger_data(cast):
    today = timezone.localdate()
    client = Client()
    client.force_login(cast.manager)
    write_rows(cast.office, [Row("project", "in_progress", 3)], today)
    small = _render_queries(client)
    many = [
        Row(WorkType.values[i % 6], Status.values[i % 6], i % 60 - 10, [cast.staff.pk])
        for i in range(600)
    ]
    write_rows(cast.office, many, today)
    assert _render_queries(client) == small


@pytest.mark.django_db
def test_portfolio_table_view_and_csv_show_the_charts_numbers(cast):
    today = timezone.localdate()
    write_rows(
        cast.office,
        [Row("project", "at_risk", -2), Row("task", "completed", 1), Row("task", "blocked", 4)],
        today,
    )
    client = Client()
    client.force_login(cast.manager)
    response = client.get(URL)
    html = response.content.decode()
    for name in ("status", "type", "projects", "heatmap"):
        data = chart_data(response, name)
        download = client.get(URL, {"csv": name})
        table = list(csv.reader(io.StringIO(download.content.decode())))
        assert [row[0] for row in table[1:]] == data["categories"]
        for column, series in enumerate(data["series"], start=1):
            assert [int(float(row[column])) for row in table[1:]] == series["values"]
    assert 'data-testid="count-overdue">1<' in html
    assert 'data-testid="count-at-risk">1<' in html


@pytest.mark.django_db
def test_overdue_and_at_risk_counts_link_to_the_filtered_tree(cast):
    client = Client()
    client.force_login(cast.manager)
    html = client.get(URL).content.decode()
    org = cast.office.pk
    assert f'href="/oobc-management/work-items/?due=overdue&amp;organization={org}"' in html
    assert f'href="/oobc-management/work-items/?status=at_risk&amp;organization={org}"' in html


@pytest.mark.django_db
def test_a_number_drills_down_to_exactly_the_items_it_counts(cast):
    today = timezone.localdate()
    write_rows(
        cast.office,
        [Row("task", "blocked", 2), Row("task", "blocked", None), Row("task", "completed", 2)],
        today,
    )
    client = Client()
    client.force_login(cast.viewer)
    html = client.get("/oobc-management/dashboard/items/", {"status": "blocked"}).content.decode()
    assert html.count('<tr><th scope="row"') == 2


@pytest.mark.django_db
def test_the_items_behind_a_number_show_type_and_status_in_words(cast):
    item(
        "subtask",
        "Book transport",
        parent=item("task", "Plan the trip", organization=cast.office),
        status="in_progress",
    )
    client = Client()
    client.force_login(cast.viewer)
    html = client.get(
        "/oobc-management/dashboard/items/", {"status": "in_progress"}
    ).content.decode()
    assert "<td>Subtask</td><td>In progress</td>" in html
    assert "in_progress" not in html.split('data-testid="drill-items"')[1].split("</table>")[0]
