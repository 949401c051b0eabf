"""The ICS (RFC 5545) rendering of a subscription, built with the icalendar library.

One VEVENT per dated item with a stable UID, DTSTAMP, LAST-MODIFIED and a SEQUENCE taken from
the item's version; all-day items as DATE values with an exclusive DTEND; timed items with a
TZID (and the matching VTIMEZONE); repeating items as one VEVENT with RRULE and EXDATE, so the
calendar client expands them itself.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from common.models import Status, WorkType

from .feed import ancestor_titles, feed_items
from .params import FeedParams, office_zone

PRODID = "-//OBCMS Work//Work item calendar//EN"
COLUMNS = (
    "pk",
    "title",
    "description",
    "work_type",
    "status",
    "start_date",
    "due_date",
    "start_time",
    "end_time",
    "parent_id",
    "version",
    "recurrence_rule",
    "recurrence_exdates",
    "created_at",
    "updated_at",
)


def _bounds(row: dict) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    first = row["start_date"] or row["due_date"]
    last = row["due_date"] or row["start_date"]
    if row["start_time"] is None:
        return first, last + dt.timedelta(days=1)
    zone = office_zone()
    start = dt.datetime.combine(first, row["start_time"], zone)
    if row["end_time"] is not None:
        end = dt.datetime.combine(last, row["end_time"], zone)
    else:
        end = dt.datetime.combine(last, row["start_time"], zone) + dt.timedelta(hours=1)
    return start, end


def render(user, params: FeedParams, *, name: str, uid: str, host: str, base_url: str) -> bytes:
    rows = list(feed_items(user, params).order_by("pk").values(*COLUMNS))
    trails = ancestor_titles({r["parent_id"] for r in rows if r["parent_id"]})
    calendar = Calendar.new(
        name=name,
        prodid=PRODID,
        refresh_interval=dt.timedelta(hours=1),
        description="Work items from OBCMS Work",
    )
    stamp = timezone.now()
    for row in rows:
        start, end = _bounds(row)
        trail = " › ".join(trails.get(row["parent_id"], []))
        lines = [f"{WorkType(row['work_type']).label} · {Status(row['status']).label}"]
        if trail:
            lines.append(f"In: {trail}")
        if row["description"]:
            lines.append("")
            lines.append(row["description"])
        event = Event.new(
            uid=f"workitem-{row['pk']}@{host}",
            summary=row["title"],
            description="\n".join(lines),
            start=start,
            end=end,
            stamp=stamp,
            created=row["created_at"],
            last_modified=row["updated_at"],
            sequence=row["version"],
            url=f"{base_url}/oobc-management/work-items/{row['pk']}/",
            categories=[WorkType(row["work_type"]).label],
        )
        if row["status"] == Status.CANCELLED:
            event.add("status", "CANCELLED")
        if row["recurrence_rule"]:
            event.add("rrule", vRecur.from_ical(row["recurrence_rule"]))
            for day in row["recurrence_exdates"]:
                skipped = dt.date.fromisoformat(day)
                if isinstance(start, dt.datetime):
                    event.add("exdate", dt.datetime.combine(skipped, start.timetz()))
                else:
                    event.add("exdate", skipped)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
