from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from guichet.web import checks  # noqa: F401  (registers the production secret-key check)
