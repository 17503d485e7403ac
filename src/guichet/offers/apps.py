from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "guichet.offers"
    verbose_name = _("Calls for offers")

    def ready(self) -> None:
        # The apps below learn from here what only the calls for offers know (guichet.hooks).
        from guichet.catalogue import selectors as catalogue
        from guichet.offers import selectors
        from guichet.projects import selectors as projects

        catalogue.reservations_visible_to.answer_with(selectors.reservations_visible_to)
        projects.offered_premises_ids.answer_with(selectors.premises_offered_to)

        from guichet.offers import chain

        chain.connect()
