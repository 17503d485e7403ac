"""What every page's template may need beyond Django's own context: the agency's contact."""

from __future__ import annotations

from django.http import HttpRequest

from guichet.agency import AgencyContact, agency_contact_from_settings

__all__ = ["AgencyContact", "agency_contact", "agency_contact_from_settings"]


def agency_contact(request: HttpRequest) -> dict[str, AgencyContact]:
    return {"agency": agency_contact_from_settings()}
