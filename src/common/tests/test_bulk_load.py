"""Loading many items at once follows the same rules, all-or-nothing, with correct roll-ups."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.models import WorkItem
from common.progress import recompute_trees
from common.services import NewItem, bulk_create_items
from common.tree import depth_of
from testing.builders import item


def test_a_whole_tree_loads_with_roots_positions_and_roll_up(cast):
    specs = [
        NewItem("t1", "task", "Task one", parent_key="a", fields={"progress": 40}),
        NewItem("p", "project", "Project", organization_id=cast.office.pk),
        NewItem("a", "activity", "Activity", parent_key="p"),
        NewItem(
            "t2",
            "task",
            "Task two",
            parent_key="a",
            fields={"status": "completed"},
            assignee_ids=[cast.staff.pk],
        ),
    ]
    ids = bulk_create_items(specs)
    project = WorkItem.objects.get(pk=ids["p"])
    task_two = WorkItem.objects.get(pk=ids["t2"])
    assert project.root_id == project.pk
    assert task_two.root_id == project.pk
    assert depth_of(task_two.pk) == 3
    assert task_two.completed_at is not None
    assert list(task_two.assignees.all()) == [cast.staff]
    assert WorkItem.objects.get(pk=ids["a"]).progress == 70
    assert project.progress == 70
    assert WorkItem.history.filter(history_type="+").count() == 4


def test_one_bad_item_loads_nothing_and_names_the_culprit(cast):
    specs = [
        NewItem("p", "project", "Project", organization_id=cast.office.pk),
        NewItem("bad", "project", "Nested project", parent_key="p"),
    ]
    with pytest.raises(ValidationError) as error:
        bulk_create_items(specs)
    assert "'bad' (Nested project)" in str(error.value)
    assert not WorkItem.objects.exists()


def test_items_can_be_loaded_under_an_existing_item(cast):
    project = item("project", organization=cast.office)
    item("task", "Existing", parent=project)
    item("task", "Also existing", parent=project)
    empty = item("project", "Empty", organization=cast.office)
    ids = bulk_create_items(
        [
            NewItem("n", "task", "New", parent_id=project.pk),
            NewItem("first", "task", "First of its parent", parent_id=empty.pk),
        ]
    )
    new = WorkItem.objects.get(pk=ids["n"])
    assert new.organization_id == cast.office.pk
    assert list(project.children.order_by("position").values_list("title", flat=True)) == [
        "Existing",
        "Also existing",
        "New",
    ]
    assert list(empty.children.values_list("title", flat=True)) == ["First of its parent"]


def test_assignees_of_another_organisation_are_refused(cast):
    with pytest.raises(ValidationError):
        bulk_create_items(
            [
                NewItem(
                    "t",
                    "task",
                    "T",
                    organization_id=cast.office.pk,
                    assignee_ids=[cast.partner_staff.pk],
                )
            ]
        )


def test_recompute_repairs_drifted_roll_ups(cast):
    activity = item("activity", organization=cast.office)
    item("task", parent=activity, progress=80)
    WorkItem.objects.filter(pk=activity.pk).update(progress=3)
    assert recompute_trees([activity.root_id]) == {activity.pk: 80}
    assert WorkItem.objects.get(pk=activity.pk).progress == 80
    assert recompute_trees([activity.root_id]) == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [("progress", 150), ("priority", "whenever"), ("status", "sleeping"), ("weight", -1)],
)
def test_a_value_set_by_a_load_is_checked_though_its_default_is_trusted(cast, field, value):
    """Fields left at a valid default are not checked item by item; one that is set always is."""
    spec = NewItem("p", "project", "Project", organization_id=cast.office.pk, fields={field: value})
    with pytest.raises(ValidationError, match=field):
        bulk_create_items([spec])
    assert not WorkItem.objects.exists()


def test_a_bad_value_is_refused_though_many_items_before_had_good_ones(cast):
    """Each distinct value of a field is checked once per load: a new value is checked anew."""
    office = cast.office.pk
    good = [
        NewItem(n, "project", f"Project {n}", organization_id=office, fields={"progress": 40})
        for n in range(300)
    ]
    bad = NewItem("late", "project", "Late project", organization_id=office)
    bad.fields["progress"] = 400
    with pytest.raises(ValidationError, match="'late' \\(Late project\\): progress"):
        bulk_create_items([*good, bad])
    assert not WorkItem.objects.exists()
    bulk_create_items(good)
    assert set(WorkItem.objects.values_list("progress", flat=True)) == {40}


def test_a_decimal_with_too_many_places_is_refused_after_an_equal_one_that_fits(cast):
    """1.0 and 1.000 are equal numbers, but only the first fits a budget of cents."""
    office = cast.office.pk
    fits = NewItem("a", "project", "Within budget", organization_id=office)
    fits.fields["allocated_budget"] = Decimal("1.0")
    too_fine = NewItem("b", "project", "Too fine", organization_id=office)
    too_fine.fields["allocated_budget"] = Decimal("1.000")
    with pytest.raises(ValidationError, match="'b' \\(Too fine\\): allocated_budget"):
        bulk_create_items([fits, too_fine])
    assert not WorkItem.objects.exists()


def test_a_top_item_is_its_own_root_and_its_children_share_it(cast):
    ids = bulk_create_items(
        [
            NewItem("p", "project", "Project", organization_id=cast.office.pk),
            NewItem("t", "task", "Loose task", organization_id=cast.office.pk),
            NewItem("a", "activity", "Activity", parent_key="p"),
        ]
    )
    roots = dict(WorkItem.objects.values_list("pk", "root_id"))
    assert roots == {ids["p"]: ids["p"], ids["t"]: ids["t"], ids["a"]: ids["p"]}
