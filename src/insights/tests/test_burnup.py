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


def recomputed_weighted_progress(project, ends) -> list[float | None]:
    """From the raw history rows: each leaf's last record before a week's end, weighted."""
    from common.tree import subtree_ids

    parents = {parent for (parent,) in WorkItem.objects.values_list("parent_id") if parent}
    subtree = set(subtree_ids(project.pk))
    records = [
        r
        for r in History.objects.order_by("history_date", "history_id")
        if r.id in subtree and r.id not in parents
    ]
    values = []
    for end in ends:
        latest = {}
        for record in records:
            if record.history_date < end:
                latest[record.id] = record
        alive = [r for r in latest.values() if r.history_type != "-"]
        weights = sum(r.weight for r in alive)
        points = sum(r.progress * r.weight for r in alive)
        values.append(round(points / weights, 1) if weights else None)
    return values


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weighted_progress_matches_a_recomputation_from_the_history_rows(cast, seed):
    import random

    from insights.burnup import _week_ends, weighted_progress

    rng = random.Random(seed)
    project = item("project", "Programme", organization=cast.office)
    activity = item("activity", "Field work", parent=project, weight=3)
    tasks = [item("task", f"Task {n}", parent=activity, weight=rng.randint(1, 5)) for n in range(5)]
    ids = [project.pk, activity.pk, *(t.pk for t in tasks)]
    back(ids, 5)
    WorkItem.objects.filter(pk=project.pk).update(created_at=timezone.now() - dt.timedelta(weeks=5))
    for weeks_ago in (4, 3, 2, 1, 0):
        for task in rng.sample(tasks, 2):
            update_work_item(
                cast.manager, WorkItem.objects.get(pk=task.pk), progress=rng.randint(0, 100)
            )
        History.objects.filter(
            id__in=ids, history_date__gt=timezone.now() - dt.timedelta(minutes=5)
        ).update(history_date=timezone.now() - dt.timedelta(weeks=weeks_ago, minutes=-1))
    project.refresh_from_db()
    chart = weighted_progress(project)
    ends = _week_ends(timezone.localdate(project.created_at), timezone.localdate())
    assert chart.series[0].values == recomputed_weighted_progress(project, ends)
    assert chart.series[0].values[0] == 0
    assert chart.unit == "%" and len(chart.categories) == len(ends)


@pytest.mark.django_db
def test_weighted_progress_counts_heavier_items_more(cast):
    from insights.burnup import weighted_progress

    project = item("project", "Programme", organization=cast.office)
    heavy = item("task", "Heavy", parent=project, weight=3)
    item("task", "Light", parent=project, weight=1)
    update_work_item(cast.manager, heavy, progress=100)
    project.refresh_from_db()
    assert weighted_progress(project).series[0].values[-1] == 75.0  # (100×3 + 0×1) / 4
