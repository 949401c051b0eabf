"""Dependencies are finish-to-start links with a lag; loops and bad input are refused (400)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from common.models import WorkItemRelation
from common.services import link_dependency, link_items
from planning.tests.helpers import MONDAY, api, dated, fresh
from testing.builders import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast):
    return item("project", "Consultations", organization=cast.office)


def test_a_predecessor_added_through_the_api_is_listed_with_its_lag(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY + timedelta(days=4))
    report = dated("Report", project, MONDAY + timedelta(days=14), MONDAY + timedelta(days=18))
    client = api(cast.manager)
    answer = client.post(
        f"/api/v1/work-items/{report.pk}/dependencies/",
        {"predecessor": survey.pk, "lag_days": 2},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    listed = client.get(f"/api/v1/work-items/{report.pk}/dependencies/").json()
    assert [(p["title"], p["lag_days"], p["violated"]) for p in listed["predecessors"]] == [
        ("Survey", 2, False)
    ]
    assert (
        client.get(f"/api/v1/work-items/{survey.pk}/dependencies/").json()["followers"][0]["title"]
        == "Report"
    )


def test_existing_depends_on_links_keep_their_meaning_as_finish_to_start(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY + timedelta(days=4))
    report = dated("Report", project, MONDAY + timedelta(days=2), MONDAY + timedelta(days=3))
    link_items(None, report, survey, WorkItemRelation.Kind.DEPENDS_ON)
    listed = api(cast.manager).get(f"/api/v1/work-items/{report.pk}/dependencies/").json()
    assert listed["predecessors"][0]["lag_days"] == 0
    assert listed["predecessors"][0]["violated"] is True  # a manual item starting too early


def test_a_loop_is_refused_naming_the_chain(cast, project):
    a = dated("Survey", project, MONDAY, MONDAY)
    b = dated("Analysis", project, MONDAY, MONDAY)
    c = dated("Report", project, MONDAY, MONDAY)
    link_dependency(None, b, a)
    link_dependency(None, c, b)
    answer = api(cast.manager).post(
        f"/api/v1/work-items/{a.pk}/dependencies/", {"predecessor": c.pk}, format="json"
    )
    assert answer.status_code == 400
    message = answer.json()["predecessor"][0]
    assert "loop" in message and "“Survey”" in message and "“Report”" in message
    assert "“Analysis”" in message
    assert not WorkItemRelation.objects.filter(source=a).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lag_days": 10_000}, "lag_days"),
        ({"lag_days": -1}, "lag_days"),
        ({"lag_days": "soon"}, "lag_days"),
        ({}, "predecessor"),
    ],
)
def test_bad_dependency_input_is_a_400_and_changes_nothing(cast, project, body, field):
    survey = dated("Survey", project, MONDAY, MONDAY)
    report = dated("Report", project, MONDAY, MONDAY)
    payload = {"predecessor": survey.pk, **body} if field != "predecessor" else body
    answer = api(cast.manager).post(
        f"/api/v1/work-items/{report.pk}/dependencies/", payload, format="json"
    )
    assert answer.status_code == 400 and field in answer.json()
    assert not WorkItemRelation.objects.exists()


def test_a_dependency_on_another_organisations_item_is_a_400(cast, project):
    theirs = item("project", "Their plan", organization=cast.partner)
    mine = dated("Report", project, MONDAY, MONDAY)
    answer = api(cast.manager).post(
        f"/api/v1/work-items/{mine.pk}/dependencies/", {"predecessor": theirs.pk}, format="json"
    )
    assert answer.status_code == 400 and "predecessor" in answer.json()
    with pytest.raises(ValidationError):
        link_dependency(None, mine, theirs)
    answer = api(cast.administrator).post(
        f"/api/v1/work-items/{mine.pk}/dependencies/", {"predecessor": theirs.pk}, format="json"
    )
    assert answer.status_code == 400
    assert not WorkItemRelation.objects.exists()


def test_the_partner_cannot_see_or_change_the_offices_dependencies(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY)
    report = dated("Report", project, MONDAY, MONDAY)
    link_dependency(None, report, survey)
    client = api(cast.partner_staff)
    assert client.get(f"/api/v1/work-items/{report.pk}/dependencies/").status_code == 404
    assert (
        client.delete(f"/api/v1/work-items/{report.pk}/dependencies/{survey.pk}/").status_code
        == 404
    )
    assert WorkItemRelation.objects.count() == 1


def test_the_viewer_may_read_but_not_add_dependencies(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY)
    report = dated("Report", project, MONDAY, MONDAY)
    client = api(cast.viewer)
    assert client.get(f"/api/v1/work-items/{report.pk}/dependencies/").status_code == 200
    answer = client.post(
        f"/api/v1/work-items/{report.pk}/dependencies/", {"predecessor": survey.pk}, format="json"
    )
    assert answer.status_code == 403
    assert not WorkItemRelation.objects.exists()


def test_removing_a_dependency_moves_nobody(cast, project):
    survey = dated("Survey", project, MONDAY, MONDAY + timedelta(days=4))
    report = dated(
        "Report",
        project,
        MONDAY + timedelta(days=7),
        MONDAY + timedelta(days=8),
        automatic=True,
    )
    link_dependency(None, report, survey)
    answer = api(cast.manager).delete(f"/api/v1/work-items/{report.pk}/dependencies/{survey.pk}/")
    assert answer.status_code == 204
    assert fresh(report).start_date == MONDAY + timedelta(days=7)
