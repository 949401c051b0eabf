"""Who sees which numbers: only one's own organisation's, and no URL widens that."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from testing.builders import item

from .helpers import Row, write_rows

PAGES = [
    "/oobc-management/dashboard/",
    "/oobc-management/dashboard/workload/",
    "/oobc-management/dashboard/budget/",
    "/oobc-management/dashboard/items/?open=1",
]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office_work(cast):
    project = item(
        "project",
        "Office secret programme",
        organization=cast.office,
        allocated_budget=1000,
        actual_expenditure=400,
    )
    item(
        "task",
        "Office secret task",
        parent=project,
        assignees=[cast.staff],
        due_date=timezone.localdate(),
    )
    return project


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_partner_staff_never_see_the_offices_numbers_even_when_asking_by_url(
    cast, office_work, url
):
    client = client_for(cast.partner_staff)
    office, team, person = cast.office.pk, cast.field_team.pk, cast.staff.pk
    for extra in (
        "",
        f"organization={office}",
        f"project={office_work.pk}",
        f"team={team}",
        f"person={person}",
    ):
        sep = "&" if "?" in url else "?"
        html = client.get(f"{url}{sep}{extra}").content.decode()
        assert "Office secret" not in html
        assert "OOBC" not in html
        assert cast.staff.display_name not in html


@pytest.mark.django_db
def test_partner_staff_count_only_their_own_organisation(cast, office_work):
    write_rows(cast.partner, [Row("task", "at_risk", 1)], timezone.localdate())
    item("project", "Office secret programme", organization=cast.office)
    html = (
        client_for(cast.partner_staff)
        .get(f"/oobc-management/dashboard/?organization={cast.office.pk}")
        .content.decode()
    )
    assert 'data-testid="count-at-risk">1<' in html
    assert 'data-testid="scope-label">MSSD<' in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["administrator", "manager", "staff", "viewer"])
def test_the_office_sees_its_own_numbers(cast, office_work, who):
    html = client_for(getattr(cast, who)).get("/oobc-management/dashboard/budget/").content.decode()
    assert "Office secret programme" in html


@pytest.mark.django_db
def test_an_administrator_may_choose_the_partner_organisation(cast):
    write_rows(cast.partner, [Row("task", "blocked", 1)], timezone.localdate())
    html = (
        client_for(cast.administrator)
        .get(f"/oobc-management/dashboard/?organization={cast.partner.pk}")
        .content.decode()
    )
    assert 'data-testid="scope-label">MSSD<' in html
    assert 'data-testid="count-open">1<' in html


@pytest.mark.django_db
def test_a_project_scope_counts_only_that_projects_subtree(cast, office_work):
    other = item("project", "Other programme", organization=cast.office)
    item("task", "Other task", parent=other, status="blocked")
    html = (
        client_for(cast.viewer)
        .get(f"/oobc-management/dashboard/?project={office_work.pk}")
        .content.decode()
    )
    assert 'data-testid="count-open">2<' in html
    assert "Other programme" not in html.split('data-testid="scope-picker"')[0]


@pytest.mark.django_db
def test_people_without_a_role_are_turned_away(cast):
    from accounts.models import User

    nobody = User.objects.create_user("nemo", password="x", organization=cast.office)
    assert client_for(nobody).get("/oobc-management/dashboard/").status_code == 403
