"""The catalogue's records tell the catalogue's version token (``guichet.versioning``) when they change, so
that pages cached by version (the portal's search results) never show a stale offer."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from guichet.versioning import catalogue_changed


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
