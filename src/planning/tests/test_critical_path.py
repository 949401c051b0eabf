"""The critical path of a project: its items in order with their slack in working days."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.services import link_dependency
from planning.tests.helpers import MONDAY, api, dated, long_chain
from testing.builders import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast):
    return item("project", "Consultations", organization=cast.office)


def test_the_critical_path_lists_the_longest_chain_with_slack(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY + timedelta(days=4))  # 5 working days
    report = dated("Report", project, date(2026, 3, 9), date(2026, 3, 10))  # 2
    posters = dated("Posters", project, date(2026, 3, 9), date(2026, 3, 9))  # 1
    link_dependency(None, report, survey)
    link_dependency(None, posters, survey)
    answer = api(cast.staff).get(f"/api/v1/work-items/{project.pk}/critical-path/")
    assert answer.status_code == 200
    body = answer.json()
    assert [(p["title"], p["slack"]) for p in body["path"]] == [("Survey", 0), ("Report", 0)]
    assert body["length"] == 7
    slack = {row["title"]: row["slack"] for row in body["items"]}
    assert slack == {"Survey": 0, "Report": 0, "Posters": 1}


def test_late_items_are_marked(cast, project):
    dated("Overdue", project, date(2020, 1, 6), date(2020, 1, 7))
    dated("Done", project, date(2020, 1, 6), date(2020, 1, 7), status="completed")
    body = api(cast.manager).get(f"/api/v1/work-items/{project.pk}/critical-path/").json()
    assert {row["title"]: row["late"] for row in body["items"]} == {
        "Overdue": True,
        "Done": False,
    }


def test_the_partner_cannot_read_the_offices_critical_path(cast, project):
    answer = api(cast.partner_staff).get(f"/api/v1/work-items/{project.pk}/critical-path/")
    assert answer.status_code == 404


def test_the_critical_path_costs_the_same_for_ten_or_two_thousand_items(cast):
    def cost(length: int) -> int:
        project = item("project", f"P{length}", organization=cast.office)
        long_chain(project, length, automatic=False)
        client = api(cast.manager)
        client.get("/api/v1/working-days/")  # the first request also loads the permissions
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/api/v1/work-items/{project.pk}/critical-path/").json()
        assert len(body["path"]) == length
        return len(captured)

    assert cost(10) == cost(2000)
