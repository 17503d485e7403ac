"""Django's `flush`, able to empty the append-only audit table on SQLite.

On SQLite `flush` deletes the rows of every table, which the audit trail's triggers refuse; emptying a
whole database is an operator's deliberate act (and what the test suite does between transactional
tests), so the flush raises the maintenance flag the triggers look for, and lowers it afterwards.
PostgreSQL's flush truncates, which the row triggers do not see.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite" or "audit_maintenance" not in connection.introspection.table_names():
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_maintenance (flushing) VALUES (1)")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_maintenance")
