from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from guichet.cache import cache_tables_create

        # The rate limits' table when there is no Redis (settings.CACHES["shared"]), made by every migrate.
        post_migrate.connect(cache_tables_create, sender=self, dispatch_uid="guichet-cache-tables")
