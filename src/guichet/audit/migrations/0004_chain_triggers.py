"""The audit trail, the chain and the head log refuse rewrites in the database itself (docs/audit.md).

Both databases: UPDATE and DELETE of an audit event, a chain entry or a signed head are refused, as is
deleting the chain's head row or moving it backwards.

SQLite: `INSERT OR REPLACE` (and `REPLACE`) resolves a conflict by deleting the existing row, and SQLite
fires delete triggers for it only when `recursive_triggers` is on: so a BEFORE INSERT trigger refuses any
row whose key (or, for a chain entry, whose record) already exists. The maintenance flag of migration 0002,
which let deletes through, is gone: nothing in the database lifts the protection. The test suite's flush
lifts it on test databases only (audit/management/commands/flush.py).

PostgreSQL: TRUNCATE is refused too (a statement trigger). A superuser can still switch triggers off
(`session_replication_role = replica`, `ALTER TABLE ... DISABLE TRIGGER`): that is not preventable from
inside the database, and `guichet audit verify` detects what was changed that way.
"""

from django.db import migrations

MESSAGE = "the audit trail and its chain are append-only"
APPEND_ONLY = ("audit_auditevent", "audit_chainentry", "audit_signedhead")
SQLITE_CONFLICT = {
    "audit_auditevent": "id = NEW.id",
    "audit_signedhead": "id = NEW.id",
    "audit_chainentry": "position = NEW.position OR (record_type = NEW.record_type AND record_id = NEW.record_id)",
    "audit_chainhead": "id = NEW.id",
}


def _sqlite_forwards(execute):
    execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
    execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
    execute("DROP TABLE IF EXISTS audit_maintenance")
    for table in APPEND_ONLY:
        for operation in ("UPDATE", "DELETE"):
            execute(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {operation} refused'); END"
            )
    for table, conflict in SQLITE_CONFLICT.items():
        execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {conflict}) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: INSERT over an existing row refused'); END"
        )
    execute(
        "CREATE TRIGGER audit_chainhead_no_delete BEFORE DELETE ON audit_chainhead "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END"
    )
    execute(
        "CREATE TRIGGER audit_chainhead_no_rewind BEFORE UPDATE ON audit_chainhead "
        "WHEN NEW.length < OLD.length OR NEW.id <> OLD.id "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: the head never moves back'); END"
    )


def _postgresql_forwards(execute):
    execute(
        f"""
        CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for table in APPEND_ONLY[1:]:
        execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )
    for table in (*APPEND_ONLY, "audit_chainhead"):
        execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
        )
    execute(
        "CREATE TRIGGER audit_chainhead_no_delete BEFORE DELETE ON audit_chainhead "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
    )
    execute(
        "CREATE TRIGGER audit_chainhead_no_rewind BEFORE UPDATE ON audit_chainhead "
        "FOR EACH ROW WHEN (NEW.length < OLD.length OR NEW.id <> OLD.id) EXECUTE FUNCTION audit_append_only()"
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor

    def execute(sql):
        schema_editor.execute(sql, params=None)  # PL/pgSQL's % is not a query parameter

    if vendor == "postgresql":
        _postgresql_forwards(execute)
    elif vendor == "sqlite":
        _sqlite_forwards(execute)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    execute = schema_editor.execute
    if vendor == "postgresql":
        for table in APPEND_ONLY[1:]:
            execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        for table in (*APPEND_ONLY, "audit_chainhead"):
            execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        execute("DROP TRIGGER IF EXISTS audit_chainhead_no_delete ON audit_chainhead")
        execute("DROP TRIGGER IF EXISTS audit_chainhead_no_rewind ON audit_chainhead")
        execute("DROP FUNCTION IF EXISTS audit_append_only()")
    elif vendor == "sqlite":
        for table in APPEND_ONLY:
            execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        for table in SQLITE_CONFLICT:
            execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        execute("DROP TRIGGER IF EXISTS audit_chainhead_no_delete")
        execute("DROP TRIGGER IF EXISTS audit_chainhead_no_rewind")
        # Back to 0002's state: its flag table and its triggers.
        execute("CREATE TABLE audit_maintenance (flushing integer NOT NULL)")
        for operation in ("UPDATE", "DELETE"):
            execute(
                f"CREATE TRIGGER audit_auditevent_no_{operation.lower()} BEFORE {operation} ON audit_auditevent "
                "WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance) "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE and DELETE are refused'); END"
            )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
