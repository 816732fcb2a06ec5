"""The database itself refuses to change a logbook line or a status report (append-only), on
SQLite and PostgreSQL, so that no path around the ORM can rewrite the record. Deleting is
refused by the models and their querysets, and the organisation they belong to is protected;
a database-level delete guard would also block the test runner's flush."""

from django.db import migrations

TABLES = ("crisis_logentry", "crisis_statusreport")


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'append-only: add a new record'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION weerbaar_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'append-only: add a new record'; END; $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION weerbaar_append_only();"
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS weerbaar_append_only();")


class Migration(migrations.Migration):
    dependencies = [("crisis", "0003_reports_support_messages_and_contacts")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
