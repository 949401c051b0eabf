"""Workload: open items and items due per week, per person and per team — one query each.

An assignment is a row of the item–person (or item–team) link table, so grouping the visible
open items by `assignees` counts each item once for each of its people, and once under
"Unassigned" when it has nobody.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, QuerySet

from common import permissions

from .charts import Chart, Series
from .periods import OPEN, due_in_week, week_label, week_starts
from .scope import Scope

UNASSIGNED = "Unassigned"


def overload_limit() -> int:
    """More than this many items due in one week marks a person or team as overloaded."""
    return int(getattr(settings, "INSIGHTS_OVERLOAD_PER_WEEK", 5))


def _grouped(items: QuerySet, column: str, mondays: list[dt.date]) -> dict[int | None, dict]:
    weekly = {f"w{i}": Count("id", filter=due_in_week(m)) for i, m in enumerate(mondays)}
    rows = items.filter(OPEN).order_by().values(column).annotate(open=Count("id"), **weekly)
    return {row[column]: row for row in rows}


def _charts(
    kind: str,
    names: list[tuple[int | None, str]],
    counts: dict[int | None, dict],
    mondays: list[dt.date],
    drill: str,
) -> tuple[Chart, Chart]:
    param = "person" if kind == "people" else "team"
    empty = {"open": 0, **{f"w{i}": 0 for i in range(len(mondays))}}
    rows = [(pk, name, counts.get(pk, empty)) for pk, name in names]

    def base(pk: int | None) -> str:
        return f"{drill}&{param}={pk}" if pk is not None else f"{drill}&unassigned=1"

    week_links = [
        [
            f"{base(pk)}&open=1&due_from={m.isoformat()}"
            f"&due_to={(m + dt.timedelta(days=6)).isoformat()}"
            for m in mondays
        ]
        for pk, _name, _row in rows
    ]
    label = "Person" if kind == "people" else "Team"
    due = Chart(
        name=f"{kind}-weeks",
        title=f"Items due per week, by {label.lower()}",
        kind="heatmap",
        category_label=label,
        categories=[name for _pk, name, _row in rows],
        series=[
            Series(week_label(m), [row[f"w{i}"] for _pk, _n, row in rows])
            for i, m in enumerate(mondays)
        ],
        links=[f"{base(pk)}&open=1" for pk, _n, _row in rows],
        cell_links=week_links,
        marks={"overload": overload_limit()},
    )
    open_items = Chart(
        name=f"{kind}-open",
        title=f"Open items, by {label.lower()}",
        kind="hbar",
        category_label=label,
        categories=[name for _pk, name, _row in rows],
        series=[Series("Open items", [row["open"] for _pk, _n, row in rows])],
        links=[f"{base(pk)}&open=1" for pk, _n, _row in rows],
    )
    return due, open_items


def workload(scope: Scope, user, today: dt.date, drill: str) -> dict[str, Chart]:
    """Four charts in four queries: people and teams of the organisation, and their counts."""
    mondays = week_starts(today)
    org = scope.organization
    people = [
        (u.pk, u.display_name)
        for u in permissions.visible_people(user)
        .filter(organization=org, is_active=True)
        .order_by("first_name", "last_name", "username")
    ]
    teams = list(
        permissions.visible_teams(user)
        .filter(organization=org, is_active=True)
        .order_by("name")
        .values_list("pk", "name")
    )
    by_person = _grouped(scope.items, "assignees", mondays)
    by_team = _grouped(scope.items, "teams", mondays)
    if None in by_person:
        people.append((None, UNASSIGNED))
    people_weeks, people_open = _charts("people", people, by_person, mondays, drill)
    team_weeks, team_open = _charts("teams", teams, by_team, mondays, drill)
    return {
        "people_weeks": people_weeks,
        "people_open": people_open,
        "team_weeks": team_weeks,
        "team_open": team_open,
    }
