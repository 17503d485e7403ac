"""The agency's contact as readers see it: every page's footer (``guichet.web.context``), the error pages
and the investor's dossier, whose PDF is rendered outside any request."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AgencyContact:
    """The agency as a reader sees it: the footer of every page, the error pages and the dossier name it,
    and say how to reach it. Without a configured name the page says "the regional investment agency"
    rather than invent one."""

    name: str | Promise
    email: str
    phone: str
    address: str

    @property
    def reachable(self) -> bool:
        return bool(self.email or self.phone or self.address)


def agency_contact_from_settings() -> AgencyContact:
    return AgencyContact(
        name=settings.GUICHET_AGENCY_NAME or _("the regional investment agency"),
        email=settings.GUICHET_AGENCY_EMAIL,
        phone=settings.GUICHET_AGENCY_PHONE,
        address=settings.GUICHET_AGENCY_ADDRESS,
    )
