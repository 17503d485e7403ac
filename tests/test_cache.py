"""The database cache the processes share without Redis: its table, its atomic increment, its expiry."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.utils import timezone

from guichet.web import settings as production

TABLE = "guichet_shared_cache"


@pytest.fixture
def shared(settings: Any) -> Any:
    """The production's `shared` cache without Redis (the suite's own fixture swaps in memory)."""
    settings.CACHES = {**settings.CACHES, "shared": production.CACHES["shared"]}
    cache = caches["shared"]
    cache.clear()
    return cache


def _expires(key: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {TABLE} WHERE cache_key = %s", [caches["shared"].make_key(key)])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "guichet.cache.SharedDatabaseCache"),
        ("redis://127.0.0.1:6379/3", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_rate_limits_count_in_a_cache_every_process_shares_in_every_configuration(
    redis_url: str, backend: str
) -> None:
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.RATELIMIT_USE_CACHE, s.CACHES[s.RATELIMIT_USE_CACHE]['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | {"REDIS_URL": redis_url}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "guichet.web.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["shared", backend]


@pytest.mark.django_db
def test_migrate_creates_the_shared_cache_table() -> None:
    assert TABLE in connection.introspection.table_names()


@pytest.mark.django_db
def test_an_increment_adds_and_keeps_the_windows_expiry(shared: Any) -> None:
    assert shared.add("rl:zoe", 1, 60) is True
    expires = _expires("rl:zoe")
    assert shared.add("rl:zoe", 1, 60) is False  # django-ratelimit's first call, made again: no reset
    assert [shared.incr("rl:zoe") for _ in range(4)] == [2, 3, 4, 5]
    assert shared.get("rl:zoe") == 5
    assert shared.decr("rl:zoe", 2) == 3
    assert _expires("rl:zoe") == expires


@pytest.mark.django_db
def test_an_increment_of_a_missing_or_expired_key_fails_as_djangos_caches_do(shared: Any) -> None:
    with pytest.raises(ValueError, match="not found"):
        shared.incr("rl:nobody")
    shared.add("rl:old", 4, 60)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET expires = %s WHERE cache_key = %s",
            [
                connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(seconds=1)),
                shared.make_key("rl:old"),
            ],
        )
    with pytest.raises(ValueError, match="not found"):
        shared.incr("rl:old")


@pytest.mark.django_db(transaction=True)
def test_increments_from_concurrent_connections_are_never_lost(shared: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the suite's SQLite database is in memory, one per connection; PostgreSQL has rows to lock"
        )
    shared.add("rl:race", 0, 60)
    counts: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def count() -> None:
        try:
            start.wait()
            for _ in range(20):
                counts.append(caches["shared"].incr("rl:race"))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert shared.get("rl:race") == 120
    assert sorted(counts) == list(range(1, 121))  # each increment saw a count of its own
    shared.clear()
