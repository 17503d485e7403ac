"""Version tokens of the data that cached pages are built from.

Any change to the data gives its token a new value, so that a page cached under the token (the portal's
search results) is never served stale. A token lives in the "shared" cache (Redis, else a database table:
settings.CACHES): a change made by one process (a web worker, the background worker's import) is seen by all
the others at their next request. The catalogue's changes with
every premises, authority, incentive, photo or commune saved or deleted (``catalogue/signals.py`` connects
them) and with each bulk write that sends no signal (a signature letting a premises, a territory load),
whose service calls :func:`catalogue_changed` once its transaction commits.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import caches
from django.db import transaction

CATALOGUE = "catalogue:version"


def version_token(key: str) -> str:
    """The current token under ``key``; a first reader sets one."""
    shared = caches["shared"]
    version = shared.get(key)
    if version is None:
        version = uuid.uuid4().hex
        shared.add(key, version, timeout=None)
        version = shared.get(key, version)
    return str(version)


def version_bump(key: str) -> None:
    caches["shared"].set(key, uuid.uuid4().hex, timeout=None)


def catalogue_version() -> str:
    """The token of the public offer (premises, authorities, incentives, photos, communes)."""
    return version_token(CATALOGUE)


def catalogue_changed(**_kwargs: Any) -> None:
    """The public offer changed (also a signal receiver, hence the keywords it ignores): a new token now,
    and again once the change commits, so that a page computed meanwhile from the data as it was before the
    commit, under the first new token, is never read again."""
    version_bump(CATALOGUE)
    transaction.on_commit(lambda: version_bump(CATALOGUE))
