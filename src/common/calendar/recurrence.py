"""Repeating work items: RFC 5545 RRULEs, expanded with python-dateutil.

A rule repeats the item's whole span (start date to due date, with its times): each occurrence
starts on a date the rule produces and lasts as long as the original. Dates listed as exceptions
(EXDATE) are skipped. Only day-based frequencies are accepted; an office calendar has no use
for events every few minutes, and they could make a feed explode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.core.exceptions import ValidationError

ALLOWED_FREQUENCIES = {DAILY, WEEKLY, MONTHLY, YEARLY}
MAX_COUNT = 1000
#: Occurrences a series bounded by UNTIL may have (e.g. daily for about 27 years).
MAX_SERIES = 10000
#: Occurrences expanded for one item in one feed window, at most.
MAX_PER_WINDOW = 400
UNREADABLE = (
    "Not a valid repeat rule: the calendar does not understand “{rule}”. Write it like "
    "FREQ=WEEKLY;BYDAY=MO (every Monday), FREQ=DAILY;COUNT=5 (five days in a row) or "
    "FREQ=MONTHLY;UNTIL=20271231 (monthly until the end of 2027)."
)


def parse_rule(rule: str, first_day: dt.date) -> rrule:
    """Parse an RRULE (with or without the `RRULE:` prefix); ValidationError when unusable."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text:
        raise ValidationError({"recurrence_rule": "Enter a rule, e.g. FREQ=WEEKLY;BYDAY=MO."})
    try:
        parsed = rrulestr(
            "RRULE:" + text, dtstart=dt.datetime.combine(first_day, dt.time()), forceset=False
        )
    except (ValueError, TypeError):
        # dateutil's own text ("not enough values to unpack …") means nothing to people.
        raise ValidationError({"recurrence_rule": UNREADABLE.format(rule=rule.strip())}) from None
    if not isinstance(parsed, rrule) or parsed._freq not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            {"recurrence_rule": "Repeat daily, weekly, monthly or yearly (FREQ=DAILY…YEARLY)."}
        )
    if parsed._count is not None and parsed._count > MAX_COUNT:
        raise ValidationError({"recurrence_rule": f"At most {MAX_COUNT} repeats (COUNT)."})
    return parsed


def normalise_rule(rule: str) -> str:
    text = rule.strip()
    return text[6:] if text.upper().startswith("RRULE:") else text


def clean_exdates(values: Iterable | None) -> list[str]:
    """Exception dates as sorted, unique ISO strings; ValidationError for anything else."""
    if values in (None, ""):
        return []
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    cleaned = set()
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        try:
            cleaned.add(dt.date.fromisoformat(text[:10]).isoformat())
        except ValueError:
            raise ValidationError(
                {"recurrence_exdates": f"“{text}” is not a date (YYYY-MM-DD)."}
            ) from None
    return sorted(cleaned)


def last_day(rule: str, first_day: dt.date, span_days: int) -> dt.date | None:
    """The last day any occurrence covers, or None for an endless series."""
    parsed = parse_rule(rule, first_day)
    if parsed._count is None and parsed._until is None:
        return None
    last = None
    for index, moment in enumerate(parsed):
        if index >= MAX_SERIES:
            raise ValidationError(
                {"recurrence_rule": f"The series would repeat more than {MAX_SERIES} times."}
            )
        last = moment
    return (last.date() if last else first_day) + dt.timedelta(days=span_days)


def occurrence_days(
    rule: str,
    first_day: dt.date,
    exdates: Iterable[str],
    window_first: dt.date,
    window_last: dt.date,
    span_days: int,
) -> list[dt.date]:
    """Start days of occurrences whose span touches [window_first, window_last]."""
    parsed = parse_rule(rule, first_day)
    skip = {dt.date.fromisoformat(d) for d in exdates}
    after = dt.datetime.combine(window_first - dt.timedelta(days=span_days), dt.time())
    before = dt.datetime.combine(window_last, dt.time())
    days: list[dt.date] = []
    for moment in parsed.xafter(after, inc=True):
        if moment > before or len(days) >= MAX_PER_WINDOW:
            break
        day = moment.date()
        if day not in skip:
            days.append(day)
    return days
