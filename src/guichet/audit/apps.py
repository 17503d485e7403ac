from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "guichet.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from guichet.audit import signals  # noqa: F401  (sign-ins and failures go to the audit trail)
