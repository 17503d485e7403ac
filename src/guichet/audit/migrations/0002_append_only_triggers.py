"""The audit trail is append-only in the database itself: triggers refuse UPDATE and DELETE on its table.

PostgreSQL: a row trigger raising `restrict_violation` (an IntegrityError in Django). TRUNCATE, which needs
the table owner's privilege, is left to the operator (`manage flush` uses it to empty a whole database).
SQLite: the same refusal with RAISE(ABORT); `manage flush`, which deletes row by row on SQLite, sets the flag
in `audit_maintenance` for the length of the flush (see audit/management/commands/flush.py). That table is
not a model, so nothing in the application writes to it.
"""

from django.db import migrations

MESSAGE = "audit events are append-only: UPDATE and DELETE are refused"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE} (%)', TG_OP USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql
            """,
            params=None,  # the body's % is PL/pgSQL's, not a query parameter
        )
        schema_editor.execute(
            "CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()"
        )
    elif connection.vendor == "sqlite":
        schema_editor.execute("CREATE TABLE audit_maintenance (flushing integer NOT NULL)")
        for operation in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER audit_auditevent_no_{operation.lower()} BEFORE {operation} ON audit_auditevent "
                f"WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance) "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_auditevent_append_only()")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
        schema_editor.execute("DROP TABLE IF EXISTS audit_maintenance")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
