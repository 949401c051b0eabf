"""JSON for PostgreSQL's COPY, encoded by orjson.

Loads write thousands of JSON values (a migration's staged rows, every loaded item's JSON
columns); encoding them with the json module was a twentieth of a 100,000-row migration.
Keys are written as text, as the json module writes them, so both databases store the same.
"""

from __future__ import annotations

from typing import Any

import orjson


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def jsonb(value: Any):
    """`value` for a COPY row of a jsonb column (None stays NULL)."""
    from psycopg.types.json import Jsonb

    return None if value is None else Jsonb(value, dumps=dumps)
