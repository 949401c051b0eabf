"""Legacy recurrence patterns as RFC 5545 rules with the same dates.

The old pattern differs from RRULE in two ways that matter: a monthly day beyond the month's end
falls on the month's last day (RRULE would skip the month), and dates listed as exceptions do
not count towards `count` (RRULE counts them). So the rule is built with the clamping spelled
out (`BYMONTHDAY=28,29,30,31;BYSETPOS=-1`), the old semantics are expanded once to find the
series' real last day, and the rule ends there (`UNTIL`), with the exceptions as EXDATEs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.rrule import rrulestr

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: The old code capped series without `count` or `until_date` at this many occurrences.
LEGACY_CAP = 1000


def _base_rule(pattern: dict[str, Any], first: dt.date) -> str | None:
    kind = pattern["recurrence_type"]
    interval = max(int(pattern.get("interval") or 1), 1)
    parts = [f"INTERVAL={interval}"]
    if kind == "daily":
        parts.insert(0, "FREQ=DAILY")
    elif kind == "weekly":
        days = [d for d in pattern.get("by_weekday") or [] if isinstance(d, int) and 1 <= d <= 7]
        days = sorted(set(days)) or [first.isoweekday()]
        parts[:0] = ["FREQ=WEEKLY", "BYDAY=" + ",".join(WEEKDAYS[d - 1] for d in days)]
    elif kind == "monthly":
        day = pattern.get("by_monthday") or first.day
        day = min(max(int(day), 1), 31)
        if day <= 28:
            parts[:0] = ["FREQ=MONTHLY", f"BYMONTHDAY={day}"]
        else:
            candidates = ",".join(str(d) for d in range(28, day + 1))
            parts[:0] = ["FREQ=MONTHLY", f"BYMONTHDAY={candidates}", "BYSETPOS=-1"]
    elif kind == "yearly":
        parts.insert(0, "FREQ=YEARLY")
    else:
        return None
    return ";".join(parts)


def to_rule(pattern: dict[str, Any], first: dt.date) -> tuple[str, list[str], list[str]]:
    """Return (RRULE, exception dates, notes) for a pattern whose series starts on `first`."""
    notes: list[str] = []
    base = _base_rule(pattern, first)
    if base is None:
        return "", [], [f"unknown recurrence type “{pattern['recurrence_type']}” not carried"]
    exceptions = set()
    for value in pattern.get("exception_dates") or []:
        try:
            exceptions.add(dt.date.fromisoformat(str(value)[:10]))
        except ValueError:
            notes.append(f"exception date “{value}” is not a date; ignored")
    until = pattern.get("until_date")
    count = pattern.get("count")
    limit = count if count else (None if until else LEGACY_CAP)
    start = dt.datetime.combine(first, dt.time())
    rule = rrulestr("RRULE:" + base, dtstart=start)
    last = None
    seen = 0
    for occurrence in rule:
        day = occurrence.date()
        if until and day > until:
            break
        if day in exceptions:
            continue
        last = day
        seen += 1
        if limit and seen >= limit:
            break
    if last is None:
        return "", [], [*notes, "recurrence pattern yields no dates; not carried"]
    exdates = sorted(d.isoformat() for d in exceptions if first <= d <= last)
    return f"{base};UNTIL={last:%Y%m%d}", exdates, notes
