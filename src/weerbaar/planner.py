"""Tell the database's query planner about a bulk load.

After thousands of rows arrive at once (a synthetic country, a round opened for a whole
country) the planner's statistics still describe the old tables: PostgreSQL then picks
nested loops over millions of rows (a regional heat map took 1.5 s instead of 0.2 s until
autovacuum caught up). ``ANALYZE`` on both; on SQLite with an analysis limit, so that it
samples a few hundred rows of each index instead of reading the whole table.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def refresh_statistics(*models: type[Model]) -> None:
    """Refresh the planner's statistics for the tables of ``models``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 400")
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
