"""The per-item option "dates follow its children": a parent spans its children, always.

Its start is its earliest child's start and its due date its latest child's due date; every way
children change (edit, push, create, move, cancel, delete) keeps that true in the same
transaction, and followers of the parent are pushed when it grows.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from common import working_days
from common.models import SchedulingMode, Status, WorkItem
from common.services import (
    delete_work_item,
    link_dependency,
    move_work_item,
    set_scheduling_mode,
    update_work_item,
)
from testing.builders import item

pytestmark = pytest.mark.django_db

MAR = {day: date(2026, 3, day) for day in range(1, 32)}  # March 2026: no holiday before the 31st


def fresh(work_item: WorkItem) -> WorkItem:
    return WorkItem.objects.get(pk=work_item.pk)


@pytest.fixture
def plan(cast):
    """A project whose dates follow its activities; each activity has dated tasks."""
    project = item("project", "Coastal consultations", organization=cast.office)
    update_work_item(cast.manager, project, dates_from_children=True)
    return project


def test_a_parent_following_its_children_spans_their_dates(cast, plan):
    item("activity", "Kick-off", parent=plan, start_date=MAR[9], due_date=MAR[10])
    item("activity", "Field visits", parent=plan, start_date=MAR[16], due_date=MAR[27])
    item("activity", "Undated idea", parent=plan)
    plan = fresh(plan)
    assert (plan.start_date, plan.due_date) == (MAR[9], MAR[27])
    assert plan.history.first().history_change_reason == "Dates follow its children"


def test_a_child_with_one_date_counts_with_that_date(cast, plan):
    item("activity", "Deadline only", parent=plan, due_date=MAR[20])
    item("activity", "Start only", parent=plan, start_date=MAR[4])
    assert (fresh(plan).start_date, fresh(plan).due_date) == (MAR[4], MAR[20])


def test_editing_a_grandchild_moves_every_ancestor_that_follows(cast, plan):
    workshop = item("activity", "Workshop", parent=plan)
    update_work_item(cast.manager, workshop, dates_from_children=True)
    venue = item(
        "task",
        "Book the venue",
        parent=workshop,
        start_date=MAR[2],
        due_date=MAR[3],
        assignees=[cast.staff],
    )
    assert fresh(plan).due_date == MAR[3]
    update_work_item(cast.staff, venue, due_date=MAR[13])
    assert fresh(workshop).due_date == MAR[13]
    assert fresh(plan).due_date == MAR[13]
    assert fresh(plan).history.first().history_user == cast.staff


def test_an_ancestor_that_does_not_follow_stops_the_change(cast):
    project = item("project", "Hand-planned", organization=cast.office)
    workshop = item("activity", "Workshop", parent=project, start_date=MAR[2], due_date=MAR[2])
    update_work_item(cast.manager, workshop, dates_from_children=True)
    task = item("task", "Invite", parent=workshop, start_date=MAR[9], due_date=MAR[9])
    assert fresh(workshop).start_date == MAR[9]
    update_work_item(cast.manager, task, due_date=MAR[11])
    assert (fresh(project).start_date, fresh(project).due_date) == (None, None)


def test_cancelled_children_are_left_out_and_count_again_when_restored(cast, plan):
    item("activity", "Main", parent=plan, start_date=MAR[9], due_date=MAR[13])
    extra = item("activity", "Extra day", parent=plan, start_date=MAR[20], due_date=MAR[20])
    assert fresh(plan).due_date == MAR[20]
    update_work_item(cast.manager, extra, status=Status.CANCELLED)
    assert fresh(plan).due_date == MAR[13]
    update_work_item(cast.manager, extra, status=Status.NOT_STARTED)
    assert fresh(plan).due_date == MAR[20]


def test_moving_a_child_out_shrinks_the_old_parent_and_grows_the_new(cast, plan):
    item("activity", "Stays", parent=plan, start_date=MAR[2], due_date=MAR[3])
    leaving = item("activity", "Leaves", parent=plan, start_date=MAR[23], due_date=MAR[27])
    other = item("project", "Second project", organization=cast.office)
    update_work_item(cast.manager, other, dates_from_children=True)
    move_work_item(cast.manager, leaving, parent=other)
    assert (fresh(plan).start_date, fresh(plan).due_date) == (MAR[2], MAR[3])
    assert (fresh(other).start_date, fresh(other).due_date) == (MAR[23], MAR[27])


def test_deleting_a_child_shrinks_the_parent(cast, plan):
    item("activity", "Stays", parent=plan, start_date=MAR[2], due_date=MAR[3])
    doomed = item("activity", "Dropped", parent=plan, start_date=MAR[2], due_date=MAR[30])
    delete_work_item(cast.manager, doomed)
    assert fresh(plan).due_date == MAR[3]


def test_switching_it_on_takes_the_childrens_span_at_once(cast):
    project = item("project", "Planned by hand", organization=cast.office, due_date=MAR[31])
    item("activity", "Only activity", parent=project, start_date=MAR[10], due_date=MAR[12])
    saved = update_work_item(cast.manager, project, dates_from_children=True)
    assert (saved.start_date, saved.due_date) == (MAR[10], MAR[12])
    assert saved.version == fresh(project).version  # the returned copy is the stored one


def test_a_parent_without_dated_children_keeps_its_own_dates(cast):
    project = item("project", "Not planned yet", organization=cast.office, due_date=MAR[31])
    item("activity", "Undated", parent=project)
    update_work_item(cast.manager, project, dates_from_children=True)
    assert fresh(project).due_date == MAR[31]
    update_work_item(cast.manager, project, due_date=MAR[30])  # nothing to follow: its own
    assert fresh(project).due_date == MAR[30]


def test_its_dates_cannot_be_typed_over_while_children_carry_dates(cast, plan):
    item("activity", "Visit", parent=plan, start_date=MAR[9], due_date=MAR[10])
    before = fresh(plan)
    client = APIClient()
    client.force_authenticate(cast.manager)
    answer = client.patch(
        f"/api/v1/work-items/{plan.pk}/",
        {"due_date": "2026-04-30", "version": before.version},
        format="json",
    )
    assert answer.status_code == 400
    assert "takes its dates from its children" in answer.json()["start_date"][0]
    assert fresh(plan).due_date == MAR[10] and fresh(plan).version == before.version
    listed = client.get(f"/api/v1/work-items/{plan.pk}/").json()
    assert listed["dates_from_children"] is True and listed["scheduling_mode"] == "manual"


def test_it_cannot_be_combined_with_automatic_scheduling_or_repeats(cast, plan):
    with pytest.raises(Exception, match="takes its dates from its children"):
        set_scheduling_mode(cast.manager, plan, SchedulingMode.AUTOMATIC)
    repeating = item(
        "activity",
        "Monthly meeting",
        parent=plan,
        start_date=MAR[2],
        recurrence_rule="FREQ=MONTHLY;COUNT=3",
    )
    with pytest.raises(Exception, match="repeats cannot take its dates"):
        update_work_item(cast.manager, repeating, dates_from_children=True)
    automatic = item("activity", "After the survey", parent=plan, start_date=MAR[5])
    set_scheduling_mode(cast.manager, automatic, SchedulingMode.AUTOMATIC)
    with pytest.raises(Exception, match="scheduled after its predecessors"):
        update_work_item(cast.manager, automatic, dates_from_children=True)
    assert not fresh(automatic).dates_from_children and not fresh(repeating).dates_from_children


def test_a_pushed_child_grows_its_parent_and_the_parents_follower_is_pushed(cast, plan):
    """One move ripples: survey → (push) analysis → (span) project → (push) the report."""
    survey = item("activity", "Survey", parent=plan, start_date=MAR[2], due_date=MAR[6])
    analysis = item("activity", "Analysis", parent=plan, start_date=MAR[9], due_date=MAR[10])
    set_scheduling_mode(None, analysis, SchedulingMode.AUTOMATIC)
    link_dependency(None, analysis, survey)
    report = item("project", "Annual report", organization=cast.office, start_date=MAR[11])
    set_scheduling_mode(None, report, SchedulingMode.AUTOMATIC)
    link_dependency(None, report, plan)
    assert fresh(report).start_date == MAR[11]

    saved = update_work_item(cast.manager, survey, due_date=MAR[11])
    assert (fresh(analysis).start_date, fresh(analysis).due_date) == (MAR[12], MAR[13])
    assert fresh(plan).due_date == MAR[13]
    assert fresh(report).start_date == MAR[16]  # Friday 13th + one working day: Monday
    assert {m.item_id for m in saved.pushed} == {analysis.pk, plan.pk, report.pk}
    assert fresh(report).history.first().history_change_reason == (
        "Rescheduled because “Coastal consultations” moved"
    )


def test_the_push_preview_names_the_parent_and_its_follower_and_changes_nothing(cast, plan):
    survey = item("activity", "Survey", parent=plan, start_date=MAR[2], due_date=MAR[6])
    report = item("project", "Annual report", organization=cast.office, start_date=MAR[9])
    set_scheduling_mode(None, report, SchedulingMode.AUTOMATIC)
    link_dependency(None, report, plan)
    versions = {w.pk: fresh(w).version for w in (survey, plan, report)}
    history_rows = WorkItem.history.count()
    client = APIClient()
    client.force_authenticate(cast.manager)
    answer = client.post(
        f"/api/v1/work-items/{survey.pk}/schedule/",
        {"start_date": "2026-03-02", "due_date": "2026-03-10", "preview": True},
        format="json",
    )
    assert answer.status_code == 200
    moved = {m["title"]: m["new_start_date"] for m in answer.json()["moved"]}
    assert moved == {"Coastal consultations": "2026-03-02", "Annual report": "2026-03-11"}
    assert answer.json()["count"] == 2
    assert {w.pk: fresh(w).version for w in (survey, plan, report)} == versions
    assert fresh(plan).due_date == MAR[6] and WorkItem.history.count() == history_rows


def test_a_changed_child_costs_the_same_queries_under_3_or_60_siblings(cast):
    def measure(siblings: int) -> int:
        project = item("project", f"{siblings} siblings", organization=cast.office)
        update_work_item(None, project, dates_from_children=True)
        for n in range(siblings):
            item("task", f"Task {n}", parent=project, start_date=MAR[2], due_date=MAR[3])
        moving = WorkItem.objects.filter(parent=project).first()
        with CaptureQueriesContext(connection) as queries:
            update_work_item(cast.manager, moving, due_date=MAR[20])
        assert fresh(project).due_date == MAR[20]
        return len(queries)

    measure(1)  # the manager's permissions are read once, then cached
    assert measure(3) == measure(60)


def test_the_edit_form_offers_it_to_parents_and_locks_their_dates(cast, plan, client):
    item("activity", "Visit", parent=plan, start_date=MAR[9], due_date=MAR[10])
    leaf = item("task", "Leaf", organization=cast.office)
    client.force_login(cast.manager)
    page = client.get(f"/oobc-management/work-items/{plan.pk}/edit/").content.decode()
    assert "Dates follow its children" in page
    assert "Set by its children" in page
    leaf_page = client.get(f"/oobc-management/work-items/{leaf.pk}/edit/").content.decode()
    assert "Dates follow its children" not in leaf_page


@st.composite
def histories(draw):
    """Children spread over two parents that follow them, and random changes to the children."""
    children = draw(
        st.lists(st.tuples(st.integers(0, 1), st.integers(0, 30), st.integers(0, 5)), max_size=6)
    )
    changes = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["dates", "cancel", "restore", "move", "delete"]),
                st.integers(0, 5),
                st.integers(0, 40),
                st.integers(0, 5),
            ),
            max_size=8,
        )
    )
    return children, changes


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories())
def test_after_any_changes_each_following_parent_spans_its_counted_children(cast, history):
    children, changes = history
    project = item("project", "Property", organization=cast.office)
    parents = [item("activity", f"Parent {n}", parent=project) for n in range(2)]
    for parent in parents:
        update_work_item(None, parent, dates_from_children=True)
    follower = item("activity", "After parent 0", parent=project, start_date=MAR[2])
    set_scheduling_mode(None, follower, SchedulingMode.AUTOMATIC)
    link_dependency(None, follower, parents[0])
    kids = [
        item("task", f"Child {n}", parent=parents[p], start_date=MAR[2 + s % 28], due_date=None)
        for n, (p, s, _) in enumerate(children)
    ]
    for n, (_, s, length) in enumerate(children):
        update_work_item(None, kids[n], due_date=MAR[min(31, 2 + s % 28 + length)])
    alive = list(kids)
    for kind, index, day, length in changes:
        if not alive:
            break
        child = fresh(alive[index % len(alive)])
        if kind == "dates":
            start = date(2026, 3, 1) + timedelta(days=day)
            update_work_item(None, child, start_date=start, due_date=start + timedelta(length))
        elif kind == "cancel":
            update_work_item(None, child, status=Status.CANCELLED)
        elif kind == "restore":
            update_work_item(None, child, status=Status.IN_PROGRESS)
        elif kind == "move":
            other = parents[1] if child.parent_id == parents[0].pk else parents[0]
            move_work_item(None, child, parent=other)
        else:
            delete_work_item(None, child)
            alive.remove(next(k for k in alive if k.pk == child.pk))

    calendar = working_days.for_organization(cast.office.pk)
    for parent in map(fresh, parents):
        counted = WorkItem.objects.filter(parent=parent).exclude(status=Status.CANCELLED)
        firsts = [c.start_date or c.due_date for c in counted if c.start_date or c.due_date]
        lasts = [c.due_date or c.start_date for c in counted if c.start_date or c.due_date]
        if firsts:
            assert (parent.start_date, parent.due_date) == (min(firsts), max(lasts))
    parent = fresh(parents[0])
    if parent.due_date or parent.start_date:
        earliest = calendar.first_start_after(parent.due_date or parent.start_date, 0)
        assert fresh(follower).start_date >= earliest
