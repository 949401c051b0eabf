"""Repeat rules as people think of them, and back: the model behind the form's repeat builder.

Most people never want to write `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6`; they want "every 2
weeks on Monday and Wednesday, 6 times". `RepeatParts` holds that second shape; `parts_from_rule`
reads a stored rule into it (None when the rule says more than the builder can show, so the
form keeps the rule as written), `rule_from_parts` writes the canonical RRULE the service
stores, and `describe` puts either into words for the detail page and the form.

`src/static/js/repeat.js` mirrors these three functions so the form can follow each click; the
server stays the judge (the rule is parsed and bounded by `recurrence.parse_rule` on every save).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .recurrence import normalise_rule

FREQUENCIES = ("daily", "weekly", "monthly", "yearly")
UNITS = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = {
    "MO": ("Mon", "Monday"),
    "TU": ("Tue", "Tuesday"),
    "WE": ("Wed", "Wednesday"),
    "TH": ("Thu", "Thursday"),
    "FR": ("Fri", "Friday"),
    "SA": ("Sat", "Saturday"),
    "SU": ("Sun", "Sunday"),
}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
ENDINGS = ("never", "on", "after")


@dataclass
class RepeatParts:
    """One repeat rule in the builder's terms; every field has a value the form can show."""

    freq: str = "weekly"
    interval: int = 1
    weekdays: list[str] = field(default_factory=list)
    monthly_by: str = "day"  # "day" (day N of the month) or "weekday" (the nth weekday)
    month_day: int | None = None  # None: the start date's day of the month
    nth: int = 1
    nth_weekday: str = "MO"
    ends: str = "never"
    until: dt.date | None = None
    count: int | None = None


def _pairs(rule: str) -> dict[str, str] | None:
    """`KEY=VALUE;…` as a dict (keys upper-cased); None for anything malformed or repeated."""
    pairs: dict[str, str] = {}
    for chunk in normalise_rule(rule).split(";"):
        if not chunk.strip():
            continue
        key, sep, value = chunk.partition("=")
        key, value = key.strip().upper(), value.strip().upper()
        if not sep or not value or key in pairs:
            return None
        pairs[key] = value
    return pairs


def _positive(text: str) -> int | None:
    return int(text) if text.isdigit() and int(text) > 0 else None


def _until_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text[:8], "%Y%m%d").date()
    except ValueError:
        return None


def parts_from_rule(rule: str) -> RepeatParts | None:
    """The builder's view of `rule`, or None when the builder cannot show all of it."""
    pairs = _pairs(rule)
    if not pairs:
        return None
    freq = pairs.pop("FREQ", "").lower()
    if freq not in FREQUENCIES:
        return None
    parts = RepeatParts(freq=freq)
    if "INTERVAL" in pairs:
        interval = _positive(pairs.pop("INTERVAL"))
        if interval is None:
            return None
        parts.interval = interval
    if "COUNT" in pairs and "UNTIL" in pairs:
        return None
    if "COUNT" in pairs:
        parts.ends, parts.count = "after", _positive(pairs.pop("COUNT"))
        if parts.count is None:
            return None
    if "UNTIL" in pairs:
        parts.ends, parts.until = "on", _until_date(pairs.pop("UNTIL"))
        if parts.until is None:
            return None
    byday = pairs.pop("BYDAY", None)
    bymonthday = pairs.pop("BYMONTHDAY", None)
    if pairs:  # BYSETPOS, WKST, BYMONTH …: more than the builder shows
        return None
    if freq == "weekly" and bymonthday is None:
        days = byday.split(",") if byday else []
        if any(day not in WEEKDAYS for day in days) or len(set(days)) != len(days):
            return None
        parts.weekdays = [day for day in WEEKDAYS if day in days]
        return parts
    if freq == "monthly" and not (byday and bymonthday):
        return _monthly(parts, byday, bymonthday)
    if byday or bymonthday:
        return None
    return parts


def _monthly(parts: RepeatParts, byday: str | None, bymonthday: str | None) -> RepeatParts | None:
    if bymonthday is not None:
        day = _positive(bymonthday)
        if day is None or day > 31:
            return None
        parts.month_day = day
        return parts
    if byday is not None:
        nth, weekday = byday[:-2], byday[-2:]
        if weekday not in WEEKDAYS or nth.lstrip("+") not in {"1", "2", "3", "4", "-1"}:
            return None
        parts.monthly_by, parts.nth, parts.nth_weekday = "weekday", int(nth), weekday
    return parts


def rule_from_parts(parts: RepeatParts) -> str:
    """The canonical RRULE for `parts` (INTERVAL=1 left out, weekdays in week order)."""
    pieces = [f"FREQ={parts.freq.upper()}"]
    if parts.interval > 1:
        pieces.append(f"INTERVAL={parts.interval}")
    if parts.freq == "weekly" and parts.weekdays:
        pieces.append("BYDAY=" + ",".join(d for d in WEEKDAYS if d in parts.weekdays))
    if parts.freq == "monthly":
        if parts.monthly_by == "weekday":
            pieces.append(f"BYDAY={parts.nth}{parts.nth_weekday}")
        elif parts.month_day:
            pieces.append(f"BYMONTHDAY={parts.month_day}")
    if parts.ends == "after" and parts.count:
        pieces.append(f"COUNT={parts.count}")
    elif parts.ends == "on" and parts.until:
        pieces.append(f"UNTIL={parts.until:%Y%m%d}")
    return ";".join(pieces)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe_parts(parts: RepeatParts) -> str:
    """'Every 2 weeks on Mon and Wed, 6 times' — the sentence the form and detail page show."""
    unit = UNITS[parts.freq]
    text = f"Every {unit}" if parts.interval == 1 else f"Every {parts.interval} {unit}s"
    if parts.freq == "weekly" and parts.weekdays:
        text += " on " + _and([WEEKDAY_NAMES[d][0] for d in WEEKDAYS if d in parts.weekdays])
    elif parts.freq == "monthly" and parts.monthly_by == "weekday":
        text += f" on the {ORDINALS[parts.nth]} {WEEKDAY_NAMES[parts.nth_weekday][1]}"
    elif parts.freq == "monthly" and parts.month_day:
        text += f" on day {parts.month_day}"
    if parts.ends == "after" and parts.count:
        text += ", once" if parts.count == 1 else f", {parts.count} times"
    elif parts.ends == "on" and parts.until:
        text += f", until {parts.until:%b} {parts.until.day}, {parts.until.year}"
    return text


def describe(rule: str) -> str:
    """A stored rule in words; a rule the builder cannot show is quoted as written."""
    if not (rule or "").strip():
        return "Does not repeat"
    parts = parts_from_rule(rule)
    return describe_parts(parts) if parts else f"By the rule {normalise_rule(rule)}"
