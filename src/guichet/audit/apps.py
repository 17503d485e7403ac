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
        from django.db.models.signals import post_save

        from guichet.audit import signals  # noqa: F401  (sign-ins and failures go to the audit trail)
        from guichet.audit.chain import chain_on_event_saved
        from guichet.audit.models import AuditEvent

        post_save.connect(chain_on_event_saved, sender=AuditEvent, dispatch_uid="guichet.audit.chain_event")

        post_migrate.connect(
            _chain_existing_records, sender=self, dispatch_uid="guichet.audit.chain_backfill"
        )
