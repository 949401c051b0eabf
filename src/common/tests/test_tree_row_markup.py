"""Tree rows as people and the page's script read them: escaped titles and names, each row's own
URLs, its status and progress controls only for those who may edit, dates and the overdue mark.
The rows are drawn by `common.row_html` (not a template), so these pin what it must keep."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from testing.builders import item

HOSTILE = "<img src=x onerror=\"alert(1)\"> & 'quoted'"
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#x27;quoted&#x27;"


def rows_of(client, parent, depth=1) -> str:
    response = client.get(reverse("common:children", args=[parent.pk]), {"depth": depth})
    assert response.status_code == 200
    return response.content.decode()


def row_markup(html: str, pk: int) -> str:
    start = html.index('<tr class="tree-row')
    start = html.index(f'id="row-{pk}"', start)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_a_title_and_a_name_with_markup_show_as_text_in_every_place_of_the_row(client, cast):
    cast.staff.first_name = "<b>Sofia</b>"
    cast.staff.save()
    project = item("project", "Coastal livelihood", organization=cast.office)
    hostile = item("activity", HOSTILE, parent=project, assignees=[cast.staff])
    item("task", "Hire trainers", parent=hostile)
    client.force_login(cast.manager)
    row = row_markup(rows_of(client, project), hostile.pk)
    assert "<img" not in row and "<b>" not in row
    assert f">{ESCAPED}</a>" in row
    for label in (
        f"Show the 1 item under {ESCAPED}",
        f"Status of {ESCAPED}",
        f"Progress of {ESCAPED}",
        f"Expand all under {ESCAPED}",
        f"Add an item under {ESCAPED}",
        f"Move… {ESCAPED}",
    ):
        assert label in row
    assert "&lt;b&gt;Sofia&lt;/b&gt;" in row


def test_each_row_carries_the_urls_of_its_own_item(client, cast):
    project = item("project", "Coastal livelihood", organization=cast.office)
    tasks = [item("task", f"Task {n}", parent=project) for n in range(3)]
    client.force_login(cast.manager)
    html = rows_of(client, project)
    for task in tasks:
        row = row_markup(html, task.pk)
        for attribute, name in (
            ("data-children-url", "common:children"),
            ("data-subtree-url", "common:expand_all"),
            ("data-move-url", "common:move"),
            ("data-quick-add-url", "common:quick_add"),
            ("href", "common:detail"),
            ("hx-post", "common:set_status"),
        ):
            assert f'{attribute}="{reverse(name, args=[task.pk])}"' in row
        assert f'hx-post="{reverse("common:set_progress", args=[task.pk])}"' in row
        assert f'data-parent="{project.pk}"' in row and f'data-version="{task.version}"' in row


def test_the_status_select_has_every_status_with_the_rows_own_selected(client, cast):
    project = item("project", "Coastal livelihood", organization=cast.office)
    blocked = item("task", "Waiting for the boat", parent=project, status="blocked")
    started = item("task", "Surveying", parent=project, status="in_progress")
    client.force_login(cast.manager)
    html = rows_of(client, project)
    for task, status in ((blocked, "blocked"), (started, "in_progress")):
        options = re.findall(r'<option value="(\w+)" (selected)?>', row_markup(html, task.pk))
        assert [value for value, _ in options] == [
            "not_started",
            "in_progress",
            "at_risk",
            "blocked",
            "completed",
            "cancelled",
        ]
        assert [value for value, chosen in options if chosen] == [status]


def test_a_viewer_gets_status_and_progress_as_text_and_no_row_actions(client, cast):
    project = item("project", "Coastal livelihood", organization=cast.office)
    task = item("task", "Waiting for the boat", parent=project, status="blocked")
    client.force_login(cast.viewer)
    row = row_markup(rows_of(client, project), task.pk)
    assert '<span class="badge status-blocked">Blocked</span>' in row
    assert '<span class="text-xs" data-testid="progress-value">0%</span>' in row
    for control in ("<select", "<input", "draggable", "data-can-edit", ">Add<", ">Move…<"):
        assert control not in row


def test_dates_read_month_day_year_and_a_late_open_item_is_marked_overdue(client, cast):
    today = timezone.localdate()
    project = item("project", "Coastal livelihood", organization=cast.office)
    late = item(
        "task",
        "Late",
        parent=project,
        start_date=dt.date(2025, 3, 4),
        due_date=today - dt.timedelta(days=1),
    )
    done = item("task", "Done late", parent=project, status="completed", due_date=late.due_date)
    client.force_login(cast.manager)
    html = rows_of(client, project)
    due = f"{late.due_date:%b} {late.due_date.day}, {late.due_date.year}"
    assert (
        f'<span class="whitespace-nowrap">Mar 4, 2025</span> – '
        f'<span class="whitespace-nowrap overdue">{due}</span>'
    ) in row_markup(html, late.pk)
    assert 'title="Past its due date and not done">overdue</span>' in row_markup(html, late.pk)
    assert "overdue" not in row_markup(html, done.pk)
