"""Budget: allocated against spent per project and sub-project, utilisation and flags."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from insights.budget import budget_rows, totals
from insights.scope import resolve_scope
from testing.builders import item

URL = "/oobc-management/dashboard/budget/"


@pytest.fixture
def money(cast):
    over = item(
        "project",
        "Over",
        organization=cast.office,
        allocated_budget=1000,
        actual_expenditure=1250,
        details={"fiscal_year": 2026, "funding_source": "GAA"},
    )
    item("sub_project", "Over, part one", parent=over, allocated_budget=400, actual_expenditure=100)
    item(
        "project",
        "Finished cheaply",
        organization=cast.office,
        allocated_budget=2000,
        actual_expenditure=500,
        status="completed",
        details={"fiscal_year": 2025},
    )
    item(
        "project",
        "On track",
        organization=cast.office,
        allocated_budget=300,
        actual_expenditure=240,
        details={"fiscal_year": 2026, "funding_source": "GAA"},
    )
    item("project", "Partner's", organization=cast.partner, allocated_budget=99999)
    return over


@pytest.mark.django_db
def test_utilisation_and_flags_per_project_and_sub_project(cast, money):
    rows = {r.title: r for r in budget_rows(resolve_scope(cast.viewer, {}).items)}
    assert set(rows) == {"Over", "Over, part one", "Finished cheaply", "On track"}
    assert rows["Over"].utilisation == Decimal("125.0")
    assert rows["Over"].flag == "over"
    assert rows["Finished cheaply"].utilisation == Decimal("25.0")
    assert rows["Finished cheaply"].flag == "under"
    assert rows["Over, part one"].flag == ""  # still running: spending little is no flag yet
    assert rows["On track"].utilisation == Decimal("80.0")
    assert rows["On track"].flag == ""


@pytest.mark.django_db
def test_totals_sum_projects_only(cast, money):
    found = totals(resolve_scope(cast.viewer, {}).items)
    assert found == {"allocated": Decimal("3300"), "actual": Decimal("1990")}


@pytest.mark.django_db
def test_money_by_fiscal_year_and_funding_source(cast, money):
    client = Client()
    client.force_login(cast.manager)
    by_year = client.get(URL, {"csv": "budget-fiscal-year"}).content.decode().splitlines()
    assert by_year == [
        "Fiscal year,Allocated,Actual",
        "2025,2000.00,500.00",
        "2026,1300.00,1490.00",
    ]
    by_source = client.get(URL, {"csv": "budget-funding-source"}).content.decode().splitlines()
    assert by_source[1:] == ["Not set,2000.00,500.00", "GAA,1300.00,1490.00"] or by_source[1:] == [
        "GAA,1300.00,1490.00",
        "Not set,2000.00,500.00",
    ]


@pytest.mark.django_db
def test_budget_page_flags_and_costs_a_fixed_number_of_queries(cast, money):
    client = Client()
    client.force_login(cast.manager)
    with CaptureQueriesContext(connection) as few:
        html = client.get(URL).content.decode()
    assert html.count('data-flag="over"') == 1 and html.count('data-flag="under"') == 1
    for number in range(40):
        item(
            "project",
            f"More {number}",
            organization=cast.office,
            allocated_budget=number + 1,
            actual_expenditure=number,
            details={"fiscal_year": 2000 + number},
        )
    with CaptureQueriesContext(connection) as more:
        client.get(URL)
    assert len(more) == len(few)


@pytest.mark.django_db
def test_amounts_are_grouped_in_thousands_like_the_report(cast):
    """ "PHP 2500000.00" is hard to read at a glance; the report already wrote "2,500,000.00"."""
    programme = item(
        "project",
        "Madrasah programme",
        organization=cast.office,
        allocated_budget=2500000,
        actual_expenditure=1234567.5,
    )
    client = Client()
    client.force_login(cast.manager)
    budget = client.get(URL).content.decode()
    assert "2,500,000.00" in budget and "1,234,567.50" in budget
    assert ">2500000.00<" not in budget  # shown; the data attributes keep plain numbers
    detail = client.get(f"/oobc-management/work-items/{programme.pk}/").content.decode()
    assert "PHP 2,500,000.00" in detail and "PHP 1,234,567.50" in detail
