"""The project report as an XLSX workbook: one sheet per section, the numbers as numbers.

Written with XlsxWriter (already the product's spreadsheet writer) with formulas switched off,
so a title beginning with "=" stays text and never runs in the reader's spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter
from django.utils import timezone

from .charts import Chart
from .report import Report, Row, summary_pairs

ITEM_HEADER = ["ID", "Title", "Type", "Due", "Status", "Progress %"]


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


class _Sheet:
    """One worksheet filled row by row, with dates and header formatted once."""

    def __init__(self, book, name: str, header: list[str], formats: dict) -> None:
        self.sheet = book.add_worksheet(name)
        self.formats = formats
        self.sheet.write_row(0, 0, header, formats["bold"])
        self.sheet.freeze_panes(1, 0)
        self.next = 1

    def row(self, values: list) -> None:
        for column, value in enumerate(values):
            value = _cell(value)
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                local = timezone.localtime(value).replace(tzinfo=None)
                self.sheet.write_datetime(self.next, column, local, self.formats["when"])
            elif isinstance(value, dt.date):
                self.sheet.write_datetime(self.next, column, value, self.formats["date"])
            elif isinstance(value, str):
                self.sheet.write_string(self.next, column, value)
            else:
                self.sheet.write_number(self.next, column, value)
        self.next += 1


def _items(sheet: _Sheet, rows: list[Row], indent: bool = False) -> None:
    for r in rows:
        title = ("    " * r.depth + r.title) if indent else r.title
        sheet.row([r.pk, title, r.type_label, r.due_date, r.status_label, r.progress])


def _chart(book, name: str, chart: Chart, formats: dict) -> None:
    sheet = _Sheet(
        book, name, [chart.category_label or "Category", *(s.name for s in chart.series)], formats
    )
    for category, _link, cells in chart.rows:
        sheet.row([category, *(value for value, _ in cells)])


def render_xlsx(report: Report) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    formats = {
        "bold": book.add_format({"bold": True}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "when": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    summary = _Sheet(book, "Summary", ["Field", "Value"], formats)
    for label, value in summary_pairs(report):
        summary.row([label, value])
    _chart(book, "Progress", report.chart("burnup"), formats)
    _chart(book, "Weighted progress", report.chart("weighted-progress"), formats)
    _chart(book, "Status", report.chart("status"), formats)
    budget = _Sheet(
        book,
        "Budget",
        ["ID", "Project", "Type", "Allocated (PHP)", "Actual (PHP)", "Utilisation %", "Flag"],
        formats,
    )
    for b in report.budget_rows:
        budget.row([b.pk, b.title, b.work_type, b.allocated, b.actual, b.utilisation, b.flag])
    _items(_Sheet(book, "Milestones", ITEM_HEADER, formats), report.milestones)
    _items(_Sheet(book, "Late items", ITEM_HEADER, formats), report.late)
    _items(_Sheet(book, "Tree", ITEM_HEADER, formats), report.tree, indent=True)
    activity = _Sheet(book, "Activity", ["When", "Who", "What", "Item", "Status"], formats)
    for a in report.activity:
        activity.row([a.when, a.who, a.kind, a.title, a.status_label])
    book.close()
    return buffer.getvalue()
