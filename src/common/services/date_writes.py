"""Writing new dates to many items in one statement (pushes and parents that follow children).

Django's `bulk_update` writes a CASE with one WHEN per row, which the database evaluates for
every row: quadratic, 2.5 s for 2,000 rows on SQLite. A join with a VALUES list is linear.
SQLite ≥ 3.33 and PostgreSQL both name VALUES columns column1, column2, …
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection

from common.models import WorkItem

#: Rows per UPDATE (3 parameters each): inside SQLite's 32,766 and PostgreSQL's 65,535.
ROWS_PER_UPDATE = 10_000


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def write_dates(rows: list[WorkItem], now: datetime) -> None:
    """Store each row's `start_date` and `due_date`, raise its version, stamp `updated_at`.

    One `UPDATE … FROM (VALUES …)` per 10,000 rows; the rows' own `version` attribute is not
    read (the database adds one), so callers raise it on their copies to match.
    """
    table = connection.ops.quote_name(WorkItem._meta.db_table)
    day = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    for offset in range(0, len(rows), ROWS_PER_UPDATE):
        batch = rows[offset : offset + ROWS_PER_UPDATE]
        values = ", ".join([f"(%s, {day}, {day})"] * len(batch))
        params: list = []
        for row in batch:
            params += [row.pk, _iso(row.start_date), _iso(row.due_date)]
        sql = (
            f"UPDATE {table} SET start_date = v.column2, due_date = v.column3, "
            f"version = {table}.version + 1, updated_at = %s "
            f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), *params])
