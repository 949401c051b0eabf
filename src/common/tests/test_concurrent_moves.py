"""Concurrent opposite moves must never create a cycle (the root row lock serialises them)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from common.models import WorkItem
from common.services import move_work_item
from common.tree import path_to_root
from testing.builders import item

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(*jobs) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except ValidationError:
            pass  # the loser of the race is refused, which is the point
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def assert_no_cycles():
    for work_item in WorkItem.objects.all():
        path = path_to_root(work_item.pk)
        assert len(path) <= 8, f"item {work_item.pk} sits on a cycle"
        assert path[-1].parent_id is None


def test_two_opposite_moves_at_once_leave_a_proper_tree(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race only exists on PostgreSQL; SQLite serialises writers")
    for round_ in range(15):
        project = item("project", f"Round {round_}", organization=cast.office)
        first = item("sub_project", "A", parent=project)
        second = item("sub_project", "B", parent=project)
        errors = run_in_threads(
            lambda f=first, s=second: move_work_item(None, f, parent=s),
            lambda f=first, s=second: move_work_item(None, s, parent=f),
        )
        assert errors == []
        assert_no_cycles()
        moved = WorkItem.objects.filter(pk__in=[first.pk, second.pk], parent=project).count()
        assert moved == 1, "exactly one of the two moves wins"


def test_many_concurrent_children_all_arrive_and_roll_up(cast):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL concurrency")
    from common.services import create_work_item, update_work_item

    project = item("project", "Busy", organization=cast.office)
    activity = item("activity", "Busy activity", parent=project)

    def add_and_finish(n):
        task = create_work_item(None, work_type="task", title=f"T{n}", parent=activity)
        update_work_item(None, task, status="completed")

    errors = run_in_threads(*[lambda n=n: add_and_finish(n) for n in range(8)])
    assert errors == []
    assert activity.children.count() == 8
    assert WorkItem.objects.get(pk=activity.pk).progress == 100
    assert WorkItem.objects.get(pk=project.pk).progress == 100
