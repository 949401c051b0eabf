"""Create and edit pages: allowed choices only, field errors, and conflicts shown, never lost."""

import datetime as dt

from django.urls import reverse

from common.models import WorkItem
from common.services import update_work_item
from testing.builders import item

CREATE = "/oobc-management/work-items/new/"


def form_data(**overrides):
    data = {
        "work_type": "task",
        "title": "Prepare the venue",
        "status": "not_started",
        "priority": "medium",
        "progress_mode": "auto",
        "progress": "0",
        "weight": "1",
        "is_calendar_visible": "on",
    }
    data.update(overrides)
    return data


def test_creating_under_a_parent_offers_only_the_allowed_types(client, cast):
    task = item("task", "Standalone", organization=cast.office, assignees=[cast.staff])
    client.force_login(cast.staff)
    html = client.get(CREATE, {"parent": task.pk}).content.decode()
    assert '<option value="subtask"' in html
    assert '<option value="activity"' not in html


def test_a_created_item_lands_under_its_parent_with_its_owner(client, cast):
    activity = item("activity", "Workshop", organization=cast.office, assignees=[cast.staff])
    client.force_login(cast.staff)
    response = client.post(
        CREATE + f"?parent={activity.pk}", form_data(parent=activity.pk, assignees=[cast.staff.pk])
    )
    created = WorkItem.objects.get(title="Prepare the venue")
    assert response.status_code == 302
    assert response["Location"] == reverse("common:detail", args=[created.pk])
    assert created.parent_id == activity.pk
    assert created.created_by == cast.staff
    assert list(created.assignees.all()) == [cast.staff]


def test_invalid_input_comes_back_with_messages_on_the_fields(client, cast):
    client.force_login(cast.manager)
    response = client.post(
        CREATE,
        form_data(
            work_type="activity",
            title="",
            start_date="2026-05-02",
            due_date="2026-05-01",
            progress="140",
            details__expected_participants="lots",
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert "Ensure this value is less than or equal to 100." in html
    assert "Enter a whole number." in html
    assert not WorkItem.objects.exists()


def test_rule_violations_from_the_services_appear_on_the_form(client, cast):
    client.force_login(cast.manager)
    response = client.post(
        CREATE,
        form_data(
            work_type="activity", title="Bad dates", start_date="2026-05-02", due_date="2026-05-01"
        ),
    )
    assert response.status_code == 400
    assert "The due date cannot be before the start date." in response.content.decode()


def test_details_of_the_type_are_saved(client, cast):
    client.force_login(cast.manager)
    client.post(
        CREATE,
        form_data(
            work_type="activity",
            title="Town hall meeting",
            details__venue="Municipal hall",
            details__is_virtual="on",
            details__virtual_link="https://meet.example.org/x",
        ),
    )
    event = WorkItem.objects.get(title="Town hall meeting")
    assert event.details == {
        "venue": "Municipal hall",
        "is_virtual": True,
        "virtual_link": "https://meet.example.org/x",
    }


def test_editing_from_an_outdated_page_shows_their_changes_and_keeps_mine(client, cast):
    task = item("task", "Draft agenda", organization=cast.office)
    client.force_login(cast.manager)
    update_work_item(cast.administrator, task, title="Final agenda", priority="urgent")
    url = reverse("common:edit", args=[task.pk])
    response = client.post(url, form_data(title="My agenda", expected_version="1"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by Ana since you opened it" in html
    assert "Final agenda" in html and "My agenda" in html
    assert WorkItem.objects.get(pk=task.pk).title == "Final agenda"
    # Saving again from the conflict page is a deliberate overwrite, on the new version.
    assert 'name="expected_version" value="2"' in html
    response = client.post(url, form_data(title="My agenda", expected_version="2"))
    assert response.status_code == 302
    assert WorkItem.objects.get(pk=task.pk).title == "My agenda"


def test_the_edit_page_offers_only_types_that_fit_parent_and_children(client, cast):
    project = item("project", organization=cast.office)
    activity = item("activity", parent=project)
    item("sub_activity", parent=activity)
    client.force_login(cast.manager)
    html = client.get(reverse("common:edit", args=[activity.pk])).content.decode()
    assert '<option value="activity" selected' in html
    assert '<option value="sub_project"' in html
    assert '<option value="task"' not in html  # a task cannot hold the sub-activity


def test_quick_add_creates_a_child_and_returns_its_row(client, cast):
    activity = item("activity", "Workshop", organization=cast.office, assignees=[cast.staff])
    client.force_login(cast.staff)
    response = client.post(
        reverse("common:quick_add", args=[activity.pk]),
        {"title": "Print certificates", "work_type": "task"},
    )
    assert response.status_code == 200
    assert "Print certificates" in response.content.decode()
    assert activity.children.get().title == "Print certificates"


def test_quick_add_refuses_a_type_the_parent_cannot_hold(client, cast):
    task = item("task", "Task", organization=cast.office)
    client.force_login(cast.manager)
    response = client.post(
        reverse("common:quick_add", args=[task.pk]), {"title": "Oops", "work_type": "activity"}
    )
    assert response.status_code == 400
    assert not task.children.exists()


def test_a_day_range_chosen_on_the_calendar_prefills_the_new_item(client, cast):
    client.force_login(cast.manager)
    html = client.get(
        CREATE, {"type": "activity", "start_date": "2026-05-04", "due_date": "2026-05-06"}
    ).content.decode()
    assert 'value="2026-05-04"' in html
    assert 'value="2026-05-06"' in html


def test_a_repeat_rule_and_skipped_dates_can_be_set_on_the_form(client, cast):
    client.force_login(cast.manager)
    client.post(
        CREATE,
        form_data(
            work_type="activity",
            title="Monday huddle",
            start_date="2026-05-04",
            recurrence_rule="FREQ=WEEKLY;COUNT=4",
            recurrence_exdates="2026-05-11, 2026-05-18",
        ),
    )
    huddle = WorkItem.objects.get(title="Monday huddle")
    assert huddle.recurrence_exdates == ["2026-05-11", "2026-05-18"]
    assert huddle.recurrence_end == dt.date(2026, 5, 25)
    response = client.post(
        CREATE,
        form_data(
            work_type="activity",
            title="Broken",
            start_date="2026-05-04",
            recurrence_rule="FREQ=MINUTELY",
        ),
    )
    assert response.status_code == 400
    assert "daily, weekly, monthly or yearly" in response.content.decode()
