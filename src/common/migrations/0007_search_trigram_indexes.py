"""Search (`?q=`, the tree page and the API) matches text anywhere in titles and descriptions.

Django's `icontains` asks PostgreSQL for `UPPER(column::text) LIKE UPPER('%words%')`, which no
B-tree index can answer: every item of the organisation was read. Trigram indexes on exactly
those expressions let PostgreSQL find the few matching rows (a bitmap OR of the two indexes).
SQLite has no such index; the migration does nothing there.
"""

from django.db import migrations

INDEXES = {
    "workitem_title_trgm": "title",
    "workitem_description_trgm": "description",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON common_workitem "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("common", "0006_dates_from_children")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
