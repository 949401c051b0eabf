"""The project report as a PDF, rendered on the server by WeasyPrint.

The PDF is the page's template without the page's JavaScript: charts are drawn as SVG bars
(`svg.bars`) next to their tables. WeasyPrint is given the HTML and the stylesheet as strings
and a fetcher that refuses every URL, so rendering never reaches the network or the disk
whatever a title contains.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from .report import Report
from .svg import bars

STYLESHEET = Path(settings.SRC_DIR) / "static" / "css" / "report_pdf.css"


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"The report does not load {url!r}.")


def render_pdf(report: Report) -> bytes:
    from weasyprint import CSS, HTML  # loads pango on first use, not at start-up

    html = render_to_string(
        "insights/report/pdf.html",
        {"report": report, "pdf": True, "pdf_charts": [(c, bars(c)) for c in report.charts]},
    )
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(
        stylesheets=[CSS(string=STYLESHEET.read_text(encoding="utf-8"))]
    )
