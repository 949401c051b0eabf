"""The Philippines' regular holidays (Republic Act 9492 as amended), shipped as editable data.

Every organisation starts with these as non-working days; managers edit them like any closure.
Eid'l Fitr and Eid'l Adha are regular holidays too, but their dates are proclaimed each year
once the National Commission on Muslim Filipinos fixes them, so they are not guessed here:
managers add them when proclaimed. Maundy Thursday and Good Friday follow Easter
(5 April 2026, 28 March 2027); National Heroes Day is the last Monday of August.
"""

from __future__ import annotations

from datetime import date

PHILIPPINE_REGULAR_HOLIDAYS: tuple[tuple[date, str], ...] = (
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


def seed_rows(organization_id: int, model) -> list:
    """Unsaved non-working-day rows of these holidays for one organisation."""
    return [
        model(organization_id=organization_id, date=day, name=name, kind="holiday")
        for day, name in PHILIPPINE_REGULAR_HOLIDAYS
    ]
