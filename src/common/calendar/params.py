"""Query parameters of the calendar feeds, validated into one clean object.

FullCalendar sends `start` and `end` (exclusive) as ISO dates or datetimes with an offset and,
for a named zone, `timeZone`. Every bad value is answered with a 400 naming the parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import QueryDict

from common.models import Priority, Status, WorkType
from obcms.ids import is_id

MAX_DAYS = 400
SUBTYPES = {"project": "sub_project", "activity": "sub_activity", "task": "subtask"}
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class ParameterError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass
class FeedParams:
    start: dt.datetime
    end: dt.datetime
    zone: ZoneInfo
    types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    assignee: int | str | None = None
    team: int | None = None
    organisation: int | None = None
    q: str = ""
    include_completed: bool = True

    def cache_key(self) -> str:
        return repr(
            (
                self.start,
                self.end,
                str(self.zone),
                sorted(self.types),
                sorted(self.statuses),
                sorted(self.priorities),
                self.assignee,
                self.team,
                self.organisation,
                self.q,
                self.include_completed,
            )
        )


def office_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _zone(raw: str | None) -> ZoneInfo:
    if not raw or raw == "local":
        return office_zone()
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParameterError(
            "timeZone", f"“{raw}” is not a time zone (e.g. Asia/Manila, UTC)."
        ) from None


def _moment(name: str, raw: str | None, zone: ZoneInfo) -> dt.datetime:
    if not raw:
        raise ParameterError(name, f"“{name}” is required (an ISO date or date-time).")
    text = raw.strip().replace(" ", "+", 1) if "T" in raw and " " in raw else raw.strip()
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), zone)
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ParameterError(name, f"“{raw}” is not an ISO date or date-time.") from None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _choices(query: QueryDict, name: str, allowed: list[str]) -> list[str]:
    values = [v for raw in query.getlist(name) for v in raw.split(",") if v]
    for value in values:
        if value not in allowed:
            raise ParameterError(name, f"“{value}” is not one of: {', '.join(allowed)}.")
    return values


def _flag(query: QueryDict, name: str, default: bool) -> bool:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise ParameterError(name, f"“{raw}” is not a yes/no value (use 1 or 0).")


def _number(query: QueryDict, name: str) -> int | None:
    raw = query.get(name)
    if not raw:
        return None
    if not is_id(raw):
        raise ParameterError(name, f"“{raw}” is not an id.")
    return int(raw)


def _text(query: QueryDict, name: str) -> str:
    value = (query.get(name) or "").strip()[:200]
    if "\x00" in value:
        raise ParameterError(name, "Text may not contain NUL characters.")
    return value


def parse(query: QueryDict, *, require_window: bool = True) -> FeedParams:
    zone = _zone(query.get("timeZone"))
    if query.get("start") or query.get("end"):
        start = _moment("start", query.get("start"), zone)
        end = _moment("end", query.get("end"), zone)
    elif require_window:
        # No window given (e.g. a quick `curl` check): the current month in the office zone.
        today = dt.datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        start = today.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
    else:
        today = dt.datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        start, end = today - dt.timedelta(days=365), today + dt.timedelta(days=730)
    if end <= start:
        raise ParameterError("end", "“end” must be after “start”.")
    if not require_window and (end - start).days > 3 * 366:
        raise ParameterError("end", "The window may span at most three years.")
    if require_window and (end - start) > dt.timedelta(days=MAX_DAYS):
        raise ParameterError("end", f"The window may span at most {MAX_DAYS} days.")
    types = _choices(query, "type", WorkType.values)
    if _flag(query, "include_subtypes", False):
        types = sorted(set(types) | {SUBTYPES[t] for t in types if t in SUBTYPES})
    assignee_raw = query.get("assignee")
    if assignee_raw and assignee_raw != "me" and not is_id(assignee_raw):
        raise ParameterError("assignee", f"“{assignee_raw}” is not a person's number or “me”.")
    return FeedParams(
        start=start,
        end=end,
        zone=zone,
        types=types,
        statuses=_choices(query, "status", Status.values),
        priorities=_choices(query, "priority", Priority.values),
        assignee=(assignee_raw if assignee_raw == "me" else int(assignee_raw))
        if assignee_raw
        else None,
        team=_number(query, "team"),
        organisation=_number(query, "organisation") or _number(query, "organization"),
        q=_text(query, "q"),
        include_completed=_flag(query, "include_completed", True),
    )
