"""Managers keep the working week, holidays and closures on a page of their own."""

from datetime import date

import pytest

from common import working_days
from planning.models import NonWorkingDay

pytestmark = pytest.mark.django_db

URL = "/oobc-management/working-days/"


def test_a_manager_adds_a_closure_and_makes_saturday_a_working_day(client, cast):
    client.force_login(cast.manager)
    page = client.get(URL)
    assert page.status_code == 200 and b"Christmas Day" in page.content
    added = client.post(URL, {"date": "2026-03-06", "name": "Office retreat", "kind": "closure"})
    assert added.status_code == 302
    week = client.post(URL, {"weekdays-form": "1", "weekdays": ["0", "1", "2", "3", "4", "5"]})
    assert week.status_code == 302
    calendar = working_days.for_organization(cast.office.pk)
    assert not calendar.is_working(date(2026, 3, 6)) and calendar.is_working(date(2026, 3, 7))
    assert "Office retreat" in client.get(URL).content.decode()


def test_a_manager_removes_a_holiday(client, cast):
    client.force_login(cast.manager)
    christmas = NonWorkingDay.objects.get(organization=cast.office, date=date(2026, 12, 25))
    assert client.post(f"{URL}{christmas.pk}/remove/").status_code == 302
    assert working_days.for_organization(cast.office.pk).is_working(date(2026, 12, 25))


@pytest.mark.parametrize(
    "data",
    [
        {"date": "not-a-date", "name": "Retreat"},
        {"date": "2026-12-25", "name": "Twice"},
        {"date": "2026-03-06", "name": ""},
        {"weekdays-form": "1"},
        {"weekdays-form": "1", "weekdays": ["9"]},
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(client, cast, data):
    client.force_login(cast.manager)
    before = list(NonWorkingDay.objects.values_list("pk", "date", "name"))
    assert client.post(URL, data).status_code == 400
    assert list(NonWorkingDay.objects.values_list("pk", "date", "name")) == before
    assert working_days.for_organization(cast.office.pk).weekdays == frozenset(range(5))


def test_staff_read_the_calendar_but_cannot_change_it(client, cast):
    client.force_login(cast.staff)
    page = client.get(URL)
    assert page.status_code == 200 and b"Add the day" not in page.content
    refused = client.post(URL, {"date": "2026-03-06", "name": "Retreat", "kind": "closure"})
    assert refused.status_code == 403
    christmas = NonWorkingDay.objects.get(organization=cast.office, date=date(2026, 12, 25))
    assert client.post(f"{URL}{christmas.pk}/remove/").status_code == 403
    assert NonWorkingDay.objects.filter(pk=christmas.pk).exists()


def test_the_partner_never_sees_or_changes_the_offices_days(client, cast):
    client.force_login(cast.partner_staff)
    assert client.get(f"{URL}?organization={cast.office.pk}").status_code == 404
    christmas = NonWorkingDay.objects.get(organization=cast.office, date=date(2026, 12, 25))
    assert client.post(f"{URL}{christmas.pk}/remove/").status_code == 404
    assert NonWorkingDay.objects.filter(pk=christmas.pk).exists()
