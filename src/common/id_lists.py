"""Many ids in one SQL parameter, for hand-written queries over thousands of rows; and a
sub-select of ids that PostgreSQL looks up one by one instead of joining.

`WHERE id IN (%s, %s, …)` with one placeholder per id costs the driver time to split and bind
the statement (a third of a month's feed at 100,000 items on PostgreSQL went there) and SQLite
refuses more than 32,766 variables at all. One parameter holds the whole list instead: a
PostgreSQL array, or a JSON array that SQLite reads with json_each.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL


def ids_in(ids: Iterable[int]) -> tuple[str, list]:
    """A sub-select yielding `ids` and its parameters: use as `WHERE col IN (<sql>)`."""
    values = [int(i) for i in ids]
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [values]
    return "SELECT value FROM json_each(%s)", [json.dumps(values)]


def gathered(ids: QuerySet) -> QuerySet | RawSQL:
    """`ids` (a one-column queryset of ids) as the right side of `pk__in`, gathered into one
    array first on PostgreSQL.

    Joined as a plain sub-select, the planner weighs the ids against every row of the
    organisation that passes the other conditions, and with thousands of them it walked the
    organisation (every overdue item for My work, the primary key from the start for a team's
    month of the feed: 30-80 ms at 100,000 items). Gathered, it sees a short list and looks the
    ids up by primary key, so the cost follows how many ids there are (a person's plate, a
    team's items), not the size of the organisation. Elsewhere `ids` is returned as it is.
    """
    if connection.vendor != "postgresql":
        return ids
    sql, params = ids.query.sql_with_params()
    return RawSQL(f"SELECT unnest(ARRAY({sql}))", params)
