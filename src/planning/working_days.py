"""Reading organisations' working days for `common.working_days`, and seeding new ones.

`common` counts durations and lags in working days but may not import this app, so
`PlanningConfig.ready` registers `load` with `common.working_days.set_loader`. Two queries
answer any number of organisations: their working weeks and their non-working dates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from common.working_days import MONDAY_TO_FRIDAY, WorkingDays

from .holidays import seed_rows
from .models import NonWorkingDay, WorkingWeek


def load(organization_ids: Iterable[int]) -> dict[int, WorkingDays]:
    ids = list(organization_ids)
    weeks = {
        week.organization_id: week.weekdays
        for week in WorkingWeek.objects.filter(organization_id__in=ids)
    }
    closed: dict[int, set] = defaultdict(set)
    for org, day in NonWorkingDay.objects.filter(organization_id__in=ids).values_list(
        "organization_id", "date"
    ):
        closed[org].add(day)
    return {
        org: WorkingDays(weeks.get(org) or MONDAY_TO_FRIDAY, frozenset(closed[org])) for org in ids
    }


def seed_organization(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A new organisation starts with the shipped public holidays (editable afterwards)."""
    if created and not raw:
        NonWorkingDay.objects.bulk_create(
            seed_rows(instance.pk, NonWorkingDay), ignore_conflicts=True
        )


# --- writes (managers of the organisation; administrators of every one) ------------------------
def _check_manager(actor, organization_id: int) -> None:
    from django.core.exceptions import PermissionDenied

    from common import permissions

    if actor is not None and not permissions.manages(actor, organization_id):
        raise PermissionDenied("Only managers of the organisation may change its working days.")


def set_weekdays(actor, organization_id: int, weekdays: Iterable[int]) -> WorkingWeek:
    """Replace the organisation's working weekdays (0 = Monday … 6 = Sunday)."""
    from django.core.exceptions import ValidationError

    from .models import WEEKDAY_FIELDS

    _check_manager(actor, organization_id)
    days = set(weekdays)
    if not days or not days <= set(range(7)):
        raise ValidationError(
            {"weekdays": "Choose at least one weekday, numbered 0 (Monday) to 6."}
        )
    week, _ = WorkingWeek.objects.update_or_create(
        organization_id=organization_id,
        defaults={name: n in days for n, name in enumerate(WEEKDAY_FIELDS)},
    )
    return week


def add_non_working_day(actor, organization_id: int, day, name: str, kind: str) -> NonWorkingDay:
    """Add a holiday or closure; a date already closed is refused (edit or remove it instead)."""
    from django.core.exceptions import ValidationError

    _check_manager(actor, organization_id)
    row = NonWorkingDay(
        organization_id=organization_id, date=day, name=(name or "").strip(), kind=kind
    )
    row.full_clean(exclude=["organization"], validate_unique=False)
    if NonWorkingDay.objects.filter(organization_id=organization_id, date=day).exists():
        raise ValidationError({"date": "This date is already a non-working day."})
    row.save()
    return row


def remove_non_working_day(actor, row: NonWorkingDay) -> None:
    _check_manager(actor, row.organization_id)
    row.delete()
