"""On PostgreSQL, placements in one episode may not overlap: an exclusion constraint over
half-open date ranges. SQLite cannot express this; the service check covers both engines."""

from django.db import migrations

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE cases_placement ADD CONSTRAINT placement_no_overlap
       EXCLUDE USING gist (episode_id WITH =, daterange(started_on, ended_on, '[)') WITH &&)""",
]
PG_DOWN = ["ALTER TABLE cases_placement DROP CONSTRAINT IF EXISTS placement_no_overlap"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(_run(PG_UP), _run(PG_DOWN))]
