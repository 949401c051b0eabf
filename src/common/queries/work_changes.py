"""When anything a person's work pages show last changed (one query).

The calendar feeds and the tree page keep what they built under a key that includes this
moment: the latest change of any item of the organisations the person may see (an indexed
look-up per organisation), and each organisation's work mark, which moves when something the
items show but do not store changes (a deletion, a person's, team's or organisation's name, a
team membership: `accounts.work_marks`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connections, router

from accounts.models import Organization
from common import permissions
from common.models import WorkItem

TABLE = WorkItem._meta.db_table
ORGANIZATIONS = Organization._meta.db_table


def change_marks(organization_id: int | None) -> list[tuple[Any, Any]]:
    """Each organisation's work mark and the latest change of any of its items (one query).

    Hand-written rather than built through the ORM: it runs on every feed and ICS request, an
    unchanged window included, and building the equivalent queryset cost more than running it.
    The latest change is read through the (organization, updated_at) index, one row per
    organisation. Values come back as the database gives them (SQLite: text) and are made
    datetimes by `_moment`.
    """
    sql = (
        f"SELECT o.work_changed_at, (SELECT w.updated_at FROM {TABLE} w "
        f"WHERE w.organization_id = o.id ORDER BY w.updated_at DESC LIMIT 1) "
        f"FROM {ORGANIZATIONS} o"
    )
    params: list[Any] = []
    if organization_id is not None:
        sql += " WHERE o.id = %s"
        params.append(organization_id)
    # Where the page's other reads go (a replica on the read-only hot paths, obcms.replicas).
    with connections[router.db_for_read(WorkItem)].cursor() as cursor:
        cursor.execute(sql, params)
        return [(_moment(changed), _moment(latest)) for changed, latest in cursor.fetchall()]


def _moment(value: Any) -> dt.datetime | None:
    """A stored moment as an aware datetime (SQLite's raw rows carry naive UTC text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def last_work_change(user) -> dt.datetime | None:
    """The latest of the marks of every organisation `user` may see."""
    return max((m for m in work_moments(user) if m is not None), default=None)


def work_moments(user) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The latest work mark and the latest item change of the organisations `user` may see.

    Apart, for content that shows people, teams and organisations but no item (the tree
    page's filter form): it follows the marks alone, so editing an item leaves it kept.
    """
    every = user.has_perm(permissions.VIEW_ALL)
    marks = change_marks(None if every else user.organization_id)
    return (
        max((mark for mark, _ in marks if mark is not None), default=None),
        max((latest for _, latest in marks if latest is not None), default=None),
    )
