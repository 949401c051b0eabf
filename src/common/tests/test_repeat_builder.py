"""The repeat builder: rules read into choices and written back, in words, checked on the server."""

import datetime as dt

import pytest
from django.urls import reverse

from common.calendar.rule_builder import (
    RepeatParts,
    describe,
    parts_from_rule,
    rule_from_parts,
)
from common.models import WorkItem
from common.services import update_work_item
from testing.builders import item

CREATE = "/oobc-management/work-items/new/"

ROUND_TRIPS = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3;COUNT=10",
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6",
    "FREQ=WEEKLY;BYDAY=TU,TH,SA;UNTIL=20271231",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU",
    "FREQ=MONTHLY;BYDAY=-1FR;COUNT=12",
    "FREQ=YEARLY;INTERVAL=2",
]


@pytest.mark.parametrize("rule", ROUND_TRIPS)
def test_a_rule_read_into_the_builder_is_written_back_unchanged(rule):
    parts = parts_from_rule(rule)
    assert parts is not None
    assert rule_from_parts(parts) == rule


def test_the_builder_reads_rules_written_in_other_spellings_into_its_canonical_form():
    parts = parts_from_rule("RRULE:freq=weekly;byday=we,mo;interval=1;until=20271231T000000Z")
    assert parts == RepeatParts(
        freq="weekly", weekdays=["MO", "WE"], ends="on", until=dt.date(2027, 12, 31)
    )
    assert rule_from_parts(parts) == "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20271231"


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",  # the last weekday of the month
        "FREQ=WEEKLY;BYDAY=MO;WKST=SU",
        "FREQ=MONTHLY;BYDAY=5MO",
        "FREQ=DAILY;BYDAY=MO",
        "FREQ=DAILY;COUNT=3;UNTIL=20271231",
        "FREQ=HOURLY",
        "every monday",
    ],
)
def test_rules_the_builder_cannot_show_are_left_to_the_expert_field(rule):
    assert parts_from_rule(rule) is None
    assert describe(rule).startswith("By the rule ")


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("", "Does not repeat"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6", "Every 2 weeks on Mon and Wed, 6 times"),
        ("FREQ=DAILY;COUNT=1", "Every day, once"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "Every week on Mon, Wed and Fri"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday"),
        (
            "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231",
            "Every month on the second Tuesday, until Dec 31, 2027",
        ),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "Every 3 months on day 15"),
        ("FREQ=YEARLY", "Every year"),
    ],
)
def test_a_rule_reads_as_a_sentence(rule, words):
    assert describe(rule) == words


def builder(**choices):
    """The builder's fields as the form posts them (defaults of an untouched builder)."""
    data = {
        "repeat-freq": "none",
        "repeat-interval": "1",
        "repeat-monthly_by": "day",
        "repeat-nth": "1",
        "repeat-nth_weekday": "MO",
        "repeat-ends": "never",
        "repeat-shown": "",
    }
    data.update({f"repeat-{k}": v for k, v in choices.items()})
    return data


def form_data(**overrides):
    data = {
        "work_type": "activity",
        "title": "Coordination meeting",
        "status": "not_started",
        "priority": "medium",
        "progress_mode": "auto",
        "progress": "0",
        "weight": "1",
        "start_date": "2026-12-07",
        "is_calendar_visible": "on",
        "recurrence_rule": "",
    }
    data.update(overrides)
    return data


def test_the_builders_choices_are_saved_as_the_rule(client, cast):
    client.force_login(cast.manager)
    choices = builder(freq="weekly", interval="2", weekdays=["MO", "WE"], ends="after", count="6")
    response = client.post(CREATE, {**form_data(), **choices})
    assert response.status_code == 302
    saved = WorkItem.objects.get(title="Coordination meeting")
    assert saved.recurrence_rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"
    detail = client.get(response["Location"]).content.decode()
    assert "Every 2 weeks on Mon and Wed, 6 times" in detail


def test_monthly_on_the_nth_weekday_until_a_date(client, cast):
    client.force_login(cast.manager)
    choices = builder(
        freq="monthly",
        monthly_by="weekday",
        nth="-1",
        nth_weekday="FR",
        ends="on",
        until="2027-06-30",
    )
    assert client.post(CREATE, {**form_data(), **choices}).status_code == 302
    saved = WorkItem.objects.get(title="Coordination meeting")
    assert saved.recurrence_rule == "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270630"
    assert saved.recurrence_end == dt.date(2027, 6, 25)


