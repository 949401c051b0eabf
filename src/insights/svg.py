"""A chart as plain SVG bars, drawn on the server for the PDF report (a PDF runs no JavaScript).

Every chart shape (`Chart`) becomes horizontal grouped bars: one row per category, one bar per
series, the value written at the end of the bar. Text goes through `escape`, so a title can never
inject markup into the document.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .charts import Chart

WIDTH = 680
LABEL = 210
BAR = 9
GAP = 7
COLOURS = ["#1d4ed8", "#15803d", "#b45309", "#7c3aed", "#be123c", "#0f766e", "#4b5563"]


def _number(value) -> float:
    return float(value) if isinstance(value, int | float | Decimal) else 0.0


def _text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars(chart: Chart) -> SafeString:
    """The chart as an `<svg>` element with a legend; empty charts say so in words."""
    if not chart.categories:
        return mark_safe('<p class="empty">Nothing to show yet.</p>')
    series = chart.series
    peak = max((_number(v) for s in series for v in s.values), default=0.0) or 1.0
    span = WIDTH - LABEL - 70
    row = len(series) * BAR + GAP
    legend = 18
    height = legend + row * len(chart.categories) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(chart.title)}" '
        'font-family="DejaVu Sans, sans-serif" font-size="8">'
    ]
    for j, s in enumerate(series):
        x = LABEL + j * 120
        parts.append(
            f'<rect x="{x}" y="4" width="8" height="8" fill="{COLOURS[j % len(COLOURS)]}"/>'
            f'<text x="{x + 12}" y="11">{escape(s.name)}</text>'
        )
    for i, category in enumerate(chart.categories):
        top = legend + i * row
        parts.append(
            f'<text x="{LABEL - 6}" y="{top + row / 2 + 2:.1f}" text-anchor="end">'
            f"{escape(_short(category))}</text>"
        )
        for j, s in enumerate(series):
            value = s.values[i]
            length = max(_number(value), 0.0) / peak * span
            y = top + j * BAR
            parts.append(
                f'<rect x="{LABEL}" y="{y}" width="{length:.1f}" height="{BAR - 1}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"/>'
                f'<text x="{LABEL + length + 3:.1f}" y="{y + BAR - 2}">'
                f"{escape(_text(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
