"""Bad input is refused with a message on the field concerned, and nothing is saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from common.models import WorkItem
from common.services import update_work_item
from testing.builders import item


def errors_of(callable_, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        callable_(*args, **kwargs)
    return error.value.message_dict


def test_a_due_date_before_the_start_date_is_refused(cast):
    errors = errors_of(
        item,
        "task",
        organization=cast.office,
        start_date=dt.date(2026, 5, 2),
        due_date=dt.date(2026, 5, 1),
    )
    assert errors == {"due_date": ["The due date cannot be before the start date."]}
    assert not WorkItem.objects.exists()


def test_times_need_a_date(cast):
    errors = errors_of(item, "activity", organization=cast.office, start_time=dt.time(9))
    assert "start_time" in errors


def test_a_same_day_event_must_end_after_it_starts(cast):
    day = dt.date(2026, 5, 2)
    errors = errors_of(
        item,
        "activity",
        organization=cast.office,
        start_date=day,
        due_date=day,
        start_time=dt.time(14),
        end_time=dt.time(9),
    )
    assert "end_time" in errors


def test_a_multi_day_event_may_end_earlier_in_the_day(cast):
    event = item(
        "activity",
        organization=cast.office,
        start_date=dt.date(2026, 5, 2),
        due_date=dt.date(2026, 5, 4),
        start_time=dt.time(14),
        end_time=dt.time(9),
    )
    assert event.pk


def test_an_empty_title_is_refused(cast):
    assert "title" in errors_of(item, "task", title="", organization=cast.office)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("progress", 101),
        ("status", "done"),
        ("priority", "asap"),
        ("weight", 0),
        ("calendar_color", "blue"),
        ("allocated_budget", "lots"),
    ],
)
def test_out_of_range_values_are_refused_on_their_field(cast, field, value):
    task = item("task", organization=cast.office)
    assert field in errors_of(update_work_item, None, task, **{field: value})
    assert WorkItem.objects.get(pk=task.pk).version == 1


def test_fields_the_service_derives_cannot_be_set(cast):
    task = item("task", organization=cast.office)
    errors = errors_of(update_work_item, None, task, root_id=1, version=9)
    assert set(errors) == {"root_id", "version"}


def test_details_are_validated_for_the_type(cast):
    errors = errors_of(
        item,
        "activity",
        organization=cast.office,
        details={"venue": "Cotabato City Hall", "expected_participants": "many", "budget": 1},
    )
    messages = " ".join(errors["details"])
    assert "expected_participants: Enter a whole number." in messages
    assert "budget: not a detail of a activity" in messages


def test_details_are_normalised(cast):
    event = item(
        "activity",
        organization=cast.office,
        details={
            "venue": " Function Hall ",
            "expected_participants": "120",
            "is_virtual": "0",
            "virtual_link": "",
        },
    )
    assert event.details == {"venue": "Function Hall", "expected_participants": 120}
    project = item("project", organization=cast.office, details={"estimated_budget": "1,250,000"})
    assert project.details == {"estimated_budget": "1250000.00"}


def test_a_meeting_link_must_be_a_web_address(cast):
    errors = errors_of(
        item, "activity", organization=cast.office, details={"virtual_link": "javascript:alert(1)"}
    )
    assert "virtual_link" in " ".join(errors["details"])


def test_assignees_must_belong_to_the_items_organisation(cast):
    errors = errors_of(item, "task", organization=cast.office, assignees=[cast.partner_staff])
    assert "assignees" in errors
    errors = errors_of(item, "task", organization=cast.office, teams=[cast.partner_team])
    assert "teams" in errors
