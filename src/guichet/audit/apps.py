from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _chain_existing_records(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After `migrate`: a database that had records before the chain existed gets its chain, once."""
    from django.db import connections

    connection = connections[using]
    if "audit_chainentry" not in connection.introspection.table_names():
        return
    from guichet.audit.chain import chain_backfill

    appended = chain_backfill()
    if appended and kwargs.get("verbosity", 1):
        print(f"Audit chain: {appended} existing records chained (guichet audit sign signs the head).")


class AuditConfig(AppConfig):
    name = "guichet.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        post_migrate.connect(
            _chain_existing_records, sender=self, dispatch_uid="guichet.audit.chain_backfill"
        )
