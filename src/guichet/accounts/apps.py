from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from guichet.accounts import signals  # noqa: F401  (sign-ins and failures go to the audit trail)
