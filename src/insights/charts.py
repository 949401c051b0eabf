"""One shape for every chart: categories × series of numbers.

The same `Chart` feeds ECharts (as JSON in the page), the accessible table under the chart and
the CSV download, so the three can never show different numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

Number = int | float | Decimal | None


@dataclass
class Series:
    name: str
    values: list[Number]


@dataclass
class Chart:
    """A chart named `name` (its CSV is `?csv=<name>`); `kind` tells the page script how to draw.

    Kinds: `bar` (grouped), `stacked`, `hbar` (horizontal, e.g. progress), `heatmap`
    (categories are rows, series are columns), `line`.
    """

    name: str
    title: str
    kind: str
    categories: list[str]
    series: list[Series]
    category_label: str = ""
    unit: str = ""
    #: Optional link per category (drill-down), shown in the table view and used on click.
    links: list[str] = field(default_factory=list)
    #: Optional link per cell (rows × series), e.g. one person's items due in one week.
    cell_links: list[list[str]] = field(default_factory=list)
    #: Optional extra marks, e.g. {"due": "2026-W14"} for a planned due date on a burn-up.
    marks: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[str, str, list[tuple[Number, str]]]]:
        """(category, link, [(value, link), …]) per row, for the table view."""
        links = self.links or [""] * len(self.categories)
        cells = self.cell_links or [[""] * len(self.series) for _ in self.categories]
        return [
            (category, links[i], [(s.values[i], cells[i][j]) for j, s in enumerate(self.series)])
            for i, category in enumerate(self.categories)
        ]

    @property
    def element_id(self) -> str:
        return f"chart-{self.name}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.name}-data"

    def as_json(self) -> dict[str, Any]:
        def plain(value: Number) -> Number:
            return float(value) if isinstance(value, Decimal) else value

        return {
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "categories": self.categories,
            "series": [
                {"name": s.name, "values": [plain(v) for v in s.values]} for s in self.series
            ],
            "links": self.links,
            "marks": self.marks,
        }


def csv_response(chart: Chart, filename_prefix: str = "insights") -> HttpResponse:
    """The chart's table as CSV (same rows and numbers as the table view)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([chart.category_label or "Category", *(s.name for s in chart.series)])
    for category, _link, values in chart.rows:
        writer.writerow([_safe(category), *("" if v is None else v for v, _ in values)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename_prefix}-{chart.name}.csv"'
    return response


def _safe(text: str) -> str:
    """Neutralise spreadsheet formulas in titles (=, +, -, @ would run in Excel)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
