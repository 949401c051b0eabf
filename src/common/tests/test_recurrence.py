"""Repeat rules are validated when saved and expanded by a real RRULE library."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from common.calendar.recurrence import occurrence_days
from testing.builders import item


def test_a_series_end_is_derived_from_count_or_until(cast):
    counted = item(
        "task",
        "Counted",
        organization=cast.office,
        start_date=dt.date(2026, 1, 5),
        recurrence_rule="FREQ=WEEKLY;COUNT=3",
    )
    assert counted.recurrence_end == dt.date(2026, 1, 19)
    endless = item(
        "task",
        "Endless",
        organization=cast.office,
        start_date=dt.date(2026, 1, 5),
        recurrence_rule="RRULE:FREQ=MONTHLY",
    )
    assert endless.recurrence_rule == "FREQ=MONTHLY"
    assert endless.recurrence_end is None


@pytest.mark.parametrize(
    ("rule", "start", "message"),
    [
        ("FREQ=WEEKLY", None, "needs a start date"),
        ("FREQ=HOURLY", dt.date(2026, 1, 5), "daily, weekly, monthly or yearly"),
        ("FREQ=WEEKLY;BYDAY=XX", dt.date(2026, 1, 5), "Not a valid repeat rule"),
        ("FREQ=DAILY;COUNT=5000", dt.date(2026, 1, 5), "At most 1000"),
    ],
)
def test_unusable_rules_are_refused_with_a_reason(cast, rule, start, message):
    with pytest.raises(ValidationError) as error:
        item("task", organization=cast.office, start_date=start, recurrence_rule=rule)
    assert message in " ".join(error.value.message_dict["recurrence_rule"])


def test_exception_dates_must_be_dates(cast):
    with pytest.raises(ValidationError) as error:
        item(
            "task",
            organization=cast.office,
            start_date=dt.date(2026, 1, 5),
            recurrence_rule="FREQ=DAILY",
            recurrence_exdates=["next tuesday"],
        )
    assert "recurrence_exdates" in error.value.message_dict


def test_multi_day_occurrences_that_straddle_the_window_start_are_included():
    days = occurrence_days(
        "FREQ=WEEKLY",
        dt.date(2026, 4, 27),
        [],
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 10),
        span_days=4,
    )
    assert days == [dt.date(2026, 4, 27), dt.date(2026, 5, 4)]
