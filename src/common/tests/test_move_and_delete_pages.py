"""Moving by drag-and-drop or dialog, and deleting with a clear choice about the children."""

import json

from django.urls import reverse

from common.models import WorkItem
from testing.builders import item


def move(client, work_item, **data):
    return client.post(
        reverse("common:move", args=[work_item.pk]), data, HTTP_ACCEPT="application/json"
    )


def test_a_drop_onto_another_activity_moves_the_task(client, cast):
    first = item("activity", "First", organization=cast.office)
    second = item("activity", "Second", organization=cast.office)
    task = item("task", "Movable", parent=first)
    client.force_login(cast.manager)
    response = move(client, task, parent=second.pk, expected_version=1)
    assert json.loads(response.content) == {"ok": True}
    assert WorkItem.objects.get(pk=task.pk).parent_id == second.pk


def test_an_invalid_drop_is_refused_with_the_reason(client, cast):
    project = item("project", organization=cast.office)
    task = item("task", "Task", parent=project)
    activity = item("activity", "Activity", parent=project)
    client.force_login(cast.manager)
    response = move(client, activity, parent=task.pk)
    assert response.status_code == 400
    assert "cannot be placed under a Task" in json.loads(response.content)["error"]
    assert WorkItem.objects.get(pk=activity.pk).parent_id == project.pk


def test_a_drop_between_rows_reorders_siblings(client, cast):
    project = item("project", organization=cast.office)
    _, _, c = (item("task", name, parent=project) for name in "ABC")
    client.force_login(cast.manager)
    move(client, c, parent=project.pk, index=0)
    assert list(project.children.order_by("position").values_list("title", flat=True)) == [
        "C",
        "A",
        "B",
    ]


def test_the_move_dialog_lists_only_parents_that_can_hold_the_item(client, cast):
    item("project", "Project holder", organization=cast.office)
    item("task", "Task holder", organization=cast.office)
    activity = item("activity", "Mover", organization=cast.office)
    client.force_login(cast.manager)
    html = client.get(
        reverse("common:move_candidates", args=[activity.pk]), {"q": "holder"}
    ).content.decode()
    assert "Project holder" in html
    assert "Task holder" not in html


def test_the_move_dialog_moves_and_redirects(client, cast):
    target = item("project", "Target", organization=cast.office)
    activity = item("activity", "Mover", organization=cast.office)
    client.force_login(cast.manager)
    response = client.post(reverse("common:move", args=[activity.pk]), {"parent": target.pk})
    assert response.status_code == 302
    assert WorkItem.objects.get(pk=activity.pk).parent_id == target.pk


def test_the_delete_page_counts_what_would_go_and_offers_the_allowed_choices(client, cast):
    project = item("project", "Project", organization=cast.office)
    activity = item("activity", "Activity", parent=project)
    task = item("task", "Task", parent=activity)
    item("subtask", "Subtask", parent=task)
    client.force_login(cast.manager)
    html = client.get(reverse("common:delete", args=[activity.pk])).content.decode()
    assert "2 items below it would be affected" in html
    assert "Move its children to “Project”" in html


def test_reparenting_is_not_offered_where_the_rules_forbid_it(client, cast):
    task = item("task", "Task", organization=cast.office)
    item("subtask", "Subtask", parent=task)
    client.force_login(cast.manager)
    html = client.get(reverse("common:delete", args=[task.pk])).content.decode()
    assert 'value="reparent"' not in html
    assert "cannot move to the top level" in html


def test_deleting_with_children_needs_a_choice_and_then_does_it(client, cast):
    project = item("project", "Project", organization=cast.office)
    activity = item("activity", "Activity", parent=project)
    item("task", "Task", parent=activity)
    client.force_login(cast.manager)
    url = reverse("common:delete", args=[activity.pk])
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert WorkItem.objects.filter(pk=activity.pk).exists()
    response = client.post(url, {"children": "reparent"})
    assert response.status_code == 302
    assert list(project.children.values_list("title", flat=True)) == ["Task"]


def test_moving_a_top_level_item_to_the_top_level_says_nothing_moved(client, cast):
    top = item("project", "Already on top", organization=cast.office)
    client.force_login(cast.manager)
    response = client.post(
        reverse("common:move", args=[top.pk]),
        {"parent": "", "expected_version": top.version},
        follow=True,
    )
    text = response.content.decode()
    assert "“Already on top” is already at the top level; nothing was moved." in text
    assert "was moved." not in text.replace("nothing was moved.", "")
    assert WorkItem.objects.get(pk=top.pk).version == top.version
