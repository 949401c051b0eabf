"""The PDF's charts: bars drawn on the server, as long as their values, text escaped."""

from __future__ import annotations

import re

from insights.charts import Chart, Series
from insights.svg import bars


def test_bars_are_as_long_as_their_values_and_titles_cannot_inject_markup():
    chart = Chart(
        name="budget",
        title="Allocated <b>and</b> spent",
        kind="hbar",
        categories=['<script>alert("x")</script>', "Second"],
        series=[Series("Allocated", [200, 100]), Series("Actual", [50, None])],
    )
    svg = str(bars(chart))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-label="Allocated &lt;b&gt;and&lt;/b&gt; spent"' in svg
    _legend, *drawn = re.findall(r'<rect x="210" y="\d+" width="([\d.]+)"', svg)
    widths = [float(w) for w in drawn]
    assert widths[0] == 2 * widths[2]  # 200 against 100, the same series
    assert widths[0] == 4 * widths[1]  # 200 against 50
    assert widths[3] == 0  # no value: no bar, and "–" written beside it
    assert "–" in svg


def test_an_empty_chart_says_so_in_words():
    chart = Chart(name="status", title="Items", kind="bar", categories=[], series=[])
    assert "Nothing to show yet" in str(bars(chart))
