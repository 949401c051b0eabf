"""Adoption and satisfaction: use and feedback week by week, for administrators only, with
numbers that match a count of the raw rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collaboration.services import post_comment
from common.services import update_work_item
from operations.models import Feedback
from testing.builders import item

pytestmark = pytest.mark.django_db
URL = "/oobc-management/dashboard/adoption/"


def this_week(answer, chart: str, series: str):
    data = answer.context["charts"]
    found = next(c for c in data if c.name == chart)
    values = next(s.values for s in found.series if s.name == series)
    return values[-1]


def test_only_administrators_see_it(client, cast):
    for person in (cast.manager, cast.staff, cast.viewer, cast.partner_staff):
        client.force_login(person)
        assert client.get(URL).status_code == 403
    client.force_login(cast.administrator)
    assert client.get(URL).status_code == 200


def test_this_weeks_use_matches_the_raw_rows(client, cast):
    task = item("task", "Book the hall", organization=cast.office, actor=cast.manager)
    update_work_item(cast.manager, task, title="Book the big hall")
    post_comment(cast.staff, task, "Booked.")
    item("task", "Partner work", organization=cast.partner, actor=cast.partner_staff)
    client.force_login(cast.administrator)
    answer = client.get(URL, {"organization": cast.office.pk})
    assert this_week(answer, "activity", "Items created") == 1
    assert this_week(answer, "activity", "Items changed") == 1
    # marco changed items, sofia commented: two active people (the partner's is elsewhere)
    assert this_week(answer, "activity", "Active people") == 2


def test_feedback_volume_rating_and_subjects(client, cast):
    for person, rating, category, words in (
        (cast.staff, 5, "calendar", "The calendar is clear"),
        (cast.viewer, 2, "speed", "Slow on my phone"),
        (cast.partner_staff, 1, "speed", "Partner's words"),
    ):
        Feedback.objects.create(user=person, rating=rating, category=category, comment=words)
    client.force_login(cast.administrator)
    answer = client.get(URL, {"organization": cast.office.pk})
    assert this_week(answer, "satisfaction", "Feedback given") == 2
    assert this_week(answer, "satisfaction", "Average rating") == 3.5
    html = answer.content.decode()
    assert "Slow on my phone" in html and "Partner&#x27;s words" not in html
    assert "Partner's words" not in html
    csv = client.get(URL, {"organization": cast.office.pk, "csv": "categories"}).content.decode()
    assert "Speed,1,1,2" in csv.replace(".0", "")


def test_the_feedback_form_asks_for_a_subject(client, cast):
    client.force_login(cast.staff)
    client.post("/feedback/", {"rating": "4", "category": "idea", "comment": "Add a map"})
    assert Feedback.objects.get().category == "idea"
    bad = client.post("/feedback/", {"rating": "4", "category": "nonsense"})
    assert bad.status_code == 400


def test_the_page_costs_the_same_queries_for_little_and_much_use(client, cast):
    client.force_login(cast.administrator)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(30):
        task = item("task", f"Task {n}", organization=cast.office, actor=cast.manager)
        post_comment(cast.staff, task, "Noted")
        Feedback.objects.create(user=cast.staff, rating=1 + n % 5, comment=f"n{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_weeks_start_on_monday_and_end_this_week():
    from insights.adoption import week_starts

    weeks = week_starts(dt.date(2026, 11, 28))
    assert weeks[-1] == dt.date(2026, 11, 23) and len(weeks) == 12
    assert all(w.weekday() == 0 for w in weeks)
    assert timezone.localdate()  # the page itself uses the office's today
