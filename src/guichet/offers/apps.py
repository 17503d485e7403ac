from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "guichet.offers"
    verbose_name = _("Calls for offers")

    def ready(self) -> None:
        from guichet.offers import chain

        chain.connect()
