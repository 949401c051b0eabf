"""Burn-up: items and completed items at the end of each week, from the history records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.models import WorkItem
from common.services import delete_work_item, update_work_item
from insights.burnup import burnup
from testing.builders import item

History = WorkItem.history.model


def back(item_ids, weeks: int) -> None:
    """Move the history of `item_ids` `weeks` weeks into the past."""
    History.objects.filter(id__in=item_ids).update(
        history_date=timezone.now() - dt.timedelta(weeks=weeks)
    )


@pytest.mark.django_db
def test_burn_up_counts_items_and_completions_per_week(cast):
    project = item("project", "Programme", organization=cast.office)
    tasks = [item("task", f"Task {n}", parent=project) for n in range(3)]
    back([project.pk, *(t.pk for t in tasks)], 3)
    WorkItem.objects.filter(pk=project.pk).update(created_at=timezone.now() - dt.timedelta(weeks=3))
    update_work_item(cast.manager, tasks[0], status="completed")
    History.objects.filter(id=tasks[0].pk, status="completed").update(
        history_date=timezone.now() - dt.timedelta(weeks=2)
    )
    update_work_item(cast.manager, WorkItem.objects.get(pk=tasks[1].pk), status="completed")
    update_work_item(cast.manager, WorkItem.objects.get(pk=tasks[1].pk), status="in_progress")
    update_work_item(cast.manager, WorkItem.objects.get(pk=tasks[2].pk), status="completed")
    extra = item("task", "Added late", parent=project)
    delete_work_item(cast.manager, extra)
    project.refresh_from_db()
    chart = burnup(project)
    items, completed = (s.values for s in chart.series)
    assert len(items) == 4
    assert items == [4, 4, 4, 4]  # the deleted task never counts: it is not in the subtree
    assert completed == [0, 1, 1, 2]


@pytest.mark.django_db
def test_burn_up_marks_the_planned_due_date_and_costs_fixed_queries(cast):
    today = timezone.localdate()
    project = item("project", "Programme", organization=cast.office, due_date=today)
    client = Client()
    client.force_login(cast.viewer)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/oobc-management/dashboard/progress/", {"project": project.pk})
    for n in range(30):
        item("task", f"Task {n}", parent=project, status="completed")
    with CaptureQueriesContext(connection) as more:
        client.get("/oobc-management/dashboard/progress/", {"project": project.pk})
    assert len(more) == len(few)
    assert f'"due_date": "{today.isoformat()}"' in html.content.decode()
    assert burnup(project).series[1].values[-1] == 30


@pytest.mark.django_db
def test_partner_staff_cannot_see_an_office_projects_burn_up(cast):
    project = item("project", "Office secret programme", organization=cast.office)
    client = Client()
    client.force_login(cast.partner_staff)
    html = client.get("/oobc-management/dashboard/progress/", {"project": project.pk})
    assert "Office secret" not in html.content.decode()
