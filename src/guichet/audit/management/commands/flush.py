"""Django's `flush`, on test databases only once the audit trail holds something.

Emptying a database erases its audit trail and chain, which the database refuses (migration 0004: row
triggers on SQLite, where flush deletes row by row; a TRUNCATE trigger on PostgreSQL). The test suite
flushes its own test database between transactional tests: there, and only there (the database in use is
the one Django's test set-up created), and on any database whose trail is empty, the audit tables' triggers
are lifted inside the flush's own transaction and are back when it commits. On any other database the flush
is refused while the trail or the chain holds a row: drop the database instead, deliberately. No flag in
the database lifts the protection, so nothing can be let through silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLES = ("audit_auditevent", "audit_chainentry", "audit_signedhead", "audit_chainhead")


def is_test_database(connection: BaseDatabaseWrapper) -> bool:
    """The database is one the test runner created: SQLite's in-memory test database, or a database named
    with Django's test prefix ("test_guichet"), which the runner gives the ones it creates."""
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    name = str(connection.settings_dict["NAME"])
    in_memory = name == connection.creation._get_test_db_name()  # type: ignore[attr-defined]
    return in_memory or name.startswith(TEST_DATABASE_PREFIX)


def _audit_rows(connection: BaseDatabaseWrapper) -> bool:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


@contextmanager
def triggers_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Inside a transaction: the audit tables' triggers off, and on again before it commits."""
    tables = [t for t in AUDIT_TABLES if t in set(connection.introspection.table_names())]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ",".join("%s" for _ in tables)
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
                tables,
            )
            saved = cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f'DROP TRIGGER "{name}"')
        elif connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for _name, sql in saved:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[alias]
        # An empty trail has nothing to lose, but PostgreSQL's TRUNCATE trigger refuses even an empty table:
        # the triggers are lifted for it too, inside the flush's transaction.
        if _audit_rows(connection) and not is_test_database(connection):
            raise CommandError(
                "flush would erase the audit trail and its chain: refused. To start again, drop and "
                "recreate the database deliberately; the signed heads kept outside will show it."
            )
        with transaction.atomic(using=alias), triggers_lifted(connection):
            return super().handle(**options)
