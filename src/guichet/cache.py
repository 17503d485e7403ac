"""The cache every process shares when there is no Redis: a table of the application's own database.

What must be one value for all processes of all machines (the sign-in and form rate limits, the catalogue's
version token) lives in the `shared` cache (settings.CACHES). With `REDIS_URL` that is Redis; without it,
this backend: Django's database cache, whose increment is made atomic. Django's own `incr` reads, adds and
writes in three statements, so two workers counting the same failed sign-in at once would both write 3
where 4 was due; here the row is locked while it is read and written (PostgreSQL `SELECT ... FOR UPDATE`;
SQLite takes its one write lock when the transaction begins, settings.py). The row keeps its expiry: the
counter of a rate-limit window dies with its window.

The table is created by `migrate` (`cache_tables_create`, connected in guichet.accounts), like any other.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache with an increment that two processes cannot interleave."""

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table_name = table

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self.table_name)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            where = f"{quote('cache_key')} = %s"
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} WHERE {where}{lock}", [cache_key]
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {where}",
                [base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), cache_key],
            )
        return value

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        ):
            expires = converter(expires, expression, connection)
        return bool(expires < now())


def cache_tables_create(*, using: str = "default", **_kwargs: Any) -> None:
    """After `migrate` (post_migrate): the tables of the database caches in the settings, if missing."""
    call_command("createcachetable", database=using, verbosity=0)
