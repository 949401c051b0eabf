"""Working-day arithmetic: which days count, and counting them fast.

Durations and dependency lags are counted in working days of the item's organisation. The
organisation's week and its non-working dates are stored by the planning app; `common` must not
import it, so the planning app registers a loader here at start-up (`set_loader`). Without one
(a bare `common`), every organisation works Monday to Friday with no holidays.

Counting is O(log holidays) per call, not a day-by-day walk, so a 2,000-item critical path or
push costs no more than reading the rows: a date's *index* is the number of working days before
it since a fixed epoch, and a span in working days is a difference of two indexes.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

#: Monday = 0 … Sunday = 6, as `date.weekday()`.
MONDAY_TO_FRIDAY = frozenset(range(5))
_EPOCH = date(1970, 1, 5)  # a Monday, so whole weeks line up with weekday numbers


@dataclass(frozen=True)
class WorkingDays:
    """An organisation's working weekdays and the dates it does not work."""

    weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    closed: frozenset[date] = frozenset()
    _closed_sorted: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _prefix: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise ValueError("At least one weekday must be a working day.")
        # Only closures on working weekdays change any count.
        ordinals = sorted(d.toordinal() for d in self.closed if d.weekday() in self.weekdays)
        object.__setattr__(self, "_closed_sorted", tuple(ordinals))
        prefix = [0]
        for day in range(7):
            prefix.append(prefix[-1] + (day in self.weekdays))
        object.__setattr__(self, "_prefix", tuple(prefix))

    def is_working(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.closed

    def index(self, day: date) -> int:
        """How many working days lie in [epoch, day) — differences of indexes count spans."""
        offset = day.toordinal() - _EPOCH.toordinal()
        weeks, rest = divmod(offset, 7)
        raw = weeks * self._prefix[7] + self._prefix[rest]
        closed = self._closed_sorted
        closed_before = bisect.bisect_left(closed, day.toordinal()) - bisect.bisect_left(
            closed, _EPOCH.toordinal()
        )
        return raw - closed_before

    def on_or_after(self, day: date) -> date:
        """The first working day on or after `day`."""
        for _ in range(400):
            if self.is_working(day):
                return day
            day += timedelta(days=1)
        raise ValueError("No working day within a year; check the working week and closures.")

    def on_or_before(self, day: date) -> date:
        for _ in range(400):
            if self.is_working(day):
                return day
            day -= timedelta(days=1)
        raise ValueError("No working day within a year; check the working week and closures.")

    def at_index(self, index: int) -> date:
        """The working day whose index is `index` (inverse of `index` on working days)."""
        per_week = self._prefix[7]
        weeks = index // per_week
        guess = _EPOCH + timedelta(days=weeks * 7)
        guess = self.on_or_after(guess)
        # Walk forward by whole estimates until the count is reached; closures only add days.
        for _ in range(10_000):
            missing = index - self.index(guess)
            if missing <= 0:
                break
            guess = self.on_or_after(guess + timedelta(days=max(1, missing * 7 // per_week)))
        while self.index(guess) > index:
            guess = self.on_or_before(guess - timedelta(days=1))
        return guess

    def add(self, day: date, working_days: int) -> date:
        """The working day `working_days` working days after `day` (0: `day` itself if working,
        else the next working day)."""
        start = self.on_or_after(day)
        return self.at_index(self.index(start) + working_days)

    def first_start_after(self, predecessor_due: date, lag: int) -> date:
        """Earliest start of a follower: the first working day after `predecessor_due`, plus lag."""
        return self.at_index(self.index(predecessor_due + timedelta(days=1)) + lag)

    def earliest_after(self, predecessor: tuple[date | None, date | None], lag: int) -> date | None:
        """Earliest start of a follower of an item with these (start, due) dates; None when the
        predecessor has no date (then it holds nobody back). A one-date item ends on that date."""
        end = predecessor[1] or predecessor[0]
        return None if end is None else self.first_start_after(end, lag)

    def duration(self, start: date, due: date) -> int:
        """Working days from `start` to `due`, both included (at least 1: a one-day item)."""
        return max(1, self.index(due + timedelta(days=1)) - self.index(start))

    def between(self, start: date, end: date) -> Iterable[date]:
        """The non-working days in [start, end] (for shading timelines and calendars)."""
        day = start
        while day <= end:
            if not self.is_working(day):
                yield day
            day += timedelta(days=1)


Loader = Callable[[Iterable[int]], dict[int, WorkingDays]]


def _default_loader(organization_ids: Iterable[int]) -> dict[int, WorkingDays]:
    return {org: WorkingDays() for org in organization_ids}


_loader: Loader = _default_loader


def set_loader(loader: Loader) -> None:
    """Called once by the planning app: how to read organisations' working days."""
    global _loader
    _loader = loader


def for_organizations(organization_ids: Iterable[int]) -> dict[int, WorkingDays]:
    """Working days of each organisation (a fixed number of queries, whatever the count)."""
    ids = sorted(set(organization_ids))
    if not ids:
        return {}
    loaded = _loader(ids)
    return {org: loaded.get(org, WorkingDays()) for org in ids}


def for_organization(organization_id: int) -> WorkingDays:
    return for_organizations([organization_id])[organization_id]
