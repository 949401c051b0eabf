"""Exports of the filtered tree, in tree order, as CSV and XLSX."""

import csv
import io
import zipfile

from testing.builders import item

EXPORT = "/oobc-management/work-items/export"


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_lists_items_in_tree_order_with_levels(client, cast):
    project = item("project", "Project", organization=cast.office)
    activity = item("activity", "Activity", parent=project, assignees=[cast.staff])
    item("task", "Task", parent=activity)
    client.force_login(cast.manager)
    response = client.get(EXPORT + ".csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0][:3] == ["Level", "Type", "Title"]
    assert [(r[0], r[2]) for r in rows[1:]] == [("1", "Project"), ("2", "Activity"), ("3", "Task")]
    assert rows[2][8] == "Sofia"


def test_a_filtered_export_keeps_the_ancestors_as_context(client, cast):
    project = item("project", "Project", organization=cast.office)
    activity = item("activity", "Activity", parent=project)
    item("task", "Needle", parent=activity)
    item("task", "Haystack", parent=activity)
    client.force_login(cast.manager)
    rows = csv_rows(client.get(EXPORT + ".csv", {"q": "Needle"}))
    assert [(r[2], r[11]) for r in rows[1:]] == [
        ("Project", "context"),
        ("Activity", "context"),
        ("Needle", "yes"),
    ]


def test_text_that_looks_like_a_formula_is_neutralised(client, cast):
    item("task", '=HYPERLINK("http://evil")', organization=cast.office)
    client.force_login(cast.manager)
    rows = csv_rows(client.get(EXPORT + ".csv"))
    assert rows[1][2].startswith("'=")


def test_the_xlsx_export_is_a_real_workbook(client, cast):
    item("project", "Project", organization=cast.office)
    client.force_login(cast.manager)
    response = client.get(EXPORT + ".xlsx")
    assert response.status_code == 200
    book = zipfile.ZipFile(io.BytesIO(response.content))
    assert "xl/worksheets/sheet1.xml" in book.namelist()
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "Project" in strings


def test_an_unknown_export_format_is_not_found(client, cast):
    client.force_login(cast.manager)
    assert client.get(EXPORT + ".pdf").status_code == 404