def test_an_unfinished_ending_is_a_sentence_on_its_field_not_a_save(client, cast):
    client.force_login(cast.manager)
    response = client.post(CREATE, {**form_data(), **builder(freq="daily", ends="after")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter how many times it happens, or choose “Never”." in html
    assert "Check the repeat settings" in html
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"freq": "daily", "interval": "0"}, "Repeat at least every 1."),
        ({"freq": "weekly", "interval": "x"}, "Enter how often as a whole number, e.g. 2."),
        ({"freq": "daily", "ends": "after", "count": "5000"}, "At most 1000 times."),
        ({"freq": "monthly", "month_day": "32"}, "Choose a day from 1 to 31."),
        ({"freq": "daily", "ends": "on", "until": "soon"}, "Enter the last date as YYYY-MM-DD."),
        ({"freq": "fortnightly"}, "Select a valid choice."),
    ],
)
def test_bad_builder_input_is_refused_with_a_sentence(client, cast, choices, message):
    client.force_login(cast.manager)
    response = client.post(CREATE, {**form_data(), **builder(**choices)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_rule_typed_by_an_expert_wins_over_the_untouched_builder(client, cast):
    client.force_login(cast.manager)
    data = {**form_data(recurrence_rule="FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1"), **builder()}
    assert client.post(CREATE, data).status_code == 302
    saved = WorkItem.objects.get(title="Coordination meeting")
    assert saved.recurrence_rule == "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1"


def test_a_bad_expert_rule_is_still_checked_on_the_server(client, cast):
    client.force_login(cast.manager)
    data = {**form_data(recurrence_rule="every monday"), **builder(freq="custom")}
    response = client.post(CREATE, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "does not understand “every monday”" in html
    assert "unpack" not in html


def test_choosing_does_not_repeat_clears_a_stored_rule(client, cast):
    meeting = item(
        "activity",
        organization=cast.office,
        start_date=dt.date(2026, 12, 7),
        recurrence_rule="FREQ=DAILY",
    )
    client.force_login(cast.manager)
    url = reverse("common:edit", args=[meeting.pk])
    data = {**form_data(recurrence_rule="FREQ=DAILY"), **builder(freq="none", shown="FREQ=DAILY")}
    assert client.post(url, data).status_code == 302
    assert WorkItem.objects.get(pk=meeting.pk).recurrence_rule == ""


def test_the_edit_page_reads_the_stored_rule_back_into_the_builder(client, cast):
    meeting = item(
        "activity",
        organization=cast.office,
        start_date=dt.date(2026, 12, 7),
        recurrence_rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6",
    )
    client.force_login(cast.manager)
    html = client.get(reverse("common:edit", args=[meeting.pk])).content.decode()
    assert '<option value="weekly" selected>' in html
    assert 'name="repeat-interval" value="2"' in html
    assert 'id="id_repeat-weekdays_0" checked' in html  # Monday
    assert 'id="id_repeat-weekdays_2" checked' in html  # Wednesday
    assert 'id="id_repeat-weekdays_1" checked' not in html
    assert 'name="repeat-count" value="6"' in html
    assert "Every 2 weeks on Mon and Wed, 6 times" in html


def test_a_form_without_the_builder_saves_the_rule_as_sent(client, cast):
    """Scripts and older pages post only `recurrence_rule`: it is saved as before."""
    client.force_login(cast.manager)
    assert client.post(CREATE, form_data(recurrence_rule="FREQ=DAILY;COUNT=5")).status_code == 302
    assert (
        WorkItem.objects.get(title="Coordination meeting").recurrence_rule == "FREQ=DAILY;COUNT=5"
    )


def test_after_a_conflict_the_builder_shows_their_newer_rule(client, cast):
    meeting = item(
        "activity",
        "Coordination meeting",
        organization=cast.office,
        start_date=dt.date(2026, 12, 7),
        recurrence_rule="FREQ=DAILY",
    )
    update_work_item(
        cast.administrator, meeting, title="Weekly sync", recurrence_rule="FREQ=WEEKLY"
    )
    client.force_login(cast.manager)
    url = reverse("common:edit", args=[meeting.pk])
    seen = {"initial-title": "Coordination meeting", "initial-recurrence_rule": "FREQ=DAILY"}
    data = {
        **form_data(title="Daily stand-up", recurrence_rule="FREQ=DAILY", expected_version="1"),
        **builder(freq="daily", shown="FREQ=DAILY"),
        **seen,
    }
    response = client.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert '<option value="weekly" selected>' in html
    assert 'name="repeat-shown" value="FREQ=WEEKLY"' in html
    assert "Every week" in html


def test_the_calendar_panel_says_the_repeat_in_words(client, cast):
    meeting = item(
        "activity",
        organization=cast.office,
        start_date=dt.date(2026, 12, 7),
        recurrence_rule="FREQ=MONTHLY;BYDAY=2TU",
    )
    client.force_login(cast.staff)
    html = client.get(reverse("calendar:panel", args=[meeting.pk])).content.decode()
    assert "Every month on the second Tuesday" in html
    assert "BYDAY=2TU" not in html
