from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "guichet.catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from guichet.catalogue import signals

        signals.connect()
