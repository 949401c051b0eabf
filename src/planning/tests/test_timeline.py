"""The timeline's data: tree rows, parent spans, links, critical path, non-working days."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.services import link_dependency
from planning.tests.helpers import MONDAY, dated, long_chain
from testing.builders import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast):
    project = item("project", "Consultations", organization=cast.office)
    phase = item("activity", "Community visits", parent=project)
    survey = dated("Survey", phase, MONDAY, MONDAY + timedelta(days=4))
    report = dated("Report", phase, date(2026, 3, 9), date(2026, 3, 10))
    launch = dated("Launch", project, date(2026, 3, 11), date(2026, 3, 11))
    link_dependency(None, report, survey)
    link_dependency(None, launch, report)
    return project, phase, survey, report, launch


def test_the_page_opens_with_the_items_subtree_and_zoom_in_the_address(client, cast, plan):
    project = plan[0]
    client.force_login(cast.manager)
    page = client.get(f"/oobc-management/timeline/?root={project.pk}&zoom=month")
    assert page.status_code == 200
    assert b"Timeline: " in page.content and b'"zoom": "month"' in page.content


def test_rows_follow_the_tree_and_a_parent_spans_its_children(client, cast, plan):
    project, _phase, survey, report, launch = plan
    client.force_login(cast.staff)
    body = client.get(f"/oobc-management/timeline/data/?root={project.pk}").json()
    assert [(r["title"], r["depth"]) for r in body["rows"]] == [
        ("Consultations", 0),
        ("Community visits", 1),
        ("Survey", 2),
        ("Report", 2),
        ("Launch", 1),
    ]
    phase_row = body["rows"][1]
    assert (phase_row["span_start"], phase_row["span_end"]) == ("2026-03-02", "2026-03-10")
    assert [r["title"] for r in body["rows"] if r["critical"]] == ["Survey", "Report", "Launch"]
    assert body["criticalPath"] == [survey.pk, report.pk, launch.pk]  # in order, for the list
    assert {(link["from"], link["to"]) for link in body["links"]} == {
        (survey.pk, report.pk),
        (report.pk, launch.pk),
    }
    assert "2026-03-07" in body["nonWorking"]  # a Saturday
    assert "2026-04-03" in body["nonWorking"]  # Good Friday


def test_a_violated_dependency_and_a_late_item_are_marked(client, cast):
    project = item("project", "Old plan", organization=cast.office)
    first = dated("First", project, date(2020, 1, 6), date(2020, 1, 10))
    second = dated("Second", project, date(2020, 1, 8), date(2020, 1, 9))
    link_dependency(None, second, first)
    client.force_login(cast.manager)
    body = client.get(f"/oobc-management/timeline/data/?root={project.pk}").json()
    assert body["links"][0]["violated"] is True
    assert {r["title"]: r["late"] for r in body["rows"] if r["title"] != "Old plan"} == {
        "First": True,
        "Second": True,
    }


def test_the_viewer_sees_bars_but_may_not_move_them(client, cast, plan):
    client.force_login(cast.viewer)
    body = client.get(f"/oobc-management/timeline/data/?root={plan[0].pk}").json()
    assert body["rows"] and not any(r["editable"] for r in body["rows"])


def test_the_partner_cannot_open_the_offices_timeline(client, cast, plan):
    client.force_login(cast.partner_staff)
    assert client.get(f"/oobc-management/timeline/?root={plan[0].pk}").status_code == 404
    assert client.get(f"/oobc-management/timeline/data/?root={plan[0].pk}").status_code == 404
    mine = client.get("/oobc-management/timeline/data/?q=Survey").json()
    assert mine["rows"] == []


@pytest.mark.parametrize("query", ["root=abc", "zoom=decade", "date_from=notadate"])
def test_a_malformed_address_is_a_400(client, cast, query):
    client.force_login(cast.manager)
    assert client.get(f"/oobc-management/timeline/?{query}").status_code == 400
    assert client.get(f"/oobc-management/timeline/data/?{query}").status_code == 400


def test_filters_narrow_the_timeline_like_the_tree(client, cast, plan):
    client.force_login(cast.manager)
    body = client.get(f"/oobc-management/timeline/data/?root={plan[0].pk}&q=Report").json()
    assert [(r["title"], r["context"]) for r in body["rows"]] == [
        ("Consultations", True),
        ("Community visits", True),
        ("Report", False),
    ]


def test_timeline_data_costs_the_same_for_ten_or_two_thousand_items(client, cast):
    client.force_login(cast.manager)
    client.get("/oobc-management/timeline/data/")  # the session and permissions, once

    def cost(length: int) -> int:
        project = item("project", f"P{length}", organization=cast.office)
        long_chain(project, length, automatic=False)
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/oobc-management/timeline/data/?root={project.pk}").json()
        assert len(body["rows"]) == length + 1
        return len(captured)

    assert cost(10) == cost(2000)
