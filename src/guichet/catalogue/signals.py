"""The catalogue's version token: any change to the public offer gives it a new value, so that pages
cached by version (the portal's search results) never show a stale offer.

The token lives in the "shared" cache (Redis, else the database): a change made by one process (a web
worker, the background worker's import) is seen by all the others at their next request."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "catalogue:version"


def catalogue_version() -> str:
    cache = caches["shared"]
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return str(version)


def _renew() -> None:
    caches["shared"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def catalogue_changed(**_kwargs: Any) -> None:
    # Now, and again once the change commits: a page computed meanwhile from the data as it was before
    # the commit, under the first new token, is never read again.
    _renew()
    transaction.on_commit(_renew)


def connect() -> None:
    from guichet.catalogue.models import Authority, Incentive, Premises, PremisesPhoto
    from guichet.territory.models import Commune

    for model in (Premises, Authority, Incentive, PremisesPhoto, Commune):
        post_save.connect(
            catalogue_changed, sender=model, dispatch_uid=f"catalogue-version-save-{model.__name__}"
        )
        post_delete.connect(
            catalogue_changed, sender=model, dispatch_uid=f"catalogue-version-delete-{model.__name__}"
        )
