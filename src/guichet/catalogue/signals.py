"""The catalogue's version token: any change to the public offer gives it a new value, so that pages
cached by version (the portal's search results) never show a stale offer."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "catalogue:version"


def catalogue_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return str(version)


def catalogue_changed(**_kwargs: Any) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


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
