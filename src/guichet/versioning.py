"""Version tokens of the data that cached pages are built from.

Any change to the data gives its token a new value, so that a page cached under the token (the portal's
search results) is never served stale. A token lives in the shared cache. The catalogue's changes with
every premises, authority, incentive, photo or commune saved or deleted (``catalogue/signals.py`` connects
them) and with each bulk write that sends no signal (a signature letting a premises, a territory load),
whose service calls :func:`catalogue_changed` once its transaction commits.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache

CATALOGUE = "catalogue:version"


def version_token(key: str) -> str:
    """The current token under ``key``; a first reader sets one."""
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(key, version, timeout=None)
        version = cache.get(key, version)
    return str(version)


def version_bump(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)


def catalogue_version() -> str:
    """The token of the public offer (premises, authorities, incentives, photos, communes)."""
    return version_token(CATALOGUE)


def catalogue_changed(**_kwargs: Any) -> None:
    """The public offer changed (also a signal receiver, hence the keywords it ignores)."""
    version_bump(CATALOGUE)
