"""Each organisation has its working week and non-working dates; lags count working days."""

from datetime import date, timedelta

import pytest

from accounts.models import Organization
from common import working_days
from common.working_days import WorkingDays
from planning.models import NonWorkingDay
from planning.tests.helpers import api

pytestmark = pytest.mark.django_db


def test_every_organisation_starts_with_the_philippine_regular_holidays(cast):
    office = working_days.for_organization(cast.office.pk)
    assert not office.is_working(date(2026, 12, 25))  # Christmas Day, a Friday
    assert not office.is_working(date(2027, 4, 9))  # Araw ng Kagitingan
    assert not office.is_working(date(2026, 4, 3))  # Good Friday
    assert office.is_working(date(2026, 12, 28))
    new = Organization.objects.create(name="Provincial office")
    assert date(2027, 6, 12) in working_days.for_organization(new.pk).closed


def test_a_lag_skips_weekends_and_holidays():
    calendar = WorkingDays(closed=frozenset({date(2026, 4, 2), date(2026, 4, 3)}))
    # Due Wednesday 1 April; the next working day is Monday 6 April (Thursday, Friday closed).
    assert calendar.first_start_after(date(2026, 4, 1), 0) == date(2026, 4, 6)
    assert calendar.first_start_after(date(2026, 4, 1), 2) == date(2026, 4, 8)
    assert calendar.duration(date(2026, 3, 30), date(2026, 4, 6)) == 4


def test_working_day_arithmetic_matches_counting_day_by_day():
    import random

    rng = random.Random(16)
    for _ in range(50):
        weekdays = frozenset(rng.sample(range(7), rng.randint(1, 7)))
        closed = frozenset(
            date(2026, 1, 1) + timedelta(days=rng.randint(0, 400)) for _ in range(20)
        )
        calendar = WorkingDays(weekdays, closed)
        day = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
        lag = rng.randint(0, 30)
        expected, left = day + timedelta(days=1), lag
        while not calendar.is_working(expected) or left:
            if calendar.is_working(expected):
                left -= 1
            expected += timedelta(days=1)
        assert calendar.first_start_after(day, lag) == expected


def test_a_manager_changes_the_working_week_and_adds_a_closure(cast):
    client = api(cast.manager)
    answer = client.put("/api/v1/working-days/", {"weekdays": [0, 1, 2, 3, 4, 5]}, format="json")
    assert answer.status_code == 200 and answer.json()["weekdays"] == [0, 1, 2, 3, 4, 5]
    answer = client.post(
        "/api/v1/working-days/non-working-days/",
        {"date": "2026-03-06", "name": "Office retreat", "kind": "closure"},
        format="json",
    )
    assert answer.status_code == 201
    calendar = working_days.for_organization(cast.office.pk)
    assert calendar.is_working(date(2026, 3, 7))  # a Saturday now works
    assert not calendar.is_working(date(2026, 3, 6))
    day = answer.json()["id"]
    assert client.delete(f"/api/v1/working-days/non-working-days/{day}/").status_code == 204
    assert working_days.for_organization(cast.office.pk).is_working(date(2026, 3, 6))


@pytest.mark.parametrize(
    "body",
    [
        {"weekdays": []},
        {"weekdays": [7]},
        {"weekdays": ["monday"]},
    ],
)
def test_a_bad_working_week_is_a_400(cast, body):
    answer = api(cast.manager).put("/api/v1/working-days/", body, format="json")
    assert answer.status_code == 400 and "weekdays" in answer.json()


def test_a_date_closed_twice_or_out_of_range_is_a_400(cast):
    client = api(cast.manager)
    url = "/api/v1/working-days/non-working-days/"
    twice = client.post(url, {"date": "2026-12-25", "name": "Again"}, format="json")
    assert twice.status_code == 400 and "date" in twice.json()
    far = client.post(url, {"date": "99999-01-01", "name": "Never"}, format="json")
    assert far.status_code == 400 and "date" in far.json()
    assert NonWorkingDay.objects.filter(name__in=["Again", "Never"]).count() == 0


def test_staff_and_the_partner_cannot_change_the_offices_working_days(cast):
    closed = NonWorkingDay.objects.filter(organization=cast.office).first()
    staff = api(cast.staff)
    assert staff.get("/api/v1/working-days/").status_code == 200
    assert staff.put("/api/v1/working-days/", {"weekdays": [0]}, format="json").status_code == 403
    partner = api(cast.partner_staff)
    other = partner.get(f"/api/v1/working-days/?organization={cast.office.pk}")
    assert other.status_code == 400
    gone = partner.delete(f"/api/v1/working-days/non-working-days/{closed.pk}/")
    assert gone.status_code == 404
    assert NonWorkingDay.objects.filter(pk=closed.pk).exists()
    assert working_days.for_organization(cast.office.pk).weekdays == frozenset(range(5))
