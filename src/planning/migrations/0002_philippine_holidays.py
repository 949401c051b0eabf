"""Every existing organisation gets the Philippines' regular holidays of 2026 and 2027."""

from datetime import date

from django.db import migrations

HOLIDAYS = (
    (date(2026, 1, 1), "New Year's Day"),
    (date(2026, 4, 2), "Maundy Thursday"),
    (date(2026, 4, 3), "Good Friday"),
    (date(2026, 4, 9), "Araw ng Kagitingan"),
    (date(2026, 5, 1), "Labor Day"),
    (date(2026, 6, 12), "Independence Day"),
    (date(2026, 8, 31), "National Heroes Day"),
    (date(2026, 11, 30), "Bonifacio Day"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 12, 30), "Rizal Day"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 3, 25), "Maundy Thursday"),
    (date(2027, 3, 26), "Good Friday"),
    (date(2027, 4, 9), "Araw ng Kagitingan"),
    (date(2027, 5, 1), "Labor Day"),
    (date(2027, 6, 12), "Independence Day"),
    (date(2027, 8, 30), "National Heroes Day"),
    (date(2027, 11, 30), "Bonifacio Day"),
    (date(2027, 12, 25), "Christmas Day"),
    (date(2027, 12, 30), "Rizal Day"),
)


def seed(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    NonWorkingDay = apps.get_model("planning", "NonWorkingDay")
    rows = [
        NonWorkingDay(organization_id=org, date=day, name=name, kind="holiday")
        for org in Organization.objects.values_list("pk", flat=True)
        for day, name in HOLIDAYS
    ]
    NonWorkingDay.objects.bulk_create(rows, ignore_conflicts=True)


def unseed(apps, schema_editor):
    NonWorkingDay = apps.get_model("planning", "NonWorkingDay")
    for day, name in HOLIDAYS:
        NonWorkingDay.objects.filter(date=day, name=name, kind="holiday").delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_working_days")]

    operations = [migrations.RunPython(seed, unseed)]
