"""The detail page: breadcrumb, children, how progress was computed, history, actions."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.services import update_work_item
from testing.builders import item


def test_the_detail_page_tells_the_whole_story(client, cast):
    project = item("project", "Coastal livelihood", organization=cast.office)
    activity = item(
        "activity",
        "Seaweed training",
        parent=project,
        details={"venue": "Barangay hall", "event_type": "field_visit"},
    )
    item("task", "Buy seedlings", parent=activity, progress=40, weight=3)
    item("task", "Hire trainers", parent=activity, status="cancelled")
    update_work_item(cast.manager, activity, title="Seaweed farming training")
    client.force_login(cast.manager)
    html = client.get(reverse("common:detail", args=[activity.pk])).content.decode()
    assert "Coastal livelihood" in html.split('data-testid="breadcrumb"')[1].split("</ol>")[0]
    assert "Barangay hall" in html
    assert "Field visit" in html
    assert "Buy seedlings — 40% × weight 3" in html
    assert "Left out because cancelled: Hire trainers" in html
    assert "Marco</strong> changed this" in html
    assert "title: Seaweed training → Seaweed farming training" in html
    assert "Add task" in html and "Add subtask" in html
    assert "Add activity" not in html


def test_a_viewer_sees_no_edit_buttons(client, cast):
    activity = item("activity", "Read only", organization=cast.office)
    client.force_login(cast.viewer)
    html = client.get(reverse("common:detail", args=[activity.pk])).content.decode()
    assert "Edit</a>" not in html
    assert "Delete…" not in html
    assert "Add task" not in html


def test_the_detail_page_costs_the_same_with_few_or_many_children(client, cast):
    def cost(parent):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("common:detail", args=[parent.pk])).status_code == 200
        return len(captured.captured_queries)

    client.force_login(cast.staff)
    small = item("activity", "Small", organization=cast.office, assignees=[cast.staff])
    item("task", "only", parent=small, assignees=[cast.staff])
    large = item("activity", "Large", organization=cast.office, assignees=[cast.staff])
    for n in range(30):
        item("task", f"t{n}", parent=large, assignees=[cast.staff])
        update_work_item(None, large, title=f"Large {n}")
    assert cost(small) == cost(large)


def _page_of(client, person, work_item) -> str:
    client.force_login(person)
    return client.get(reverse("common:detail", args=[work_item.pk])).content.decode()


def test_an_open_item_past_its_due_date_says_how_long_it_is_overdue(client, cast):
    today = timezone.localdate()
    late = item(
        "task",
        "Send the minutes",
        organization=cast.office,
        status="in_progress",
        due_date=today - dt.timedelta(days=3),
    )
    one_day = item(
        "task", "Book the hall", organization=cast.office, due_date=today - dt.timedelta(days=1)
    )

    html = _page_of(client, cast.staff, late)
    assert 'data-testid="overdue">Overdue by 3 days<' in html
    assert f"{late.due_date:%b} {late.due_date.day}, {late.due_date.year} · overdue" in html
    assert 'data-testid="overdue">Overdue by 1 day<' in _page_of(client, cast.staff, one_day)


def test_an_item_due_today_done_or_cancelled_is_not_overdue(client, cast):
    today = timezone.localdate()
    due_today = item("task", "Print badges", organization=cast.office, due_date=today)
    done = item(
        "task",
        "Invite speakers",
        organization=cast.office,
        status="completed",
        due_date=today - dt.timedelta(days=5),
    )
    dropped = item(
        "task",
        "Order banners",
        organization=cast.office,
        status="cancelled",
        due_date=today - dt.timedelta(days=5),
    )
    for calm in (due_today, done, dropped):
        html = _page_of(client, cast.staff, calm)
        assert 'data-testid="overdue"' not in html
        assert "· overdue" not in html
