"""The project report: the page, the PDF and the XLSX show the same numbers as the database."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from common.models import WorkItem
from common.tree import subtree_ids
from insights.report import load_report

from .report_world import grow, project_with_items


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(project, suffix: str = "report/") -> str:
    return f"/oobc-management/work-items/{project.pk}/{suffix}"


@pytest.mark.django_db
def test_the_report_page_shows_summary_milestones_late_items_tree_and_activity(cast):
    project = project_with_items(cast)
    html = signed_in(cast.viewer).get(url(project)).content.decode()
    assert "Coastal Livelihood Programme" in html
    for section in ("report-summary", "report-milestones", "report-late", "report-tree"):
        assert f'data-testid="{section}"' in html
    assert "Book the venue" in html.split('data-testid="report-late"')[1].split("</section>")[0]
    assert "Phase one" in html.split('data-testid="report-milestones"')[1].split("</section>")[0]
    activity = html.split('data-testid="report-activity"')[1]
    assert "Marco" in activity and "None" not in activity
    assert "The system created" in activity  # the builders act as no one
    assert 'id="chart-burnup-data"' in html and 'id="chart-budget-data"' in html


@pytest.mark.django_db
def test_the_report_costs_the_same_queries_for_a_small_and_a_large_project(cast):
    small = project_with_items(cast, "Small programme")
    large = project_with_items(cast, "Large programme")
    grow(large, 300)
    client = signed_in(cast.manager)
    client.get(url(small))  # warm the session and permission caches
    counts = {}
    for name, project in (("small", small), ("large", large)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(project))
        assert response.status_code == 200
        counts[name] = len(queries)
    assert counts["small"] == counts["large"]


@pytest.mark.django_db
def test_the_pdf_names_the_project_and_its_totals(cast):
    project = project_with_items(cast)
    grow(project, 40)
    response = signed_in(cast.viewer).get(url(project, "report.pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    items = WorkItem.objects.filter(pk__in=subtree_ids(project.pk))
    total, completed = items.count(), items.filter(status="completed").count()
    assert "Coastal Livelihood Programme" in text
    assert f"Items\n{total}" in text or f"Items {total}" in text
    assert f"Completed\n{completed}" in text or f"Completed {completed}" in text
    assert "100,000.00" in text and "25,000.00" in text


@pytest.mark.django_db
def test_the_xlsx_has_a_sheet_per_section_with_the_databases_numbers(cast):
    project = project_with_items(cast)
    grow(project, 25)
    response = signed_in(cast.viewer).get(url(project, "report.xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Summary",
        "Progress",
        "Weighted progress",
        "Status",
        "Budget",
        "Milestones",
        "Late items",
        "Tree",
        "Activity",
    ]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    items = WorkItem.objects.filter(pk__in=subtree_ids(project.pk))
    assert summary["Title"] == project.title
    assert summary["Items"] == items.count()
    assert summary["Completed"] == items.filter(status="completed").count()
    assert summary["Allocated budget (PHP)"] == 100000
    tree_ids = [row[0] for row in book["Tree"].iter_rows(min_row=2, values_only=True)]
    assert sorted(tree_ids) == sorted(items.values_list("pk", flat=True))
    assert tree_ids[0] == project.pk
    late = {row[0] for row in book["Late items"].iter_rows(min_row=2, values_only=True)}
    report = load_report(cast.viewer, project.pk)
    expected = {
        pk
        for pk, status, due in items.values_list("pk", "status", "due_date")
        if due and due < report.today and status not in ("completed", "cancelled")
    }
    assert late == expected
    status = {row[0]: row[1] for row in book["Status"].iter_rows(min_row=2, values_only=True)}
    assert status["Completed"] == items.filter(status="completed").count()


@pytest.mark.django_db
def test_a_title_that_looks_like_a_formula_stays_text_in_the_xlsx(cast):
    project = project_with_items(cast, '=HYPERLINK("http://evil")')
    book = load_workbook(
        io.BytesIO(signed_in(cast.viewer).get(url(project, "report.xlsx")).content)
    )
    assert book["Summary"]["B2"].data_type == "s"


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["report/", "report.pdf", "report.xlsx", "report/?csv=budget"])
def test_the_other_organisation_gets_404_for_every_format(cast, suffix):
    project = project_with_items(cast)
    assert signed_in(cast.partner_staff).get(url(project, suffix)).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(cast):
    project = project_with_items(cast)
    response = Client().get(url(project, "report.pdf"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_a_chart_of_the_report_downloads_as_csv(cast):
    project = project_with_items(cast)
    response = signed_in(cast.viewer).get(url(project), {"csv": "status"})
    lines = response.content.decode().splitlines()
    assert lines[0] == "Status,Items" and "Completed,1" in lines


@pytest.mark.django_db
def test_the_item_page_and_the_portfolio_link_to_the_report(cast):
    project = project_with_items(cast)
    client = signed_in(cast.viewer)
    detail = client.get(f"/oobc-management/work-items/{project.pk}/").content.decode()
    assert f'href="{url(project)}"' in detail
    portfolio = client.get("/oobc-management/dashboard/").content.decode()
    reports = portfolio.split('data-testid="project-reports"')[1].split("</ul>")[0]
    assert f'href="{url(project)}"' in reports and project.title in reports
